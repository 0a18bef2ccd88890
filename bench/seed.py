"""Fill a migrated registry database fast with COPY: users, submissions, versions, audit events.

    .venv/bin/python -m bench.seed postgresql+psycopg://… 100000

Per submission: 3 artwork versions and 10 audit events; about half are approved, each with its
review and ApprovedAsset row. Objects are not written to the store: list pages read only rows
(the library's thumbnails are separate <img> requests, not part of the page's time).
"""

from __future__ import annotations

import io
import random
import sys
import time
from datetime import UTC, datetime, timedelta

import psycopg
from werkzeug.security import generate_password_hash

from bench.common import PASSWORD

# status: share of submissions (approved and revoked ones get an ApprovedAsset)
STATUSES = {
    "draft": 0.12,
    "submitted": 0.05,
    "in_review": 0.02,
    "changes_requested": 0.08,
    "approved": 0.55,
    "rejected": 0.08,
    "withdrawn": 0.06,
    "revoked": 0.04,
}
FORMATS = ("pano", "phuon", "bang_ron", "other")
ACTIONS = (
    "submission.created",
    "version.uploaded",
    "placement.added",
    "submission.submit",
    "submission.claim",
    "review.started",
    "review.answered",
    "submission.approve",
)
START = datetime(2024, 1, 1, tzinfo=UTC)


def connect(url: str) -> psycopg.Connection:
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))


def _ts(moment: datetime) -> str:
    return moment.isoformat()


def copy_rows(conn: psycopg.Connection, table: str, columns: str, rows) -> int:
    """COPY tab-separated rows (tuples; None is NULL) into table, 8 MiB at a time."""
    count, buf = 0, io.StringIO()
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            buf.write("\t".join(r"\N" if v is None else str(v) for v in row) + "\n")
            count += 1
            if buf.tell() > 8 << 20:
                copy.write(buf.getvalue())
                buf = io.StringIO()
        copy.write(buf.getvalue())
    return count


def people(conn: psycopg.Connection) -> dict:
    """Create bench users (one designer and one locality per unit, reviewers, an admin)."""
    units = conn.execute("SELECT id, code, kind FROM units ORDER BY id").fetchall()
    digest = generate_password_hash(PASSWORD, method="scrypt")
    now = _ts(datetime.now(UTC))
    rows = [
        ("b-admin", "admin", _unit(units, "SVHTT-VP")),
        *[(f"b-reviewer{i}", "reviewer", _unit(units, "SVHTT-QLVH")) for i in range(1, 4)],
    ]
    for unit_id, code, _kind in units:
        rows += [
            (f"b-designer-{code}", "designer", unit_id),
            (f"b-locality-{code}", "locality", unit_id),
        ]
    copy_rows(
        conn,
        "users",
        "username, full_name, password_hash, role, unit_id, is_active, session_token, created_at",
        ((name, name, digest, role, unit, "t", f"bench-{name}", now) for name, role, unit in rows),
    )
    users = dict(conn.execute("SELECT username, id FROM users WHERE username LIKE 'b-%'"))
    # One signed-in browser per user, its token the one bench/lists.py puts in the cookie.
    copy_rows(
        conn,
        "user_sessions",
        "user_id, token, generation, created_at, remote_addr, user_agent",
        ((users[name], f"bench-{name}", f"bench-{name}", now, "", "") for name, _, _ in rows),
    )
    conn.commit()
    return {"units": units, "users": users}


def _unit(units, code: str) -> int:
    return next(u[0] for u in units if u[1] == code)


def draft_submissions(conn: psycopg.Connection, username: str, count: int) -> list[int]:
    """Create count empty draft submissions of the user's unit; return their ids."""
    user_id, unit_id = conn.execute(
        "SELECT id, unit_id FROM users WHERE username = %s", (username,)
    ).fetchone()
    campaign = conn.execute("SELECT min(id) FROM campaigns").fetchone()[0]
    now = datetime.now(UTC)
    ids = []
    for i in range(count):
        ids.append(
            conn.execute(
                "INSERT INTO submissions (unit_id, campaign_id, created_by_id, title, format, "
                "scope, "
                "width_cm, height_cm, other_text, description, status, lock_version, created_at, "
                "updated_at) VALUES (%s, %s, %s, %s, 'pano', 'unit', 400, 400, '', '', 'draft', 1, "
                "%s, %s) RETURNING id",
                (unit_id, campaign, user_id, f"Bench {i}", now, now),
            ).fetchone()[0]
        )
    conn.commit()
    return ids


