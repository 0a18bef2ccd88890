"""To do (việc cần làm): what waits for each user, for the home page and the navigation's counts.

Every list goes through registry.permissions' scoping (a designer or a locality sees only their
own unit); each section is one query for its items and one for its count, and the navigation's
counts (with the unread notifications) are one statement, once per request.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask import g, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import orm as so

from registry.auth.models import User
from registry.auth.sessions import remember_navigation
from registry.campaigns.models import CalendarDay, Campaign, ChecklistItem, ChecklistVersion
from registry.clock import local_date, local_day_start, local_today
from registry.db import utcnow
from registry.displays.lifecycle import state_filter
from registry.displays.models import Display
from registry.duedates import DueState, deadline_submissions, due_state
from registry.extensions import db
from registry.i18n import day, moment
from registry.library.models import ApprovedAsset
from registry.notifications.operations import unread_statement
from registry.permissions import (
    can_administer,
    can_create_submission,
    can_review,
    can_sign,
    scope_to_user,
    sees_all_units,
    visible_assets,
    visible_submissions,
    works_on_site,
)
from registry.reviews.models import ChecklistAnswer, Review
from registry.submissions.models import Placement, Submission
from registry.units.models import Unit

# Items listed per section; the section's link leads to the full list.
SECTION_LIMIT = 8
# Approved artwork counts as new for a locality this many days.
NEW_ASSET_DAYS = 14


@dataclass
class Item:
    title: str
    url: str
    detail: str = ""
    due: DueState | None = None
    due_on: date | None = None
    quote: str = ""  # the reviewer's words, for a request for changes
    ref: int | None = None  # the submission's id


@dataclass
class Section:
    key: str
    title: str
    count: int
    items: list[Item] = field(default_factory=list)
    more_url: str | None = None
    more_label: str = _l("Xem tất cả")
    empty: str = _l("Không có việc nào.")


def _count(stmt: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))


def _submissions(stmt: sa.Select) -> list[Submission]:
    stmt = stmt.options(so.joinedload(Submission.unit), so.joinedload(Submission.campaign))
    return list(db.session.scalars(stmt.limit(SECTION_LIMIT)).unique())


def _submission_items(rows: list[Submission], endpoint: str, today: date) -> list[Item]:
    return [
        Item(
            title=s.title,
            url=url_for(endpoint, submission_id=s.id),
            detail=f"{s.unit.name} · {s.format_label} · {s.status_label}",
            due=due_state(s.due_on, today),
            due_on=s.due_on,
            ref=s.id,
        )
        for s in rows
    ]


def _section(key, title, stmt, endpoint, today, **kwargs) -> Section:
    items = _submission_items(_submissions(stmt), endpoint, today)
    return Section(key, title, _count(stmt), items, **kwargs)


# Designers


def _latest_request_words(submission_ids: list[int]) -> dict[int, str]:
    """The reviewer's words on the latest request for changes of each submission: the
    decision's comment, then each failed item with its comment (two queries in all)."""
    if not submission_ids:
        return {}
    latest = (
        sa.select(Review.submission_id, sa.func.max(Review.id).label("id"))
        .where(Review.submission_id.in_(submission_ids), Review.decision == "request_changes")
        .group_by(Review.submission_id)
        .subquery()
    )
    reviews = db.session.execute(
        sa.select(Review.id, Review.submission_id, Review.comment).join(
            latest, Review.id == latest.c.id
        )
    ).all()
    failed: dict[int, list[str]] = {}
    rows = db.session.execute(
        sa.select(ChecklistAnswer.review_id, ChecklistItem.code, ChecklistAnswer.comment)
        .join(ChecklistItem, ChecklistAnswer.item_id == ChecklistItem.id)
        .where(
            ChecklistAnswer.review_id.in_([r.id for r in reviews]),
            ChecklistAnswer.result == "fail",
        )
        .order_by(ChecklistItem.position)
    )
    for review_id, code, comment in rows:
        failed.setdefault(review_id, []).append(f"{code}: {comment}" if comment else code)
    return {
        r.submission_id: "\n".join(filter(None, [r.comment, *failed.get(r.id, [])]))
        for r in reviews
    }


