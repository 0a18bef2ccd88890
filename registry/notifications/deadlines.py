"""The due work a daily digest names: what is overdue or due soon that is the recipient's to act
on (registry.duedates computes the dates; registry.permissions says whose work is whose)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from registry.auth.models import User
from registry.duedates import deadline_submissions, due_state
from registry.extensions import db
from registry.i18n import language_of
from registry.notifications.notify import _path
from registry.permissions import deadline_stage
from registry.submissions.models import Submission

# A digest names at most this many items (the lists behind the links show the rest).
MAX_ITEMS = 30
WHAT = {
    "review": _l("Thẩm định"),
    "answer": _l("Trả lời yêu cầu chỉnh sửa"),
    "signoff": _l("Ký duyệt"),
}


def _mine(stmt: sa.Select, user: User, stage: str) -> sa.Select:
    if stage == "review":
        # The reviewer's own reviews and those nobody has taken yet; not those awaiting a head.
        return stmt.where(
            Submission.status != "awaiting_signoff",
            sa.or_(Submission.assignee_id == user.id, Submission.assignee_id.is_(None)),
        )
    if stage == "signoff":
        return stmt.where(Submission.status == "awaiting_signoff")
    return stmt


def due_work(user: User, today: date) -> list[dict]:
    """The user's overdue work, then what is due today or on the next working day, as plain
    values for the digest job: what to do, the title, how the due date stands, the link (the
    words in the user's language: the job sends them as they are)."""
    stage = deadline_stage(user)
    if stage is None:
        return []
    endpoint = "submissions.detail" if stage == "answer" else "reviews.detail"
    query_stage = "answer" if stage == "answer" else "review"
    items: list[dict] = []
    for kind in ("overdue", "due_soon"):
        stmt = _mine(
            deadline_submissions(kind, user=user, stage=query_stage, today=today), user, stage
        )
        for submission in db.session.scalars(stmt.limit(MAX_ITEMS - len(items))):
            with language_of(user):
                state = due_state(submission.due_on, today)
                what, due = str(WHAT[stage]), str(state.label)
            items.append(
                {
                    "what": what,
                    "title": submission.title,
                    "due": due,
                    "overdue": state.is_overdue,
                    "link": _path(endpoint, submission_id=submission.id),
                }
            )
    return items
