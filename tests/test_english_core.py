"""The core of the interface in English for a user who reads English: the navigation, the home
page, the account page, the guides, error pages, flashed messages and form errors, role and device
names and due dates counted in working days; before signing in, after choosing English in the
footer."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from registry.duedates import due_state, province_calendar
from registry.extensions import db
from registry.template_helpers import device_label
from registry.text import TextRefused, clean_input
from tests.conftest import csrf_token
from tests.factories import PASSWORD

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture
def english_designer(designer):
    designer.language = "en"
    db.session.commit()
    return designer


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def test_the_home_page_speaks_english_with_working_days_and_the_reviewers_words(
    client, login, english_designer, reviewer, make_submission, advance
):
    advance(
        make_submission(english_designer, title="Pano cần sửa"),
        "changes_requested",
        english_designer,
        reviewer,
    )
    login(english_designer)
    html = _page(client, "/")
    assert 'lang="en"' in html and "<h1>To do</h1>" in html
    assert "Changes requested" in html and "Reviewer's comments:" in html
    assert "Due in 10 working days" in html and "(1 to fix)" in html
    assert "Drafts not yet submitted" in html and "No drafts." in html
    assert ">Submissions" in html and ">Approved library<" in html and ">Sign out<" in html
    for vietnamese in ("Việc cần làm", "ngày làm việc", "Ý kiến chuyên viên", "Đăng xuất"):
        assert vietnamese not in html


def test_the_account_page_names_the_role_and_the_device_in_english(client, login, english_designer):
    client.environ_base["HTTP_USER_AGENT"] = PHONE
    login(english_designer)
    html = _page(client, "/account")
    assert "<h1>My account</h1>" in html and "<dt>Unit</dt>" in html
    assert "<dd>Designer</dd>" in html and "Chrome Mobile on Android" in html
    assert "This session" in html and "Sign out everywhere else" in html
    for vietnamese in ("Tài khoản của tôi", "Cán bộ thiết kế", " trên ", "Phiên này"):
        assert vietnamese not in html


def test_role_and_device_names_follow_the_language(app, designer):
    with app.test_request_context(), force_locale("en"):
        assert designer.role_label == "Designer"
        assert device_label(PHONE) == "Chrome Mobile on Android"
        assert device_label("") == "Unknown browser"
    with app.test_request_context(), force_locale("vi"):
        assert designer.role_label == "Cán bộ thiết kế"
        assert device_label(PHONE) == "Chrome Mobile trên Android"


@pytest.mark.parametrize(
    ("today", "due_on", "label"),
    [
        (date(2026, 12, 7), date(2026, 12, 9), "Due in 2 working days"),
        (date(2026, 12, 7), date(2026, 12, 8), "Due in 1 working day"),
        (date(2026, 12, 7), date(2026, 12, 7), "Due today"),
        (date(2026, 12, 7), date(2026, 12, 4), "Overdue by 1 working day"),
        (date(2026, 12, 9), date(2026, 12, 4), "Overdue by 3 working days"),
        (date(2026, 12, 6), date(2026, 12, 5), "Overdue"),  # due Saturday, seen on Sunday
    ],
)
def test_due_dates_read_in_working_days_in_english(app, ctx, today, due_on, label):
    with app.test_request_context(), force_locale("en"):
        assert due_state(due_on, today, province_calendar()).label == label


def test_the_guides_read_in_english(client, login, english_designer):
    login(english_designer)
    guide = _page(client, "/help/all")
    assert "<h1>General guide</h1>" in guide and 'id="han-xu-ly">Due dates</h2>' in guide
    assert "“Overdue by N working days”" in guide and 'href="/"' in guide
    assert "Hướng dẫn chung" not in guide and "Hạn xử lý" not in guide
    index = _page(client, "/help/")
    assert "Your role" in index and ">Designer</a>" in index and ">All users</a>" in index
    designer_guide = _page(client, "/help/designer")
    assert 'The <a href="/submissions/">Submissions</a> page lists' in designer_guide


def test_a_missing_page_is_explained_in_english_as_a_page_and_as_json(
    client, login, english_designer
):
    login(english_designer)
    html = _page(client, "/no-such-page", 404)
    assert "Not found" in html and "Back to the home page" in html
    assert "Không tìm thấy" not in html
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["error"]["message"] == (
        "The page or data you are looking for does not exist, or you are not allowed to see it."
    )


def test_signing_out_says_so_in_english_and_the_sign_in_page_stays_english(
    client, login, english_designer
):
    login(english_designer)
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302
    html = _page(client, "/login")
    assert 'lang="en"' in html and "You have signed out." in html
    assert "Bạn đã đăng xuất" not in html


def test_a_password_change_is_confirmed_and_refused_in_english(client, login, english_designer):
    login(english_designer)
    token = csrf_token(client, "/account/password")
    refused = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "mat-khau-moi-1",
            "confirm": "khac-han",
            "csrf_token": token,
        },
    )
    assert refused.status_code == 400
    assert "The two passwords do not match." in refused.get_data(as_text=True)
    wrong = client.post(
        "/account/password",
        data={
            "current_password": "not-the-password",
            "password": "mat-khau-moi-1",
            "confirm": "mat-khau-moi-1",
            "csrf_token": token,
        },
    )
    assert "The current password is wrong." in wrong.get_data(as_text=True)
    done = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "mat-khau-moi-1",
            "confirm": "mat-khau-moi-1",
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    assert "Password changed. Your other sessions and old API tokens have been ended." in (
        done.get_data(as_text=True)
    )


def test_a_visitor_who_chose_english_signs_in_with_english_words_and_errors(app, client):
    client.post(
        "/language",
        data={"language": "en", "next": "/login", "csrf_token": csrf_token(client)},
    )
    page = _page(client, "/login")
    assert "<h1>Sign in</h1>" in page and "Forgot your password?" in page
    assert ">Username</label>" in page and ">Password</label>" in page
    assert "Đăng nhập" not in page and "Mật khẩu" not in page
    response = client.post(
        "/login", data={"username": "", "password": "", "csrf_token": csrf_token(client)}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please enter the username." in html and "Please enter the password." in html
    wrong = client.post(
        "/login",
        data={"username": "nobody", "password": "x", "csrf_token": csrf_token(client)},
    )
    assert "Wrong username or password, or the account is locked." in wrong.get_data(as_text=True)


def test_the_unit_pickers_words_come_from_the_page_in_english(client, login, english_designer):
    login(english_designer)
    html = _page(client, "/")
    assert '"unitPickerLabel": "Find a unit"' in html
    assert '"unitPickerPlaceholder": "Type a unit\\u0027s name, e.g. long xuyen"' in html


def test_a_refused_character_is_explained_in_english(app):
    with app.test_request_context(), force_locale("en"), pytest.raises(TextRefused) as caught:
        clean_input("Pano\x00", "Title")
    assert caught.value.message == (
        "“Title” contains a control character that cannot be displayed (U+0000); "
        "please delete it and send again."
    )


def test_a_visitor_reading_english_is_asked_to_sign_in_in_english(client):
    client.post(
        "/language",
        data={"language": "en", "next": "/login", "csrf_token": csrf_token(client)},
    )
    response = client.get("/account", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Please sign in to continue." in html and "Vui lòng đăng nhập" not in html
