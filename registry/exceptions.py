"""Errors whose message is written for the user (Vietnamese) and carries its HTTP status."""

from __future__ import annotations


class UserFacingError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class InvalidInput(UserFacingError):
    status = 422
    code = "invalid"


class Conflict(UserFacingError):
    """The object changed since the form was loaded, or a state guard refused the action."""

    status = 409
    code = "conflict"


class NotAllowed(UserFacingError):
    status = 403
    code = "forbidden"


class TooLarge(UserFacingError):
    status = 413
    code = "too_large"


STALE_MESSAGE = (
    "Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang để xem bản mới nhất rồi thử lại."
)
