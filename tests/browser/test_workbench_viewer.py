"""The viewer beyond zoom (issue 11) in Chromium against gunicorn, PostgreSQL and MinIO: the
"kích thước thật" view and the compare page's two viewers moving together, each with its pins."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.browser.conftest import ARTIFACTS, PASSWORD, ROOT

# Run inside the served registry: a 800 × 80 cm banner on a main road (10 m by default), and a
# pano of two versions with pins of its own on each; both submitted and claimed by cv.qlvh.
SETUP = """
import io, json
from datetime import timedelta
import sqlalchemy as sa
from PIL import Image
from werkzeug.datastructures import FileStorage
from registry import create_app
from registry.auth.models import User
from registry.campaigns.models import Campaign
from registry.clock import local_today
from registry.extensions import db
from registry.reviews.operations import add_annotation
from registry.submissions import ingest, operations
from registry.workflow import apply_transition


def png(size, colour):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    buffer.seek(0)
    return FileStorage(buffer, "mau.png")


app = create_app()
with app.app_context():
    designer = db.session.scalar(sa.select(User).where(User.username == "tk.longxuyen"))
    reviewer = db.session.scalar(sa.select(User).where(User.username == "cv.qlvh"))
    today = local_today()
    campaign = next(c for c in db.session.scalars(sa.select(Campaign)) if c.is_open_on(today))
    ids = {}
    for key, fmt, width, height, site in (
        ("real", "bang_ron", 800, 80, "main_road"),
        ("compare", "pano", 300, 200, "school_cultural_house"),
    ):
        submission = operations.create_submission(
            designer, campaign, campaign.active_slogans[:1], title=f"Mẫu xem {key}", format=fmt,
            scope="unit", width_cm=width, height_cm=height, other_text="", description="",
        )
        db.session.flush()
        size = (width * 3, height * 3)
        first = ingest.add_version(designer, submission, png(size, (200, 16, 46)))
        if key == "compare":
            add_annotation(reviewer, first, 0.25, 0.5, "Ghi chú của bản 1")
            second = ingest.add_version(designer, submission, png(size, (16, 46, 200)))
            add_annotation(reviewer, second, 0.5, 0.5, "Ghi chú thứ nhất của bản 2")
            add_annotation(reviewer, second, 0.75, 0.25, "Ghi chú thứ hai của bản 2")
        operations.add_placement(
            designer, submission, designer.unit, address=f"Điểm xem {key}", lat=10.3891,
            lon=105.4321, site_type=site, quantity=1,
            display_from=today + timedelta(days=7), display_to=today + timedelta(days=30),
        )
        apply_transition(designer, submission, "submit")
        apply_transition(reviewer, submission, "claim")
        db.session.commit()
        ids[key] = submission.id
    print(json.dumps(ids))
