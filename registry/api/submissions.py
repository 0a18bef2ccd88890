"""Submissions, versions, placements and workflow transitions."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry.api.auth import current_api_user
from registry.api.blueprint import ApiBlueprint, page_of
from registry.api.schemas import (
    PlacementIn,
    PlacementOut,
    SubmissionIn,
    SubmissionOut,
    SubmissionPatch,
    SubmissionQuery,
    TransitionIn,
    UploadIn,
    VersionOut,
)
from registry.campaigns.models import Campaign
from registry.error_codes import ErrorCode
from registry.exceptions import InvalidInput
from registry.extensions import db
from registry.integers import int_arg
from registry.permissions import can_create_submission, can_edit_submission, require
from registry.storage.spool import allow_print_file, stream_uploads_to
from registry.submissions import ingest, operations
from registry.submissions.queries import (
    load_placement,
    load_submission,
    slogans_by_ids,
    submission_list,
    unit_by_code,
)
from registry.workflow import apply_transition

blp = ApiBlueprint(
    "api_submissions",
    __name__,
    url_prefix="/api/v1",
    description=_l("Hồ sơ mẫu, phiên bản, vị trí và quy trình"),
)
#: What any change to a submission of the caller's can meet.
EDIT_ERRORS = (ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.NOT_EDITABLE)
SLOGAN_ERRORS = (ErrorCode.SCOPE, ErrorCode.UNKNOWN_SLOGAN, ErrorCode.FOREIGN_SLOGAN)
PLACEMENT_ERRORS = (
    *EDIT_ERRORS,
    ErrorCode.UNKNOWN_UNIT,
    ErrorCode.OUTSIDE_UNIT,
    ErrorCode.OUTSIDE_PROVINCE,
    ErrorCode.PERIOD_REVERSED,
    ErrorCode.PERIOD_OVER,
    ErrorCode.PERIOD_OUTSIDE_CAMPAIGN,
)
UPLOAD_ERRORS = (
    *EDIT_ERRORS,
    ErrorCode.STALE,
    ErrorCode.TOO_LARGE,
    ErrorCode.DUPLICATE,
    ErrorCode.BAD_NAME,
    ErrorCode.EMPTY,
    ErrorCode.UNSUPPORTED_TYPE,
    ErrorCode.UNSUPPORTED_MODE,
    ErrorCode.CORRUPT,
    ErrorCode.ANIMATED,
    ErrorCode.TOO_MANY_PIXELS,
    ErrorCode.UNSUPPORTED_PRINT_TYPE,
    ErrorCode.STORAGE_UNAVAILABLE,
)
TRANSITION_ERRORS = (
    ErrorCode.NOT_FOUND,
    ErrorCode.FORBIDDEN,
    ErrorCode.OWN_UPLOAD,
    ErrorCode.OWN_REVIEW,
    ErrorCode.STALE,
    ErrorCode.UNKNOWN_ACTION,
    ErrorCode.SIGNOFF_MODE,
    ErrorCode.INVALID_STATE,
    ErrorCode.NOT_READY,
    ErrorCode.REASON_REQUIRED,
    ErrorCode.NOTE_REQUIRED,
    ErrorCode.NO_REVIEW,
    ErrorCode.CHECKLIST_INCOMPLETE,
    ErrorCode.NO_FAILED_ITEM,
    ErrorCode.STORAGE_UNAVAILABLE,
    ErrorCode.SIGNING_UNAVAILABLE,
)


def _unit(code: str):
    unit = unit_by_code(code)
    if unit is None:
        raise InvalidInput(
            _("Không có đơn vị mã “%(code)s”.", code=code),
            code=ErrorCode.UNKNOWN_UNIT,
            field="unit_code",
        )
    return unit


@blp.route("/submissions")
@blp.arguments(SubmissionQuery, location="query")
@blp.response(200, SubmissionOut(many=True))
def list_submissions(query):
    """List the submissions the caller may see, newest change first."""
    stmt = submission_list(
        current_api_user(),
        status=query.get("status"),
        campaign_id=query.get("campaign_id"),
        format=query.get("format"),
    )
    return page_of(stmt, query)


@blp.route("/submissions", methods=["POST"])
@blp.errors(
    ErrorCode.FORBIDDEN, ErrorCode.CAMPAIGN_CLOSED, ErrorCode.UNKNOWN_CAMPAIGN, *SLOGAN_ERRORS
)
@blp.arguments(SubmissionIn)
@blp.response(201, SubmissionOut)
def create_submission(data):
    """Create a draft submission for the caller's unit."""
    user = current_api_user()
    require(can_create_submission(user))
    campaign = db.session.get(Campaign, data.pop("campaign_id"))
    if campaign is None:
        raise InvalidInput(
            _("Đợt tuyên truyền không tồn tại."),
            code=ErrorCode.UNKNOWN_CAMPAIGN,
            field="campaign_id",
        )
    slogans = slogans_by_ids(data.pop("slogan_ids"))
    submission = operations.create_submission(user, campaign, slogans, **data)
    db.session.commit()
    return submission


