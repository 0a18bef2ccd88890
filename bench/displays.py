"""6. Displays: the dashboard, the coverage report and the map's data at two sizes.

    .venv/bin/python -m bench.displays postgresql+psycopg://u:p@host:port/postgres 10000 100000

For each size a fresh database is made and filled with bench.seed (submissions, versions,
audit events, approvals) plus three placements per unit submission (300,000 at 100,000
submissions) and a display row for two thirds of the approved ones (some removed, some torn).
Each figure is run in process: SQL statements and the median of five runs.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date

import psycopg
import sqlalchemy as sa

from bench import seed

PLACEMENTS = """
INSERT INTO placements (submission_id, unit_id, address, lat, lon, site_type, quantity,
                        display_from, display_to, created_at)
SELECT s.id, s.unit_id, 'Số ' || g || ' đường thử', 10.0 + (s.id % 997) / 1000.0,
       105.0 + g / 100.0, 'main_road', 1, date '2026-01-01' + (s.id % 330),
       date '2026-01-01' + (s.id % 330) + 30, now()
FROM submissions s CROSS JOIN generate_series(1, 3) g WHERE s.scope = 'unit'
"""
DISPLAYS = """
INSERT INTO displays (placement_id, unit_id, campaign_id, state, installed_at, removed_at,
                      condition, condition_at, created_at, lock_version)
SELECT p.id, p.unit_id, s.campaign_id,
       CASE WHEN p.id % 6 = 1 THEN 'removed' ELSE 'installed' END,
       p.display_from + time '08:00',
       CASE WHEN p.id % 6 = 1 THEN p.display_to + time '08:00' END,
       CASE WHEN p.id % 10 = 0 THEN 'torn' END,
       CASE WHEN p.id % 10 = 0 THEN p.display_from + time '09:00' END,
       now(), 1
FROM placements p JOIN submissions s ON s.id = p.submission_id
WHERE s.status = 'approved' AND p.id % 3 <> 0
"""


def prepare(server_url: str, n: int) -> str:
    """A new migrated database with reference data and n submissions' worth of displays."""
    from flask_migrate import upgrade

    from registry import create_app
    from registry.extensions import db
    from registry.refdata import load_reference_data

    base = sa.engine.make_url(server_url)
    name = f"bench_displays_{n}_{int(time.time())}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = base.set(database=name).render_as_string(hide_password=False)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "REGISTRY_LOCAL_STORAGE_PATH": tempfile.mkdtemp(),
        }
    )
    with app.app_context():
        upgrade()
        load_reference_data()
        db.session.commit()
        db.engine.dispose()
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        seed.scale(conn, n)
        conn.execute("SET session_replication_role = origin")
        placements = conn.execute(PLACEMENTS).rowcount
        displays = conn.execute(DISPLAYS).rowcount
        conn.commit()
        conn.execute("ANALYZE")
    print(f"{n:,} submissions: {placements:,} placements, {displays:,} displays", flush=True)
    return url


def measure(url: str) -> dict[str, tuple[int, float]]:
    """Statements and median milliseconds of each figure, for a reviewer and a locality."""
    from registry import create_app
    from registry.auth.models import User
    from registry.campaigns.models import Campaign
    from registry.displays.dashboard import build_dashboard
    from registry.displays.geojson import feature_collection
    from registry.displays.queries import DisplayFilters
    from registry.displays.report import coverage_rows
    from registry.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "REGISTRY_LOCAL_STORAGE_PATH": tempfile.mkdtemp(),
        }
    )
    results = {}
    with app.test_request_context():
        user = lambda name: db.session.scalar(sa.select(User).where(User.username == name))  # noqa: E731
        campaign = db.session.scalar(sa.select(Campaign.id).order_by(Campaign.id))
        day, start, end = date(2026, 6, 1), date(2026, 1, 1), date(2026, 12, 31)
        for who in ("b-reviewer1", "b-locality-30307"):
            u = user(who)
            work = {
                "dashboard": lambda u=u: build_dashboard(u, campaign, day),
                "coverage report": lambda u=u: coverage_rows(u, campaign, start, end),
                "map data (5,000 cap)": lambda u=u: feature_collection(u, day, DisplayFilters()),
            }
            for label, call in work.items():
                seen = []
                listener = lambda *a, seen=seen: seen.append(1)  # noqa: E731
                sa.event.listen(db.engine, "before_cursor_execute", listener)
                call()
                sa.event.remove(db.engine, "before_cursor_execute", listener)
                times = []
                for _ in range(5):
                    t = time.perf_counter()
                    call()
                    times.append((time.perf_counter() - t) * 1000)
                results[f"{label}, {u.role}"] = (len(seen), statistics.median(times))
        db.engine.dispose()
    return results


def drop(server_url: str, url: str) -> None:
    admin = sa.create_engine(sa.engine.make_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        name = sa.engine.make_url(url).database
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def main(server_url: str, sizes: list[int]) -> None:
    measured = {}
    for n in sizes:
        url = prepare(server_url, n)
        try:
            measured[n] = measure(url)
        finally:
            drop(server_url, url)
    small, big = sizes[0], sizes[-1]
    print(
        f"\n| figure | statements at {small:,} / {big:,} | median ms at {small:,} | "
        f"at {big:,} | ratio |"
    )
    print("|---|---|---|---|---|")
    for label in measured[small]:
        (qa, ta), (qb, tb) = measured[small][label], measured[big][label]
        print(f"| {label} | {qa} / {qb} | {ta:.1f} | {tb:.1f} | {tb / ta:.1f}× |")


if __name__ == "__main__":
    main(sys.argv[1], [int(a) for a in sys.argv[2:]] or [10_000, 100_000])