def _designer_sections(user: User, today: date) -> list[Section]:
    mine = visible_submissions(user)
    changes = mine.where(Submission.status == "changes_requested").order_by(
        Submission.due_on.asc().nulls_last(), Submission.id
    )
    changes_section = _section(
        "changes",
        _("Cần chỉnh sửa theo yêu cầu"),
        changes,
        "submissions.detail",
        today,
        more_url=url_for("submissions.index", status="changes_requested"),
        empty=_("Không có hồ sơ nào bị yêu cầu chỉnh sửa."),
    )
    words = _latest_request_words([item.ref for item in changes_section.items])
    for item in changes_section.items:
        item.quote = words.get(item.ref, "")
    drafts = mine.where(Submission.status == "draft").order_by(Submission.updated_at.desc())
    monday = today - timedelta(days=today.weekday())
    approved = mine.where(
        Submission.status == "approved", Submission.decided_at >= local_day_start(monday)
    ).order_by(Submission.decided_at.desc())
    return [
        changes_section,
        _section(
            "drafts",
            _("Bản nháp chưa gửi"),
            drafts,
            "submissions.detail",
            today,
            more_url=url_for("submissions.index", status="draft"),
            empty=_("Không có bản nháp nào."),
        ),
        _section(
            "approved_week",
            _("Được duyệt trong tuần này"),
            approved,
            "submissions.detail",
            today,
            more_url=url_for("submissions.index", status="approved"),
            empty=_("Tuần này chưa có hồ sơ nào được duyệt."),
        ),
    ]


# Reviewers and heads of division


def _reviewer_sections(user: User, today: date) -> list[Section]:
    waiting = (
        visible_submissions(user)
        .where(Submission.status == "submitted")
        .order_by(Submission.due_on.asc().nulls_last(), Submission.submitted_at, Submission.id)
    )
    mine = (
        visible_submissions(user)
        .where(Submission.status == "in_review", Submission.assignee_id == user.id)
        .order_by(Submission.due_on.asc().nulls_last(), Submission.id)
    )
    overdue = deadline_submissions("overdue", user=user, stage="review", today=today)
    soon = deadline_submissions("due_soon", user=user, stage="review", today=today)
    queue = url_for("reviews.queue")
    return [
        _section(
            "overdue",
            _("Quá hạn thẩm định"),
            overdue,
            "reviews.detail",
            today,
            more_url=queue,
            empty=_("Không có hồ sơ nào quá hạn."),
        ),
        _section(
            "due_soon",
            _("Sắp đến hạn thẩm định"),
            soon,
            "reviews.detail",
            today,
            more_url=queue,
            empty=_("Không có hồ sơ nào sắp đến hạn."),
        ),
        _section(
            "mine",
            _("Tôi đang thẩm định"),
            mine,
            "reviews.detail",
            today,
            empty=_("Bạn chưa nhận hồ sơ nào."),
        ),
        _section(
            "waiting",
            _("Đang chờ trong hàng chờ"),
            waiting,
            "reviews.detail",
            today,
            more_url=url_for("reviews.queue", status="submitted"),
            more_label=_("Mở hàng chờ"),
            empty=_("Hàng chờ trống."),
        ),
    ]


def _signoff_statement(user: User) -> sa.Select:
    return (
        visible_submissions(user)
        .where(Submission.status == "awaiting_signoff")
        .order_by(Submission.updated_at.asc(), Submission.id)
    )


def _head_sections(user: User, today: date) -> list[Section]:
    stmt = _signoff_statement(user)
    rows = _submissions(stmt)
    items = [
        Item(
            title=s.title,
            url=url_for("reviews.signoff") + f"#ho-so-{s.id}",
            detail=_(
                "%(unit)s · %(format)s · trình lúc %(moment)s",
                unit=s.unit.name,
                format=s.format_label,
                moment=moment(s.updated_at),
            ),
            due=due_state(s.due_on, today),
            due_on=s.due_on,
        )
        for s in rows
    ]
    return [
        Section(
            "signoff",
            _("Chờ tôi ký duyệt"),
            _count(stmt),
            items,
            more_url=url_for("reviews.signoff"),
            more_label=_("Mở trang ký duyệt"),
            empty=_("Không có hồ sơ nào chờ ký."),
        )
    ]


