"""Who hears of what: each audit event that matters to someone becomes a notification for each
recipient its rule picks (never the one who acted), delivered as each recipient chose.

`record_event` (registry/audit.py) calls `notify_event` for every event it records, inside the
same transaction, so a notification exists exactly when its event does. E-mail goes out later,
from a job on the task queue sent after commit: a slow or broken mail server never holds up or
fails the decision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for

from registry.auth.models import User
from registry.extensions import db
from registry.library.models import ApprovedAsset, DownloadLog
from registry.notifications.jobs import send_email
from registry.notifications.models import DEFAULT_CHANNEL, Notification, NotificationPreference
from registry.permissions import (
    is_designer,
    reviewers,
    script_readers,
    signers,
    site_followers,
)
from registry.reviews.models import Annotation, AnnotationReply, Review
from registry.submissions.models import ArtworkVersion, Submission
from registry.tasks import enqueue
from registry.textcheck.models import TextReading


def notify_event(event, obj) -> list[Notification]:
    """Create the notifications an audit event calls for (flushes nothing itself)."""
    rule = _RULES.get(event.action)
    if rule is None:
        return []
    return rule(event, obj)


def deliver(user: User, kind: str, title: str, body: str, link: str, submission=None, *, key=None):
    """One notification for one user, and its e-mail job if they want e-mail now. A `key`
    (unique per user) lets a caller that runs repeatedly, like a daily reminder, deliver once."""
    channel = channel_for(user, kind)
    notification = Notification(
        key=key,
        user=user,
        kind=kind,
        submission_id=getattr(submission, "id", None),
        title=title[:400],
        body=body,
        link=link,
        delivery=channel,
    )
    db.session.add(notification)
    if channel == "email" and user.email and current_app.config.get("REGISTRY_SMTP_HOST"):
        notification.email_status = "queued"
        db.session.flush()
        enqueue(send_email, notification.id)
    return notification


def channel_for(user: User, kind: str) -> str:
    chosen = db.session.scalar(
        sa.select(NotificationPreference.channel).where(
            NotificationPreference.user_id == user.id, NotificationPreference.kind == kind
        )
    )
    return chosen or DEFAULT_CHANNEL


def _path(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def _active(users: Iterable[User | None], actor_id: int | None) -> list[User]:
    """Each distinct active user once, in a stable order, leaving out whoever acted."""
    seen: dict[int, User] = {}
    for user in users:
        if user is not None and user.is_active and user.id != actor_id:
            seen.setdefault(user.id, user)
    return sorted(seen.values(), key=lambda u: u.id)


def _people(condition, unit_id: int | None = None) -> list[User]:
    """The active users a condition of registry.permissions names (in one unit, if given)."""
    stmt = sa.select(User).where(condition, User.is_active)
    if unit_id is not None:
        stmt = stmt.where(User.unit_id == unit_id)
    return list(db.session.scalars(stmt.order_by(User.id)))


def designers_of(submission: Submission) -> list[User]:
    """Who designs the submission: its author and whoever uploaded a version of it."""
    people = [submission.created_by, *(v.uploaded_by for v in submission.versions)]
    return [u for u in people if u is not None and is_designer(u)]


def _actor_name(event) -> str:
    actor = db.session.get(User, event.actor_id) if event.actor_id else None
    return actor.display_name if actor is not None else "Hệ thống"


def _gist(text: str, limit: int = 90) -> str:
    """A checklist item's first sentence, cut to a line."""
    first = text.strip().split(". ")[0].rstrip(".")
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _quoted(text: str) -> str:
    return f"“{text}”"


# The rules, one per kind of event.


def _submitted(event, submission: Submission) -> list[Notification]:
    note = (event.data or {}).get("comment") or ""
    resubmitted = bool(note.strip()) and len(submission.versions) > 1
    title = (
        f"Hồ sơ {_quoted(submission.title)} được gửi lại để thẩm định"
        if resubmitted
        else f"Hồ sơ mới chờ thẩm định: {_quoted(submission.title)}"
    )
    lines = [
        f"{_actor_name(event)} ({submission.unit.name}) đã gửi hồ sơ {_quoted(submission.title)} "
        f"(đợt {submission.campaign.title}) để thẩm định.",
    ]
    if resubmitted:
        lines.append(f"Những gì đã thay đổi: {note.strip()}")
    recipients = _people(reviewers())
    scripts = _minority_scripts(submission)
    if scripts:
        readers = _people(script_readers())
        lines.append(
            f"Mẫu có chữ {scripts}: hồ sơ được báo trước cho chuyên viên đọc được chữ này."
            if readers
            else f"Mẫu có chữ {scripts}; chưa có chuyên viên nào được ghi nhận đọc được chữ này."
        )
        recipients = readers or recipients
    link = _path("reviews.detail", submission_id=submission.id)
    return [
        deliver(u, "submitted", title, "\n".join(lines), link, submission)
        for u in _active(recipients, event.actor_id)
    ]


