"""Admin pages for campaigns: list, create, edit (title, legal basis, dates), close and reopen."""

from datetime import date

import pytest
import sqlalchemy as sa

from registry.campaigns.models import Campaign, ChecklistVersion
from registry.extensions import db
from tests.admin.helpers import events, text
from tests.factories import campaign

NEW = {
    "code": "bau-cu-2026",
    "title": "Tuyên truyền  bầu cử đại biểu Quốc hội khóa XVI",
    "legal_basis": "Hướng dẫn 27-HD/BTGDVTW ngày 11/9/2025",
    "description": "Pano, băng rôn tại trung tâm hành chính.",
    "starts_on": "2026-02-01",
    "ends_on": "2026-03-31",
}


def _edit_data(c: Campaign, **changes) -> dict:
    data = {
        "title": c.title,
        "legal_basis": c.legal_basis,
        "description": c.description,
        "starts_on": c.starts_on.isoformat(),
        "ends_on": c.ends_on.isoformat() if c.ends_on else "",
    }
    return {**data, **changes}


def _seed_version() -> ChecklistVersion:
    return campaign().checklist_version


def test_campaign_list_shows_the_seed_campaign(client, admin):
    html = text(client.get("/admin/campaigns"))
    assert "KL288-2026" in html and "Dự thảo bộ tiêu chí 2026" in html and "Đang mở" in html
    assert 'href="/admin/campaigns"' in text(client.get("/account"))  # the admin's menu


def test_admin_creates_a_campaign_with_an_existing_checklist_version(client, admin, post):
    version = _seed_version()
    response = post(
        "/admin/campaigns/new",
        {**NEW, "checklist_version_id": str(version.id)},
        page="/admin/campaigns/new",
    )
    assert response.status_code == 303
    created = db.session.scalar(sa.select(Campaign).where(Campaign.code == "BAU-CU-2026"))
    assert created.title == "Tuyên truyền bầu cử đại biểu Quốc hội khóa XVI"
    assert (created.starts_on, created.ends_on) == (date(2026, 2, 1), date(2026, 3, 31))
    assert created.checklist_version_id == version.id and not created.is_closed
    assert response.headers["Location"].endswith(f"/admin/campaigns/{created.id}")
    [event] = events("campaign.created")
    assert event.object_id == created.id and event.actor_id == admin.id
    assert event.data["checklist_version"] == version.label


def test_creating_a_campaign_with_a_used_code_is_refused(client, admin, post):
    response = post(
        "/admin/campaigns/new",
        {**NEW, "code": "kl288-2026", "checklist_version_id": str(_seed_version().id)},
    )
    assert response.status_code == 409
    assert "Mã đợt “KL288-2026” đã được dùng" in text(response)
    assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 1


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "status", "message"),
    [
        ("2026-03-01", "2026-02-01", 422, "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu"),
        ("2026-13-01", "", 400, "Ngày không hợp lệ"),
        ("", "", 400, "Vui lòng chọn ngày bắt đầu."),
    ],
)
def test_creating_a_campaign_with_bad_dates_is_refused(
    client, admin, post, starts_on, ends_on, status, message
):
    data = {**NEW, "starts_on": starts_on, "ends_on": ends_on}
    response = post(
        "/admin/campaigns/new", {**data, "checklist_version_id": str(_seed_version().id)}
    )
    assert response.status_code == status
    assert message in text(response)
    assert not db.session.scalar(sa.select(Campaign).where(Campaign.code == "BAU-CU-2026"))


def test_admin_corrects_the_conclusion_number_and_the_audit_log_keeps_both(client, admin, post):
    """Public reports number the conclusion 228-KL/TW; the plan says 288."""
    c = campaign()
    old_title, old_basis = c.title, c.legal_basis
    new_title = old_title.replace("288-KL/TW", "228-KL/TW")
    new_basis = old_basis.replace("288-KL/TW", "228-KL/TW")
    assert new_title != old_title and new_basis != old_basis
    response = post(
        f"/admin/campaigns/{c.id}", _edit_data(c, title=new_title, legal_basis=new_basis)
    )
    assert response.status_code == 303
    db.session.expire_all()
    c = campaign()
    assert (c.title, c.legal_basis) == (new_title, new_basis)
    [event] = events("campaign.updated")
    assert event.actor_id == admin.id and event.object_type == "Campaign"
    assert event.object_id == c.id
    assert event.data["changes"] == {
        "title": [old_title, new_title],
        "legal_basis": [old_basis, new_basis],
    }
    assert "campaign.updated" in text(client.get("/admin/audit?action=campaign."))


