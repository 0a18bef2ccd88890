"""Error pages in Vietnamese, and JSON errors for the API; no stack trace reaches a user."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from registry.exceptions import STALE_MESSAGE, UserFacingError
from registry.extensions import db
from registry.storage import StorageError

MESSAGES = {
    400: (
        "Yêu cầu không hợp lệ",
        "Dữ liệu gửi lên không hợp lệ. Vui lòng kiểm tra lại và thử lại.",
    ),
    401: ("Cần đăng nhập", "Vui lòng đăng nhập để tiếp tục."),
    403: ("Không có quyền", "Tài khoản của bạn không có quyền thực hiện thao tác này."),
    404: (
        "Không tìm thấy",
        "Trang hoặc dữ liệu bạn tìm không tồn tại, hoặc bạn không có quyền xem.",
    ),
    405: ("Phương thức không được hỗ trợ", "Thao tác này không được hỗ trợ tại địa chỉ này."),
    409: (
        "Xung đột dữ liệu",
        "Dữ liệu đã được người khác thay đổi. Vui lòng tải lại trang và thử lại.",
    ),
    410: ("Không còn hiệu lực", "Mẫu này đã hết hiệu lực hoặc đã bị thu hồi nên không tải được."),
    413: ("Tệp quá lớn", "Tệp tải lên vượt quá dung lượng cho phép."),
    422: ("Dữ liệu chưa hợp lệ", "Dữ liệu gửi lên chưa hợp lệ. Vui lòng kiểm tra lại."),
    429: ("Thao tác quá nhiều lần", "Bạn đã thử quá nhiều lần. Vui lòng đợi ít phút rồi thử lại."),
    500: ("Lỗi hệ thống", "Đã có lỗi ngoài ý muốn. Sự cố đã được ghi lại; vui lòng thử lại sau."),
    503: ("Dịch vụ tạm ngưng", "Dịch vụ tạm thời không phản hồi. Vui lòng thử lại sau."),
}

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


def wants_json() -> bool:
    """The API, and scripts of our pages that ask for JSON (the upload progress bar)."""
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def error_response(status: int, message: str | None = None, code: str | None = None, **extra):
    """Answer an error as JSON for the API or as a Vietnamese page for people."""
    title, default_message = MESSAGES.get(status, MESSAGES[500])
    message = message or default_message
    if wants_json():
        body = {"code": code or ERROR_CODES.get(status, "error"), "message": message, **extra}
        return jsonify(error=body), status
    return render_template("error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(CSRFError)
    def _csrf(error):
        return error_response(
            400,
            "Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã bảo vệ CSRF). "
            "Vui lòng tải lại trang rồi gửi lại.",
            code="csrf",
        )

    @app.errorhandler(UserFacingError)
    def _user_facing(error: UserFacingError):
        db.session.rollback()
        extra = {"field": error.field} if error.field else {}
        return error_response(error.status, error.message, code=error.code, **extra)

    @app.errorhandler(StaleDataError)
    def _stale(error):
        db.session.rollback()
        return error_response(409, STALE_MESSAGE, code="stale")

    @app.errorhandler(StorageError)
    def _storage(error: StorageError):
        db.session.rollback()
        app.logger.warning("storage error on %s: %s", request.path, error)
        return error_response(503, str(error), code="storage_unavailable")

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code >= 500:
            return error_response(error.code or 500)
        # flask-smorest puts validation messages into error.data["messages"].
        data = getattr(error, "data", None) or {}
        messages = data.get("messages")
        description = data.get("message") or (error.description if _is_ours(error) else None)
        if messages:
            return error_response(error.code, description, errors=messages)
        return error_response(error.code, description)

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
