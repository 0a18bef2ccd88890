"""Marshmallow schemas of the API; field names follow the models."""

from flask_babel import lazy_gettext as _l
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from registry.api.blueprint import PageQuery
from registry.api.fields import Measure, Secret, Text
from registry.duedates import due_state
from registry.integers import DbInteger
from registry.library.downloads import FILE_KINDS
from registry.library.models import ASSET_STATUSES
from registry.library.presenters import asset_status
from registry.reviews.models import RESULTS
from registry.submissions.models import FORMATS, SCOPES, SITE_TYPES, STATUSES
from registry.submissions.presenters import print_ppi, version_warnings
from registry.workflow import TRANSITIONS

# An asset's state is computed for today; the list (and its order) is ASSET_STATUSES'.
ASSET_STATUS_DOC = {
    "type": "string",
    "enum": [*ASSET_STATUSES],
    "description": ", ".join(ASSET_STATUSES) + " (today)",
}


class TokenRequest(Schema):
    username = Text(label=_l("Tên đăng nhập"), required=True)
    password = Secret(label=_l("Mật khẩu"), required=True, load_only=True)


class TokenResponse(Schema):
    token = fields.String(required=True)
    expires_in = fields.Integer(metadata={"description": "seconds"})


class CampaignOut(Schema):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    legal_basis = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    slogans = fields.Method("_slogans")

    def _slogans(self, campaign):
        return [{"id": s.id, "text": s.text} for s in campaign.active_slogans]


class UnitOut(Schema):
    code = fields.String()
    name = fields.String()
    kind = fields.String()


class SubmissionIn(Schema):
    campaign_id = DbInteger(required=True, minimum=1)
    title = Text(label=_l("Tên mẫu"), required=True, validate=validate.Length(max=300))
    format = Text(label=_l("Loại sản phẩm"), required=True, validate=validate.OneOf(FORMATS))
    scope = Text(label=_l("Phạm vi sử dụng"), load_default="unit", validate=validate.OneOf(SCOPES))
    width_cm = Measure(required=True, validate=validate.Range(min=1, max=100_000))
    height_cm = Measure(required=True, validate=validate.Range(min=1, max=100_000))
    slogan_ids = fields.List(DbInteger(minimum=1), load_default=list)
    other_text = Text(
        label=_l("Nội dung chữ khác trên mẫu"),
        multiline=True,
        load_default="",
        validate=validate.Length(max=5000),
    )
    description = Text(
        label=_l("Mô tả ngắn"), multiline=True, load_default="", validate=validate.Length(max=5000)
    )


class SubmissionPatch(SubmissionIn):
    lock_version = DbInteger(
        minimum=0,
        metadata={"description": "the lock_version last read; a stale value is refused with 409"},
    )

    class Meta:
        exclude = ("campaign_id",)


class VersionOut(Schema):
    id = fields.Integer()
    number = fields.Integer()
    sha256 = fields.String()
    size_bytes = fields.Integer()
    content_type = fields.String()
    original_name = fields.String()
    image_format = fields.String()
    width_px = fields.Integer()
    height_px = fields.Integer()
    color_mode = fields.String()
    bit_depth = fields.Integer()
    has_icc_profile = fields.Boolean()
    dpi_x = fields.Float(allow_none=True)
    dpi_y = fields.Float(allow_none=True)
    print_sha256 = fields.String(allow_none=True)
    print_kind = fields.String(allow_none=True)
    renditions_state = fields.String(
        metadata={
            "description": "the preview and thumbnail: pending (being made after the upload), "
            "ready, or failed (renditions_error says why)"
        }
    )
    renditions_error = fields.String(allow_none=True)
    change_note = fields.String(
        allow_none=True,
        metadata={"description": "what the designer said changed, when resubmitting it"},
    )
    created_at = fields.DateTime()
    effective_ppi = fields.Method("_ppi")
    warnings = fields.Method("_warnings")

    def _ppi(self, version):
        return round(print_ppi(version, version.submission), 1)

    def _warnings(self, version):
        return version_warnings(version, version.submission)