def test_saving_an_unchanged_campaign_writes_no_event(client, admin, post):
    c = campaign()
    response = post(f"/admin/campaigns/{c.id}", _edit_data(c), follow_redirects=True)
    assert "Không có thay đổi nào." in text(response)
    assert events("campaign.updated") == []


def test_admin_sets_and_clears_the_end_date(client, admin, post):
    c = campaign()
    post(f"/admin/campaigns/{c.id}", _edit_data(c, ends_on="2026-12-31"))
    db.session.expire_all()
    assert campaign().ends_on == date(2026, 12, 31)
    post(f"/admin/campaigns/{c.id}", _edit_data(c, ends_on=""))
    db.session.expire_all()
    assert campaign().ends_on is None
    changes = [e.data["changes"]["ends_on"] for e in events("campaign.updated")]
    assert changes == [[None, "2026-12-31"], ["2026-12-31", None]]


def test_editing_a_campaign_with_an_end_before_its_start_is_refused(client, admin, post):
    c = campaign()
    response = post(f"/admin/campaigns/{c.id}", _edit_data(c, ends_on="2025-12-31"))
    assert response.status_code == 422
    html = text(response)
    assert "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu (01/01/2026)" in html
    assert 'value="2025-12-31"' in html  # the admin's input is kept on the form
    db.session.expire_all()
    assert campaign().ends_on is None and events("campaign.updated") == []


def test_editing_a_campaign_without_a_title_is_refused(client, admin, post):
    c = campaign()
    response = post(f"/admin/campaigns/{c.id}", _edit_data(c, title="   "))
    assert response.status_code == 400
    assert "Vui lòng nhập tên đợt tuyên truyền." in text(response)


def test_admin_closes_and_reopens_a_campaign(client, admin, post):
    c = campaign()
    response = post(f"/admin/campaigns/{c.id}/closed", {"closed": "1"})
    assert response.status_code == 303
    db.session.expire_all()
    assert campaign().is_closed
    assert "Đã đóng" in text(client.get("/admin/campaigns"))
    post(f"/admin/campaigns/{c.id}/closed", {"closed": "0"})
    db.session.expire_all()
    assert not campaign().is_closed
    assert [e.data["changes"] for e in events("campaign.closed") + events("campaign.reopened")] == [
        {"is_closed": [False, True]},
        {"is_closed": [True, False]},
    ]


def test_a_button_with_a_forged_value_is_a_bad_request(client, admin, post):
    response = post(f"/admin/campaigns/{campaign().id}/closed", {"closed": "có"})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in text(response)


def test_an_unknown_campaign_is_not_found(client, admin):
    response = client.get("/admin/campaigns/999999")
    assert response.status_code == 404 and "Không tìm thấy" in text(response)


def _statements(client, url: str) -> list[str]:
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_list_filters_read_the_campaigns_once_and_show_an_admins_change_at_once(
    client, admin, post
):
    # The campaigns of a filter are kept by the process (bench/lists.py: a round trip on
    # every list page), but a change the admin commits shows on the next page.
    reads = [s for s in _statements(client, "/reviews/") if "FROM campaigns" in s]
    assert reads  # the first view loads them
    again = [s for s in _statements(client, "/reviews/") if "FROM campaigns" in s]
    assert again == []
    c = campaign()
    old_title = c.title
    post(f"/admin/campaigns/{c.id}", _edit_data(c, title="Đợt đã đổi tên"))
    html = text(client.get("/reviews/"))
    assert "Đợt đã đổi tên" in html and old_title not in html
    response = post(
        "/admin/campaigns/new", {**NEW, "checklist_version_id": str(_seed_version().id)}
    )
    assert response.status_code == 303
    assert "Tuyên truyền bầu cử đại biểu Quốc hội khóa XVI" in text(client.get("/library/"))