# Localities


def _locality_sections(user: User, today: date) -> list[Section]:
    since = utcnow() - timedelta(days=NEW_ASSET_DAYS)
    assets = (
        visible_assets(user)
        .where(ApprovedAsset.approved_at >= since, ApprovedAsset.revoked_at.is_(None))
        .order_by(ApprovedAsset.approved_at.desc())
    )
    asset_rows = db.session.scalars(
        assets.options(so.joinedload(ApprovedAsset.submission)).limit(SECTION_LIMIT)
    ).unique()
    asset_items = [
        Item(
            title=a.submission.title,
            url=url_for("library.detail", code=a.code),
            detail=_(
                "Mã %(code)s · duyệt %(day)s", code=a.code, day=day(local_date(a.approved_at))
            ),
        )
        for a in asset_rows
    ]
    sections = [
        Section(
            "new_assets",
            ngettext(
                "Mẫu mới được duyệt (%(num)d ngày qua)",
                "Mẫu mới được duyệt (%(num)d ngày qua)",
                NEW_ASSET_DAYS,
            ),
            _count(assets),
            asset_items,
            more_url=url_for("library.index"),
            more_label=_("Mở thư viện mẫu"),
            empty=_("Chưa có mẫu mới."),
        )
    ]
    for key, title, state, empty in (
        ("install", _("Cần lắp đặt"), "approved", _("Không có vị trí nào chờ lắp đặt.")),
        (
            "take_down",
            _("Quá hạn, cần tháo dỡ"),
            "overdue",
            _("Không có vị trí nào quá hạn treo."),
        ),
    ):
        sections.append(_display_section(user, today, key, title, state, empty))
    return sections


def _display_section(user, today, key, title, state, empty) -> Section:
    stmt = (
        sa.select(Placement)
        .join(Submission, Placement.submission_id == Submission.id)
        .outerjoin(Display, Display.placement_id == Placement.id)
        .where(state_filter(state, today))
    )
    if state == "approved":
        # Approved, its period begun or about to begin, nothing recorded on site yet.
        stmt = stmt.where(
            Submission.status == "approved", Placement.display_from <= today + timedelta(days=7)
        )
    stmt = scope_to_user(stmt, user, Placement.unit_id).order_by(
        Placement.display_from if state == "approved" else Placement.display_to, Placement.id
    )
    rows = db.session.scalars(
        stmt.options(so.joinedload(Placement.submission)).limit(SECTION_LIMIT)
    ).unique()
    items = [
        Item(
            title=p.submission.title,
            url=url_for("displays.detail", placement_id=p.id),
            detail=f"{p.address} · {day(p.display_from)}–{day(p.display_to)}",
        )
        for p in rows
    ]
    return Section(
        key,
        title,
        _count(stmt),
        items,
        more_url=url_for("displays.index", state=state),
        empty=empty,
    )


# Admins


@dataclass
class AdminFacts:
    locked: int
    temporary: int
    users: int
    units: int
    open_campaigns: int
    checklists: int
    calendar_days: int
    health: dict[str, str | None]


def _admin_facts(today: date) -> AdminFacts:
    from registry.observability import readiness_checks

    health = readiness_checks()  # first: its database probe rolls the session back
    counts = db.session.execute(
        sa.select(
            sa.select(sa.func.count()).where(~User.is_active).scalar_subquery(),
            sa.select(sa.func.count())
            .where(User.is_active, User.must_change_password)
            .scalar_subquery(),
            sa.select(sa.func.count()).select_from(User).scalar_subquery(),
            sa.select(sa.func.count()).where(Unit.is_active).scalar_subquery(),
            sa.select(sa.func.count())
            .where(
                ~Campaign.is_closed, sa.or_(Campaign.ends_on.is_(None), Campaign.ends_on >= today)
            )
            .scalar_subquery(),
            sa.select(sa.func.count()).select_from(ChecklistVersion).scalar_subquery(),
            sa.select(sa.func.count()).where(CalendarDay.day >= today).scalar_subquery(),
        )
    ).one()
    return AdminFacts(*counts, health=health)