SCRIPT_NAMES = {"khmer": "Khmer", "cham": "Chăm"}


def _minority_scripts(submission: Submission) -> str:
    """The minority scripts the latest version's text reading found, in words ("" if none or
    not read yet)."""
    version = submission.latest_version
    found = (
        db.session.scalar(
            sa.select(TextReading.minority_scripts).where(TextReading.version_id == version.id)
        )
        if version is not None
        else None
    )
    names = [SCRIPT_NAMES.get(s, s) for s in (found or "").split(",") if s]
    return " và ".join(names)


def _decided(event, submission: Submission) -> list[Notification]:
    data = event.data or {}
    target = data.get("target")
    review = _last_decided_review(submission)
    verdict = {
        "approved": "đã được duyệt",
        "rejected": "không được duyệt",
        "changes_requested": "cần chỉnh sửa",
    }[target]
    title = f"Hồ sơ {_quoted(submission.title)} {verdict}"
    lines = [f"{_actor_name(event)} đã {event_label(event)} hồ sơ {_quoted(submission.title)}."]
    comment = (review.comment if review is not None else "") or data.get("comment") or ""
    if comment.strip():
        lines.append(f"Ý kiến: {comment.strip()}")
    if review is not None:
        failed = [a for a in review.answers if a.result == "fail"]
        failed.sort(key=lambda a: a.item.code)
        if failed:
            lines.append("Tiêu chí không đạt:")
            lines.extend(
                f"• {a.item.code} ({_gist(a.item.text)})"
                + (f": {a.comment.strip()}" if a.comment.strip() else "")
                for a in failed
            )
    pins = _open_pins(submission)
    if pins:
        lines.append("Ghi chú trên mẫu chưa giải quyết:")
        lines.extend(f"• {p.version.label}: {p.body}" for p in pins)
    link = _path("submissions.detail", submission_id=submission.id)
    made = [
        deliver(u, "decision", title, "\n".join(lines), link, submission)
        for u in _active(designers_of(submission), event.actor_id)
    ]
    if target == "approved":
        made += _approved_for_unit(event, submission)
    return made


def _approved_for_unit(event, submission: Submission) -> list[Notification]:
    codes = db.session.scalars(
        sa.select(ApprovedAsset.code)
        .where(ApprovedAsset.submission_id == submission.id, ApprovedAsset.revoked_at.is_(None))
        .order_by(ApprovedAsset.code)
    ).all()
    title = f"Mẫu mới đã duyệt cho đơn vị: {_quoted(submission.title)}"
    lines = [
        f"Hồ sơ {_quoted(submission.title)} của {submission.unit.name} đã được duyệt "
        "và có trong thư viện mẫu; đơn vị có thể tải về để in và lắp đặt."
    ]
    if codes:
        lines.append("Mã phê duyệt: " + ", ".join(codes))
    link = (
        _path("library.detail", code=codes[0])
        if codes
        else _path("submissions.detail", submission_id=submission.id)
    )
    localities = _people(site_followers(), unit_id=submission.unit_id)
    return [
        deliver(u, "approved", title, "\n".join(lines), link, submission)
        for u in _active(localities, event.actor_id)
    ]


def _recommended(event, submission: Submission) -> list[Notification]:
    review = _open_review(submission)
    label = review.recommendation_label if review is not None else "Đề xuất"
    title = f"Chờ ký duyệt: {_quoted(submission.title)} ({label.lower()})"
    lines = [
        f"{_actor_name(event)} đã {label.lower()} hồ sơ {_quoted(submission.title)} "
        f"({submission.unit.name}); hồ sơ chờ lãnh đạo phòng ký duyệt."
    ]
    comment = (event.data or {}).get("comment") or ""
    if comment.strip():
        lines.append(f"Ý kiến: {comment.strip()}")
    link = _path("reviews.detail", submission_id=submission.id)
    return [
        deliver(u, "signoff", title, "\n".join(lines), link, submission)
        for u in _active(_people(signers()), event.actor_id)
    ]


