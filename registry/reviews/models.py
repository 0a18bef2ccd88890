"""Reviews of artwork versions: checklist answers, pinned comments and the decision."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import LazyString, pgettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so

from registry.auth.models import User
from registry.campaigns.models import ChecklistItem, ChecklistVersion
from registry.db import Base, enum_check, utcnow
from registry.submissions.models import ArtworkVersion, Submission

# The reviewer's decisions: workflow actions whose labels every page and the API show. Their
# words are verbs ("Reject"), where the same Vietnamese names a status elsewhere ("Rejected"):
# a lazy pgettext, written so that pybabel's pgettext keyword extracts it.
DECISIONS = {
    "approve": LazyString(lambda: pgettext("decision", "Duyệt")),
    "request_changes": LazyString(lambda: pgettext("decision", "Yêu cầu chỉnh sửa")),
    "reject": LazyString(lambda: pgettext("decision", "Không duyệt")),
}
# What a reviewer may recommend to the head of division in a two-step sign-off.
RECOMMENDATIONS = {"approve": _l("Đề xuất duyệt"), "reject": _l("Đề xuất không duyệt")}
RESULTS = {"pass": _l("Đạt"), "fail": _l("Không đạt"), "na": _l("Không áp dụng")}


class Review(Base):
    """One reviewer's evaluation of one artwork version; frozen once decided."""

    __tablename__ = "reviews"
    __table_args__ = (
        enum_check("decision", DECISIONS),
        enum_check("recommendation", RECOMMENDATIONS),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    submission_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("submissions.id"), index=True)
    version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("artwork_versions.id"), index=True)
    reviewer_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    checklist_version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("checklist_versions.id"))
    decision: so.Mapped[str | None] = so.mapped_column(sa.String(24))
    comment: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    started_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    decided_at: so.Mapped[datetime | None]
    # Two-step sign-off: the reviewer's recommendation, then the head who signed it.
    recommendation: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    recommended_at: so.Mapped[datetime | None]
    signer_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))

    submission: so.Mapped[Submission] = so.relationship()
    version: so.Mapped[ArtworkVersion] = so.relationship()
    reviewer: so.Mapped[User] = so.relationship(foreign_keys=[reviewer_id])
    signer: so.Mapped[User | None] = so.relationship(foreign_keys=[signer_id])
    checklist_version: so.Mapped[ChecklistVersion] = so.relationship()
    answers: so.Mapped[list[ChecklistAnswer]] = so.relationship(
        back_populates="review", cascade="all, delete-orphan"
    )

    @property
    def is_decided(self) -> bool:
        return self.decision is not None

    @property
    def recommendation_label(self) -> str:
        return str(RECOMMENDATIONS.get(self.recommendation, ""))

    @property
    def decision_label(self) -> str:
        return str(DECISIONS.get(self.decision, ""))

    def __repr__(self) -> str:
        return f"<Review {self.id} of {self.submission_id} {self.decision}>"


class ChecklistAnswer(Base):
    __tablename__ = "checklist_answers"
    __table_args__ = (
        sa.UniqueConstraint("review_id", "item_id"),
        enum_check("result", RESULTS),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    review_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("reviews.id", ondelete="CASCADE"))
    item_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("checklist_items.id"))
    result: so.Mapped[str | None] = so.mapped_column(sa.String(8))
    comment: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    # Set by an automatic pre-check; the reviewer may override it with a comment.
    automatic_result: so.Mapped[str | None] = so.mapped_column(sa.String(8))
    evidence: so.Mapped[dict | None] = so.mapped_column(sa.JSON)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)

    review: so.Mapped[Review] = so.relationship(back_populates="answers")
    item: so.Mapped[ChecklistItem] = so.relationship()

    def __repr__(self) -> str:
        return f"<ChecklistAnswer {self.review_id}/{self.item_id} {self.result}>"


class Annotation(Base):
    """A comment pinned at a point (relative x, y in 0..1) of a version's image."""

    __tablename__ = "annotations"
    __table_args__ = (
        sa.CheckConstraint("x >= 0 AND x <= 1 AND y >= 0 AND y <= 1", name="point_inside"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("artwork_versions.id"), index=True)
    author_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    x: so.Mapped[float]
    y: so.Mapped[float]
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    resolved_at: so.Mapped[datetime | None]
    resolved_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))

    version: so.Mapped[ArtworkVersion] = so.relationship()
    author: so.Mapped[User] = so.relationship(foreign_keys=[author_id])
    replies: so.Mapped[list[AnnotationReply]] = so.relationship(
        back_populates="annotation", order_by="AnnotationReply.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Annotation {self.id} on {self.version_id}>"


class AnnotationReply(Base):
    """An answer in a pinned comment's conversation: the designer's, or a reviewer's."""

    __tablename__ = "annotation_replies"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    annotation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    author_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    annotation: so.Mapped[Annotation] = so.relationship(back_populates="replies")
    author: so.Mapped[User] = so.relationship()

    def __repr__(self) -> str:
        return f"<AnnotationReply {self.id} to {self.annotation_id}>"
