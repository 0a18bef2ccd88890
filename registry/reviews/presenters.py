"""What reviews show to the people who read them."""

from __future__ import annotations

import sqlalchemy as sa

from registry.extensions import db
from registry.reviews.models import Annotation
from registry.reviews.operations import current_review, previous_review
from registry.reviews.queries import submission_rounds
from registry.submissions.models import Submission


def annotations_of(version_id: int) -> list[Annotation]:
    return list(
        db.session.scalars(
            sa.select(Annotation).where(Annotation.version_id == version_id).order_by(Annotation.id)
        )
    )


def designer_feedback(submission: Submission) -> dict | None:
    """The latest decision with its failed items and pinned comments, for the designer."""
    review = previous_review(submission)
    if review is None:
        return None
    failed = sorted(
        (a for a in review.answers if a.result == "fail"), key=lambda a: a.item.position
    )
    return {"review": review, "failed": failed, "annotations": annotations_of(review.version_id)}


def since_last_decision(submission: Submission, review) -> dict | None:
    """For a resubmitted item: the designer's note of what changed, and what the last request
    for changes asked (its failed items, its pins with their answers)."""
    if review is None:
        return None
    before = previous_review(submission, before=review)
    if before is None or before.decision != "request_changes" or before.id > review.id:
        return None
    failed = sorted(
        (a for a in before.answers if a.result == "fail"), key=lambda a: a.item.position
    )
    return {
        "round": submission_rounds([submission.id])[submission.id],
        "note": review.version.change_note,
        "review": before,
        "failed": failed,
        "annotations": annotations_of(before.version_id),
    }


def group_answers(review) -> list[tuple[str, list]]:
    """The review's answers grouped by checklist group, in checklist order."""
    groups: dict[str, list] = {}
    for answer in sorted(review.answers, key=lambda a: a.item.position):
        groups.setdefault(answer.item.group_code, []).append(answer)
    return list(groups.items())


def workbench_groups(review) -> list[tuple[str, list, list]]:
    """Per group, in checklist order: the answers needing the reviewer's judgement, then the
    automatic passes the reviewer has left alone (shown folded)."""
    rows = []
    for code, answers in group_answers(review):
        folded = [
            a
            for a in answers
            if a.automatic_result == "pass" and a.result == "pass" and not a.comment
        ]
        rows.append((code, [a for a in answers if a not in folded], folded))
    return rows


def checklist_diff(first, second) -> list[dict]:
    """Items whose result or comment differs between two reviews (either may be missing)."""

    def by_code(review):
        return {a.item.code: a for a in review.answers} if review else {}

    left, right = by_code(first), by_code(second)
    rows = []
    for code in sorted(set(left) | set(right)):
        a, b = left.get(code), right.get(code)
        pair = (
            (a.result, a.comment) if a else (None, ""),
            (b.result, b.comment) if b else (None, ""),
        )
        if pair[0] != pair[1]:
            item = (b or a).item
            rows.append({"code": code, "text": item.text, "before": pair[0], "after": pair[1]})
    return rows


def signoff_summary(submission: Submission) -> dict:
    """What a head of division reads before signing: the recommendation with the reviewer's
    summary, the failed items and the items where the reviewer overrode a pre-check."""
    review = current_review(submission)
    answers = sorted(review.answers, key=lambda a: a.item.position) if review else []
    return {
        "submission": submission,
        "review": review,
        "failed": [a for a in answers if a.result == "fail"],
        "overridden": [
            a for a in answers if a.automatic_result is not None and a.result != a.automatic_result
        ],
    }
