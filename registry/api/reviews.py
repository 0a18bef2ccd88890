"""The current review of a submission, its checklist answers, and pinned comments."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry.api.auth import current_api_user
from registry.api.blueprint import ApiBlueprint
from registry.api.schemas import (
    AnnotationIn,
    AnnotationOut,
    AnswerIn,
    ReplyIn,
    ReplyOut,
    ReviewOut,
)
from registry.error_codes import ErrorCode
from registry.exceptions import Conflict
from registry.extensions import db
from registry.permissions import can_reply_annotation, can_review, require
from registry.reviews import operations
from registry.reviews.models import Annotation
from registry.reviews.queries import load_annotation
from registry.submissions.queries import load_submission, load_version

blp = ApiBlueprint(
    "api_reviews", __name__, url_prefix="/api/v1", description=_l("Thẩm định và ghi chú trên mẫu")
)


def _review_of(submission):
    review = operations.current_review(submission) or operations.previous_review(submission)
    if review is None:
        raise Conflict(_("Hồ sơ chưa có lượt thẩm định nào."), code=ErrorCode.NO_REVIEW)
    return review


@blp.route("/submissions/<int:submission_id>/review")
@blp.errors(ErrorCode.NOT_FOUND, ErrorCode.NO_REVIEW)
@blp.response(200, ReviewOut)
def get_review(submission_id):
    """The open review of the latest version, or the latest decided one."""
    return _review_of(load_submission(current_api_user(), submission_id))


@blp.route("/submissions/<int:submission_id>/review/answers", methods=["PUT"])
@blp.errors(
    ErrorCode.NOT_FOUND,
    ErrorCode.FORBIDDEN,
    ErrorCode.NO_REVIEW,
    ErrorCode.DECIDED,
    ErrorCode.UNKNOWN_ITEM,
    ErrorCode.DUPLICATE_ITEM,
    ErrorCode.NA_NOT_ALLOWED,
    ErrorCode.COMMENT_REQUIRED,
)
@blp.arguments(AnswerIn(many=True))
@blp.response(200, ReviewOut)
def put_answers(answers, submission_id):
    """Record checklist answers (overriding an automatic answer needs a comment)."""
    user = current_api_user()
    require(can_review(user))
    submission = load_submission(user, submission_id)
    review = operations.current_review(submission)
    if review is None:
        raise Conflict(
            _("Chưa có lượt thẩm định đang mở; hãy nhận hồ sơ trước."), code=ErrorCode.NO_REVIEW
        )
    operations.save_answers(user, review, answers)
    db.session.commit()
    return review


@blp.route("/versions/<int:version_id>/annotations")
@blp.errors(ErrorCode.NOT_FOUND)
@blp.response(200, AnnotationOut(many=True))
def list_annotations(version_id):
    """Pinned comments of a version."""
    version = load_version(current_api_user(), version_id)
    return db.session.scalars(
        sa.select(Annotation).where(Annotation.version_id == version.id).order_by(Annotation.id)
    ).all()


@blp.route("/versions/<int:version_id>/annotations", methods=["POST"])
@blp.errors(ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.OUTSIDE_IMAGE, ErrorCode.EMPTY_TEXT)
@blp.arguments(AnnotationIn)
@blp.response(201, AnnotationOut)
def add_annotation(data, version_id):
    """Pin a comment at a relative point (x, y in 0..1) of the version's image."""
    user = current_api_user()
    require(can_review(user))
    version = load_version(user, version_id)
    annotation = operations.add_annotation(user, version, data["x"], data["y"], data["body"])
    db.session.commit()
    return annotation


@blp.route("/annotations/<int:annotation_id>/replies", methods=["POST"])
@blp.errors(ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.EMPTY_TEXT)
@blp.arguments(ReplyIn)
@blp.response(201, ReplyOut)
def reply(data, annotation_id):
    """Answer a pinned comment (the designers of the submission's unit, or a reviewer)."""
    user = current_api_user()
    annotation = load_annotation(user, annotation_id)
    require(can_reply_annotation(user, annotation))
    answer = operations.reply_to_annotation(user, annotation, data["body"])
    db.session.commit()
    return answer
