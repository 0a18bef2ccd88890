"""A locality at phone width records an installation with a GPS photo; the dashboard counts it
and the map shows it. Screenshots of every display page at 1366 and 390 px."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import timedelta

import pytest

from tests.browser.conftest import ARTIFACTS, ROOT
from tests.displays.conftest import site_photo
from tests.factories import LAT, LON, SOON

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
TITLE = "Pano Kết luận 288 trước trụ sở phường"

SETUP = f"""
from datetime import date, timedelta
import io
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from registry import create_app
from registry.auth.models import User
from registry.campaigns.models import Campaign
from registry.extensions import db
from registry.submissions import ingest, operations
from registry.submissions.renditions import make_renditions
from registry.workflow import apply_transition
from registry.reviews.operations import current_review, save_answers
from PIL import Image

app = create_app()
with app.app_context(), app.test_request_context():
    user = lambda name: db.session.scalar(sa.select(User).where(User.username == name))
    designer, reviewer = user("tk.longxuyen"), user("cv.qlvh")
    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.code == "KL288-2026"))
    s = operations.create_submission(designer, campaign, campaign.active_slogans[:1],
        title={TITLE!r}, format="pano", scope="unit", width_cm=300, height_cm=200,
        other_text="", description="")
    db.session.flush()
    buf = io.BytesIO(); Image.new("RGB", (1500, 1000), (180, 30, 30)).save(buf, "PNG")
    buf.seek(0)
    version = ingest.add_version(designer, s, FileStorage(buf, "pano.png"))
    make_renditions(version.id)  # the worker's job, done here: a decision waits for it
    operations.add_placement(designer, s, designer.unit, address="Trụ sở UBND phường Long Xuyên",
        lat={LAT}, lon={LON}, site_type="administrative_center", quantity=1,
        display_from=date.fromisoformat({SOON.isoformat()!r}),
        display_to=date.fromisoformat({(SOON + timedelta(days=30)).isoformat()!r}))
    apply_transition(designer, s, "submit")
    apply_transition(reviewer, s, "claim")
    review = current_review(s)
    save_answers(reviewer, review, [{{"item": a.item.code, "result": "pass",
        "comment": "" if a.automatic_result in (None, "pass") else "Chấp nhận."}}
        for a in review.answers])
    apply_transition(reviewer, s, "approve", comment="Đạt yêu cầu.")
    db.session.commit()
    print(s.placements[0].id)
"""


@pytest.fixture(scope="module")
def placement_id(live_registry):
    result = subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=ROOT,
        env=live_registry.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


def _page(browser, live_registry, name, viewport, **options):
    from tests.browser.conftest import Watched

    context = browser.new_context(viewport=viewport, locale="vi-VN", **options)
    return context, Watched(context.new_page(), name, live_registry.url)


def _shot(watched, label: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(ARTIFACTS / f"{watched.name}-{label}.png"), full_page=True)


def test_locality_records_an_installation_from_a_phone_then_dashboard_and_map_show_it(
    browser, live_registry, placement_id, tmp_path
):
    context, phone = _page(
        browser,
        live_registry,
        "4-display-phone",
        PHONE,
        geolocation={"latitude": LAT, "longitude": LON},
        permissions=["geolocation"],
        is_mobile=True,
        has_touch=True,
    )
    page = phone.page
    phone.sign_in("ubnd.longxuyen")
    phone.go("/displays/")
    assert "Trụ sở UBND phường Long Xuyên" in page.inner_text("main")
    _shot(phone, "01-list")
    page.get_by_role("link", name="Trụ sở UBND phường Long Xuyên").click()
    page.wait_for_url(re.compile(rf"/displays/{placement_id}$"))
    assert "Đã duyệt, chưa lắp đặt" in page.inner_text("h1")
    _shot(phone, "02-before-installation")

    photo = tmp_path / "hien-truong.jpg"
    photo.write_bytes(site_photo(LAT + 0.0002, LON, size=(1200, 900)))
    form = page.locator("#install")
    form.locator("input[type=file]").set_input_files(str(photo))
    form.get_by_role("button", name="Gửi kèm vị trí hiện tại của tôi").click()
    page.wait_for_function("() => document.querySelector('#install [data-lat]').value !== ''")
    assert "Sẽ gửi kèm vị trí 10.386600" in form.inner_text()
    form.locator("textarea").fill("Đã dựng xong, đúng vị trí.")
    with page.expect_navigation():
        form.get_by_role("button", name="Ghi nhận đã lắp đặt").click()
    body = page.inner_text("main")
    assert "Đã ghi nhận lắp đặt." in body and "Đang treo/dựng" in body
    assert "Đúng vị trí · 22 m" in body and "theo tọa độ trong ảnh (EXIF)" in body
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(phone, "03-installed")
    phone.go("/map")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.get_attribute("#map", "data-points") == "1"
    _shot(phone, "04-map")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.go("/dashboard")
    _shot(phone, "05-dashboard")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.go("/displays/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Cron runs the reminder the day after the period ends: the display is still up.
    live_registry.flask("registry", "remind", "--date", (SOON + timedelta(days=31)).isoformat())
    phone.go("/displays/")
    page.get_by_role("button", name="Menu").click()  # on a phone the links fold behind it
    page.locator("nav a.notifications-link").click()
    assert "1 điểm đã hết thời gian treo/dựng nhưng chưa tháo dỡ" in page.inner_text("main")
    _shot(phone, "06-notices")
    assert phone.problems == []
    context.close()

    context, desk = _page(browser, live_registry, "5-display-desktop", DESKTOP)
    page = desk.page
    desk.sign_in("cv.qlvh")
    desk.go("/dashboard")
    installed = page.locator("a.figure", has_text="đang treo/dựng").locator("strong")
    assert int(installed.inner_text()) >= 1
    _shot(desk, "01-dashboard")
    page.locator("a.figure", has_text="đang treo/dựng").click()
    assert "Trụ sở UBND phường Long Xuyên" in page.inner_text("main")
    _shot(desk, "02-list-installed")
    desk.go("/map?state=installed")
    page.wait_for_selector("#map[data-ready='1']")
    assert int(page.get_attribute("#map", "data-points")) >= 1
    page.locator("path.leaflet-interactive").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Trụ sở UBND phường Long Xuyên" in popup.inner_text()
    assert popup.locator("img").count() == 1  # the installation photo
    page.wait_for_timeout(400)  # let the popup's fade-in end before the screenshot
    _shot(desk, "03-map-popup")
    desk.go(f"/displays/{placement_id}")
    _shot(desk, "04-detail")
    desk.go("/notifications")
    _shot(desk, "05-notices")
    assert desk.problems == []
    context.close()
