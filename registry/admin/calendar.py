"""Admin page: the province's working calendar (extra days off, make-up working days) that due
dates count with, beside Vietnam's public holidays (routes on the admin blueprint)."""

from __future__ import annotations

from datetime import date

import holidays
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.admin.blueprint import bp
from registry.campaigns.forms import CalendarDayForm
from registry.campaigns.models import CalendarDay
from registry.clock import local_today
from registry.duedates import add_calendar_day, remove_calendar_day
from registry.extensions import db
from registry.forms import ConfirmForm, run_form
from registry.i18n import current_language, day

# The holidays package names Vietnam's public holidays in these languages ("en_US" for English).
HOLIDAY_LANGUAGES = {"vi": "vi", "en": "en_US"}


def _national(year: int) -> list[tuple[date, str]]:
    language = HOLIDAY_LANGUAGES.get(current_language(), "vi")
    return sorted(holidays.country_holidays("VN", years=year, language=language).items())


def _page(form: CalendarDayForm, status: int = 200):
    today = local_today()
    days = db.session.scalars(
        sa.select(CalendarDay)
        .where(CalendarDay.day >= date(today.year - 1, 1, 1))
        .order_by(CalendarDay.day)
    ).all()
    html = render_template(
        "admin/calendar.html",
        form=form,
        days=days,
        national=_national(today.year) + _national(today.year + 1),
        today=today,
        confirm=ConfirmForm(formdata=None),
    )
    return html, status


@bp.route("/calendar", methods=["GET", "POST"])
def calendar():
    form = CalendarDayForm()
    outcome = run_form(
        form,
        lambda: add_calendar_day(current_user, form.day.data, form.kind.data, form.note.data),
    )
    if outcome.done:
        row = outcome.value
        if row.kind == "work":
            flash(_("Đã thêm ngày làm bù %(day)s.", day=day(row.day)), "success")
        else:
            flash(_("Đã thêm ngày nghỉ thêm %(day)s.", day=day(row.day)), "success")
        return redirect(url_for("admin.calendar"), 303)
    return _page(form, outcome.status)


@bp.route("/calendar/<int:day_id>/delete", methods=["POST"])
def calendar_delete(day_id: int):
    row = db.get_or_404(CalendarDay, day_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if row.kind == "work":
        message = _("Đã bỏ ngày làm bù %(day)s khỏi lịch.", day=day(row.day))
    else:
        message = _("Đã bỏ ngày nghỉ thêm %(day)s khỏi lịch.", day=day(row.day))
    remove_calendar_day(current_user, row)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.calendar"), 303)
