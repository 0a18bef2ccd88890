"""An admin who reads English gets the admin pages, their messages, the audit log and its CSV
export in English; the audit log follows whoever reads it, not whoever acted."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from markupsafe import escape

from registry.campaigns.models import Campaign, ChecklistVersion
from registry.extensions import db
from tests.admin.helpers import signed_in_client, text
from tests.factories import UNIT_A, new_user, unit


@pytest.fixture
def english_admin(admin):
    """The signed-in admin, who has chosen English."""
    admin.language = "en"
    db.session.commit()
    return admin


def _first(model):
    return db.session.scalar(sa.select(model).order_by(model.id).limit(1))


@pytest.mark.parametrize(
    ("page", "english", "vietnamese"),
    [
        ("/admin/users", ["New account", "Reset password", "All roles"], ["Tạo tài khoản"]),
        ("/admin/users/new", ["Repeat password", "Username"], ["Nhập lại mật khẩu"]),
        ("/admin/units", ["Add a Department unit", "Special zone"], ["Thêm đơn vị thuộc Sở"]),
        ("/admin/campaigns", ["New campaign", "Active slogans"], ["Tạo đợt tuyên truyền"]),
        ("/admin/campaigns/new", ["Campaign code", "One step: the reviewer decides"], ["Mã đợt"]),
        ("/admin/checklists", ["Copy to a new version", "Reviews"], ["Sao chép thành"]),
        ("/admin/checklists/new", ["New version name"], ["Tên phiên bản mới"]),
        ("/admin/checklists/upload", ["New version from a Markdown file"], ["Tạo phiên bản"]),
        ("/admin/calendar", ["Working calendar", "National Day"], ["Quốc khánh", "Thêm ngày"]),
        ("/admin/audit", ["Download CSV", "All kinds of event"], ["Tải về CSV"]),
    ],
)
def test_an_admin_who_reads_english_gets_the_admin_pages_in_english(
    client, english_admin, page, english, vietnamese
):
    response = client.get(page)
    html = text(response)
    assert response.status_code == 200 and 'lang="en"' in html
    assert all(words in html for words in english), [w for w in english if w not in html]
    assert not any(words in html for words in vietnamese)


def test_a_campaign_and_its_checklist_read_in_english(client, english_admin):
    campaign, version = _first(Campaign), _first(ChecklistVersion)
    page = text(client.get(f"/admin/campaigns/{campaign.id}"))
    assert f"Campaign {campaign.code}" in page and "Slogan list" in page
    assert 'data-label="Slogan"' in page and "Danh mục khẩu hiệu" not in page
    checklist = text(client.get(f"/admin/checklists/{version.id}"))
    assert "CT — Political orientation" in checklist and "Legal basis" in checklist
    # The criteria themselves are the shipped legal checklist: reference data, kept as written.
    assert str(escape(version.items[0].text)) in checklist


def test_an_audit_sentence_reads_in_english_with_the_names_filled_in(
    client, english_admin, make_user, make_submission, advance
):
    designer = make_user("designer", UNIT_A)
    reviewer = make_user("reviewer", "SVHTT-QLVH")
    reviewer.full_name = "Nguyễn Văn A"
    submission = make_submission(designer, title="Pano Lý Thái Tổ")
    advance(submission, "approved", designer, reviewer)
    html = text(client.get("/admin/audit"))
    assert "Reviewer Nguyễn Văn A approved submission “Pano Lý Thái Tổ”" in html
    assert (
        "Reviewer Nguyễn Văn A concluded the review by approving submission “Pano Lý Thái Tổ” "
        "(version v1)"
    ) in html
    assert f"Designer {designer.display_name} created submission “Pano Lý Thái Tổ”" in html
    log = html.split('<ol class="audit-log">', 1)[1]
    assert "đã duyệt" not in log and "%(" not in log and "…" not in log
    # The filter lists the kinds of event in English too.
    assert '<option value="submission.approve">approved submission</option>' in html


def test_a_calendar_day_added_in_english_reads_in_each_readers_language(
    app, client, english_admin, post
):
    response = post(
        "/admin/calendar", {"day": "2027-03-10", "kind": "off", "note": ""}, page="/admin/calendar"
    )
    assert response.status_code == 303
    flashed = text(client.get("/admin/calendar"))
    assert "Added an extra day off on 10 Mar 2027." in flashed
    english = text(client.get("/admin/audit?kind=calendar"))
    assert "added 10 Mar 2027 to the province&#39;s working calendar (extra day off)" in english
    # Stored as the English admin saw it; a Vietnamese reader still reads Vietnamese.
    other = signed_in_client(app, _vietnamese_admin())
    vietnamese = text(other.get("/admin/audit?kind=calendar"))
    assert "đã thêm vào lịch làm việc của tỉnh ngày 10/03/2027 (ngày nghỉ thêm)" in vietnamese


def _vietnamese_admin():
    user = new_user("admin", "SVHTT-VP", "quantri.vi")
    db.session.commit()
    return user


def test_a_form_error_and_a_refusal_read_in_english(client, english_admin, post):
    response = post(
        "/admin/users/new",
        {"username": "có dấu", "role": "locality", "unit": UNIT_A, "password": "x", "confirm": "y"},
        page="/admin/users/new",
    )
    html = text(response)
    assert response.status_code == 400
    assert "A username may contain only unaccented letters, digits, dots and hyphens." in html
    assert "The two passwords do not match." in html and "chỉ gồm chữ không dấu" not in html
    taken = post("/admin/units/new", {"code": "SVHTT-QLVH", "name": "New division"})
    assert taken.status_code == 409
    assert "Unit code “SVHTT-QLVH” is already taken." in text(taken)


def test_a_flash_message_reads_in_english(client, english_admin, post):
    ward = unit(UNIT_A)
    response = post(f"/admin/units/{ward.id}/active", {"active": "0"}, follow_redirects=True)
    html = text(response)
    assert f"Unit {ward.name} deactivated; its accounts are unchanged." in html
    assert "Đã ngưng dùng" not in html and "Inactive" in html and "Reactivate" in html


def test_the_audit_csv_is_written_in_the_exporters_language(
    app, client, english_admin, make_user, make_submission
):
    designer = make_user("designer", UNIT_A)
    make_submission(designer, title="Pano Mừng Xuân")
    response = client.get(f"/admin/audit.csv?user={designer.id}")
    assert response.status_code == 200
    assert "audit-log-" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(text(response).removeprefix("\ufeff"))))
    assert rows[0] == [
        "Time",
        "Done by",
        "Username",
        "Unit concerned",
        "Event",
        "Changes",
        "Note",
        "Event code",
        "IP address",
    ]
    assert f"Designer {designer.display_name} created submission “Pano Mừng Xuân”" in [
        row[4] for row in rows[1:]
    ]
    # The same log exported by an admin who reads Vietnamese.
    other = signed_in_client(app, _vietnamese_admin())
    vietnamese = other.get(f"/admin/audit.csv?user={designer.id}")
    assert "nhat-ky-" in vietnamese.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(text(vietnamese).removeprefix("\ufeff"))))
    assert rows[0][:2] == ["Thời điểm", "Người thực hiện"]
    assert f"Cán bộ thiết kế {designer.display_name} đã tạo hồ sơ “Pano Mừng Xuân”" in [
        row[4] for row in rows[1:]
    ]
