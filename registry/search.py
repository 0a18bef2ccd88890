"""Search as people type: case and diacritics ignored ("ly thai to" finds "Lý Thái Tổ").

Each submission stores its searchable text folded (registry.text.search_fold) in
`submissions.search_text`: title, other text, slogans, placement addresses and approval codes;
each unit its folded name in `units.search_name`. Both are kept current here, before every
flush, whatever operation changed them. PostgreSQL indexes `search_text` with trigrams (pg_trgm),
so that `LIKE '%…%'` walks an index; SQLite scans the folded column.
"""

from __future__ import annotations

from itertools import chain

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import orm as so

from registry.library.models import ApprovedAsset
from registry.submissions.models import Placement, Submission
from registry.text import search_fold
from registry.units.models import Unit

MAX_QUERY_LENGTH = 200


def submission_search_text(submission: Submission, codes: list[str] = ()) -> str:
    """The folded text a submission is found by."""
    parts = [submission.title, submission.other_text or ""]
    parts += [slogan.text for slogan in submission.slogans]
    parts += [placement.address for placement in submission.placements]
    parts += list(codes)
    return " | ".join(search_fold(part) for part in parts if part)


def search_pattern(q: str | None) -> str | None:
    """The LIKE pattern of what was typed (folded, wildcards escaped), or None for no search."""
    folded = search_fold(q)[:MAX_QUERY_LENGTH]
    if not folded:
        return None
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching_submissions(q: str | None):
    """A condition on Submission: its text or its unit's name holds what was typed; None when
    nothing worth searching was typed."""
    pattern = search_pattern(q)
    if pattern is None:
        return None
    units = sa.select(Unit.id).where(Unit.search_name.like(pattern, escape="\\"))
    return sa.or_(Submission.search_text.like(pattern, escape="\\"), Submission.unit_id.in_(units))


def matching_units(q: str | None):
    """A condition on Unit: its name or code holds what was typed (true when nothing was)."""
    pattern = search_pattern(q)
    if pattern is None:
        return sa.true()
    return sa.or_(
        Unit.search_name.like(pattern, escape="\\"),
        sa.func.lower(Unit.code).like(pattern, escape="\\"),
    )


def units_named(typed: str | None) -> sa.Select | None:
    """Ids of the units a filter box means: the unit whose code was typed, or those whose name
    holds what was typed, with or without diacritics ("long xuyen" finds "Phường Long Xuyên");
    None when nothing was typed."""
    typed = (typed or "").strip()
    pattern = search_pattern(typed)
    if pattern is None:
        return None
    return sa.select(Unit.id).where(
        sa.or_(Unit.code == typed, Unit.search_name.like(pattern, escape="\\"))
    )


def _codes(session: so.Session, submission: Submission) -> list[str]:
    stored = []
    if submission.id is not None:
        stored = list(
            session.scalars(
                sa.select(ApprovedAsset.code).where(ApprovedAsset.submission_id == submission.id)
            )
        )
    new = [
        a.code
        for a in session.new
        if isinstance(a, ApprovedAsset)
        and (a.submission is submission or a.submission_id == submission.id)
    ]
    return sorted({*stored, *new})


def _refresh(session: so.Session, flush_context, instances) -> None:
    touched: set[Submission] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Unit):
            folded = search_fold(obj.name)
            if obj.search_name != folded:
                obj.search_name = folded
        elif isinstance(obj, Submission):
            touched.add(obj)
        elif isinstance(obj, Placement | ApprovedAsset):
            owner = obj.submission
            if owner is None and obj.submission_id is not None:
                owner = session.get(Submission, obj.submission_id)
            if owner is not None:
                touched.add(owner)
    with session.no_autoflush:
        for submission in touched - set(session.deleted):
            text = submission_search_text(submission, _codes(session, submission))
            if submission.search_text != text:
                submission.search_text = text


def init_search() -> None:
    """Keep the folded columns current on every session of the app (once per process)."""
    if not event.contains(so.Session, "before_flush", _refresh):
        event.listen(so.Session, "before_flush", _refresh)