class PlacementIn(Schema):
    unit_code = Text(label=_l("Đơn vị nơi treo/dựng"), required=True)
    address = Text(label=_l("Địa chỉ"), required=True, validate=validate.Length(max=400))
    lat = fields.Float(required=True, validate=validate.Range(min=-90, max=90))
    lon = fields.Float(required=True, validate=validate.Range(min=-180, max=180))
    site_type = Text(label=_l("Loại vị trí"), required=True, validate=validate.OneOf(SITE_TYPES))
    quantity = DbInteger(load_default=1, minimum=1, maximum=10_000)
    viewing_distance_m = Measure(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=500, error=_l("Khoảng cách xem từ 1 đến 500 m.")),
        metadata={"description": "metres; empty means the site type's default"},
    )
    display_from = fields.Date(required=True)
    display_to = fields.Date(required=True)


class PlacementOut(PlacementIn):
    id = fields.Integer()
    submission_id = fields.Integer()
    unit_code = fields.Function(lambda p: p.unit.code)


def _due(submission) -> dict | None:
    """How the due date stands today: overdue / today / soon / later, the working days, a label
    in the caller's language."""
    state = due_state(submission.due_on)
    if state is None:
        return None
    return {"state": state.kind, "working_days": state.working_days, "label": str(state.label)}


class SubmissionOut(Schema):
    id = fields.Integer()
    campaign_id = fields.Integer()
    unit_code = fields.Function(lambda s: s.unit.code)
    title = fields.String()
    format = fields.String()
    scope = fields.String()
    width_cm = fields.Float()
    height_cm = fields.Float()
    slogan_ids = fields.Function(lambda s: [x.id for x in s.slogans])
    other_text = fields.String()
    description = fields.String()
    status = fields.String()
    lock_version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    # The step's due date in working days (review, or the designer's answer); null when none.
    due_on = fields.Date(allow_none=True)
    due = fields.Function(
        _due,
        allow_none=True,
        metadata={
            "description": "state (overdue, today, soon, later), working_days (late by or left) "
            "and label, in the caller's language"
        },
    )
    versions = fields.List(fields.Nested(VersionOut))
    placements = fields.List(fields.Nested(PlacementOut))


class SubmissionQuery(PageQuery):
    status = Text(label=_l("Trạng thái"), validate=validate.OneOf(STATUSES))
    campaign_id = DbInteger(minimum=1)
    format = Text(label=_l("Loại sản phẩm"), validate=validate.OneOf(FORMATS))


class TransitionIn(Schema):
    action = Text(
        label=_l("Thao tác"),
        required=True,
        validate=validate.OneOf(list(TRANSITIONS)),
    )
    comment = Text(
        label=_l("Ghi chú"), multiline=True, load_default="", validate=validate.Length(max=5000)
    )
    lock_version = DbInteger(minimum=0)


class UploadIn(Schema):
    file = Upload(required=True, metadata={"description": "PNG, JPEG, TIFF or WebP artwork"})
    print_file = Upload(metadata={"description": "PDF, AI, EPS, PSD, CDR or SVG, stored as-is"})


class AnswerIn(Schema):
    item = Text(label=_l("Tiêu chí"), required=True)
    result = Text(label=_l("Kết quả"), allow_none=True, validate=validate.OneOf(list(RESULTS)))
    comment = Text(
        label=_l("Nhận xét"), multiline=True, load_default="", validate=validate.Length(max=5000)
    )


class AnswerOut(Schema):
    item = fields.Function(lambda a: a.item.code)
    group = fields.Function(lambda a: a.item.group_code)
    text = fields.Function(lambda a: a.item.text)
    legal_source = fields.Function(lambda a: a.item.legal_source)
    result = fields.String(allow_none=True)
    comment = fields.String()
    automatic_result = fields.String(allow_none=True)
    evidence = fields.Dict(allow_none=True)


