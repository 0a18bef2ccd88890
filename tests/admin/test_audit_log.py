"""The audit log reads as Vietnamese sentences with names, shows changes as before → after,
filters by user, unit, kind and day, and exports the filtered log as CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import sqlalchemy as sa

from registry.audit import AuditEvent
from registry.campaigns.models import Campaign
from registry.campaigns.operations import update_campaign
from registry.db import utcnow
from registry.extensions import db
from tests.factories import UNIT_A, UNIT_B


def _reviewer(make_user):
    user = make_user("reviewer", "SVHTT-QLVH")
    user.full_name = "Nguyễn Văn A"
    db.session.commit()
    return user


def test_a_decision_reads_as_a_sentence_with_names_and_version(
    client, admin, make_user, make_submission, advance
):
    designer = make_user("designer", UNIT_A)
    reviewer = _reviewer(make_user)
    submission = make_submission(designer, title="Pano Lý Thái Tổ")
    advance(submission, "approved", designer, reviewer)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Chuyên viên Nguyễn Văn A đã duyệt hồ sơ “Pano Lý Thái Tổ”" in html
    assert "đã kết luận duyệt hồ sơ “Pano Lý Thái Tổ” (phiên bản v1)" in html
    assert "Trạng thái:</span> <del>Đang thẩm định</del> → <ins>Đã duyệt</ins>" in html
    log = html.split('<ol class="audit-log">', 1)[1]
    assert "submission.approve" not in log and "User " not in log and "{" not in log


def test_a_change_shows_its_field_before_and_after(client, admin, make_user):
    campaign = db.session.scalar(sa.select(Campaign))
    old_title = campaign.title
    update_campaign(
        admin,
        campaign,
        title="Tuyên truyền mới",
        legal_basis=campaign.legal_basis,
        description=campaign.description,
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
    )
    db.session.commit()
    html = client.get("/admin/audit?kind=campaign").get_data(as_text=True)
    assert f"Quản trị viên {admin.display_name} đã sửa đợt tuyên truyền “Tuyên truyền mới”" in html
    assert f"Tên:</span> <del>{old_title}</del> → <ins>Tuyên truyền mới</ins>" in html
    assert "đã đăng nhập" not in html  # another kind


def test_the_log_filters_by_user_unit_kind_and_day(
    client, admin, make_user, make_submission, advance
):
    designer_a = make_user("designer", UNIT_A)
    designer_b = make_user("designer", UNIT_B)
    first = make_submission(designer_a, title="Hồ sơ đơn vị A")
    make_submission(designer_b, title="Hồ sơ đơn vị B")
    old = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.submission_id == first.id, AuditEvent.action == "submission.created"
        )
    )
    old.created_at = utcnow() - timedelta(days=10)
    db.session.commit()

    def page(query: str) -> str:
        response = client.get(f"/admin/audit?{query}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    by_user = page(f"user={designer_b.id}")
    assert "Hồ sơ đơn vị B" in by_user and "Hồ sơ đơn vị A" not in by_user
    by_unit = page(f"unit={UNIT_A}")
    assert "Hồ sơ đơn vị A" in by_unit and "Hồ sơ đơn vị B" not in by_unit
    by_kind = page("kind=auth")
    assert "đã đăng nhập" in by_kind and "Hồ sơ đơn vị" not in by_kind
    exact = page("kind=submission.created")
    assert "đã tạo hồ sơ “Hồ sơ đơn vị A”" in exact and "đã tạo hồ sơ “Hồ sơ đơn vị B”" in exact
    assert "đã thêm vị trí" not in exact and "đã tải lên phiên bản" not in exact
    today = (utcnow() + timedelta(hours=7)).date().isoformat()
    recent = page(f"kind=submission.created&since={today}")
    assert "Hồ sơ đơn vị B" in recent and "Hồ sơ đơn vị A" not in recent
    long_ago = (utcnow() - timedelta(days=10)).date()
    older = page(f"kind=submission.created&until={long_ago + timedelta(days=1)}")
    assert "Hồ sơ đơn vị A" in older and "Hồ sơ đơn vị B" not in older


def test_bad_filters_get_a_vietnamese_message_and_a_400(client, admin):
    response = client.get("/admin/audit?since=2026-12-01&until=2026-11-01")
    assert response.status_code == 400
    assert "“Đến ngày” phải sau hoặc bằng “Từ ngày”." in response.get_data(as_text=True)
    assert client.get("/admin/audit?user=999999").status_code == 400
    assert client.get("/admin/audit?since=hôm-qua").status_code == 400
    assert client.get("/admin/audit.csv?kind=khong-co").status_code == 400


def test_the_csv_export_holds_the_filtered_events_in_words(
    client, admin, make_user, make_submission
):
    designer = make_user("designer", UNIT_A)
    make_submission(designer, title="Pano “Mừng Đảng”, mừng Xuân")
    response = client.get(f"/admin/audit.csv?user={designer.id}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0][:5] == [
        "Thời điểm",
        "Người thực hiện",
        "Tên đăng nhập",
        "Đơn vị liên quan",
        "Sự kiện",
    ]
    sentences = [row[4] for row in rows[1:]]
    assert (
        f"Cán bộ thiết kế {designer.display_name} đã tạo hồ sơ “Pano “Mừng Đảng”, mừng Xuân”"
        in sentences
    )
    assert all(row[2] == designer.username for row in rows[1:])
    assert not any("đăng nhập" in s for s in sentences if admin.display_name in s)


def test_the_csv_export_streams_a_log_longer_than_one_batch(client, admin):
    db.session.add_all(
        AuditEvent(
            actor_id=admin.id,
            action="auth.signed_in",
            object_type="User",
            object_id=admin.id,
            data={},
        )
        for _ in range(1203)
    )
    db.session.commit()
    body = client.get(f"/admin/audit.csv?user={admin.id}&kind=auth.signed_in").get_data(
        as_text=True
    )
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert len(rows) == 1 + 1203 + 1  # header, the added events, the admin's own sign-in


def test_every_event_the_code_records_has_its_vietnamese_sentence():
    import pathlib
    import re

    from registry.admin.audit_log import SENTENCES
    from registry.displays.lifecycle import ACTIONS as DISPLAY_ACTIONS
    from registry.reviews.models import DECISIONS
    from registry.workflow import TRANSITIONS

    source = "\n".join(
        p.read_text() for p in (pathlib.Path(__file__).parents[2] / "registry").rglob("*.py")
    )
    recorded = set(re.findall(r'record_event\(\s*\w+,\s*"([a-z_]+\.[a-z_]+)"', source))
    for pair in re.findall(r'actions = \("([a-z_.]+)", "([a-z_.]+)"\)', source):
        recorded |= set(pair)
    recorded |= {f"submission.{a}" for a in TRANSITIONS}
    recorded |= {f"review.{a}" for a in DECISIONS}
    recorded |= {f"display.{a}" for a in DISPLAY_ACTIONS}
    assert len(recorded) > 50
    assert recorded - set(SENTENCES) == set()
