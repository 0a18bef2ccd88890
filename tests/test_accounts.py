"""A user's own account: changing their password, seeing their sessions, signing out
everywhere; the operator's reset-password command."""

from __future__ import annotations

import sqlalchemy as sa

from registry.audit import AuditEvent
from registry.auth.models import User
from registry.extensions import db
from tests.conftest import csrf_token
from tests.factories import PASSWORD

NEW = "mat-khau-rieng-2026"


def _change(client, current: str, new: str, confirm: str | None = None):
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "password": new,
            "confirm": new if confirm is None else confirm,
            "csrf_token": csrf_token(client, "/account/password"),
        },
    )


def _browser(app, user, password: str = PASSWORD, agent: str = "Werkzeug"):
    browser = app.test_client()
    response = browser.post(
        "/login",
        data={"username": user.username, "password": password, "csrf_token": csrf_token(browser)},
        headers={"User-Agent": agent},
    )
    assert response.status_code == 302
    return browser


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_user_changes_their_password_and_other_browsers_are_signed_out(
    app, make_user, client, login
):
    designer = make_user("designer")
    login(designer)
    other = _browser(app, designer)
    response = _change(client, PASSWORD, NEW)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200  # this browser stays signed in
    assert other.get("/account").status_code == 302  # the other one is out
    refused = app.test_client()
    old = refused.post(
        "/login",
        data={
            "username": designer.username,
            "password": PASSWORD,
            "csrf_token": csrf_token(refused),
        },
    )
    assert old.status_code == 401
    assert _browser(app, designer, NEW).get("/account").status_code == 200
    (event,) = _events("user.password_changed")
    assert (event.actor_id, event.object_id) == (designer.id, designer.id)


def test_a_wrong_current_password_is_refused_on_its_field_and_recorded(
    app, make_user, client, login
):
    designer = make_user("designer")
    login(designer)
    response = _change(client, "khong-phai", NEW)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mật khẩu hiện tại không đúng." in html
    db.session.expire_all()
    assert db.session.get(User, designer.id).check_password(PASSWORD)
    assert len(_events("user.password_change_failed")) == 1


def test_the_new_password_follows_the_admins_strength_rule(app, make_user, client, login):
    designer = make_user("designer")
    login(designer)
    short = _change(client, PASSWORD, "ngan")
    assert short.status_code == 400
    assert "Mật khẩu cần từ 8 đến 256 ký tự." in short.get_data(as_text=True)
    mismatch = _change(client, PASSWORD, NEW, confirm=NEW + "x")
    assert "Hai mật khẩu không khớp." in mismatch.get_data(as_text=True)
    same = _change(client, PASSWORD, PASSWORD)
    assert "Mật khẩu mới phải khác mật khẩu hiện tại." in same.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, designer.id).check_password(PASSWORD)


def test_guessing_the_current_password_is_throttled_like_the_sign_in(app, make_user, client, login):
    designer = make_user("designer")
    login(designer)
    for _ in range(app.config["REGISTRY_LOGIN_MAX_FAILURES"]):
        assert _change(client, "doan-sai", NEW).status_code == 422
    response = _change(client, PASSWORD, NEW)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "quá nhiều lần" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, designer.id).check_password(PASSWORD)


def test_the_password_form_needs_its_csrf_token(app, make_user, client, login):
    designer = make_user("designer")
    login(designer)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW, "confirm": NEW},
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, designer.id).check_password(PASSWORD)


def test_the_account_page_lists_each_signed_in_browser(app, make_user, client, login):
    designer = make_user("designer")
    login(designer)
    android = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
    _browser(app, designer, agent=android)
    html = client.get("/account").get_data(as_text=True)
    assert "Chrome trên Android" in html
    assert html.count("Đăng nhập lúc") == 2 and "Phiên này" in html


def test_signing_out_everywhere_ends_other_sessions_and_api_tokens(
    app, make_user, client, login, token_for
):
    designer = make_user("designer")
    login(designer)
    other = _browser(app, designer)
    headers = token_for(designer)
    assert client.get("/api/v1/campaigns", headers=headers).status_code == 200
    response = client.post(
        "/account/sign-out-everywhere", data={"csrf_token": csrf_token(client, "/account")}
    )
    assert response.status_code == 303
    assert "Đã đăng xuất 1 phiên khác" in client.get("/account").get_data(as_text=True)
    assert other.get("/account").status_code == 302
    assert app.test_client().get("/api/v1/campaigns", headers=headers).status_code == 401
    (event,) = _events("auth.signed_out_everywhere")
    assert event.data["ended"] == 1


def test_signing_out_everywhere_needs_a_post_with_csrf(app, make_user, client, login):
    designer = make_user("designer")
    login(designer)
    other = _browser(app, designer)
    assert client.get("/account/sign-out-everywhere").status_code == 405
    client.post("/account/sign-out-everywhere")
    assert other.get("/account").status_code == 200


def test_signing_out_ends_only_this_browser(app, make_user, client, login):
    designer = make_user("designer")
    login(designer)
    other = _browser(app, designer)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert client.get("/account").status_code == 302
    assert other.get("/account").status_code == 200


def test_a_temporary_password_gets_no_api_token(app, make_user, client, runner):
    designer = make_user("designer")
    result = runner.invoke(args=["registry", "reset-password", designer.username])
    temporary = result.output.split(": ", 1)[1].split()[0]
    response = client.post(
        "/api/v1/auth/token", json={"username": designer.username, "password": temporary}
    )
    assert response.status_code == 403
    assert response.json["error"]["code"] == "password_change_required"


def test_the_operator_resets_a_lost_password_from_the_command_line(
    app, make_user, runner, login, client
):
    designer = make_user("designer")
    result = runner.invoke(args=["registry", "reset-password", designer.username.upper()])
    assert result.exit_code == 0, result.output
    assert "phải đổi mật khẩu" in result.output
    temporary = result.output.split(": ", 1)[1].split()[0]
    db.session.expire_all()
    user = db.session.get(User, designer.id)
    assert user.check_password(temporary) and user.must_change_password
    (event,) = _events("user.password_reset")
    assert event.actor_id is None and event.data["via"] == "cli"

    chosen = runner.invoke(args=["registry", "reset-password", user.username, "--password", NEW])
    assert chosen.exit_code == 0, chosen.output
    db.session.expire_all()
    user = db.session.get(User, designer.id)
    assert user.check_password(NEW) and not user.must_change_password
    assert login(user, NEW).headers["Location"] == "/"


def test_the_reset_command_refuses_an_unknown_user_and_a_weak_password(app, make_user, runner):
    designer = make_user("designer")
    unknown = runner.invoke(args=["registry", "reset-password", "khong-co-ai"])
    assert unknown.exit_code == 2 and "Không có tài khoản" in unknown.output
    weak = runner.invoke(args=["registry", "reset-password", designer.username, "--password", "x"])
    assert weak.exit_code == 2 and "Mật khẩu cần từ 8 đến 256 ký tự." in weak.output
    db.session.expire_all()
    assert db.session.get(User, designer.id).check_password(PASSWORD)