def _returned(event, submission: Submission) -> list[Notification]:
    review = _open_review(submission)
    reviewer = review.reviewer if review is not None else submission.assignee
    title = f"Hồ sơ {_quoted(submission.title)} bị trả lại, chưa ký duyệt"
    lines = [f"{_actor_name(event)} đã trả lại hồ sơ {_quoted(submission.title)} để xem lại."]
    comment = (event.data or {}).get("comment") or ""
    if comment.strip():
        lines.append(f"Ý kiến: {comment.strip()}")
    link = _path("reviews.detail", submission_id=submission.id)
    return [
        deliver(u, "signoff", title, "\n".join(lines), link, submission)
        for u in _active([reviewer], event.actor_id)
    ]


def _revoked(event, asset: ApprovedAsset) -> list[Notification]:
    downloaders = db.session.scalars(
        sa.select(User)
        .where(User.id.in_(sa.select(DownloadLog.user_id).where(DownloadLog.asset_id == asset.id)))
        .order_by(User.id)
    ).all()
    title = f"Mẫu {asset.code} đã bị thu hồi, không dùng nữa"
    lines = [
        f"Mẫu {asset.code} ({_quoted(asset.submission.title)}) mà bạn đã tải về "
        "đã bị thu hồi. Vui lòng không in hoặc treo mẫu này; nếu đã treo, hãy tháo dỡ.",
    ]
    if asset.revoke_reason:
        lines.append(f"Lý do thu hồi: {asset.revoke_reason}")
    link = _path("library.detail", code=asset.code)
    return [
        deliver(u, "revoked", title, "\n".join(lines), link, asset.submission)
        for u in _active(downloaders, event.actor_id)
    ]


def _replied(event, reply: AnnotationReply) -> list[Notification]:
    annotation: Annotation = reply.annotation
    submission = annotation.version.submission
    actor = reply.author
    side = is_designer(actor)
    everyone = [
        annotation.author,
        *(r.author for r in annotation.replies),
        *designers_of(submission),
    ]
    others = [u for u in everyone if u is not None and is_designer(u) != side]
    title = f"Trả lời ghi chú trên hồ sơ {_quoted(submission.title)}"
    lines = [
        f"{actor.display_name} đã trả lời ghi chú “{annotation.body}” "
        f"({annotation.version.label}):",
        reply.body,
    ]
    made = []
    for user in _active(others, event.actor_id):
        endpoint = "submissions.detail" if is_designer(user) else "reviews.detail"
        link = _path(endpoint, submission_id=submission.id)
        made.append(deliver(user, "pin_reply", title, "\n".join(lines), link, submission))
    return made


def _last_decided_review(submission: Submission) -> Review | None:
    return db.session.scalar(
        sa.select(Review)
        .where(Review.submission_id == submission.id, Review.decision.is_not(None))
        .order_by(Review.decided_at.desc(), Review.id.desc())
        .limit(1)
    )


def _open_review(submission: Submission) -> Review | None:
    return db.session.scalar(
        sa.select(Review)
        .where(Review.submission_id == submission.id, Review.decision.is_(None))
        .order_by(Review.id.desc())
        .limit(1)
    )


def _open_pins(submission: Submission) -> list[Annotation]:
    return list(
        db.session.scalars(
            sa.select(Annotation)
            .join(ArtworkVersion, Annotation.version_id == ArtworkVersion.id)
            .where(ArtworkVersion.submission_id == submission.id, Annotation.resolved_at.is_(None))
            .order_by(Annotation.id)
        )
    )


def event_label(event) -> str:
    """What the actor did, in words that follow "đã"."""
    data = event.data or {}
    if event.action == "submission.sign":
        return "ký duyệt" if data.get("target") == "approved" else "ký không duyệt"
    return {
        "submission.approve": "duyệt",
        "submission.reject": "không duyệt",
        "submission.request_changes": "yêu cầu chỉnh sửa",
    }[event.action]


_RULES: dict[str, Callable] = {
    "submission.submit": _submitted,
    "submission.approve": _decided,
    "submission.reject": _decided,
    "submission.request_changes": _decided,
    "submission.sign": _decided,
    "submission.recommend_approval": _recommended,
    "submission.recommend_rejection": _recommended,
    "submission.return": _returned,
    "asset.revoked": _revoked,
    "annotation.replied": _replied,
}