def _admin_sections(user: User, today: date) -> list[Section]:
    stmt = (
        sa.select(User)
        .where(sa.or_(~User.is_active, User.must_change_password))
        .order_by(User.username)
    )
    rows = db.session.scalars(stmt.limit(SECTION_LIMIT)).all()
    items = [
        Item(
            title=f"{u.display_name} ({u.username})",
            url=url_for("admin.user_password", user_id=u.id),
            detail=_("Đã khóa") if not u.is_active else _("Đang dùng mật khẩu tạm, chưa đổi"),
        )
        for u in rows
    ]
    return [
        Section(
            "accounts",
            _("Tài khoản cần chú ý"),
            _count(stmt),
            items,
            more_url=url_for("admin.users"),
            more_label=_("Mở danh sách tài khoản"),
            empty=_("Không có tài khoản nào bị khóa hay dùng mật khẩu tạm."),
        )
    ]


# The page and the navigation


@dataclass
class Worklist:
    sections: list[Section]
    admin: AdminFacts | None = None


def worklist_for(user: User) -> Worklist:
    """The sections of the user's home page, by what their role does."""
    today = local_today()
    sections: list[Section] = []
    admin = None
    if can_create_submission(user):
        sections += _designer_sections(user, today)
    if can_review(user):
        sections += _reviewer_sections(user, today)
    if can_sign(user):
        sections += _head_sections(user, today)
    if works_on_site(user):
        sections += _locality_sections(user, today)
    if can_administer(user):
        admin = _admin_facts(today)
        sections += _admin_sections(user, today)
    return Worklist(sections, admin)


@dataclass(frozen=True)
class Viewer:
    """What the navigation's counts may read of a user, and nothing else: a permission rule that
    came to read more would fail here loudly rather than be answered from the wrong key."""

    id: int
    role: str
    unit_id: int

    @classmethod
    def of(cls, user: User) -> Viewer:
        return cls(user.id, user.role, user.unit_id)


def nav_counts(user: User) -> dict[str, int]:
    """The counts the navigation shows beside its links, in one statement, once per request:
    "queue" (waiting for review), "signoff" (awaiting signature), "changes" (a designer's
    submissions with changes requested), each only for a role whose navigation shows it, and
    "unread" (the user's unread notifications).

    The browser's next request reads them with its session (registry.auth.sessions), in the
    same statement, when its user is still this viewer; else they are read here.
    """
    viewer = Viewer.of(user)  # read from the user of this request
    counts = g.get("nav_counts")
    if counts is None:
        row = db.session.execute(sa.select(*nav_columns(viewer))).one()
        counts = g.nav_counts = dict(row._mapping)
    remember_navigation(user, viewer)
    return counts


@functools.lru_cache(maxsize=1024)
def nav_columns(viewer: Viewer) -> tuple[sa.Label, ...]:
    """The columns of nav_counts, built once per process for each (user, role, unit): only
    their SQL is kept, never a count, so every request still asks the database."""
    counts: dict[str, sa.ScalarSelect] = {}
    if sees_all_units(viewer):
        counts["queue"] = _count_of(
            sa.select(Submission.id).where(Submission.status == "submitted")
        )
    if can_sign(viewer):
        counts["signoff"] = _count_of(_signoff_statement(viewer).with_only_columns(Submission.id))
    if can_create_submission(viewer):
        counts["changes"] = _count_of(
            visible_submissions(viewer)
            .where(Submission.status == "changes_requested")
            .with_only_columns(Submission.id)
        )
    counts["unread"] = unread_statement(viewer).scalar_subquery()
    return tuple(c.label(k) for k, c in counts.items())


def _count_of(stmt: sa.Select) -> sa.ScalarSelect:
    return sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()).scalar_subquery()