@blp.route("/submissions/<int:submission_id>")
@blp.errors(ErrorCode.NOT_FOUND)
@blp.response(200, SubmissionOut)
def get_submission(submission_id):
    """One submission with its versions and placements."""
    return load_submission(current_api_user(), submission_id)


@blp.route("/submissions/<int:submission_id>", methods=["PATCH"])
@blp.errors(*EDIT_ERRORS, ErrorCode.STALE, *SLOGAN_ERRORS)
@blp.arguments(SubmissionPatch(partial=True), required=False)  # no body: nothing changes
@blp.response(200, SubmissionOut)
def patch_submission(data, submission_id):
    """Change a draft (or changes-requested) submission."""
    user = current_api_user()
    submission = load_submission(user, submission_id)
    require(can_edit_submission(user, submission))
    slogans = slogans_by_ids(data.pop("slogan_ids")) if "slogan_ids" in data else None
    operations.update_submission(
        user, submission, slogans, expected_lock_version=data.pop("lock_version", None), **data
    )
    db.session.commit()
    return submission


@blp.route("/submissions/<int:submission_id>/versions", methods=["POST"])
@blp.errors(*UPLOAD_ERRORS)
@blp.arguments(UploadIn, location="files")
@blp.response(201, VersionOut)
def upload_version(files, submission_id):
    """Upload a new artwork version (multipart `file`, optional `print_file`)."""
    user = current_api_user()
    # A multipart field, so not in the schema: "abc" or 2.5 is refused, never ignored.
    lock_version = int_arg("lock_version", minimum=0, source=request.form)
    submission = load_submission(user, submission_id)
    require(can_edit_submission(user, submission))
    version = ingest.add_version(
        user,
        submission,
        files["file"],
        files.get("print_file"),
        expected_lock_version=lock_version,
    )
    db.session.commit()
    return version


@blp.before_request
def _before_upload():
    if request.endpoint == "api_submissions.upload_version":
        # The caller is authenticated by now. Refuse another unit's submission, or one that can
        # no longer change, before reading a byte of the body: nothing of a refused caller's
        # file ever reaches the store, not even as parts of an upload aborted later.
        user = current_api_user()
        require(
            can_edit_submission(user, load_submission(user, request.view_args["submission_id"]))
        )
        allow_print_file()
        # The artwork is stored while the body arrives.
        stream_uploads_to(f"uploads/{request.view_args['submission_id']}/")


@blp.route("/submissions/<int:submission_id>/placements", methods=["POST"])
@blp.errors(*PLACEMENT_ERRORS)
@blp.arguments(PlacementIn)
@blp.response(201, PlacementOut)
def add_placement(data, submission_id):
    """Declare a placement."""
    user = current_api_user()
    submission = load_submission(user, submission_id)
    require(can_edit_submission(user, submission))
    placement = operations.add_placement(user, submission, _unit(data.pop("unit_code")), **data)
    db.session.commit()
    return placement


@blp.route("/placements/<int:placement_id>", methods=["PATCH"])
@blp.errors(*PLACEMENT_ERRORS)
@blp.arguments(PlacementIn(partial=True), required=False)  # no body: nothing changes
@blp.response(200, PlacementOut)
def patch_placement(data, placement_id):
    """Change a placement."""
    user = current_api_user()
    placement = load_placement(user, placement_id)
    require(can_edit_submission(user, placement.submission))
    unit = _unit(data.pop("unit_code")) if "unit_code" in data else placement.unit
    operations.update_placement(user, placement, unit, **data)
    db.session.commit()
    return placement


@blp.route("/placements/<int:placement_id>", methods=["DELETE"])
@blp.errors(*EDIT_ERRORS)
@blp.response(204)
def delete_placement(placement_id):
    """Remove a placement."""
    user = current_api_user()
    placement = load_placement(user, placement_id)
    require(can_edit_submission(user, placement.submission))
    operations.delete_placement(user, placement)
    db.session.commit()


@blp.route("/submissions/<int:submission_id>/transitions", methods=["POST"])
@blp.errors(*TRANSITION_ERRORS)
@blp.arguments(TransitionIn)
@blp.response(200, SubmissionOut)
def transition(data, submission_id):
    """Move the submission along the workflow (submit, withdraw, claim, release, approve,
    request_changes, reject, recommend_approval, recommend_rejection, sign, return, revoke)."""
    user = current_api_user()
    submission = load_submission(user, submission_id)
    apply_transition(
        user,
        submission,
        data["action"],
        comment=data["comment"],
        expected_lock_version=data.get("lock_version"),
    )
    db.session.commit()
    return submission
