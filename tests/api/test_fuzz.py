"""Schemathesis fuzzes the API served by gunicorn over PostgreSQL and MinIO, as a designer and
as a reviewer: no server error, every status documented, every body (errors included) as the
OpenAPI document says, and a schema-valid request refused only by a named business rule.

A failure prints Schemathesis' report: each failing request as a curl command, and the seed
that replays the run. The report is also kept in test-artifacts/fuzz-<role>.txt.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.live import ARTIFACTS, PASSWORD, ROOT, serve_registry

MAX_EXAMPLES = 25
USERS = {"fz.designer": ("designer", "30307"), "fz.reviewer": ("reviewer", "SVHTT-QLVH")}
# Beyond the defaults, a refusal by a documented rule is an answer to valid data: a 422 with
# the code of a business rule (tests/api/fuzz_checks.py holds that it is never `invalid`), or
# a 400 for a NUL in the address, which no string column can hold (registry/security.py).
ACCEPTED_FOR_VALID_DATA = ["2xx", "3xx", "400", "401", "403", "404", "409", "422", "429"]


def _call(url: str, token: str | None = None, body: dict | None = None) -> object:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def fuzz_world():
    """A registry with the demo's draft, submitted and approved submissions of Long Xuyên,
    the submitted one claimed by the reviewer, and a token for each role."""
    with serve_registry("fuzz", USERS) as live:
        live.flask("registry", "demo")
        api = f"{live.url}/api/v1"
        tokens = {
            role: _call(f"{api}/auth/token", body={"username": name, "password": PASSWORD})["token"]
            for name, (role, _unit) in USERS.items()
        }
        submissions = _call(f"{api}/submissions", tokens["designer"])
        waiting = next(s for s in submissions if s["status"] == "submitted")
        _call(
            f"{api}/submissions/{waiting['id']}/transitions",
            tokens["reviewer"],
            {"action": "claim"},
        )
        known = {
            "submission_id": [s["id"] for s in submissions],
            "version_id": [v["id"] for s in submissions for v in s["versions"]],
            "placement_id": [p["id"] for s in submissions for p in s["placements"]],
            "code": [a["code"] for a in _call(f"{api}/assets", tokens["designer"])],
        }
        assert all(known.values()), known
        yield live, tokens, known


def _config(path: Path, known: dict[str, list]) -> Path:
    """Schemathesis settings: the real ids most of the time (else every id is a 404)."""
    # Each run starts afresh: nothing learnt from an earlier run is kept in the work tree.
    lines = ['hooks = "tests.api.fuzz_checks"', "", "[cache]", "enabled = false", ""]
    for name, values in known.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines.append("[parameters]")
    lines += [f'"path.{name}" = {{ dictionary = "{name}", probability = 0.7 }}' for name in known]
    lines += ["", "[checks.positive_data_acceptance]"]
    lines.append(f"expected-statuses = {json.dumps(ACCEPTED_FOR_VALID_DATA)}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.services
@pytest.mark.parametrize("role", ["designer", "reviewer"])
def test_the_api_keeps_its_openapi_contract_under_fuzzing(fuzz_world, role, tmp_path):
    live, tokens, known = fuzz_world
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(_config(tmp_path / "schemathesis.toml", known)),
        "--no-color",
        "run",
        f"{live.url}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {tokens[role]}",
        "--checks",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        # One worker: CPython 3.11's ast module is not safe across threads, and Hypothesis
        # parses sources while describing strategies.
        "--workers",
        "1",
        "--request-timeout",
        "60",
    ]
    started = time.monotonic()
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
    )
    report = result.stdout + result.stderr
    (ARTIFACTS / f"fuzz-{role}.txt").write_text(report)
    summary = [line for line in report.splitlines() if line.startswith("=====")][-1:]
    print(f"fuzz as {role}: {summary} in {time.monotonic() - started:.0f} s")
    assert result.returncode == 0, report
