"""Every error code a client can receive, with its HTTP status: the one list that the raising
code, the error handlers and the OpenAPI document share.

A code is a stable identifier: clients branch on it (the message is Vietnamese prose for
people and may change). Add a member here before raising a new code; never rename one.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """An error code, its HTTP status and what it means (for the API documentation)."""

    status: int
    meaning: str

    def __new__(cls, value: str, status: int, meaning: str):
        member: ErrorCode = str.__new__(cls, value)
        member._value_ = value
        member.status = status
        member.meaning = meaning
        return member

    # 400
    BAD_REQUEST = (
        "bad_request",
        400,
        "the request could not be read (a NUL in the address, a body that is no JSON…)",
    )
    INVALID_JSON = "invalid_json", 400, "the body is not JSON this API accepts (e.g. too deep)"
    CSRF = "csrf", 400, "a page form came without its CSRF token (pages only)"
    # 401, 403
    UNAUTHORIZED = "unauthorized", 401, "no valid bearer token, or a wrong user name or password"
    FORBIDDEN = "forbidden", 403, "the caller's role or unit may not do this"
    SCOPE = "scope", 403, "only the Department's units may create province-wide templates"
    OWN_UPLOAD = "own_upload", 403, "a reviewer may not decide a submission they uploaded to"
    OWN_REVIEW = "own_review", 403, "a head of division may not sign a submission they reviewed"
    PASSWORD_CHANGE_REQUIRED = (
        "password_change_required",
        403,
        "the account has a temporary password: sign in on the web and change it first",
    )
    # 404, 405, 410, 413
    NOT_FOUND = "not_found", 404, "no such object, or the caller may not see it"
    METHOD_NOT_ALLOWED = "method_not_allowed", 405, "the method is not served here (see Allow)"
    GONE = "gone", 410, "the object no longer exists"
    ASSET_UNAVAILABLE = "asset_unavailable", 410, "the approved file may no longer be used"
    ASSET_EXPIRED = "asset_expired", 410, "the approval's display period is over"
    ASSET_REVOKED = "asset_revoked", 410, "the approval was revoked"
    TOO_LARGE = "too_large", 413, "the upload is larger than allowed"
    # 409: the state of the data refuses the action
    CONFLICT = "conflict", 409, "the current state of the data refuses the action"
    STALE = "stale", 409, "someone changed the submission since lock_version was read"
    NOT_EDITABLE = "not_editable", 409, "the submission's status does not allow changes"
    CAMPAIGN_CLOSED = "campaign_closed", 409, "the campaign is not open for submissions"
    DUPLICATE = "duplicate", 409, "the same file is already a version of this submission"
    UNKNOWN_ACTION = "unknown_action", 409, "no such workflow action"
    INVALID_STATE = "invalid_state", 409, "the action is not possible in the current status"
    NOT_APPROVED = "not_approved", 409, "the placement's submission is not (or no longer) approved"
    NOT_READY = "not_ready", 409, "the submission lacks a version or placements, or they are wrong"
    REASON_REQUIRED = "reason_required", 409, "revoking needs a reason in `comment`"
    NOTE_REQUIRED = (
        "note_required",
        409,
        "resubmitting after a request for changes needs what changed in `comment`",
    )
    NO_REVIEW = "no_review", 409, "the submission has no (open) review"
    DECIDED = "decided", 409, "the review is already decided"
    AWAITING_SIGNOFF = (
        "awaiting_signoff",
        409,
        "the review is recommended and awaits a head's signature; answers are frozen",
    )
    SIGNOFF_MODE = (
        "signoff_mode",
        409,
        "the action belongs to the other sign-off mode of the campaign (one or two steps)",
    )
    CHECKLIST_INCOMPLETE = "checklist_incomplete", 409, "required checklist items are not passed"
    NO_FAILED_ITEM = "no_failed_item", 409, "a refusal needs a failed item with a comment"
    CHECKLIST_FROZEN = "checklist_frozen", 409, "the checklist version is in use (admin pages)"
    SLOGAN_IN_USE = "slogan_in_use", 409, "the slogan is used by submissions (admin pages)"
    USERNAME_TAKEN = "username_taken", 409, "the user name is taken (admin pages)"
    SELF_LOCK = "self_lock", 409, "an administrator may not lock their own account"
    NOT_REVIEWER = "not_reviewer", 409, "only reviewers are recorded as reading Khmer or Cham"
    # 422: well-formed, but a rule refuses it
    INVALID = "invalid", 422, "a field breaks the schema; `errors` holds the messages per field"
    UNKNOWN_CAMPAIGN = "unknown_campaign", 422, "`campaign_id` names no campaign"
    UNKNOWN_SLOGAN = "unknown_slogan", 422, "a `slogan_ids` entry names no slogan"
    FOREIGN_SLOGAN = "foreign_slogan", 422, "a slogan is not an active slogan of the campaign"
    UNKNOWN_UNIT = "unknown_unit", 422, "`unit_code` names no active unit"
    OUTSIDE_UNIT = "outside_unit", 422, "a unit-scope placement lies in another unit"
    OUTSIDE_PROVINCE = "outside_province", 422, "`lat`/`lon` lie outside An Giang"
    PERIOD_REVERSED = "period_reversed", 422, "`display_to` is before `display_from`"
    PERIOD_OVER = "period_over", 422, "the display period is already over"
    PERIOD_OUTSIDE_CAMPAIGN = (
        "period_outside_campaign",
        422,
        "the display period is not inside the campaign's dates",
    )
    BAD_NAME = "bad_name", 422, "the file name holds a path, control characters or is too long"
    EMPTY = "empty", 422, "the file is empty (0 bytes)"
    UNSUPPORTED_TYPE = "unsupported_type", 422, "the artwork is not PNG, JPEG, TIFF or WebP"
    UNSUPPORTED_PRINT_TYPE = "unsupported_print_type", 422, "the print file's type is not accepted"
    UNSUPPORTED_MODE = "unsupported_mode", 422, "the image's colour mode cannot be handled"
    CORRUPT = "corrupt", 422, "the image cannot be decoded"
    ANIMATED = "animated", 422, "animated images are not accepted"
    TOO_MANY_PIXELS = "too_many_pixels", 422, "the image has more pixels than allowed"
    UNKNOWN_ITEM = "unknown_item", 422, "`item` is not in the review's checklist"
    DUPLICATE_ITEM = "duplicate_item", 422, "one request answers the same `item` twice"
    NA_NOT_ALLOWED = "na_not_allowed", 422, "the item may not be answered `na`"
    COMMENT_REQUIRED = "comment_required", 422, "overriding an automatic result needs a comment"
    OUTSIDE_IMAGE = "outside_image", 422, "the pin lies outside the image"
    EMPTY_TEXT = "empty_text", 422, "the text is empty"
    REPORT_RANGE = "report_range", 422, "report dates outside 2000–2100 or over 10 years apart"
    PHOTO_REQUIRED = "photo_required", 422, "installation and removal need a site photo"
    BAD_POSITION = "bad_position", 422, "`lat`/`lon` sent are incomplete or out of range"
    BAD_TEXT = "bad_text", 422, "a text holds a control, bidirectional or lone surrogate character"
    BLANK = "blank", 422, "a required text is empty or only spaces"
    # 429, 5xx
    TOO_MANY_REQUESTS = "too_many_requests", 429, "too many requests; wait for Retry-After seconds"
    SERVER_ERROR = "server_error", 500, "an unexpected error (logged)"
    UNAVAILABLE = "unavailable", 503, "the service is temporarily unavailable"
    STORAGE_UNAVAILABLE = "storage_unavailable", 503, "the object store did not answer"
    SIGNING_UNAVAILABLE = (
        "signing_unavailable",
        503,
        "the signing key (PKCS#12 file or PKCS#11 token) could not sign: nothing was approved",
    )


#: The code of an HTTP error raised without one of its own (Werkzeug's aborts).
BY_STATUS = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.CONFLICT,
    410: ErrorCode.GONE,
    413: ErrorCode.TOO_LARGE,
    422: ErrorCode.INVALID,
    429: ErrorCode.TOO_MANY_REQUESTS,
    500: ErrorCode.SERVER_ERROR,
    503: ErrorCode.UNAVAILABLE,
}
