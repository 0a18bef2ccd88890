"""The designer's forms never lose typing (issue 11), in Chromium against gunicorn, PostgreSQL
and MinIO: a session that ends while typing, and a page left by accident."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.browser.conftest import ARTIFACTS, PASSWORD
from tests.factories import SOON

TITLE = "Pano gõ trước khi hết phiên"
# While signed out, the page's token request was sent to the sign-in page (aborted, as the
# script asked) and nothing else went wrong.
EXPECTED = re.compile(
    r"request failed: GET .*/login\?next=%2Freviews%2Fcsrf-token net::ERR_ABORTED$"
)


def sign_in_again_in_another_tab(page, username: str) -> None:
    banner = page.locator("[data-signed-out]")
    with page.context.expect_page() as popup_info:
        banner.get_by_role("link", name=re.compile("Đăng nhập lại")).click()
    login = popup_info.value
    login.wait_for_load_state()
    login.fill("#username", username)
    login.fill("#password", PASSWORD)
    login.click("button[type=submit]")
    login.wait_for_load_state()
    login.close()
    page.bring_to_front()


def test_a_submission_typed_before_the_session_expires_is_saved_after_signing_in_again(open_page):
    designer = open_page("wb-designer-expiry")
    designer.sign_in("tk.longxuyen")
    page = designer.go("/submissions/new")
    page.fill("#title", TITLE)
    page.select_option("#format", "pano")
    page.fill("#width_cm", "600")
    page.fill("#height_cm", "200")
    page.check("input[name=slogan_ids] >> nth=1")
    page.fill("#other_text", "Chào mừng Đại hội Đảng bộ tỉnh")
    page.context.clear_cookies()  # the session ends while the designer types
    page.evaluate("() => { window.samePage = true; }")
    page.get_by_role("button", name="Tạo hồ sơ").click()
    banner = page.locator("[data-signed-out]")
    banner.wait_for(state="visible")
    assert "Phiên đăng nhập đã hết hạn" in banner.inner_text()
    assert page.evaluate("() => window.samePage === true")  # still the page with the typing
    assert page.input_value("#title") == TITLE
    designer.shot("designer-session-expired")

    sign_in_again_in_another_tab(page, "tk.longxuyen")
    with page.expect_navigation():
        banner.get_by_role("button", name="Gửi lại ngay").click()
    page.wait_for_load_state()
    assert re.search(r"/submissions/\d+$", page.url)
    assert TITLE in page.inner_text("h1")
    body = page.inner_text("main")
    assert "600 × 200 cm" in body
    assert "Chào mừng Đại hội Đảng bộ tỉnh" in body
    # Saved: the draft kept on this computer is gone, so a new form starts empty.
    page.goto(page.url.rsplit("/submissions/", 1)[0] + "/submissions/new")
    assert page.input_value("#title") == ""
    assert page.locator(".draft-restored").count() == 0
    assert [p for p in designer.problems if not EXPECTED.match(p)] == []


def test_a_placement_form_left_by_accident_is_restored_and_forgotten_once_saved(open_page):
    designer = open_page("wb-designer-draft")
    designer.sign_in("tk.longxuyen")
    page = designer.go("/submissions/new")
    page.fill("#title", "Pano có vị trí nhập dở")
    page.fill("#width_cm", "300")
    page.fill("#height_cm", "100")
    page.check("input[name=slogan_ids] >> nth=0")
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo hồ sơ").click()
    detail = page.url
    page.get_by_role("link", name="Thêm vị trí", exact=True).click()
    form_url = page.url
    page.fill("#address", "Cổng chợ Long Xuyên, đường Hai Bà Trưng")
    page.fill("#lat", "10.3855")
    page.fill("#lon", "105.4381")
    page.select_option("#site_type", "public_square")
    page.fill("#viewing_distance_m", "12")

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.get_by_role("link", name="Hủy").click()  # away, by accident: the page asks first
    page.wait_for_url(detail)
    assert dialogs == ["beforeunload"]

    page.goto(form_url)
    restored = page.locator(".draft-restored")
    assert "Đã khôi phục nội dung bạn nhập dở" in restored.inner_text()
    assert page.input_value("#address") == "Cổng chợ Long Xuyên, đường Hai Bà Trưng"
    assert page.input_value("#site_type") == "public_square"
    assert page.input_value("#viewing_distance_m") == "12"
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"designer-draft-restored-{width}.png"))
    page.fill("#quantity", "1")
    page.fill("#display_from", SOON.isoformat())
    page.fill("#display_to", (SOON + timedelta(days=20)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu vị trí").click()
    assert page.url.startswith(detail)
    assert "Cổng chợ Long Xuyên" in page.inner_text("table.list")
    assert dialogs == ["beforeunload"]  # a save leaves without asking

    page.goto(form_url)  # saved: nothing to restore
    assert page.locator(".draft-restored").count() == 0
    assert page.input_value("#address") == ""
    assert designer.problems == []
