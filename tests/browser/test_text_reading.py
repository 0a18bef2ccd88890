"""The reviewer sees "đang đọc chữ trên mẫu…" until the worker has read the artwork, then the
evidence, without reloading: lines beside the slogan, the wrong word boxed on the image."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

from tests.factories import LAT, LON, SOON
from tests.textcheck.render import banner, png

from .conftest import PASSWORD, ROOT

TITLE = "Băng rôn phương châm Đại hội Đảng bộ tỉnh"
WRONG = png(
    banner(
        [("MỘT AN GIANG - MỘT TẦM NHÌN", 56), ("MỘT Ý CHÍ - MỘT NIỀM TIN THẮNG LỚI", 56)],
        width=1500,
    )
)


def _submit_through_the_api(request, base: str) -> int:
    """The designer's part, as a script or another system would do it."""
    token = request.post(
        f"{base}/api/v1/auth/token", data={"username": "tk.longxuyen", "password": PASSWORD}
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    campaign = request.get(f"{base}/api/v1/campaigns", headers=auth).json()[0]
    slogan = next(s["id"] for s in campaign["slogans"] if s["text"].startswith("Một An Giang"))
    created = request.post(
        f"{base}/api/v1/submissions",
        headers=auth,
        data={
            "campaign_id": campaign["id"],
            "title": TITLE,
            "format": "bang_ron",
            "width_cm": 500,
            "height_cm": 120,
            "slogan_ids": [slogan],
        },
    )
    assert created.ok, created.text()
    submission = created.json()["id"]
    uploaded = request.post(
        f"{base}/api/v1/submissions/{submission}/versions",
        headers=auth,
        multipart={"file": {"name": "bang-ron.png", "mimeType": "image/png", "buffer": WRONG}},
    )
    assert uploaded.ok, uploaded.text()
    placed = request.post(
        f"{base}/api/v1/submissions/{submission}/placements",
        headers=auth,
        data={
            "unit_code": "30307",
            "address": "Đường Trần Hưng Đạo",
            "lat": LAT,
            "lon": LON,
            "site_type": "main_road",
            "display_from": SOON.isoformat(),
            "display_to": SOON.isoformat(),
        },
    )
    assert placed.ok, placed.text()
    submitted = request.post(
        f"{base}/api/v1/submissions/{submission}/transitions",
        headers=auth,
        data={"action": "submit"},
    )
    assert submitted.ok, submitted.text()
    return submission


def _shots(watched, label: str) -> None:
    for width, height in ((1366, 900), (390, 844)):
        watched.page.set_viewport_size({"width": width, "height": height})
        watched.shot(f"{label}-{width}")
    watched.page.set_viewport_size({"width": 1366, "height": 900})


# Where the artwork is drawn: in the deep-zoom viewer once it is open, else the plain preview.
IMAGE_ON_SCREEN = """() => {
  const stage = document.querySelector("[data-stage]");
  if (stage.viewer && stage.dataset.ready) {
    const viewer = stage.viewer;
    const image = viewer.world.getItemAt(0).getBounds(true);
    const inner = viewer.viewport.viewportToViewerElementRectangle(image);
    const outer = viewer.element.getBoundingClientRect();
    return {x: outer.x + inner.x, y: outer.y + inner.y, width: inner.width, height: inner.height};
  }
  const r = document.querySelector(".pin-stage img").getBoundingClientRect();
  return {x: r.x, y: r.y, width: r.width, height: r.height};
}"""


def test_the_review_page_shows_the_pending_reading_then_the_evidence(
    open_page, live_registry, tmp_path
):
    reviewer = open_page("12-text-reading")
    page = reviewer.page
    _submit_through_the_api(page.request, live_registry.url)
    reviewer.sign_in("cv.qlvh")
    reviewer.go("/reviews/")
    page.locator("tr", has_text=TITLE).locator("button", has_text="Nhận thẩm định").click()
    page.wait_for_url(re.compile(r"/reviews/\d+$"))
    assert "đang đọc chữ trên mẫu…" in page.inner_text("#text-reading")
    ct01 = page.locator(".check-item[data-item='CT-01'] [data-evidence]")
    assert "Đang đọc chữ trên mẫu, chưa có kết quả. Kiểm tra theo câu chữ khai báo" in (
        ct01.inner_text()
    )
    _shots(reviewer, "pending")
    page.evaluate("() => { window.stillTheSamePage = true; }")

    log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115 (closed below)
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "registry", "worker"],
        cwd=ROOT,
        env=live_registry.env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        page.wait_for_selector(".outcome-differs", timeout=120_000)
    finally:
        worker.terminate()
        worker.wait(30)
        log.close()
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded"
    panel = page.inner_text("#text-reading")
    assert "CT-01: Sai khác." in panel and "LỢI → LỚI" in panel
    assert "MỘT NIỀM TIN THẮNG" in panel
    assert page.locator(".word-box-differs").count() == 1
    assert page.locator(".word-box-differs").is_visible()
    box = page.locator(".word-box-differs").bounding_box()
    image = page.evaluate(IMAGE_ON_SCREEN)
    # The box sits on the last word of the second line: right of centre, lower half.
    assert box["x"] > image["x"] + image["width"] * 0.7
    assert box["y"] > image["y"] + image["height"] * 0.4
    assert "Kiểm tra tự động: Không đạt." in ct01.inner_text() and "LỢI → LỚI" in ct01.inner_text()
    assert page.locator("input[name='result-CT-01'][value=fail]").is_checked()
    # The progress line counts the answers the reading just gave.
    unanswered = page.locator(".check-item:not(:has(input:checked))").count()
    assert f"Còn {unanswered} tiêu chí cần đánh giá" in page.inner_text("[data-progress-line]")
    time.sleep(0.2)
    _shots(reviewer, "evidence")
    assert reviewer.problems == []
