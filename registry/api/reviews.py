"""The current review of a submission, its checklist answers, and pinned comments."""

from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint

from registry.api.auth import current_api_user, require_token
from registry.api.schemas import AnnotationIn, AnnotationOut, AnswerIn, ReviewOut
from registry.exceptions import Conflict
from registry.extensions import db
from registry.permissions import can_review, require
from registry.reviews import operations
from registry.reviews.models import Annotation
from registry.submissions.queries import load_submission, load_version

blp = Blueprint(
    "api_reviews", __name__, url_prefix="/api/v1", description="Thẩm định và ghi chú trên mẫu"
)
blp.before_request(require_token)
SECURITY = [{"bearerAuth": []}]


def _review_of(submission):
    review = operations.current_review(submission) or operations.previous_review(submission)
    if review is None:
        raise Conflict("Hồ sơ chưa có lượt thẩm định nào.", code="no_review")
    return review


@blp.route("/submissions/<int:submission_id>/review")
@blp.response(200, ReviewOut)
@blp.doc(security=SECURITY)
def get_review(submission_id):
    """The open review of the latest version, or the latest decided one."""
    return _review_of(load_submission(current_api_user(), submission_id))


@blp.route("/submissions/<int:submission_id>/review/answers", methods=["PUT"])
@blp.arguments(AnswerIn(many=True))
@blp.response(200, ReviewOut)
@blp.doc(security=SECURITY)
def put_answers(answers, submission_id):
    """Record checklist answers (overriding an automatic answer needs a comment)."""
    user = current_api_user()
    require(can_review(user))
    submission = load_submission(user, submission_id)
    review = operations.current_review(submission)
    if review is None:
        raise Conflict("Chưa có lượt thẩm định đang mở; hãy nhận hồ sơ trước.", code="no_review")
    operations.save_answers(user, review, answers)
    db.session.commit()
    return review


@blp.route("/versions/<int:version_id>/annotations")
@blp.response(200, AnnotationOut(many=True))
@blp.doc(security=SECURITY)
def list_annotations(version_id):
    """Pinned comments of a version."""
    version = load_version(current_api_user(), version_id)
    return db.session.scalars(
        sa.select(Annotation).where(Annotation.version_id == version.id).order_by(Annotation.id)
    ).all()


@blp.route("/versions/<int:version_id>/annotations", methods=["POST"])
@blp.arguments(AnnotationIn)
@blp.response(201, AnnotationOut)
@blp.doc(security=SECURITY)
def add_annotation(data, version_id):
    """Pin a comment at a relative point (x, y in 0..1) of the version's image."""
    user = current_api_user()
    require(can_review(user))
    version = load_version(user, version_id)
    annotation = operations.add_annotation(user, version, data["x"], data["y"], data["body"])
    db.session.commit()
    return annotation
