"""Is there a leak under the soak's memory figures? One process, its own PostgreSQL and MinIO
(.ci/services.sh), a submission's whole life through the API repeated: created, placed,
uploaded, submitted, claimed, answered, approved, listed, its download link asked for, verified
by the API and the page. After every batch the garbage is collected and malloc_trim(0) hands
freed heap back to the system: the heap's resident size (RssAnon) left is what the process
still holds. A leak raises it batch after batch; working memory does not.

    .venv/bin/python -m bench.soak.leak [--cycles 300] [--batch 25]
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import io
import os
import re
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.common import PASSWORD
from bench.services import Services
from bench.soak.__main__ import UNIT, files

PEOPLE = (("designer1", "designer", UNIT), ("reviewer1", "reviewer", "SVHTT-QLVH"))
PEOPLE += (("locality1", "locality", UNIT),)


def heap_mib() -> float:
    text = Path("/proc/self/status").read_text()
    return int(re.search(r"^RssAnon:\s+(\d+) kB", text, re.M).group(1)) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--batch", type=int, default=25)
    args = parser.parse_args()
    services = Services().start()
    try:
        os.environ.update(
            services.app_env(services.create_database("registry_leak"), "minio")
            | {"REGISTRY_REQUEST_LOG": "false", "REGISTRY_VERIFY_RATE_LIMIT": "100000 per minute"}
        )
        run(args.cycles, args.batch)
    finally:
        services.stop()


def run(cycles: int, batch: int) -> None:
    from registry import create_app
    from registry.auth.operations import create_user
    from registry.extensions import db
    from registry.refdata import load_reference_data
    from registry.units.models import Unit

    app = create_app({"REGISTRY_PASSWORD_HASH": "scrypt:2048:8:1"})
    with app.app_context():
        db.create_all()
        app.extensions["registry_store"].ensure_buckets()
        load_reference_data()
        for name, role, code in PEOPLE:
            unit = db.session.scalar(sa.select(Unit).where(Unit.code == code))
            create_user(None, name, PASSWORD, role, unit, full_name=name)
        db.session.commit()
    client = app.test_client()

    def token(name: str) -> dict[str, str]:
        answer = client.post("/api/v1/auth/token", json={"username": name, "password": PASSWORD})
        return {"Authorization": "Bearer " + answer.json["token"]}

    designer, reviewer, locality = (token(name) for name, _, _ in PEOPLE)
    campaign = client.get("/api/v1/campaigns", headers=designer).json[0]
    artwork = [path.read_bytes() for path in files()[0]]

    def expect(response, status: int):
        assert response.status_code == status, (response.status_code, response.get_data()[:300])
        return response

    def life(i: int) -> None:
        sid = expect(
            client.post(
                "/api/v1/submissions",
                headers=designer,
                json={
                    "campaign_id": campaign["id"],
                    "title": f"Pano tuyên truyền số {i}",
                    "format": "pano",
                    "scope": "unit",
                    "width_cm": 300,
                    "height_cm": 200,
                    "slogan_ids": [campaign["slogans"][0]["id"]],
                },
            ),
            201,
        ).json["id"]
        path = f"/api/v1/submissions/{sid}"
        start = date.today() + timedelta(days=1)
        placement = {
            "unit_code": UNIT,
            "address": "Số 1 Trần Hưng Đạo",
            "lat": 10.3866,
            "lon": 105.4352,
            "site_type": "main_road",
            "quantity": 1,
            "display_from": start.isoformat(),
            "display_to": (start + timedelta(days=30)).isoformat(),
        }
        expect(client.post(f"{path}/placements", headers=designer, json=placement), 201)
        upload = {"file": (io.BytesIO(artwork[i % len(artwork)]), "mau.png")}
        expect(client.post(f"{path}/versions", headers=designer, data=upload), 201)
        for who, action in ((designer, "submit"), (reviewer, "claim")):
            expect(client.post(f"{path}/transitions", headers=who, json={"action": action}), 200)
        answers = expect(client.get(f"{path}/review", headers=reviewer), 200).json["answers"]
        sheet = [
            {
                "item": a["item"],
                "result": "pass",
                "comment": "" if a["automatic_result"] in (None, "pass") else "Đã xem xét.",
            }
            for a in answers
        ]
        expect(client.put(f"{path}/review/answers", headers=reviewer, json=sheet), 200)
        decision = {"action": "approve", "comment": "Kết luận thẩm định."}
        expect(client.post(f"{path}/transitions", headers=reviewer, json=decision), 200)
        code = expect(client.get("/api/v1/assets?per_page=25", headers=locality), 200).json[0]
        expect(client.get(f"/api/v1/assets/{code['code']}/download", headers=locality), 302)
        expect(client.get(f"/api/v1/verify/{code['code']}"), 200)
        expect(client.get(f"/verify/{code['code']}"), 200)
        expect(client.get("/api/v1/submissions?per_page=25", headers=designer), 200)

    print("| lives | heap before trim, MiB | heap after gc + malloc_trim, MiB | s |")
    print("|---:|---:|---:|---:|")
    libc, started, floors = ctypes.CDLL("libc.so.6"), time.monotonic(), []
    for i in range(cycles):
        life(i)
        if (i + 1) % batch == 0:
            before = heap_mib()
            gc.collect()
            libc.malloc_trim(0)
            floors.append(heap_mib())
            elapsed = time.monotonic() - started
            print(f"| {i + 1} | {before:.1f} | {floors[-1]:.1f} | {elapsed:.0f} |", flush=True)
    if len(floors) >= 3:  # the first batch is warm-up: caches, pools, compiled statements
        fit = statistics.linear_regression(range(len(floors) - 1), floors[1:])
        per = fit.slope / batch * 1024
        print(f"\nAfter the first batch: {floors[1]:.1f} → {floors[-1]:.1f} MiB", end="")
        print(f"; fitted {per:+.1f} KiB a life")


if __name__ == "__main__":
    main()
