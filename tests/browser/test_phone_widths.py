"""Every role's main pages on a 390 × 844 phone, in a real Chromium against gunicorn: no page
scrolls sideways, list tables read as cards, and the folded navigation opens on a tap."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.browser.conftest import ARTIFACTS, Api, Watched, approve, submitted_submission
from tests.live import USERS, serve_registry

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SHOTS = ARTIFACTS / "phones"
HEAD = ("ld.qlvh", "head", "SVHTT-QLVH", "Trần Minh Lãnh")
# Long titles, as designers write them: a card must wrap them rather than widen the page.
WAITING = "Pano tuyên truyền Kết luận 288 tại nút giao đường Trần Hưng Đạo và Hà Hoàng Hổ"
QUEUED = "Băng rôn Kết luận 288 chờ thẩm định, căng ngang đường Nguyễn Huệ, phường Mỹ Long"
APPROVED = "Pano Kết luận 288 trước trụ sở Ủy ban nhân dân phường Long Xuyên, mặt đường chính"


def small_artwork() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((1200, 600), 60).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def phone_registry(browser):
    """A registry of its own, with a head of division, one submission in review, one waiting
    in the queue and one approved (so that the library, the displays and the map have rows)."""
    username, role, unit, full_name = HEAD
    with serve_registry(
        "phones", {**USERS, username: (role, unit, full_name)}, log_name="gunicorn-phones.log"
    ) as live:
        art = small_artwork()
        waiting = submitted_submission(live, WAITING, art, [(10.3866, 105.4352)])
        approved = submitted_submission(live, APPROVED, art, [(10.3870, 105.4360)])
        approve(live, approved)
        submitted_submission(live, QUEUED, art, [(10.3880, 105.4370)])
        Api(live.url, "cv.qlvh").call(
            "POST", f"/submissions/{waiting}/transitions", {"action": "claim"}
        )
        designer = Api(live.url, "tk.longxuyen")
        live.ids = {
            "waiting": waiting,
            "approved": approved,
            "placement": designer.call("GET", f"/submissions/{approved}")["placements"][0]["id"],
            "campaign": designer.call("GET", f"/submissions/{approved}")["campaign_id"],
            "code": Api(live.url, "ubnd.longxuyen").call("GET", "/assets")[0]["code"],
        }
        yield live


# Each role's main pages; `{code}`, `{waiting}`… name the data made above.
PAGES = {
    "tk.longxuyen": [
        "/",
        "/submissions/",
        "/submissions/new",
        "/submissions/{waiting}",
        "/submissions/{approved}",
        "/library/",
        "/library/{code}",
        "/map",
        "/account",
        "/help/",
        "/help/designer",
    ],
    "cv.qlvh": [
        "/",
        "/reviews/",
        "/submissions/",
        "/library/",
        "/submissions/{waiting}",
        "/reviews/{waiting}",
        "/dashboard",
        "/displays/",
        "/displays/{placement}",
        "/map",
        "/help/reviewer",
    ],
    "ld.qlvh": ["/", "/reviews/signoff", "/reviews/", "/dashboard", "/library/"],
    "ubnd.longxuyen": [
        "/",
        "/library/",
        "/library/{code}",
        "/displays/",
        "/displays/{placement}",
        "/map",
        "/notifications",
        "/account/notifications",
        "/help/locality",
    ],
    "quantri": [
        "/",
        "/admin/users",
        "/admin/units",
        "/admin/users/new",
        "/admin/campaigns",
        "/admin/campaigns/{campaign}",
        "/admin/checklists",
        "/admin/audit",
        "/admin/calendar",
        "/account",
    ],
}
# The list pages whose phone and desktop screenshots a person looks at.
SHOT_PAGES = {
    "cv.qlvh": ["/reviews/", "/submissions/"],
    "tk.longxuyen": ["/library/", "/submissions/{approved}"],
    "ubnd.longxuyen": ["/displays/"],
    "quantri": ["/admin/users", "/admin/units", "/admin/campaigns"],
}
# At 390 px, a person also looks at the reviewer's workbench and the home pages.
PHONE_SHOTS = {
    **SHOT_PAGES,
    "cv.qlvh": [*SHOT_PAGES["cv.qlvh"], "/reviews/{waiting}", "/"],
    "ubnd.longxuyen": [*SHOT_PAGES["ubnd.longxuyen"], "/"],
}


def _overflow(page) -> int:
    """How many pixels the document is wider than the viewport (0 when it fits)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _widest(page) -> str:
    """The element that sticks out furthest to the right, to say what overflowed."""
    return page.evaluate(
        """() => {
            let worst = null, right = document.documentElement.clientWidth;
            for (const e of document.querySelectorAll('body *')) {
                const r = e.getBoundingClientRect().right;
                if (r > right + 0.5) { right = r; worst = e; }
            }
            if (!worst) return '';
            const cls = worst.className && typeof worst.className === 'string'
                ? '.' + worst.className.trim().split(/\\s+/).join('.') : '';
            return `${worst.tagName.toLowerCase()}${cls} reaching ${Math.round(right)} px`;
        }"""
    )


