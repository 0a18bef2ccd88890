"""Every route of the app and every API operation, called by every kind of user on objects of
unit A. The expected outcome of each cell is the table below, which reads against design.md:
designers and localities see only their unit; reviewers, heads of division and admins see all;
only designers change submissions; only reviewers review; only heads sign; only admins
administer; the verification page and the API documentation are public. A route missing from
the table fails the test.

Each cell (route × method × kind of user) is its own test. The world is built once per stack;
each cell's writes are rolled back after it, so a cell runs alone (`pytest -k`) or in any order.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask import url_for
from limits.storage import MemoryStorage

from registry.auth.models import UserSession
from registry.auth.operations import issue_api_token
from registry.campaigns.models import CalendarDay, Campaign, ChecklistItem, ChecklistVersion, Slogan
from registry.displays.operations import record_on_site
from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.notifications.models import Notification
from registry.ratelimit import limiter
from registry.refdata import load_reference_data
from registry.reviews.operations import add_annotation
from registry.submissions import ingest
from registry.submissions.models import Placement
from registry.submissions.tiles import make_pyramid
from registry.units.models import Unit
from registry.uploads.operations import create_upload
from tests import images
from tests.conftest import post_multipart, rolled_back, wipe_database, wipe_store
from tests.factories import (
    DEPARTMENT,
    PASSWORD,
    SOON,
    UNIT_A,
    UNIT_B,
    advance_to,
    new_submission,
    new_user,
    upload,
)

ROLES = (
    "anonymous",
    "designer_a",
    "designer_b",
    "locality_a",
    "locality_b",
    "reviewer",
    "head",
    "admin",
)
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
UNIT_A_READERS = frozenset({"designer_a", "locality_a", "reviewer", "head", "admin"})
DESIGNERS = frozenset({"designer_a", "designer_b"})
DESIGNER_A = frozenset({"designer_a"})
REVIEWER = frozenset({"reviewer"})
STAFF = frozenset({"reviewer", "admin"})
ALL_UNITS = frozenset({"reviewer", "head", "admin"})  # who works across every unit
HEAD = frozenset({"head"})
ADMIN = frozenset({"admin"})
NOBODY = frozenset()
# Localities of unit A and the Department record what happens on site; localities follow their
# own unit on the dashboard, the Department every unit.
ON_SITE_A = frozenset({"locality_a", "reviewer", "admin"})
FOLLOWERS = frozenset({"locality_a", "locality_b", "reviewer", "head", "admin"})

# endpoint: {method: roles that get through (anything but 401/403/404/redirect to sign-in)}
PAGES = {
    "main.home": {"GET": EVERYONE},
    "main.account": {"GET": SIGNED_IN},
    "main.healthz": {"GET": EVERYONE},
    "ops.readyz": {"GET": EVERYONE},
    # The test client calls from loopback: whoever is signed in, metrics answer there and only
    # there (or with the token); tests/operations/test_observability.py checks the refusals.
    "ops.metrics": {"GET": EVERYONE},
    "auth.sign_in": {"GET": EVERYONE, "POST": EVERYONE},
    "auth.sign_out": {"POST": SIGNED_IN},
    "auth.change_password": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "auth.sign_out_elsewhere": {"POST": SIGNED_IN},
    "auth.choose_language": {"POST": EVERYONE},
    "static": {"GET": EVERYONE},
    "submissions.index": {"GET": SIGNED_IN},
    "submissions.new": {"GET": DESIGNERS, "POST": DESIGNERS},
    "submissions.detail": {"GET": UNIT_A_READERS},
    "submissions.edit": {"GET": DESIGNER_A, "POST": DESIGNER_A},
    "submissions.upload_version": {"POST": DESIGNER_A},
    "submissions.placement_new": {"GET": DESIGNER_A, "POST": DESIGNER_A},
    "submissions.placement_edit": {"GET": DESIGNER_A, "POST": DESIGNER_A},
    "submissions.placement_delete": {"POST": DESIGNER_A},
    "submissions.transition": {"POST": DESIGNER_A},  # action=submit
    # Resumable uploads: only their owner (designer A) reaches them; everyone else gets 404.
    "uploads.create": {"POST": DESIGNER_A},
    "uploads.append": {"PATCH": DESIGNER_A},
    "uploads.terminate": {"DELETE": DESIGNER_A},
    "uploads.complete": {"POST": DESIGNER_A},
    "submissions.renditions_state": {"GET": UNIT_A_READERS},
    # Only a failed preview is made again: the others answer 409 once let through.
    "submissions.retry_renditions": {"POST": DESIGNER_A | ADMIN},
    "files.rendition": {"GET": UNIT_A_READERS},
    "files.original": {"GET": UNIT_A_READERS},
    "files.print_file": {"GET": UNIT_A_READERS},
    "files.tiles_descriptor": {"GET": UNIT_A_READERS},
    "files.tile": {"GET": UNIT_A_READERS},
    "files.presigned": {"GET": NOBODY},  # only a valid signed link opens it
    "textcheck.reading": {"GET": UNIT_A_READERS},
    "reviews.queue": {"GET": ALL_UNITS},
    "reviews.detail": {"GET": ALL_UNITS},
    "reviews.signoff": {"GET": HEAD},
    "reviews.compare": {"GET": UNIT_A_READERS},
    "reviews.answers": {"POST": REVIEWER},
    "reviews.annotate": {"POST": REVIEWER},
    "reviews.resolve": {"POST": frozenset({"designer_a", "reviewer"})},
    "reviews.reply": {"POST": frozenset({"designer_a", "reviewer"})},
    "reviews.csrf_token": {"GET": SIGNED_IN},
    "library.index": {"GET": SIGNED_IN},
    "library.detail": {"GET": UNIT_A_READERS},
    "library.rendition": {"GET": UNIT_A_READERS},
    "library.download": {"GET": UNIT_A_READERS},
    "library.qr": {"GET": UNIT_A_READERS},
    "library.sheet": {"GET": UNIT_A_READERS},
    "library.document": {"GET": UNIT_A_READERS},
    "library.download_zip": {"POST": UNIT_A_READERS},
    "library.revoke": {"POST": STAFF},
    "displays.index": {"GET": SIGNED_IN},
    "displays.detail": {"GET": UNIT_A_READERS},
    "displays.record": {"POST": ON_SITE_A},  # what=installation
    "displays.photo": {"GET": UNIT_A_READERS},
    "displays.map_page": {"GET": SIGNED_IN},
    "displays.map_data": {"GET": SIGNED_IN},
    "displays.notices": {"GET": SIGNED_IN},  # a redirect to notifications.index
    "displays.dashboard": {"GET": FOLLOWERS},
    "displays.coverage_xlsx": {"GET": FOLLOWERS},
    "verify.lookup": {"GET": EVERYONE},
    "notifications.index": {"GET": SIGNED_IN},
    "notifications.read": {"POST": DESIGNER_A},  # designer_a's own notification
    "notifications.read_all": {"POST": SIGNED_IN},
    "notifications.preferences": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "help.index": {"GET": EVERYONE},
    "help.guide": {"GET": EVERYONE},
    "verify.page": {"GET": EVERYONE},
    "verify.thumbnail": {"GET": EVERYONE},
    **{
        f"admin.{name}": {"GET": ADMIN}
        for name in ("users", "audit", "audit_csv", "campaigns", "checklists", "checklist", "units")
    },
    **{
        f"admin.{name}": {"GET": ADMIN, "POST": ADMIN}
        for name in (
            "user_new",
            "user_password",
            "campaign_new",
            "campaign",
            "slogan_edit",
            "checklist_new",
            "checklist_upload",
            "checklist_item_edit",
            "checklist_item_new",
            "unit_new",
            "unit_edit",
            "calendar",
        )
    },
    **{
        f"admin.{name}": {"POST": ADMIN}
        for name in (
            "user_active",
            "user_scripts",
            "campaign_closed",
            "campaign_checklist",
            "slogan_new",
            "slogans_official",
            "slogan_active",
            "unit_active",
            "calendar_delete",
        )
    },
}

API = {
    "api-docs.openapi_json": {"GET": EVERYONE},
    "api_auth.token": {"POST": SIGNED_IN},  # anyone with an account's credentials
    "api_reference.campaigns": {"GET": SIGNED_IN},
    "api_reference.units": {"GET": SIGNED_IN},
    "api_submissions.list_submissions": {"GET": SIGNED_IN},
    "api_submissions.create_submission": {"POST": DESIGNERS},
    "api_submissions.get_submission": {"GET": UNIT_A_READERS},
    "api_submissions.patch_submission": {"PATCH": DESIGNER_A},
    "api_submissions.upload_version": {"POST": DESIGNER_A},
    "api_submissions.add_placement": {"POST": DESIGNER_A},
    "api_submissions.patch_placement": {"PATCH": DESIGNER_A},
    "api_submissions.delete_placement": {"DELETE": DESIGNER_A},
    "api_submissions.transition": {"POST": DESIGNER_A},  # action=submit
    "api_reviews.get_review": {"GET": UNIT_A_READERS},
    "api_reviews.put_answers": {"PUT": REVIEWER},
    "api_reviews.list_annotations": {"GET": UNIT_A_READERS},
    "api_reviews.add_annotation": {"POST": REVIEWER},
    "api_reviews.reply": {"POST": frozenset({"designer_a", "reviewer"})},
    "api_library.list_assets": {"GET": SIGNED_IN},
    "api_library.get_asset": {"GET": UNIT_A_READERS},
    "api_library.download_asset": {"GET": UNIT_A_READERS},
    "api_library.approval_document": {"GET": UNIT_A_READERS},
    "api_library.verify": {"GET": EVERYONE},
    "api_displays.installation": {"POST": ON_SITE_A},
    "api_displays.removal": {"POST": ON_SITE_A},
    "api_displays.inspection": {"POST": ON_SITE_A},
    "api_displays.placements_geojson": {"GET": SIGNED_IN},
    "api_displays.coverage": {"GET": FOLLOWERS},
    "api_notifications.list_notifications": {"GET": SIGNED_IN},
    "api_notifications.mark_read": {"POST": DESIGNER_A},  # designer_a's own notification
}
# Query strings that make a request valid, so that only who asks decides the cell.
QUERIES = {
    "displays.coverage_xlsx": "campaign_id={campaign_id}&from=2026-01-01&to=2026-12-31",
    "api_displays.coverage": "campaign_id={campaign_id}&from=2026-01-01&to=2026-12-31",
}

TABLE = {**PAGES, **API}


def test_every_route_is_in_the_table(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    table = {(endpoint, method) for endpoint, methods in TABLE.items() for method in methods}
    assert routes - table == set(), "routes without an expected outcome"
    assert table - routes == set(), "table rows for routes that no longer exist"


@pytest.fixture(scope="module")
def world(app):
    """Objects of unit A in the states the routes act on, and one user of every kind: built
    once per stack and committed; every cell then runs in a transaction rolled back after it."""
    with app.app_context():
        load_reference_data()
        db.session.commit()
        people = {
            "designer_a": new_user("designer", UNIT_A, "tk.a"),
            "designer_b": new_user("designer", UNIT_B, "tk.b"),
            "locality_a": new_user("locality", UNIT_A, "dp.a"),
            "locality_b": new_user("locality", UNIT_B, "dp.b"),
            "reviewer": new_user("reviewer", DEPARTMENT, "cv"),
            "head": new_user("head", DEPARTMENT, "ldp"),
            "admin": new_user("admin", "SVHTT-VP", "qt"),
        }
        small = images.png_bytes(300, 200)
        approved = new_submission(people["designer_a"], title="Đã duyệt", artwork=small)
        advance_to(approved, "approved", people["designer_a"], people["reviewer"])
        draft = new_submission(people["designer_a"], title="Bản nháp", artwork=None)
        ingest.add_version(
            people["designer_a"],
            draft,
            upload(images.png_bytes(1500, 1000)),
            upload(images.pdf_bytes(), "in.pdf"),
        )
        make_pyramid(draft.versions[0])  # its tiles are served like its preview
        note = add_annotation(people["reviewer"], draft.versions[0], 0.5, 0.5, "Ghi chú")
        staged = create_upload(people["designer_a"], draft, 1000, {"filename": "mau.png"})
        # The approved placement is installed, with a site photo.
        record = record_on_site(
            people["locality_a"],
            approved.placements[0],
            "install",
            [upload(images.jpeg_bytes(120, 90), "hien-truong.jpg")],
        )
        day_off = CalendarDay(day=date(2027, 2, 12), kind="off", note="Nghỉ bù Tết")
        db.session.add(day_off)
        db.session.commit()
        values = {
            "day_id": day_off.id,
            "submission_id": draft.id,
            "placement_id": draft.placements[0].id,
            "version_id": draft.versions[0].id,
            "level": 0,
            "column": 0,
            "row": 0,
            "annotation_id": note.id,
            "user_id": people["designer_a"].id,
            # The approval told its designer.
            "notification_id": db.session.scalar(
                sa.select(Notification.id).where(Notification.user_id == people["designer_a"].id)
            ),
            "code": db.session.scalar(sa.select(ApprovedAsset.code)),
            "token": "khong-hop-le",
            "upload_token": staged.token,
            "rendition": "thumb",
            "kind": "png",
            "filename": "app.css",
            "campaign_id": db.session.scalar(sa.select(Campaign.id)),
            "slogan_id": db.session.scalar(sa.select(Slogan.id)),
            "item_id": db.session.scalar(sa.select(ChecklistItem.id)),
            "unit_id": db.session.scalar(sa.select(Unit.id).where(Unit.code == UNIT_A)),
            "display_id": approved.placements[0].id,
            "photo_id": record.photos[0].id,
            "what": "installation",
            "role": "designer",
        }
        with app.test_request_context():
            tokens = {role: issue_api_token(user) for role, user in people.items()}
        sessions = {
            role: UserSession(user=user, generation=user.session_token)
            for role, user in people.items()
        }
        db.session.add_all(sessions.values())
        db.session.commit()
        world = {
            "sessions": {role: row.token for role, row in sessions.items()},
            "usernames": {role: user.username for role, user in people.items()},
            "api_tokens": tokens,
            "values": values,
            "checklist_id": db.session.scalar(sa.select(ChecklistVersion.id)),
        }
        db.session.remove()
    yield world
    with app.app_context():
        wipe_database()
        wipe_store(app)


@pytest.fixture
def cell(app, world, monkeypatch):
    """One cell of the table: whatever its request writes is rolled back afterwards, so that
    every cell meets the same world, whichever runs first or alone."""
    # Rate-limit counts go through their own connection by design (they outlive a rolled-back
    # request); SQLite would make that connection wait behind the cell's open transaction.
    # Limits are tested in test_rate_limits.py; here they count in memory, per cell.
    storage = MemoryStorage()
    monkeypatch.setattr(limiter, "_storage", storage)
    monkeypatch.setattr(limiter, "_limiter", type(limiter.limiter)(storage))
    with app.app_context(), rolled_back():
        yield world


def _url(app, endpoint: str, world) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {name: world["values"][name] for name in rule.arguments}
    if "displays" in endpoint and "placement_id" in values:
        values["placement_id"] = world["values"]["display_id"]  # an approved placement
    if endpoint.startswith("admin.checklist"):
        values["version_id"] = world["checklist_id"]
    with app.test_request_context():
        url = url_for(endpoint, **values)
    if endpoint in QUERIES:
        url += "?" + QUERIES[endpoint].format(**world["values"])
    return url


def _sign_in(client, session_token: str | None) -> None:
    with client.session_transaction() as session:
        session.clear()
        if session_token is not None:
            session["_user_id"] = session_token
            session["_fresh"] = True


def _denied(response) -> bool:
    """Refused, or sent to sign in first (Flask-Login adds ?next= to that redirect)."""
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and "/login?next=" in response.headers.get("Location", "")


BODIES = {
    "submissions.transition": {"action": "submit"},
    "library.download_zip": {"codes": "{code}"},
    "reviews.reply": {"body": "Trả lời"},
}
# Valid API bodies, so that what decides each cell is who asks, not what they send.
API_BODIES = {
    "api_auth.token": {"username": "khong-co", "password": "x"},
    "api_submissions.transition": {"action": "submit"},
    "api_submissions.create_submission": {
        "campaign_id": 0,
        "title": "Mẫu",
        "format": "pano",
        "width_cm": 300,
        "height_cm": 200,
    },
    "api_submissions.patch_submission": {"title": "Đổi tên"},
    "api_submissions.add_placement": {
        "unit_code": UNIT_A,
        "address": "Số 1",
        "lat": 10.3866,
        "lon": 105.4352,
        "site_type": "main_road",
        "display_from": SOON.isoformat(),
        "display_to": SOON.isoformat(),
    },
    "api_submissions.patch_placement": {"address": "Số 2"},
    "api_reviews.put_answers": [{"item": "CT-01", "result": "pass"}],
    "api_reviews.add_annotation": {"x": 0.1, "y": 0.1, "body": "Ghi chú"},
    "api_reviews.reply": {"body": "Trả lời"},
}


def _cells(table):
    return [
        pytest.param(endpoint, method, role, id=f"{endpoint}-{method}-{role}")
        for endpoint, methods in table.items()
        for method in methods
        for role in ROLES
    ]


@pytest.mark.parametrize("endpoint, method, role", _cells(PAGES))
def test_page_outcome(app, cell, endpoint, method, role):
    url = _url(app, endpoint, cell)
    client = app.test_client()
    _sign_in(client, cell["sessions"].get(role))
    data, headers = {}, {}
    if method != "GET":
        # The account page carries a token; so does the sign-in page anonymous users land on.
        page = client.get("/account", follow_redirects=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
        body = {k: str(v).format(**cell["values"]) for k, v in BODIES.get(endpoint, {}).items()}
        if method == "POST":
            data = {"csrf_token": token.group(1), **body}
        else:  # scripts send the token in a header (the resumable uploads' PATCH and DELETE)
            headers = {"X-CSRFToken": token.group(1)}
    response = client.open(url, method=method, data=data, headers=headers)
    assert _denied(response) == (role not in TABLE[endpoint][method]), (
        f"{role} {method} {url}: {response.status_code} {response.headers.get('Location')}"
    )
    assert response.status_code < 500, f"{role} {method} {url}: {response.status_code}"


@pytest.mark.parametrize("endpoint, method, role", _cells(API))
def test_api_outcome(app, cell, endpoint, method, role):
    url = _url(app, endpoint, cell)
    token = cell["api_tokens"].get(role)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    client = app.test_client()
    if endpoint.startswith("api_displays.") and method == "POST":
        fields = {"photo": (io.BytesIO(images.jpeg_bytes(60, 40)), "a.jpg"), "condition": "good"}
        if not endpoint.endswith("inspection"):
            fields.pop("condition")
        response = post_multipart(client, url, fields, headers=headers)
    elif endpoint == "api_submissions.upload_version":
        data = io.BytesIO(images.png_bytes(60, 40))
        response = post_multipart(client, url, {"file": (data, "a.png")}, headers=headers)
    else:
        body = API_BODIES.get(endpoint)
        if endpoint == "api_auth.token" and token:
            body = {"username": cell["usernames"][role], "password": PASSWORD}
        if isinstance(body, dict) and "campaign_id" in body:
            body = {**body, "campaign_id": cell["values"]["campaign_id"]}
        response = client.open(
            url, method=method, headers=headers, json=body if method != "GET" else None
        )
    assert _denied(response) == (role not in TABLE[endpoint][method]), (
        f"{role} {method} {url}: {response.status_code} {response.get_data(as_text=True)[:200]}"
    )
    assert response.status_code < 500, f"{role} {method} {url}: {response.status_code}"


def test_security_headers_on_every_page_a_user_reaches(app, cell):
    client = app.test_client()
    _sign_in(client, cell["sessions"]["admin"])
    for endpoint, methods in PAGES.items():
        if "GET" not in methods or endpoint == "static":
            continue
        response = client.get(_url(app, endpoint, cell))
        csp = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, endpoint
        assert response.headers["X-Content-Type-Options"] == "nosniff", endpoint
        assert response.headers["Referrer-Policy"], endpoint


def test_what_one_cell_writes_is_gone_before_the_next(app, world):
    placement_id = world["values"]["placement_id"]
    url = _url(app, "api_submissions.delete_placement", world)
    headers = {"Authorization": f"Bearer {world['api_tokens']['designer_a']}"}
    with app.app_context():
        with rolled_back():
            assert app.test_client().delete(url, headers=headers).status_code == 204
            assert db.session.get(Placement, placement_id) is None
        with rolled_back():
            assert db.session.get(Placement, placement_id) is not None
