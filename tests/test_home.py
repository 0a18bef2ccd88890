"""Việc cần làm: the page after sign-in shows each role what waits for it, each item a link to
where it is done, only from the user's own unit unless their role sees all; the navigation
counts cheaply."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.clock import local_today
from registry.extensions import db
from registry.submissions.models import Submission
from registry.worklist import nav_counts
from tests.factories import UNIT_A, UNIT_B, a_head, use_two_step_signoff
from tests.statements import counting_statements


def _html(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _section(html: str, key: str) -> str:
    start = html.index(f'data-section="{key}"')
    end = html.find("</section>", start)
    return html[start:end]


def _set_due(submission: Submission, due) -> None:
    db.session.execute(
        sa.update(Submission).where(Submission.id == submission.id).values(due_on=due)
    )
    db.session.commit()


@pytest.fixture
def other_designer(make_user):
    return make_user("designer", UNIT_B)


def test_a_designer_sees_changes_requested_with_the_reviewers_words_drafts_and_approvals(
    client, login, designer, reviewer, other_designer, make_submission, advance
):
    asked = advance(
        make_submission(designer, title="Pano cần sửa"), "changes_requested", designer, reviewer
    )
    make_submission(designer, title="Bản nháp của tôi")
    advance(make_submission(designer, title="Pano đã duyệt"), "approved", designer, reviewer)
    make_submission(other_designer, title="Nháp của đơn vị khác")
    advance(
        make_submission(other_designer, title="Cần sửa ở đơn vị khác"),
        "changes_requested",
        other_designer,
        reviewer,
    )
    login(designer)
    html = _html(client)
    changes = _section(html, "changes")
    assert "Pano cần sửa" in changes and f'href="/submissions/{asked.id}"' in changes
    assert "Ý kiến chuyên viên" in changes and "CT-11: Sai nội dung." in changes
    assert f"hạn {asked.due_on:%d/%m/%Y}" in changes and "Còn 10 ngày làm việc" in changes
    assert "Bản nháp của tôi" in _section(html, "drafts")
    assert "Pano đã duyệt" in _section(html, "approved_week")
    assert "đơn vị khác" not in html  # another unit's items never appear
    assert 'data-nav-count="changes"' in html and "(1 cần sửa)</span>" in html


def test_a_reviewer_sees_overdue_due_soon_mine_and_the_queue_with_a_count_in_the_nav(
    client, login, designer, reviewer, other_designer, make_submission, advance
):
    late = advance(
        make_submission(designer, title="Hồ sơ quá hạn"), "submitted", designer, reviewer
    )
    soon = advance(
        make_submission(other_designer, title="Hồ sơ sắp hạn"),
        "submitted",
        other_designer,
        reviewer,
    )
    advance(make_submission(designer, title="Hồ sơ tôi nhận"), "in_review", designer, reviewer)
    today = local_today()
    _set_due(late, today - timedelta(days=10))
    _set_due(soon, today)
    login(reviewer)
    html = _html(client)
    overdue = _section(html, "overdue")
    assert "Hồ sơ quá hạn" in overdue and "Quá hạn" in overdue and "⚠" in overdue
    assert f'href="/reviews/{late.id}"' in overdue and "Hồ sơ sắp hạn" not in overdue
    assert "Hồ sơ sắp hạn" in _section(html, "due_soon")
    assert "Đến hạn hôm nay" in _section(html, "due_soon")
    assert "Hồ sơ tôi nhận" in _section(html, "mine")
    waiting = _section(html, "waiting")
    assert "Hồ sơ quá hạn" in waiting and "Hồ sơ sắp hạn" in waiting
    assert 'data-nav-count="queue">(2)<' in html  # reviewers work across every unit


def test_a_head_sees_what_awaits_signature_with_a_count(
    client, login, designer, reviewer, make_submission, advance
):
    use_two_step_signoff()
    head = a_head("lanhdao.phong")
    waiting = advance(
        make_submission(designer, title="Chờ ký"), "awaiting_signoff", designer, reviewer, head
    )
    login(head)
    html = _html(client)
    signoff = _section(html, "signoff")
    assert "Chờ ký" in signoff and f'href="/reviews/signoff#ho-so-{waiting.id}"' in signoff
    assert 'data-nav-count="signoff">(1)<' in html


def test_a_locality_sees_new_artwork_and_displays_of_its_own_unit_only(
    client, login, make_user, designer, reviewer, other_designer, make_submission, advance
):
    mine = advance(
        make_submission(designer, title="Pano phường mình"), "approved", designer, reviewer
    )
    advance(
        make_submission(other_designer, title="Pano phường bạn"),
        "approved",
        other_designer,
        reviewer,
    )
    login(make_user("locality", UNIT_A))
    html = _html(client)
    assert "Pano phường mình" in _section(html, "new_assets")
    install = _section(html, "install")
    assert "Pano phường mình" in install
    assert f'href="/displays/{mine.placements[0].id}"' in install
    assert "Pano phường bạn" not in html


def test_an_admin_sees_system_health_reference_data_and_accounts_needing_care(
    client, login, make_user
):
    locked = make_user("designer", UNIT_A, "bi.khoa")
    locked.is_active = False
    temporary = make_user("designer", UNIT_B, "mat.khau.tam")
    temporary.must_change_password = True
    db.session.commit()
    login(make_user("admin", "SVHTT-VP"))
    html = _html(client)
    health = _section(html, "health")
    assert health.count("✓ Hoạt động") == 3 and "Lỗi" not in health
    accounts = _section(html, "accounts")
    assert "bi.khoa" in accounts and "Đã khóa" in accounts
    assert "mat.khau.tam" in accounts and "mật khẩu tạm" in accounts
    assert f'href="/admin/users/{locked.id}/password"' in accounts
    assert 'href="/admin/calendar"' in _section(html, "reference")


def test_the_home_page_asks_the_database_as_often_for_many_items_as_for_one(
    app, client, login, designer, reviewer, make_submission, advance
):
    def statements_for_home() -> int:
        with counting_statements() as seen:
            _html(client)
        return len(seen)

    advance(make_submission(designer, title="Một"), "changes_requested", designer, reviewer)
    make_submission(designer, title="Nháp một")
    login(designer)
    _html(client)  # the first page after signing in reads the navigation's counts apart
    few = statements_for_home()
    for n in range(4):
        advance(
            make_submission(designer, title=f"Thêm {n}"), "changes_requested", designer, reviewer
        )
        make_submission(designer, title=f"Nháp thêm {n}")
    assert statements_for_home() == few


def test_the_navigation_counts_with_the_unread_ones_once_per_request_in_one_statement(
    app, make_user
):
    head = make_user("head", "SVHTT-QLVH")
    db.session.refresh(head)  # loaded before counting
    with app.test_request_context(), counting_statements() as statements:
        first = nav_counts(head)
        after_first = len(statements)
        assert nav_counts(head) == first == {"queue": 0, "signoff": 0, "unread": 0}
    assert after_first == 1 and len(statements) == 1
