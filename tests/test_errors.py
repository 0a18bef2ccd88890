"""Error pages and headers: Vietnamese, no stack trace, security headers on every response."""

import pytest
from flask import abort


def test_unknown_page_is_a_vietnamese_404(client):
    response = client.get("/khong-co")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.get_data(as_text=True)


def test_api_errors_are_json_with_a_vietnamese_message(client):
    response = client.get("/api/v1/submissions")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert "Bearer" in response.json["error"]["message"]


@pytest.fixture
def bare_app(tmp_path):
    """A fresh app, so that test routes can still be added before its first request."""
    from registry import create_app

    return create_app(
        {
            "SECRET_KEY": "k",
            "REGISTRY_LOCAL_STORAGE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/e.sqlite3",
        }
    )


@pytest.mark.parametrize(
    "status, words",
    [
        (400, "Yêu cầu không hợp lệ"),
        (403, "Không có quyền"),
        (413, "Tệp quá lớn"),
        (500, "Lỗi hệ thống"),
    ],
)
def test_error_pages_are_vietnamese(bare_app, status, words):
    bare_app.add_url_rule("/_test/boom", "boom", lambda: abort(status))
    response = bare_app.test_client().get("/_test/boom")
    assert response.status_code == status
    assert words in response.get_data(as_text=True)


def test_an_unexpected_exception_shows_no_stack_trace(bare_app):
    def explode():
        raise RuntimeError("secret internals")

    bare_app.add_url_rule("/_test/explode", "explode", explode)
    response = bare_app.test_client().get("/_test/explode")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Lỗi hệ thống" in html and "secret internals" not in html and "Traceback" not in html


def test_security_headers_are_on_every_response(client):
    for path in ("/login", "/khong-co", "/api/v1/openapi.json"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_secret_key_is_generated_into_instance_once(tmp_path):

    from registry.config import _instance_secret_key

    first = _instance_secret_key(tmp_path)
    assert len(first) == 64 and _instance_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_environment_overrides_configuration(monkeypatch, tmp_path):
    from registry import create_app

    monkeypatch.setenv("REGISTRY_MAX_UPLOAD_MB", "12")
    monkeypatch.setenv("REGISTRY_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    app = create_app({"SECRET_KEY": "k", "REGISTRY_LOCAL_STORAGE_PATH": str(tmp_path)})
    assert app.config["REGISTRY_MAX_UPLOAD_MB"] == 12
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/x.sqlite3")


def test_health_check_answers_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
