"""Error pages in the reader's language, and JSON errors for the API; no stack trace shown."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from registry.error_codes import BY_STATUS, ErrorCode
from registry.exceptions import STALE_MESSAGE, UserFacingError
from registry.extensions import db
from registry.ratelimit import seconds_until_retry
from registry.storage import StorageError

MESSAGES = {
    400: (
        _l("Yêu cầu không hợp lệ"),
        _l("Dữ liệu gửi lên không hợp lệ. Vui lòng kiểm tra lại và thử lại."),
    ),
    401: (_l("Cần đăng nhập"), _l("Vui lòng đăng nhập để tiếp tục.")),
    403: (_l("Không có quyền"), _l("Tài khoản của bạn không có quyền thực hiện thao tác này.")),
    404: (
        _l("Không tìm thấy"),
        _l("Trang hoặc dữ liệu bạn tìm không tồn tại, hoặc bạn không có quyền xem."),
    ),
    405: (
        _l("Phương thức không được hỗ trợ"),
        _l("Thao tác này không được hỗ trợ tại địa chỉ này."),
    ),
    409: (
        _l("Xung đột dữ liệu"),
        _l("Dữ liệu đã được người khác thay đổi. Vui lòng tải lại trang và thử lại."),
    ),
    410: (
        _l("Không còn hiệu lực"),
        _l("Mẫu này đã hết hiệu lực hoặc đã bị thu hồi nên không tải được."),
    ),
    413: (_l("Tệp quá lớn"), _l("Tệp tải lên vượt quá dung lượng cho phép.")),
    422: (_l("Dữ liệu chưa hợp lệ"), _l("Dữ liệu gửi lên chưa hợp lệ. Vui lòng kiểm tra lại.")),
    429: (
        _l("Thao tác quá nhiều lần"),
        _l("Bạn đã thử quá nhiều lần. Vui lòng đợi ít phút rồi thử lại."),
    ),
    500: (
        _l("Lỗi hệ thống"),
        _l("Đã có lỗi ngoài ý muốn. Sự cố đã được ghi lại; vui lòng thử lại sau."),
    ),
    503: (_l("Dịch vụ tạm ngưng"), _l("Dịch vụ tạm thời không phản hồi. Vui lòng thử lại sau.")),
}


def wants_json() -> bool:
    """The API, and scripts of our pages that ask for JSON (the upload progress bar)."""
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def error_response(
    status: int,
    message: str | None = None,
    code: ErrorCode | None = None,
    *,
    headers: dict | None = None,
    **extra,
):
    """Answer an error as JSON for the API or as a page for people, in the reader's language."""
    title, default_message = MESSAGES.get(status, MESSAGES[500])
    message = str(message or default_message)
    if wants_json():
        body = {"code": code or BY_STATUS.get(status, ErrorCode.SERVER_ERROR), "message": message}
        response = jsonify(error={**body, **extra})
    else:
        page = render_template("error.html", status=status, title=title, message=message)
        response = make_response(page)
    response.status_code = status
    response.headers.extend(headers or {})
    return response


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(CSRFError)
    def _csrf(error):
        return error_response(
            400,
            _(
                "Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã bảo vệ CSRF). "
                "Vui lòng tải lại trang rồi gửi lại."
            ),
            code=ErrorCode.CSRF,
        )

    @app.errorhandler(UserFacingError)
    def _user_facing(error: UserFacingError):
        db.session.rollback()
        extra = {"field": error.field} if error.field else {}
        retry_after = getattr(error, "retry_after", None)
        headers = {"Retry-After": str(retry_after)} if retry_after else None
        return error_response(
            error.status, error.message, code=error.code, headers=headers, **extra
        )

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(error):
        wait = seconds_until_retry()
        message = ngettext(
            "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. "
            "Vui lòng đợi %(num)d giây rồi thử lại.",
            "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. "
            "Vui lòng đợi %(num)d giây rồi thử lại.",
            wait,
        )
        return error_response(429, message, headers={"Retry-After": str(wait)})

    @app.errorhandler(StaleDataError)
    def _stale(error):
        db.session.rollback()
        return error_response(409, STALE_MESSAGE, code=ErrorCode.STALE)

    @app.errorhandler(StorageError)
    def _storage(error: StorageError):
        db.session.rollback()
        app.logger.warning("storage error on %s: %s", request.path, error)
        return error_response(503, str(error), code=ErrorCode.STORAGE_UNAVAILABLE)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code >= 500:
            return error_response(error.code or 500)
        # flask-smorest puts validation messages into error.data["messages"].
        data = getattr(error, "data", None) or {}
        messages = data.get("messages")
        description = data.get("message") or (error.description if _is_ours(error) else None)
        # Werkzeug's own headers (Allow on 405, WWW-Authenticate…), but never its content type.
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        extra = {"errors": messages} if messages else {}
        return error_response(error.code, description, headers=headers, **extra)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500)

    @app.errorhandler(InternalServerError)
    def _internal(error):
        return error_response(500)


def _is_ours(error: HTTPException) -> bool:
    """Whether the description was written by this app (Werkzeug's defaults are English)."""
    return bool(error.description) and error.description != type(error).description
