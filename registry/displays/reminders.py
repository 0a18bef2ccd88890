"""Reminders that need no person: `flask registry remind` (for cron) sends each unit's locality
users a notification (kind "reminder", delivered as each chose: in the app, e-mail now or the
daily digest) of displays overdue for removal and approved displays not installed some days
after their period began. Running it twice on one day adds nothing."""

from __future__ import annotations

from datetime import date, timedelta

import click
import sqlalchemy as sa
from flask import current_app, url_for
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from registry.auth.models import User
from registry.clock import local_today
from registry.displays.models import Display
from registry.displays.queries import is_display
from registry.extensions import db
from registry.i18n import day as written_day
from registry.i18n import language_of
from registry.notifications.models import Notification
from registry.notifications.notify import deliver
from registry.permissions import site_followers
from registry.submissions.models import Placement, Submission


def _counts_by_unit(*where) -> dict[int, int]:
    stmt = (
        sa.select(Placement.unit_id, sa.func.count())
        .select_from(Placement)
        .join(Submission, Placement.submission_id == Submission.id)
        .outerjoin(Display, Display.placement_id == Placement.id)
        .where(is_display(), *where)
        .group_by(Placement.unit_id)
    )
    return dict(db.session.execute(stmt).all())


def send_reminders(day: date, install_days: int) -> tuple[int, int]:
    """Send today's reminders; return (notifications added, units concerned)."""
    overdue = _counts_by_unit(Display.state == "installed", Placement.display_to < day)
    waiting = _counts_by_unit(
        Display.id.is_(None),
        Submission.status == "approved",
        Placement.display_from <= day - timedelta(days=install_days),
        Placement.display_to >= day,
    )
    units = set(overdue) | set(waiting)
    if not units:
        return 0, 0
    key = f"remind:{day.isoformat()}"
    users = db.session.scalars(
        sa.select(User)
        .where(
            User.unit_id.in_(units),
            site_followers(),
            User.is_active,
            ~sa.select(Notification.id)
            .where(Notification.user_id == User.id, Notification.key == key)
            .exists(),
        )
        .order_by(User.id)
    ).all()
    for user in users:
        unit_id = user.unit_id
        state = "overdue" if overdue.get(unit_id) else "approved"
        # The notification keeps its text: written once, in the recipient's language.
        with language_of(user):
            title = _reminder_text(day, overdue.get(unit_id), waiting.get(unit_id), install_days)
        deliver(user, "reminder", title, "", url_for("displays.index", state=state), key=key)
    db.session.flush()
    return len(users), len(units)


def _reminder_text(day: date, overdue: int | None, waiting: int | None, install_days: int) -> str:
    """The reminder's sentence, in the language in force."""
    parts = []
    if overdue:
        parts.append(
            ngettext(
                "%(num)d điểm đã hết thời gian treo/dựng nhưng chưa tháo dỡ",
                "%(num)d điểm đã hết thời gian treo/dựng nhưng chưa tháo dỡ",
                overdue,
            )
        )
    if waiting:
        parts.append(
            ngettext(
                "%(num)d điểm đã được duyệt nhưng chưa ghi nhận lắp đặt sau %(days)d ngày kể từ "
                "ngày bắt đầu",
                "%(num)d điểm đã được duyệt nhưng chưa ghi nhận lắp đặt sau %(days)d ngày kể từ "
                "ngày bắt đầu",
                waiting,
                days=install_days,
            )
        )
    return _("Nhắc việc ngày %(day)s: %(items)s.", day=written_day(day), items="; ".join(parts))


@click.command("remind")
@click.option(
    "--date",
    "on",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Ngày nhắc (mặc định hôm nay).",  # not interface: operator command
)
@with_appcontext
def remind_command(on) -> None:
    """Remind localities of overdue removals and approved displays not yet installed."""
    day = on.date() if on else local_today()
    days = int(current_app.config["REGISTRY_REMIND_INSTALL_DAYS"])
    with current_app.test_request_context(
        base_url=current_app.config.get("REGISTRY_PUBLIC_URL") or "http://localhost/"
    ):
        added, units = send_reminders(day, days)
    db.session.commit()
    click.echo(
        f"Đã gửi {added} thông báo nhắc việc "  # not interface: the operator's terminal
        f"tới cán bộ của {units} đơn vị."  # not interface: the operator's terminal
    )
