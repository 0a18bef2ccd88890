"""Errors whose message is written for the user (in their language) and carries its HTTP status."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from registry.error_codes import ErrorCode


class UserFacingError(Exception):
    status = 400
    code = ErrorCode.BAD_REQUEST

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        # A lazy message (a module constant) is rendered now, in the language of who is served.
        message = str(message)
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            # Unknown codes fail here, loudly: every code is listed in registry/error_codes.py.
            self.code = ErrorCode(code)


class InvalidInput(UserFacingError):
    status = 422
    code = ErrorCode.INVALID


class Conflict(UserFacingError):
    """The object changed since the form was loaded, or a state guard refused the action."""

    status = 409
    code = ErrorCode.CONFLICT


class NotAllowed(UserFacingError):
    status = 403
    code = ErrorCode.FORBIDDEN


class TooLarge(UserFacingError):
    status = 413
    code = ErrorCode.TOO_LARGE


class Throttled(UserFacingError):
    """Too many attempts: the answer says when to try again (the Retry-After header)."""

    status = 429
    code = ErrorCode.TOO_MANY_REQUESTS

    def __init__(self, message: str, *, retry_after: int, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


STALE_MESSAGE = _l(
    "Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang để xem bản mới nhất rồi thử lại."
)