def _shot(watched: Watched, label: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    watched.page.wait_for_function("() => [...document.images].every(i => i.complete)")
    watched.page.screenshot(path=str(SHOTS / f"{label}.png"), full_page=True)


def test_every_roles_main_pages_fit_a_390_px_phone_and_the_menu_opens(browser, phone_registry):
    live = phone_registry
    overflowing: list[str] = []
    for username, paths in PAGES.items():
        context = browser.new_context(
            viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True, accept_downloads=True
        )
        try:
            watched = Watched(context.new_page(), f"phones-{username}", live.url)
            watched.sign_in(username)
            page = watched.page

            # The navigation is folded behind one button; a tap opens it and every link in it
            # can then be tapped; a second tap folds it again.
            toggle = page.locator("[data-menu-toggle]")
            nav = page.locator("#site-nav")
            assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
            assert not nav.is_visible()
            waiting = page.locator("#site-nav :is(.nav-count, .notice-link, .count-badge)").count()
            mark = toggle.evaluate("e => getComputedStyle(e, '::after').content")
            assert (mark != "none") == bool(waiting), f"{username}: menu mark {mark!r}"
            toggle.tap()
            assert toggle.get_attribute("aria-expanded") == "true"
            links = nav.locator("a")
            assert links.count() >= 4
            for i in range(links.count()):
                box = links.nth(i).bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
                    f"{username}: menu link {links.nth(i).inner_text()!r} is off screen: {box}"
                )
                assert box["height"] >= 32, f"{username}: menu link too small for a thumb: {box}"
            assert page.get_by_role("button", name="Đăng xuất").is_visible()
            _shot(watched, f"390-{username}-menu-open")
            with page.expect_navigation():
                links.filter(has_text="Thư viện mẫu").first.tap()
            assert page.url.endswith("/library/")
            assert page.locator("[data-menu-toggle]").get_attribute("aria-expanded") == "false"

            for path in paths:
                path = path.format(**live.ids)
                watched.go(path)
                assert page.url.startswith(live.url + path.split("?")[0]), (username, path)
                page.wait_for_load_state("networkidle")
                excess = _overflow(page)
                if excess > 0:
                    overflowing.append(f"{username} {path}: {excess} px too wide ({_widest(page)})")
                # List tables with rows are read as cards, each value under its label.
                labelled = page.locator("table.list td[data-label]:not([data-label=''])")
                if labelled.count():
                    cell = labelled.first
                    assert cell.evaluate("e => getComputedStyle(e).display") == "block", path
                    label = cell.evaluate("e => getComputedStyle(e, '::before').content")
                    assert label.strip('"') == cell.get_attribute("data-label"), path
                    head = cell.locator("xpath=ancestor::table[1]/thead").bounding_box()
                    assert head is None or head["height"] <= 1, f"{path}: table headings show"
                for shot in PHONE_SHOTS.get(username, []):
                    if shot.format(**live.ids) == path:
                        _shot(watched, f"390-{username}{path.replace('/', '-').rstrip('-')}")
            assert watched.problems == [], watched.problems
        finally:
            context.close()
    # The pages anyone opens without signing in: the sign-in and a QR code's verification.
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    try:
        watched = Watched(context.new_page(), "phones-anonymous", live.url)
        for path in ("/login", "/verify/{code}"):
            path = path.format(**live.ids)
            watched.go(path)
            excess = _overflow(watched.page)
            if excess > 0:
                overflowing.append(
                    f"anonymous {path}: {excess} px too wide ({_widest(watched.page)})"
                )
        assert watched.problems == [], watched.problems
    finally:
        context.close()
    assert overflowing == [], "\n".join(overflowing)


def test_list_pages_keep_their_desktop_table(browser, phone_registry):
    """At 1366 px the lists stay tables with their headings and the navigation stays open."""
    live = phone_registry
    for username, paths in SHOT_PAGES.items():
        context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
        try:
            watched = Watched(context.new_page(), f"desktop-{username}", live.url)
            watched.sign_in(username)
            page = watched.page
            assert not page.locator("[data-menu-toggle]").is_visible()
            assert page.locator("#site-nav").is_visible()
            for path in paths:
                path = path.format(**live.ids)
                watched.go(path)
                header = page.locator("table.list thead th").first
                assert header.is_visible(), path
                cell = page.locator("table.list td[data-label]").first
                assert cell.evaluate("e => getComputedStyle(e).display") == "table-cell", path
                _shot(watched, f"1366-{username}{path.replace('/', '-').rstrip('-')}")
            assert watched.problems == [], watched.problems
        finally:
            context.close()
