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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry.auth.models import User
from registry.extensions import db
from registry.i18n import language_of
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


def deliver_each(users: Iterable[User], kind: str, compose: Callable, link: str, submission=None):
    """Deliver to each user a notification whose title and body `compose()` writes in that
    user's language. They are stored as written: a notification is a message sent to one person,
    read later in the language it was sent in."""
    made = []
    for user in users:
        with language_of(user):
            title, body = compose()
        made.append(deliver(user, kind, title, body, link, submission))
    return made


def _actor_name(event) -> str:
    actor = db.session.get(User, event.actor_id) if event.actor_id else None
    return actor.display_name if actor is not None else _("Hệ thống")


def _gist(text: str, limit: int = 90) -> str:
    """A checklist item's first sentence, cut to a line."""
    first = text.strip().split(". ")[0].rstrip(".")
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


# The rules, one per kind of event.


def _submitted(event, submission: Submission) -> list[Notification]:
    note = ((event.data or {}).get("comment") or "").strip()
    resubmitted = bool(note) and len(submission.versions) > 1
    recipients = _people(reviewers())
    scripts = _minority_scripts(submission)
    readers = _people(script_readers()) if scripts else []
    if readers:
        recipients = readers

    def compose():
        names = {"title": submission.title}
        title = (
            _("Hồ sơ “%(title)s” được gửi lại để thẩm định", **names)
            if resubmitted
            else _("Hồ sơ mới chờ thẩm định: “%(title)s”", **names)
        )
        lines = [
            _(
                "%(actor)s (%(unit)s) đã gửi hồ sơ “%(title)s” (đợt %(campaign)s) để thẩm định.",
                actor=_actor_name(event),
                unit=submission.unit.name,
                campaign=submission.campaign.title,
                **names,
            )
        ]
        if resubmitted:
            lines.append(_("Những gì đã thay đổi: %(note)s", note=note))
        if scripts:
            words = script_words(scripts)
            lines.append(
                _(
                    "Mẫu có chữ %(scripts)s: hồ sơ được báo trước cho chuyên viên "
                    "đọc được chữ này.",
                    scripts=words,
                )
                if readers
                else _(
                    "Mẫu có chữ %(scripts)s; chưa có chuyên viên nào được ghi nhận "
                    "đọc được chữ này.",
                    scripts=words,
                )
            )
        return title, "\n".join(lines)

    link = _path("reviews.detail", submission_id=submission.id)
    return deliver_each(_active(recipients, event.actor_id), "submitted", compose, link, submission)


SCRIPT_NAMES = {"khmer": _l("Khmer"), "cham": _l("Chăm")}


def _minority_scripts(submission: Submission) -> list[str]:
    """The minority scripts the latest version's text reading found ([] if none or not read)."""
    version = submission.latest_version
    found = (
        db.session.scalar(
            sa.select(TextReading.minority_scripts).where(TextReading.version_id == version.id)
        )
        if version is not None
        else None
    )
    return [s for s in (found or "").split(",") if s]


def script_words(scripts: list[str]) -> str:
    """Minority scripts in words, in the language being rendered ("Khmer và Chăm")."""
    names = [str(SCRIPT_NAMES.get(s, s)) for s in scripts]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s và %(last)s", first=", ".join(names[:-1]), last=names[-1])


def _decided(event, submission: Submission) -> list[Notification]:
    data = event.data or {}
    target = data.get("target")
    review = _last_decided_review(submission)
    comment = ((review.comment if review is not None else "") or data.get("comment") or "").strip()
    failed = sorted(
        (a for a in (review.answers if review is not None else []) if a.result == "fail"),
        key=lambda a: a.item.code,
    )
    pins = _open_pins(submission)

    def compose():
        verdict = {
            "approved": _("Hồ sơ “%(title)s” đã được duyệt", title=submission.title),
            "rejected": _("Hồ sơ “%(title)s” không được duyệt", title=submission.title),
            "changes_requested": _("Hồ sơ “%(title)s” cần chỉnh sửa", title=submission.title),
        }[target]
        lines = [decision_sentence(event, _actor_name(event), submission.title)]
        if comment:
            lines.append(_("Ý kiến: %(comment)s", comment=comment))
        if failed:
            lines.append(_("Tiêu chí không đạt:"))
            lines.extend(
                f"• {a.item.code} ({_gist(a.item.text)})"
                + (f": {a.comment.strip()}" if a.comment.strip() else "")
                for a in failed
            )
        if pins:
            lines.append(_("Ghi chú trên mẫu chưa giải quyết:"))
            lines.extend(f"• {p.version.label}: {p.body}" for p in pins)
        return verdict, "\n".join(lines)

    link = _path("submissions.detail", submission_id=submission.id)
    designers = _active(designers_of(submission), event.actor_id)
    made = deliver_each(designers, "decision", compose, link, submission)
    if target == "approved":
        made += _approved_for_unit(event, submission)
    return made


def _approved_for_unit(event, submission: Submission) -> list[Notification]:
    codes = db.session.scalars(
        sa.select(ApprovedAsset.code)
        .where(ApprovedAsset.submission_id == submission.id, ApprovedAsset.revoked_at.is_(None))
        .order_by(ApprovedAsset.code)
    ).all()

    def compose():
        title = _("Mẫu mới đã duyệt cho đơn vị: “%(title)s”", title=submission.title)
        lines = [
            _(
                "Hồ sơ “%(title)s” của %(unit)s đã được duyệt và có trong thư viện mẫu; "
                "đơn vị có thể tải về để in và lắp đặt.",
                title=submission.title,
                unit=submission.unit.name,
            )
        ]
        if codes:
            lines.append(_("Mã phê duyệt: %(codes)s", codes=", ".join(codes)))
        return title, "\n".join(lines)

    link = (
        _path("library.detail", code=codes[0])
        if codes
        else _path("submissions.detail", submission_id=submission.id)
    )
    localities = _active(_people(site_followers(), unit_id=submission.unit_id), event.actor_id)
    return deliver_each(localities, "approved", compose, link, submission)