class ReviewOut(Schema):
    id = fields.Integer()
    version_id = fields.Integer()
    reviewer = fields.Function(lambda r: r.reviewer.username)
    checklist_version = fields.Function(lambda r: r.checklist_version.label)
    decision = fields.String(allow_none=True)
    comment = fields.String()
    started_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    answers = fields.Method("_answers")

    def _answers(self, review):
        ordered = sorted(review.answers, key=lambda a: a.item.position)
        return AnswerOut(many=True).dump(ordered)


class AnnotationIn(Schema):
    x = fields.Float(required=True, validate=validate.Range(min=0, max=1))
    y = fields.Float(required=True, validate=validate.Range(min=0, max=1))
    body = Text(
        label=_l("Nội dung ghi chú"),
        multiline=True,
        required=True,
        validate=validate.Length(max=5000),
    )


class ReplyIn(Schema):
    body = Text(
        label=_l("Nội dung trả lời"),
        multiline=True,
        required=True,
        validate=validate.Length(max=5000),
    )


class ReplyOut(ReplyIn):
    id = fields.Integer()
    annotation_id = fields.Integer()
    author = fields.Function(lambda r: r.author.username)
    created_at = fields.DateTime()


class AnnotationOut(AnnotationIn):
    id = fields.Integer()
    version_id = fields.Integer()
    author = fields.Function(lambda a: a.author.username)
    created_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)
    replies = fields.List(fields.Nested(ReplyOut))


# --- Approved library and public verification ---------------------------------------------


class AssetOut(Schema):
    code = fields.String()
    status = fields.Method("_status", metadata=ASSET_STATUS_DOC)
    title = fields.Function(lambda a: a.submission.title)
    sha256 = fields.String()
    size_bytes = fields.Integer()
    content_type = fields.String()
    has_print_file = fields.Function(lambda a: bool(a.print_key))
    print_sha256 = fields.String(allow_none=True)
    unit_code = fields.Function(lambda a: a.unit.code)
    campaign_id = fields.Integer()
    format = fields.Function(lambda a: a.submission.format)
    width_cm = fields.Function(lambda a: a.submission.width_cm)
    height_cm = fields.Function(lambda a: a.submission.height_cm)
    scope = fields.String()
    valid_from = fields.Date()
    valid_to = fields.Date(allow_none=True)
    approved_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)

    def _status(self, asset):
        return asset_status(asset)


class AssetQuery(PageQuery):
    status = Text(label=_l("Tình trạng"), validate=validate.OneOf(list(ASSET_STATUSES)))
    campaign_id = DbInteger(minimum=1)
    format = Text(label=_l("Loại sản phẩm"), validate=validate.OneOf(FORMATS))
    unit_code = Text(label=_l("Đơn vị"))


class DownloadQuery(Schema):
    file = Text(
        label=_l("Loại tệp"),
        load_default="artwork",
        validate=validate.OneOf(FILE_KINDS),
        metadata={"description": "artwork (default) or the print file"},
    )


class VerifyPlacementOut(Schema):
    address = fields.String()
    unit_name = fields.String()
    lat = fields.Float()
    lon = fields.Float()
    display_from = fields.Date()
    display_to = fields.Date()


class VerifyOut(Schema):
    code = fields.String()
    status = fields.String(metadata=ASSET_STATUS_DOC)
    status_label = fields.String()
    unit_name = fields.String()
    campaign_title = fields.String()
    format = fields.String()
    format_label = fields.String()
    width_cm = fields.Float()
    height_cm = fields.Float()
    valid_from = fields.Date()
    valid_to = fields.Date(allow_none=True)
    revoked_on = fields.Date(allow_none=True)
    approved_on = fields.Date()
    revoke_reason = fields.String()
    approver_name = fields.String(metadata={"description": "who signed the approval"})
    approver_title = fields.String()
    document_number = fields.String(
        allow_none=True, metadata={"description": "the approval document's number and symbol"}
    )
    document_state = fields.String(
        allow_none=True,
        metadata={
            "description": "valid, invalid or unsigned (its digital signature), altered (its "
            "bytes changed), null (approved before documents were issued)"
        },
    )
    placements = fields.List(fields.Nested(VerifyPlacementOut))
    thumbnail_url = fields.String()
    page_url = fields.String()
