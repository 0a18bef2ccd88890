"""Admin pages: create accounts, reset passwords, deactivate, read the audit log."""

import re

import sqlalchemy as sa

from registry.audit import AuditEvent
from registry.auth.models import ROLES, User
from registry.extensions import db
from tests.conftest import csrf_token
from tests.factories import PASSWORD


def test_admin_creates_a_user_bound_to_a_unit(client, make_user, login):
    login(make_user("admin", "SVHTT-VP"))
    response = client.post(
        "/admin/users/new",
        data={
            "username": "hoa.nguyen",
            "full_name": "Nguyễn Thị Hòa",
            "role": "locality",
            "unit": "30292",
            "password": "mat-khau-moi-1",
            "confirm": "mat-khau-moi-1",
            "csrf_token": csrf_token(client, "/admin/users/new"),
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username == "hoa.nguyen"))
    assert (user.role, user.unit.code, user.full_name) == ("locality", "30292", "Nguyễn Thị Hòa")
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.created"))


def test_admin_form_errors_are_vietnamese(client, make_user, login):
    login(make_user("admin", "SVHTT-VP"))
    response = client.post(
        "/admin/users/new",
        data={
            "username": "có dấu",
            "role": "locality",
            "unit": "30292",
            "password": "ngan",
            "confirm": "khac",
            "csrf_token": csrf_token(client, "/admin/users/new"),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "chỉ gồm chữ không dấu" in html and "Mật khẩu cần từ 8 đến 256 ký tự." in html


def test_password_reset_signs_the_user_out_everywhere(app, make_user, login, client):
    admin = make_user("admin", "SVHTT-VP")
    victim = make_user("designer")
    other = app.test_client()
    token = csrf_token(other)
    other.post(
        "/login", data={"username": victim.username, "password": PASSWORD, "csrf_token": token}
    )
    assert other.get("/account").status_code == 200
    login(admin)
    response = client.post(
        f"/admin/users/{victim.id}/password",
        data={"csrf_token": csrf_token(client, f"/admin/users/{victim.id}/password")},
    )
    assert response.status_code == 200
    assert other.get("/account").status_code == 302  # the old session no longer works


def test_password_reset_shows_a_temporary_password_once_that_must_be_changed(
    app, make_user, login, client
):
    admin = make_user("admin", "SVHTT-VP")
    victim = make_user("designer")
    login(admin)
    response = client.post(
        f"/admin/users/{victim.id}/password",
        data={"csrf_token": csrf_token(client, f"/admin/users/{victim.id}/password")},
    )
    html = response.get_data(as_text=True)
    temporary = re.search(r'class="temporary-password"><code>([^<]+)</code>', html).group(1)
    assert response.headers["Cache-Control"] == "no-store"
    with client.session_transaction() as session:
        assert temporary not in repr(dict(session))  # never carried in the (signed) cookie
    db.session.expire_all()
    assert db.session.get(User, victim.id).must_change_password is True
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "user.password_reset")
    )
    assert (event.actor_id, event.object_id, event.data["temporary"]) == (admin.id, victim.id, True)

    browser = app.test_client()
    signed_in = browser.post(
        "/login",
        data={
            "username": victim.username,
            "password": temporary,
            "csrf_token": csrf_token(browser),
        },
    )
    assert signed_in.headers["Location"] == "/account/password"
    elsewhere = browser.get("/submissions/")
    assert elsewhere.status_code == 303 and elsewhere.headers["Location"] == "/account/password"
    changed = browser.post(
        "/account/password",
        data={
            "current_password": temporary,
            "password": "mat-khau-cua-toi-1",
            "confirm": "mat-khau-cua-toi-1",
            "csrf_token": csrf_token(browser, "/account/password"),
        },
    )
    assert changed.status_code == 302
    assert browser.get("/submissions/").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, victim.id).must_change_password is False


def test_deactivated_account_loses_its_session(app, make_user, login, client):
    admin = make_user("admin", "SVHTT-VP")
    victim = make_user("designer")
    other = app.test_client()
    other.post(
        "/login",
        data={"username": victim.username, "password": PASSWORD, "csrf_token": csrf_token(other)},
    )
    login(admin)
    response = client.post(
        f"/admin/users/{victim.id}/active",
        data={"active": "0", "csrf_token": csrf_token(client, "/admin/users")},
    )
    assert response.status_code == 303
    assert other.get("/account").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, victim.id).is_active is False


def test_admin_cannot_lock_themselves_out(make_user, login, client):
    admin = make_user("admin", "SVHTT-VP")
    login(admin)
    client.post(
        f"/admin/users/{admin.id}/active",
        data={"active": "0", "csrf_token": csrf_token(client, "/admin/users")},
    )
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_active is True


def test_only_admins_reach_admin_pages(make_user, login, client):
    login(make_user("reviewer", "SVHTT-QLVH"))
    for path in ("/admin/users", "/admin/users/new", "/admin/audit"):
        response = client.get(path)
        assert response.status_code == 403
        assert "Không có quyền" in response.get_data(as_text=True)


def test_audit_log_lists_changes(make_user, login, client):
    admin = make_user("admin", "SVHTT-VP")
    login(admin)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert f"Quản trị viên {admin.display_name} đã đăng nhập" in html


def test_a_taken_user_name_is_refused_on_its_field_and_nothing_is_written(client, admin, post):
    taken = {
        "username": admin.username,
        "role": "locality",
        "unit": "30292",
        "password": "mat-khau-moi-3",
        "confirm": "mat-khau-moi-3",
    }
    before = db.session.scalar(sa.select(sa.func.count(User.id)))
    response = post("/admin/users/new", taken, page="/admin/users/new")
    assert response.status_code == 409
    assert f"Tên đăng nhập “{admin.username}” đã được dùng." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == before


def test_the_role_filter_offers_every_role_and_lists_only_that_role(client, admin, make_user):
    make_user("locality", "30292")
    html = client.get("/admin/users?role=locality").get_data(as_text=True)
    assert all(f'<option value="{role}"' in html for role in ROLES)
    assert "Cán bộ địa phương" in html and admin.username not in html.split("<tbody>")[1]