def _recommended(event, submission: Submission) -> list[Notification]:
    review = _open_review(submission)
    recommendation = review.recommendation if review is not None else None
    comment = ((event.data or {}).get("comment") or "").strip()

    def compose():
        label = review.recommendation_label if review is not None else ""
        label = (label or _("Đề xuất")).lower()
        names = {
            "actor": _actor_name(event),
            "title": submission.title,
            "unit": submission.unit.name,
        }
        if recommendation == "approve":
            line = _(
                "%(actor)s đã đề xuất duyệt hồ sơ “%(title)s” (%(unit)s); "
                "hồ sơ chờ lãnh đạo phòng ký duyệt.",
                **names,
            )
        elif recommendation == "reject":
            line = _(
                "%(actor)s đã đề xuất không duyệt hồ sơ “%(title)s” (%(unit)s); "
                "hồ sơ chờ lãnh đạo phòng ký duyệt.",
                **names,
            )
        else:
            line = _(
                "%(actor)s đã đề xuất hồ sơ “%(title)s” (%(unit)s); "
                "hồ sơ chờ lãnh đạo phòng ký duyệt.",
                **names,
            )
        lines = [line]
        if comment:
            lines.append(_("Ý kiến: %(comment)s", comment=comment))
        title = _(
            "Chờ ký duyệt: “%(title)s” (%(recommendation)s)",
            title=submission.title,
            recommendation=label,
        )
        return title, "\n".join(lines)

    link = _path("reviews.detail", submission_id=submission.id)
    heads = _active(_people(signers()), event.actor_id)
    return deliver_each(heads, "signoff", compose, link, submission)


def _returned(event, submission: Submission) -> list[Notification]:
    review = _open_review(submission)
    reviewer = review.reviewer if review is not None else submission.assignee
    comment = ((event.data or {}).get("comment") or "").strip()

    def compose():
        title = _("Hồ sơ “%(title)s” bị trả lại, chưa ký duyệt", title=submission.title)
        lines = [
            _(
                "%(actor)s đã trả lại hồ sơ “%(title)s” để xem lại.",
                actor=_actor_name(event),
                title=submission.title,
            )
        ]
        if comment:
            lines.append(_("Ý kiến: %(comment)s", comment=comment))
        return title, "\n".join(lines)

    link = _path("reviews.detail", submission_id=submission.id)
    return deliver_each(_active([reviewer], event.actor_id), "signoff", compose, link, submission)


def _revoked(event, asset: ApprovedAsset) -> list[Notification]:
    downloaders = db.session.scalars(
        sa.select(User)
        .where(User.id.in_(sa.select(DownloadLog.user_id).where(DownloadLog.asset_id == asset.id)))
        .order_by(User.id)
    ).all()

    def compose():
        title = _("Mẫu %(code)s đã bị thu hồi, không dùng nữa", code=asset.code)
        lines = [
            _(
                "Mẫu %(code)s (“%(title)s”) mà bạn đã tải về đã bị thu hồi. Vui lòng không in "
                "hoặc treo mẫu này; nếu đã treo, hãy tháo dỡ.",
                code=asset.code,
                title=asset.submission.title,
            )
        ]
        if asset.revoke_reason:
            lines.append(_("Lý do thu hồi: %(reason)s", reason=asset.revoke_reason))
        return title, "\n".join(lines)

    link = _path("library.detail", code=asset.code)
    people = _active(downloaders, event.actor_id)
    return deliver_each(people, "revoked", compose, link, asset.submission)


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

    def compose():
        title = _("Trả lời ghi chú trên hồ sơ “%(title)s”", title=submission.title)
        lines = [
            _(
                "%(actor)s đã trả lời ghi chú “%(pin)s” (%(version)s):",
                actor=actor.display_name,
                pin=annotation.body,
                version=annotation.version.label,
            ),
            reply.body,
        ]
        return title, "\n".join(lines)

    made = []
    for user in _active(others, event.actor_id):
        endpoint = "submissions.detail" if is_designer(user) else "reviews.detail"
        link = _path(endpoint, submission_id=submission.id)
        made += deliver_each([user], "pin_reply", compose, link, submission)
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


def decision_sentence(event, actor: str, title: str) -> str:
    """What the actor decided, as a sentence in the language being rendered."""
    if event.action == "submission.sign":
        if (event.data or {}).get("target") == "approved":
            return _("%(actor)s đã ký duyệt hồ sơ “%(title)s”.", actor=actor, title=title)
        return _("%(actor)s đã ký không duyệt hồ sơ “%(title)s”.", actor=actor, title=title)
    return {
        "submission.approve": _("%(actor)s đã duyệt hồ sơ “%(title)s”.", actor=actor, title=title),
        "submission.reject": _(
            "%(actor)s đã không duyệt hồ sơ “%(title)s”.", actor=actor, title=title
        ),
        "submission.request_changes": _(
            "%(actor)s đã yêu cầu chỉnh sửa hồ sơ “%(title)s”.", actor=actor, title=title
        ),
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
