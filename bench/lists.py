"""3. List pages at scale: bounded SQL per page, and throughput under 16 concurrent clients.

Queries are counted in this process (the app under Flask's test client, a SQLAlchemy
before_cursor_execute listener) at REGISTRY_PAGE_SIZE 25 and 100. Throughput: gunicorn with
2 sync workers, wrk (a second process) with 16 keep-alive connections for LOAD_SECONDS,
against each page and against the trivial endpoint GET /login (same app stack, no database).
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import time
from pathlib import Path

from bench import profile
from bench.common import Row, request, sign_in
from bench.services import SECRET_KEY, Gunicorn

PAGES = {  # label: (path, user)
    "review queue /reviews/ (reviewer)": ("/reviews/", "b-reviewer1"),
    "library /library/ (locality)": ("/library/", "b-locality-30307"),
    "library /library/ (reviewer)": ("/library/", "b-reviewer1"),
    "unit's submissions /submissions/ (designer)": ("/submissions/", "b-designer-30307"),
}
TRIVIAL = "GET /login (trivial, no DB)"
# A second reference: a signed-in page with no list (two statements: the browser session with its
# user and the navigation's counts, then the account's signed-in browsers).
ACCOUNT = "GET /account (signed in, 2 statements)"
LOAD_SECONDS = 10
LUA = Path(__file__).with_name("wrk_report.lua")


def count_queries(db_url: str) -> dict[str, dict]:
    """SQL statements and their time for each page's first page, at page sizes 25 and 100."""
    import sqlalchemy as sa

    from registry import create_app
    from registry.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": db_url,
            "SECRET_KEY": SECRET_KEY,
            "REGISTRY_STORAGE": "local",
            "REGISTRY_LOCAL_STORAGE_PATH": tempfile.mkdtemp(prefix="bench-store-"),
        }
    )
    seen: list[list] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append([statement, parameters, time.perf_counter()])

    def after(conn, cursor, statement, parameters, context, executemany):
        seen[-1][2] = time.perf_counter() - seen[-1][2]

    # Requests run outside any app context of ours: each gets its own, as under gunicorn
    # (sharing one would share Flask-Login's cached user and the ORM session between requests).
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    result = {}
    for label, (path, user) in PAGES.items():
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = f"bench-{user}", True
        counts, runs = {}, []
        client.get(path)  # warm: the filters' reference data is cached per process (refcache)
        for size in (25, 100, 25, 25, 25, 25):  # the warm runs at 25 give the SQL time
            app.config["REGISTRY_PAGE_SIZE"] = size
            seen.clear()
            status = client.get(path).status_code
            if status != 200:
                raise RuntimeError(f"{path} as {user} answered {status}")
            counts.setdefault(size, len(seen))
            runs.append(list(seen))
        fastest = min(runs[2:], key=lambda r: sum(s[2] for s in r))
        statements = sorted(fastest, key=lambda s: -s[2])
        result[label] = {
            "25": counts[25],
            "100": counts[100],
            "sql_ms": 1000 * sum(s[2] for s in fastest),
            "slowest": [(1000 * s[2], s[0], s[1]) for s in statements[:3]],
        }
        result[label]["plans"] = [
            _explain(engine, stmt, params) for stmt, params, secs in statements[:2] if secs > 0.002
        ]
    return result


def _explain(engine, statement: str, params) -> str:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + statement, params)
        return "\n".join(r[0] for r in rows)


def wrk(url: str, cookie: str | None, connections: int, seconds: int) -> dict:
    headers = ["-H", "User-Agent: registry-bench"] + (["-H", f"Cookie: {cookie}"] if cookie else [])
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(min(2, connections)),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(LUA),
            *headers,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    report = json.loads(out.strip().splitlines()[-1])
    report["rps"] = report["requests"] / report["seconds"]
    if report["non2xx"] or report["errors"]:
        raise RuntimeError(f"wrk {url}: {report}")
    return report


def load(ctx, db_url: str, scale: int) -> dict[str, dict]:
    env = ctx.services.app_env(db_url, "local")
    targets = {TRIVIAL: ("/login", None)}
    references = {ACCOUNT: ("/account", "b-designer-30307")}
    result = {}
    with Gunicorn(env, workers=2, log=ctx.out / "gunicorn-lists.log") as app:
        targets |= {
            label: (path, sign_in(app.url, user))
            for label, (path, user) in (references | PAGES).items()
        }
        for label, (path, cookie) in targets.items():
            status, _, _ = request(
                app.url, "GET", path, headers={"Cookie": cookie} if cookie else {}
            )
            if status != 200:
                raise RuntimeError(f"{path} answered {status} over HTTP")
            wrk(app.url + path, cookie, 16, 2)  # warm-up: caches, connection pools
            loaded = wrk(app.url + path, cookie, 16, LOAD_SECONDS)
            single = wrk(app.url + path, cookie, 1, 5)
            result[label] = {"loaded": loaded, "single": single}
            if scale == ctx.big and label in PAGES:
                raw = ctx.out / ("profile-list-" + re.sub(r"\W+", "-", label) + ".txt")
                with profile.recording(app.workers()[0], raw):
                    wrk(app.url + path, cookie, 16, 5)
                result[label]["profile"] = profile.summary(raw, skip=())
    return result


def measure(ctx, db_url: str, scale: int) -> dict:
    return {"queries": count_queries(db_url), "load": load(ctx, db_url, scale)}


def run(ctx, m: dict, scale: int) -> list[Row]:
    rows = []
    trivial, account = m["load"][TRIVIAL]["loaded"], m["load"][ACCOUNT]["loaded"]
    for label in PAGES:
        q, loaded = m["queries"][label], m["load"][label]["loaded"]
        rows.append(
            Row(
                "3",
                f"{label}: SQL statements for page 1 at page size 25 / 100 "
                f"({scale:,} submissions; {q['sql_ms']:.1f} ms of SQL)",
                f"{q['25']} / {q['100']}",
                "must not depend on page size",
                None,
                "equal, bounded",
                q["25"] == q["100"],
            )
        )
        ratio = loaded["rps"] / trivial["rps"]
        rows.append(
            Row(
                "3",
                f"{label}: 16 clients, gunicorn -w 2 ({scale:,} submissions); "
                f"p50 {loaded['p50_ms']:.0f} ms, p95 {loaded['p95_ms']:.0f} ms; "
                f"{loaded['rps'] / account['rps']:.2f} of {ACCOUNT} ({account['rps']:.0f} req/s)",
                f"{loaded['rps']:.0f} req/s",
                f"{trivial['rps']:.0f} req/s {TRIVIAL} (p95 {trivial['p95_ms']:.0f} ms)",
                ratio,
                "≥ 0.40",
                ratio >= 0.40,
            )
        )
        if "profile" in m["load"][label]:
            ctx.appendix.append(
                profile.markdown(f"Profile: {label} under load", m["load"][label]["profile"])
            )
        for ms, statement, _ in q["slowest"][:2]:
            ctx.appendix.append(
                f"*{label}, {scale:,}: {ms:.1f} ms* `{' '.join(statement.split())[:400]}`\n"
            )
        for plan in q["plans"]:
            ctx.appendix.append(f"```\n{plan}\n```\n")
    return rows