def scale(conn: psycopg.Connection, n: int, seed: int = 7) -> dict[str, int]:
    """Add n submissions, 3n versions, 10n audit events and the approvals; return row counts."""
    rnd = random.Random(seed)
    made = people(conn)
    units, users = made["units"], made["users"]
    communes = [u for u in units if u[2] != "department"]
    departments = [u for u in units if u[2] == "department"]
    reviewers = [users[f"b-reviewer{i}"] for i in range(1, 4)]
    campaigns = [r[0] for r in conn.execute("SELECT id FROM campaigns")]
    checklist = conn.execute("SELECT min(id) FROM checklist_versions").fetchone()[0]
    # Foreign keys are checked by construction here; skipping their triggers makes COPY fast.
    conn.execute("SET session_replication_role = replica")
    subs = []
    statuses, weights = list(STATUSES), list(STATUSES.values())
    for i in range(1, n + 1):
        unit = rnd.choice(departments) if rnd.random() < 0.05 else rnd.choice(communes)
        created = START + timedelta(seconds=rnd.randrange(730 * 86400))
        status = rnd.choices(statuses, weights)[0]
        subs.append((i, unit, created, status, rnd.choice(campaigns)))
    counts = {
        "submissions": copy_rows(
            conn,
            "submissions",
            (
                "id, unit_id, campaign_id, created_by_id, assignee_id, title, format, scope, "
                "width_cm, "
                "height_cm, other_text, description, status, lock_version, created_at, updated_at, "
                "submitted_at, decided_at"
            ),
            (
                (
                    i,
                    unit[0],
                    campaign,
                    users[f"b-designer-{unit[1]}"],
                    rnd.choice(reviewers)
                    if status not in ("draft", "submitted", "withdrawn")
                    else None,
                    f"Mẫu cổ động số {i} của đơn vị {unit[1]}",
                    FORMATS[i % 4],
                    "province" if unit[2] == "department" else "unit",
                    400,
                    200,
                    "",
                    "",
                    status,
                    1,
                    _ts(created),
                    _ts(created + timedelta(days=3)),
                    None if status == "draft" else _ts(created + timedelta(days=1)),
                    _ts(created + timedelta(days=3))
                    if status in ("approved", "rejected", "revoked", "changes_requested")
                    else None,
                )
                for i, unit, created, status, campaign in subs
            ),
        )
    }
    counts["artwork_versions"] = copy_rows(
        conn,
        "artwork_versions",
        (
            "id, submission_id, number, uploaded_by_id, created_at, storage_key, sha256, "
            "size_bytes, "
            "content_type, original_name, image_format, width_px, height_px, color_mode, "
            "bit_depth, "
            "has_icc_profile, dpi_x, dpi_y, preview_key, thumb_key"
        ),
        (
            (
                3 * (i - 1) + v,
                i,
                v,
                users[f"b-designer-{unit[1]}"],
                _ts(created),
                f"uploads/{i}/v{v}/{3 * i + v:064x}.png",
                f"{3 * i + v:064x}",
                25_000_000,
                "image/png",
                f"mau-{i}-v{v}.png",
                "PNG",
                8000,
                4000,
                "RGB",
                8,
                "f",
                150,
                150,
                f"previews/{3 * i + v:064x}.webp",
                f"thumbs/{3 * i + v:064x}.webp",
            )
            for i, unit, created, _s, _c in subs
            for v in (1, 2, 3)
        ),
    )
    approved = [s for s in subs if s[3] in ("approved", "revoked")]
    counts["reviews"] = copy_rows(
        conn,
        "reviews",
        (
            "id, submission_id, version_id, reviewer_id, checklist_version_id, decision, comment, "
            "started_at, decided_at"
        ),
        (
            (
                k,
                i,
                3 * i,
                reviewers[k % 3],
                checklist,
                "approve",
                "",
                _ts(created),
                _ts(created + timedelta(days=3)),
            )
            for k, (i, _u, created, _s, _c) in enumerate(approved, 1)
        ),
    )
    counts["approved_assets"] = copy_rows(
        conn,
        "approved_assets",
        (
            "id, code, submission_id, version_id, review_id, campaign_id, unit_id, scope, "
            "storage_key, sha256, size_bytes, content_type, valid_from, valid_to, approved_at, "
            "approved_by_id, revoked_at, revoked_by_id, revoke_reason"
        ),
        (
            (
                k,
                f"AG-B{i:07d}",
                i,
                3 * i,
                k,
                campaign,
                unit[0],
                "province" if unit[2] == "department" else "unit",
                f"{campaign}/{unit[1]}/AG-B{i:07d}.png",
                f"{3 * i + 3:064x}",
                25_000_000,
                "image/png",
                (created + timedelta(days=3)).date(),
                (created + timedelta(days=400)).date() if k % 3 else None,
                _ts(created + timedelta(days=3)),
                reviewers[k % 3],
                _ts(created + timedelta(days=30)) if status == "revoked" else None,
                reviewers[k % 3] if status == "revoked" else None,
                "",
            )
            for k, (i, unit, created, status, campaign) in enumerate(approved, 1)
        ),
    )
    counts["audit_events"] = copy_rows(
        conn,
        "audit_events",
        (
            "id, created_at, actor_id, action, object_type, object_id, submission_id, unit_id, "
            "data, "
            "remote_addr"
        ),
        (
            (
                10 * (i - 1) + e + 1,
                _ts(created + timedelta(hours=e)),
                users[f"b-designer-{unit[1]}"],
                ACTIONS[e % len(ACTIONS)],
                "Submission",
                i,
                i,
                unit[0],
                '{"bench": true}',
                "127.0.0.1",
            )
            for i, unit, created, _s, _c in subs
            for e in range(10)
        ),
    )
    conn.execute("SET session_replication_role = DEFAULT")
    for table in counts:
        conn.execute(  # table names are this module's constants
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
        )
    conn.commit()
    conn.autocommit = True
    conn.execute("VACUUM ANALYZE")
    conn.autocommit = False
    return counts


if __name__ == "__main__":
    url, size = sys.argv[1], int(sys.argv[2])
    started = time.perf_counter()
    with connect(url) as connection:
        print(scale(connection, size), f"{time.perf_counter() - started:.1f} s")