"""


@pytest.fixture(scope="module")
def viewed(live_registry):
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
    return json.loads(result.stdout.strip().splitlines()[-1])


VIEWER_WIDTH = (
    "(stage) => stage.viewer.viewport.getZoom() * stage.viewer.viewport.getContainerSize().x"
)


@pytest.mark.parametrize(
    ("width_cm", "height_cm", "metres", "on_screen_cm"),
    [
        (600, 200, 8, (45, 15)),  # a pano on a public square
        (800, 80, 10, (48, 4.8)),  # a street banner on a main road
        (300, 100, 3, (60, 20)),  # at a school gate: bigger than the screen
        (120, 240, 30, (2.4, 4.8)),  # a festoon seen from across a square
    ],
)
def test_the_real_size_arithmetic_keeps_the_angle_of_view_at_60_cm_from_the_screen(
    open_page, viewed, width_cm, height_cm, metres, on_screen_cm
):
    reviewer = open_page("wb-real-sums")
    reviewer.sign_in("cv.qlvh")
    page = reviewer.go(f"/reviews/{viewed['real']}")
    size = page.evaluate(f"() => realSizeOnScreen({width_cm}, {height_cm}, {metres}, 96 / 25.4)")
    assert size["widthCm"] == pytest.approx(on_screen_cm[0])
    assert size["heightCm"] == pytest.approx(on_screen_cm[1])
    # Uncalibrated, a screen millimetre is CSS's 96 px per inch; calibrated, what was measured.
    assert size["widthPx"] == pytest.approx(on_screen_cm[0] * 10 * 96 / 25.4)
    calibrated = page.evaluate(f"() => realSizeOnScreen({width_cm}, {height_cm}, {metres}, 5)")
    assert calibrated["widthPx"] == pytest.approx(on_screen_cm[0] * 10 * 5)


def test_the_real_size_button_shows_the_print_at_its_viewing_distance(open_page, viewed):
    reviewer = open_page("wb-real-size")
    reviewer.sign_in("cv.qlvh")
    page = reviewer.go(f"/reviews/{viewed['real']}")
    stage = page.locator("[data-stage]")
    page.locator("[data-stage][data-ready]").wait_for()
    fitted = stage.evaluate(VIEWER_WIDTH)
    button = page.get_by_role("button", name="Kích thước thật")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    text = page.locator("[data-real-size-text]")
    # 800 cm seen from 10 m (a main road's default, as MQ-07 takes it) = 48 cm seen from 60 cm.
    assert "Băng rôn 800 × 80 cm nhìn từ 10 m ≈ 48 × 4,8 cm trên màn hình" in text.inner_text()
    assert "mặc định của trục đường chính" in page.inner_text("[data-real-size]")
    assert "chưa hiệu chỉnh" in page.inner_text("[data-real-size]")
    expected = 480 * 96 / 25.4
    assert stage.evaluate(VIEWER_WIDTH) == pytest.approx(expected, rel=0.01)
    assert abs(fitted - expected) > 100  # the button did change the zoom
    reviewer.shot("real-size-10m")

    page.fill("[data-distance]", "20")  # twice as far: half as wide
    assert "nhìn từ 20 m ≈ 24 × 2,4 cm" in text.inner_text()
    assert stage.evaluate(VIEWER_WIDTH) == pytest.approx(expected / 2, rel=0.01)

    # A screen calibrated against a bank card: 5 px per mm, kept for the next page.
    page.get_by_role("button", name="Hiệu chỉnh màn hình").click()
    page.locator("[data-card-outline]").wait_for()
    page.locator("[data-px-per-mm]").fill("5")
    assert stage.evaluate(VIEWER_WIDTH) == pytest.approx(240 * 5, rel=0.01)
    assert page.locator("[data-card-outline]").bounding_box()["width"] == pytest.approx(428, abs=1)
    assert "đã hiệu chỉnh (5 điểm ảnh/mm)" in page.inner_text("[data-real-size]")
    reviewer.shot("real-size-calibrated")
    page.get_by_role("button", name="Xong").click()
    page.reload()
    page.locator("[data-stage][data-ready]").wait_for()
    page.get_by_role("button", name="Kích thước thật").click()
    assert stage.evaluate(VIEWER_WIDTH) == pytest.approx(480 * 5, rel=0.01)

    page.get_by_role("button", name="Kích thước thật").click()  # back to the whole artwork
    assert page.locator("[data-real-size]").is_hidden()
    page.wait_for_timeout(800)
    assert stage.evaluate(VIEWER_WIDTH) == pytest.approx(fitted, rel=0.02)
    page.get_by_role("button", name="Kích thước thật").click()
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"workbench-real-size-{width}.png"))
    assert reviewer.problems == []


ZOOMS = (
    "() => [...document.querySelectorAll('[data-stage]')].map((s) => s.viewer.viewport.getZoom())"
)
CENTRES = (
    "() => [...document.querySelectorAll('[data-stage]')]"
    ".map((s) => { const c = s.viewer.viewport.getCenter(); return [c.x, c.y]; })"
)


def test_the_compare_page_moves_both_viewers_together_each_with_its_own_pins(
    browser, live_registry, viewed
):
    for width, height in ((1366, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        page.goto(f"{live_registry.url}/login")
        page.fill("#username", "cv.qlvh")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_registry.url}/reviews/{viewed['compare']}/compare")
        figures = page.locator("[data-synced-viewers] figure")
        assert figures.count() == 2
        for index in range(2):
            figures.nth(index).locator("[data-stage][data-ready]").wait_for()
        page.locator("[data-synced-viewers][data-synced]").wait_for()
        # Each version's pins on its own image, as overlays of its viewer.
        first, second = figures.nth(0), figures.nth(1)
        assert first.locator("[data-deep-zoom] .pin").count() == 1
        assert first.locator(".pin").first.get_attribute("title") == "Ghi chú của bản 1"
        assert second.locator("[data-deep-zoom] .pin").count() == 2
        assert second.locator(".pin").nth(1).get_attribute("title") == "Ghi chú thứ hai của bản 2"

        home = page.evaluate(ZOOMS)
        first.get_by_role("button", name="Phóng to").click()
        page.wait_for_timeout(700)
        zoomed = page.evaluate(ZOOMS)
        assert zoomed[0] == pytest.approx(home[0] * 1.5, rel=0.02)
        assert zoomed[1] == pytest.approx(zoomed[0], rel=0.001)  # the other followed
        # A pan of the second (as a drag does) takes the first along.
        page.evaluate(
            "() => document.querySelectorAll('[data-stage]')[1].viewer.viewport"
            ".panBy(new OpenSeadragon.Point(0.1, 0))"
        )
        page.wait_for_timeout(700)
        centres = page.evaluate(CENTRES)
        assert centres[0] == pytest.approx(centres[1], abs=1e-3)
        assert centres[1][0] == pytest.approx(0.6, abs=1e-3)  # both moved right
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"workbench-compare-{width}.png"), full_page=True)
        assert errors == []
        context.close()
