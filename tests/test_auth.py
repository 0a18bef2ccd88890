"""Sign-in, sign-out, throttling, CSRF and session safety."""

import pytest

from tests.conftest import csrf_token
from tests.factories import PASSWORD


def test_home_sends_anonymous_users_to_the_vietnamese_sign_in_page(client):
    response = client.get("/", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Đăng nhập" in html and "Tên đăng nhập" in html and "Mật khẩu" in html
    assert 'lang="vi"' in html


def test_user_signs_in_and_lands_on_their_start_page(client, make_user, login):
    user = make_user("designer")
    response = login(user)
    assert response.headers["Location"].endswith("/")
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Việc cần làm" in page and "Bản nháp chưa gửi" in page and user.unit.name in page


def test_wrong_password_is_refused_with_a_vietnamese_message(client, make_user, login):
    user = make_user("designer")
    response = login(user, "sai-mat-khau", expect_ok=False)
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)


def test_deactivated_user_cannot_sign_in(client, make_user, login, app):
    from registry.extensions import db

    user = make_user("designer")
    user.is_active = False
    db.session.commit()
    assert login(user, expect_ok=False).status_code == 401


def test_repeated_failures_throttle_even_the_right_password(client, make_user, login, app):
    user = make_user("designer")
    for _ in range(app.config["REGISTRY_LOGIN_MAX_FAILURES"]):
        assert login(user, "sai", expect_ok=False).status_code == 401
    response = login(user, PASSWORD, expect_ok=False)
    assert response.status_code == 429
    assert "quá nhiều lần" in response.get_data(as_text=True)


def test_sign_in_form_without_csrf_token_is_refused(client, make_user):
    user = make_user("designer")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_sign_in_with_forged_csrf_token_is_refused(client, make_user):
    user = make_user("designer")
    csrf_token(client)
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 400


def test_sign_out_needs_a_post_with_csrf(client, make_user, login):
    login(make_user("designer"))
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_open_redirect_after_sign_in_is_ignored(client, make_user):
    user = make_user("designer")
    token = csrf_token(client)
    response = client.post(
        "/login?next=https://evil.example/x",
        data={"username": user.username, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_password_hashes_use_a_memory_hard_kdf(make_user):
    user = make_user("designer")
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_session_cookie_is_httponly_and_samesite(client, make_user, login):
    response = login(make_user("designer"))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("path", ["/submissions/", "/submissions/new", "/admin/users", "/account"])
def test_pages_require_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
