"""Response headers that every page and API answer carries, and the one character no address
may hold."""

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


NUL_IN_ADDRESS = _l(
    "Địa chỉ trang chứa ký tự NUL (%00), không phải một địa chỉ hợp lệ. "
    "Vui lòng kiểm tra lại đường dẫn hoặc điều kiện lọc."
)


def init_app(app: Flask) -> None:
    """Add the security headers to every response; refuse a NUL in the path or query."""

    @app.before_request
    def _refuse_nul_in_address():
        # PostgreSQL cannot hold NUL in text: a search or filter carrying one must not reach it.
        # Form bodies are left to the forms (reading them here would consume upload streams).
        args = request.args
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value for key, value in args.items(multi=True)
        ):
            abort(400, description=str(NUL_IN_ADDRESS))

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
