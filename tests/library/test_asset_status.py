"""An approved asset has four states, computed from its dates and revocation by one rule:
upcoming (approved, display period not begun), valid, expired, revoked. The verification page
and API, the library list, filters and pages, and the printed sheet all say the same."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from registry.clock import local_today as today
from registry.db import utcnow
from registry.extensions import db
from registry.library.models import ASSET_STATUSES, ApprovedAsset
from registry.workflow import apply_transition
from tests.factories import SOON

UPCOMING_LABEL = "Đã duyệt, chưa đến thời gian treo"


@pytest.fixture
def upcoming(approve):
    """Approved today for a display period that starts next week."""
    return approve(title="Pano treo tuần sau", display_from=SOON)


def test_the_four_states_and_their_labels():
    assert ASSET_STATUSES == {
        "upcoming": UPCOMING_LABEL,
        "valid": "Còn hiệu lực",
        "expired": "Hết hiệu lực",
        "revoked": "Đã thu hồi",
    }


def test_the_sql_filter_and_the_python_state_agree_on_every_case(approve):
    """The state rule is written once for rows in memory and once for the database: they must
    pick the same state for every combination of dates and revocation, days at the edges."""
    asset = approve()
    day = today()
    edges = [day - timedelta(days=1), day, day + timedelta(days=1)]
    cases = 0
    for valid_from, valid_to, revoked in itertools.product(edges, [None, *edges], [False, True]):
        if valid_to is not None and valid_to < valid_from:
            continue
        asset.valid_from, asset.valid_to = valid_from, valid_to
        asset.revoked_at = utcnow() if revoked else None
        db.session.commit()
        expected = asset.status_on(day)
        matched = [
            status
            for status in ASSET_STATUSES
            if db.session.scalar(
                sa.select(ApprovedAsset.id).where(
                    ApprovedAsset.id == asset.id, ApprovedAsset.has_status(status, day)
                )
            )
        ]
        assert matched == [expected], (valid_from, valid_to, revoked)
        cases += 1
    assert cases == 2 * (3 + 3 + 2 + 1)


@pytest.mark.parametrize("dialect", [postgresql.dialect(), sqlite.dialect()], ids=["pg", "sqlite"])
@pytest.mark.parametrize("status", list(ASSET_STATUSES))
def test_each_state_filter_compares_bare_columns_so_indexes_serve_it(status, dialect):
    clause = ApprovedAsset.has_status(status, today())
    sql = str(clause.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    assert not re.search(r"\b(CASE|coalesce|date|julianday|strftime)\b", sql, re.I), sql
    for comparison in re.findall(r"approved_assets\.\w+ (?:[<>]=?|IS(?: NOT)?) ", sql):
        assert comparison.split(".")[1].split()[0] in {"valid_from", "valid_to", "revoked_at"}
    assert re.search(r"approved_assets\.(valid_from|valid_to|revoked_at)", sql), sql


def test_public_verification_of_an_upcoming_asset_says_so(client, upcoming):
    html = client.get(f"/verify/{upcoming.code}").get_data(as_text=True)
    assert UPCOMING_LABEL in html and "verdict-upcoming" in html
    assert f"Được treo/dựng từ ngày {SOON:%d/%m/%Y}" in html
    assert "Còn hiệu lực" not in html
    body = client.get(f"/api/v1/verify/{upcoming.code}").json
    assert (body["status"], body["status_label"]) == ("upcoming", UPCOMING_LABEL)


def test_upcoming_becomes_valid_on_its_first_day_then_expired_after_its_last(client, upcoming):
    upcoming.valid_from = today()
    db.session.commit()
    body = client.get(f"/api/v1/verify/{upcoming.code}").json
    assert (body["status"], body["status_label"]) == ("valid", "Còn hiệu lực")
    upcoming.valid_from = upcoming.valid_to = today() - timedelta(days=1)
    db.session.commit()
    assert client.get(f"/api/v1/verify/{upcoming.code}").json["status"] == "expired"


def test_revoking_an_upcoming_asset_shows_revoked(client, people, upcoming):
    apply_transition(people["reviewer"], upcoming.submission, "revoke", comment="Sai nội dung.")
    db.session.commit()
    assert client.get(f"/api/v1/verify/{upcoming.code}").json["status"] == "revoked"


def test_library_lists_filters_and_shows_an_upcoming_asset(client, login, people, approve):
    current = approve(title="Pano đang treo")
    later = approve(title="Pano treo tuần sau", display_from=SOON)
    login(people["locality_a"])
    listing = client.get("/library/").get_data(as_text=True)
    assert UPCOMING_LABEL in listing and "Còn hiệu lực" in listing
    assert f'<option value="upcoming" >{UPCOMING_LABEL}</option>' in listing
    filtered = client.get("/library/?status=upcoming").get_data(as_text=True)
    assert later.code in filtered and current.code not in filtered
    filtered = client.get("/library/?status=valid").get_data(as_text=True)
    assert current.code in filtered and later.code not in filtered
    detail = client.get(f"/library/{later.code}").get_data(as_text=True)
    assert UPCOMING_LABEL in detail and f"được treo/dựng từ ngày {SOON:%d/%m/%Y}" in detail
    # Approved already, so the locality may download it to print before the period starts.
    assert f"/library/{later.code}/download" in detail
    assert client.get(f"/library/{later.code}/download").status_code == 302
    sheet = client.get(f"/library/{later.code}/sheet").get_data(as_text=True)
    assert f"Đã duyệt, chưa đến thời gian treo — được treo/dựng từ ngày {SOON:%d/%m/%Y}" in sheet


def test_api_lists_and_filters_upcoming_assets(client, token_for, people, approve):
    current = approve()
    later = approve(display_from=SOON)
    headers = token_for(people["locality_a"])
    listed = {a["code"]: a["status"] for a in client.get("/api/v1/assets", headers=headers).json}
    assert listed == {current.code: "valid", later.code: "upcoming"}
    upcoming = client.get("/api/v1/assets?status=upcoming", headers=headers).json
    assert [a["code"] for a in upcoming] == [later.code]
    assert client.get(f"/api/v1/assets/{later.code}", headers=headers).json["status"] == "upcoming"
    download = client.get(f"/api/v1/assets/{later.code}/download", headers=headers)
    assert download.status_code == 302
