"""Operations on text readings: ask for one when a version arrives, and bring the evidence of
open reviews up to date when it is done. They flush; the caller commits."""

from __future__ import annotations

import sqlalchemy as sa

from registry.audit import record_event
from registry.extensions import db
from registry.i18n import language_of
from registry.submissions.models import ArtworkVersion
from registry.tasks import enqueue
from registry.textcheck.evidence import TEXT_ITEMS, text_evidence
from registry.textcheck.models import TextReading


def request_reading(version: ArtworkVersion) -> TextReading:
    """Record a pending reading of the version and enqueue the job that reads it (sent to the
    worker only once the upload commits)."""
    from registry.textcheck.jobs import read_version

    reading = TextReading(version=version, status="pending")
    db.session.add(reading)
    db.session.flush()
    reading.job_id = enqueue(read_version, version.id).id
    return reading


def refresh_open_reviews(version: ArtworkVersion) -> int:
    """Put the new text evidence into the open reviews of this version; an answer the reviewer
    changed by hand keeps its result. Returns how many reviews were updated."""
    from registry.reviews.models import Review

    reviews = db.session.scalars(
        sa.select(Review).where(Review.version_id == version.id, Review.decision.is_(None))
    ).all()
    if not reviews:
        return 0
    for review in reviews:
        # Stored as written (a record): in the language of the reviewer who opened the review,
        # like the other pre-checks' evidence written when the review opened.
        with language_of(review.reviewer):
            evidence = text_evidence(version.submission, version)
        changed = []
        for answer in review.answers:
            found = evidence.get(answer.item.code)
            if answer.item.code not in TEXT_ITEMS or found is None:
                continue
            untouched = answer.result == answer.automatic_result
            answer.automatic_result = found["result"]
            answer.evidence = found
            if untouched:
                answer.result = found["result"]
            changed.append(answer.item.code)
        record_event(
            None,
            "review.text_evidence",
            review,
            submission=version.submission,
            version=version.number,
            items=changed,
            outcome=evidence["CT-01"].get("outcome"),
        )
    db.session.flush()
    return len(reviews)
