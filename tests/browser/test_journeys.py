"""The three journeys of the registry's users, in a real Chromium against gunicorn, in
Vietnamese and again in English (each language on a registry of its own).

Each journey is independent: what its users find when they arrive (a submission waiting for
review, an approved asset) is made through the API first, so `pytest -k` runs any one alone.
In English every user switches language in the page footer after signing in (the citizen
before reading the verification page); the journey looks for the English words, and no
Vietnamese sentence of the interface may show on the pages it checks.
"""

from __future__ import annotations

import base64
import hashlib
import io
import pathlib
import re
import subprocess
import time
from datetime import timedelta

import pytest
from babel.messages.mofile import read_mo
from PIL import Image
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import Watched, approve, save_checklist, submitted_submission
from tests.factories import SOON
from tests.live import ROOT, USERS, serve_registry

# Each journey has its own submission; no title contains another (rows are found by text).
TITLE = "Pano tuyên truyền Kết luận 288 tại trung tâm hành chính"
TITLE_2 = "Pano Kết luận 288 trước trụ sở, bản cần sửa quốc kỳ"
TITLE_3 = "Pano Kết luận 288 đã duyệt cho phường Long Xuyên"

VIETNAMESE = re.compile("[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]")


def interface_sentences() -> set[str]:
    """The Vietnamese sentences of the interface (pieces of the catalogue's source strings
    between placeholders, of five words or more, shorter ones being too often part of the data:
    the checklist's legal texts, unit names): none may show on an English page."""
    catalogue = ROOT / "registry" / "translations" / "en" / "LC_MESSAGES" / "messages.mo"
    with catalogue.open("rb") as file:
        sources = [m.id if isinstance(m.id, str) else m.id[0] for m in read_mo(file) if m.id]
    pieces = set()
    for source in sources:
        for piece in re.split(r"%\(\w+\)[sdf]|%[sd]|\{\w+\}|\n", source):
            piece = piece.strip(" .:;,—–()“”")
            if len(piece.split()) >= 5 and VIETNAMESE.search(piece):
                pieces.add(piece)
    return pieces


@pytest.fixture(scope="module", params=["vi", "en"])
def language(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def journey_registry(request, language):
    """Vietnamese: the browser tests' registry; English: one of its own (the same accounts)."""
    if language == "vi":
        yield request.getfixturevalue("live_registry")
        return
    with serve_registry("browser-en", USERS, log_name="gunicorn-en.log") as live:
        yield live


class Journey:
    """What the journey's users read, in its language, and the pages they open."""

    def __init__(self, language: str, browser, live):
        self.language, self.browser, self.live = language, browser, live
        self.contexts = []
        self.sentences = interface_sentences() if language == "en" else set()

    def say(self, vietnamese: str, english: str) -> str:
        return english if self.language == "en" else vietnamese

    def open(self, name: str) -> Watched:
        context = self.browser.new_context(
            viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="vi-VN"
        )
        self.contexts.append(context)
        return Watched(context.new_page(), f"{name}-{self.language}", self.live.url)

    def speak(self, watched: Watched) -> None:
        """Choose the journey's language in the page's footer (before signing in too)."""
        if watched.page.get_attribute("html", "lang") == self.language:
            return  # this account chose it in an earlier journey
        with watched.page.expect_navigation():
            watched.page.click("footer button[value=en]")
        watched.page.wait_for_load_state()
        self.check(watched)

    def sign_in(self, watched: Watched, username: str) -> None:
        watched.sign_in(username)
        self.speak(watched)

    def check(self, watched: Watched) -> None:
        """An English page is marked English and shows no Vietnamese sentence of the interface
        (the data, the slogans and the checklist's legal texts stay as they were written)."""
        if self.language == "vi":
            return
        page = watched.page
        assert page.get_attribute("html", "lang") == "en"
        text = " ".join(page.inner_text("body").split())
        leaked = sorted(s for s in self.sentences if s in text)
        assert leaked == [], f"{page.url}: {leaked}"


@pytest.fixture
def journey(language, browser, journey_registry):
    trip = Journey(language, browser, journey_registry)
    yield trip
    for context in trip.contexts:
        context.close()


def artwork(seed: int) -> bytes:
    """A 3000 × 1500 px PNG of noise (~13 MB, so the progress bar has work to show)."""
    bands = [Image.effect_noise((3000, 1500), 40 + 10 * (seed + i)) for i in range(3)]
    buffer = io.BytesIO()
    Image.merge("RGB", bands).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def drop_file(page, selector: str, data: bytes, name: str) -> None:
    """Drag a file onto the drop zone, as the browser does for a file from the desktop."""
    transfer = page.evaluate_handle(
        """([b64, name]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name, {type: 'image/png'}));
            return dt;
        }""",
        [base64.b64encode(data).decode(), name],
    )
    page.dispatch_event(selector, "dragenter", {"dataTransfer": transfer})
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})


def upload_and_watch(page) -> list[int]:
    """Submit the upload form, record the progress bar until the upload has finished, and wait
    for the page that shows the new version."""
    seen: list[int] = []
    with page.expect_navigation(timeout=60_000):
        page.click("form[data-upload] button[type=submit]")
        while True:
            try:
                value, done = page.evaluate(
                    "() => [document.querySelector('[data-progress]').value,"
                    " document.querySelector('form[data-upload]').dataset.uploaded === '1']"
                )
            except PlaywrightError:
                break  # the page is already navigating to the new version
            seen.append(value)
            if done:
                break
            time.sleep(0.02)
    page.wait_for_load_state()
    return seen


def add_placement(journey, page, address: str, lat: str, lon: str) -> None:
    page.get_by_role("link", name=journey.say("Thêm vị trí", "Add placement"), exact=True).click()
    page.fill("#address", address)
    page.fill("#lat", lat)
    page.fill("#lon", lon)
    page.select_option("#site_type", "administrative_center")
    page.fill("#quantity", "2")
    page.fill("#display_from", SOON.isoformat())
    page.fill("#display_to", (SOON + timedelta(days=20)).isoformat())
    with page.expect_navigation():  # sent once the page has a fresh form token (issue 11)
        page.click("main button[type=submit]")
    page.wait_for_load_state()


def confirm_dialog(journey, page, button, consequence: str, *, confirm: bool) -> None:
    """Click a button of an action that cannot be undone: a dialog names the consequence, on
    the same page (no load); "Hủy" leaves everything as it was, the action's name goes on."""
    page.evaluate("() => { window.samePage = true; }")
    button.click()
    dialog = page.locator("dialog[data-confirm-dialog]")
    dialog.wait_for(state="visible")
    assert consequence in dialog.inner_text()
    assert page.evaluate("() => window.samePage === true")  # no page load
    if not confirm:
        dialog.get_by_role("button", name=journey.say("Hủy", "Cancel")).click()
        assert dialog.is_hidden() and page.evaluate("() => window.samePage === true")
        return
    with page.expect_navigation():
        dialog.locator("[data-confirm-ok]").click()
    page.wait_for_load_state()


def test_1_designer_creates_uploads_places_and_submits(journey):
    say = journey.say
    designer = journey.open("1-designer")
    page = designer.page
    journey.sign_in(designer, "tk.longxuyen")
    page.get_by_role("link", name=say("Tạo hồ sơ", "New submission"), exact=True).click()
    page.fill("#title", TITLE)
    page.select_option("#format", "pano")
    page.fill("#width_cm", say("100,0", "100.0"))  # each language's decimal mark
    page.fill("#height_cm", "50")
    page.check("input[name=slogan_ids] >> nth=2")
    designer.shot("new-submission")
    journey.check(designer)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/submissions/\d+$"))

    drop_file(page, "[data-dropzone]", artwork(1), "pano-v1.png")
    assert "pano-v1.png" in page.inner_text("[data-progress-text]")
    progress = upload_and_watch(page)
    assert progress and max(progress) == 100
    assert "3000 × 1500 px" in page.inner_text("body")
    designer.shot("uploaded-v1")

    add_placement(journey, page, "Trụ sở UBND phường Long Xuyên", "10.3866", "105.4352")
    add_placement(journey, page, "Quảng trường Long Xuyên", "10.3801", "105.4410")
    journey.check(designer)
    assert page.locator("table.list tbody tr").count() == 2
    confirm_dialog(
        journey,
        page,
        page.locator("button[data-action=withdraw]"),
        say("không gửi thẩm định được nữa", "can no longer be submitted for review"),
        confirm=False,
    )
    designer.shot("withdraw-asks-first")
    page.reload()
    assert say("Bản nháp", "Draft") in page.inner_text("h1")  # cancelled: still a draft
    page.click("button[data-action=submit]")
    page.wait_for_load_state()
    assert say("Chờ thẩm định", "Submitted") in page.inner_text("h1")
    designer.shot("submitted")
    journey.check(designer)
    assert designer.problems == []


def test_2_reviewer_requests_changes_then_approves_version_2(journey):
    say = journey.say
    submission_id = submitted_submission(
        journey.live, TITLE_2, artwork(1), [(10.3840, 105.4380), (10.3855, 105.4395)]
    )
    reviewer = journey.open("2-reviewer")
    page = reviewer.page
    journey.sign_in(reviewer, "cv.qlvh")
    assert say("Việc cần làm", "To do") in page.inner_text("h1")  # everyone starts on their work
    page.locator("#site-nav").get_by_role(
        "link", name=say("Hàng chờ thẩm định", "Review queue")
    ).click()
    assert say("Hàng chờ thẩm định", "Review queue") in page.inner_text("h1")
    journey.check(reviewer)
    row = page.locator("tr", has_text=TITLE_2)
    row.locator("button", has_text=say("Nhận thẩm định", "Claim")).click()
    page.wait_for_url(re.compile(r"/reviews/\d+$"))
    body = page.text_content("body")  # the automatic passes are folded, their text is there
    assert say("Kiểm tra tự động: Đạt.", "Automatic pre-check: Pass.") in body
    assert say("độ phân giải hiệu dụng 76,2 ppi", "effective resolution 76.2 ppi") in body
    assert say("3438 ÷ 196,9 = 17,5 ppi", "3438 ÷ 196.9 = 17.5 ppi") in body  # centre, 5 m
    reviewer.shot("review-with-prechecks")
    journey.check(reviewer)

    page.locator("[data-stage][data-ready]").wait_for()  # the deep-zoom viewer has opened
    canvas = page.locator("[data-deep-zoom] .openseadragon-canvas")
    # Click on the artwork a little left of its middle, wherever the viewer shows it.
    spot = page.evaluate(
        "() => { const v = document.querySelector('[data-stage]').viewer;"
        " const p = v.viewport.pixelFromPoint(new OpenSeadragon.Point(0.45, 0.24));"
        " return {x: p.x, y: p.y}; }"
    )
    pinned_at = page.locator("form[data-annotate-form] input[name=x]")
    canvas.click(position=spot)
    assert pinned_at.input_value(), f"no pin at {spot} of {canvas.bounding_box()}"
    assert float(pinned_at.input_value()) > 0
    page.fill("form[data-annotate-form] textarea", "Ngôi sao lệch tâm so với nền đỏ")
    page.get_by_role("button", name=say("Ghim ghi chú", "Pin comment")).click()
    page.get_by_text(say("Đã ghim ghi chú 1.", "Pin comment 1 added.")).wait_for()
    assert page.locator(".pin").count() == 1
    page.check("input[name='result-CT-05'][value=fail]")
    page.fill("textarea[name='comment-CT-05']", "Quốc kỳ sai tỉ lệ 2:3")
    save_checklist(page)
    page.fill("form[data-decision] textarea[name=comment]", "Đề nghị sửa quốc kỳ")
    page.click("form[data-decision] button[value=request_changes]")
    page.wait_for_load_state()
    assert say("Yêu cầu chỉnh sửa", "Changes requested") in page.inner_text("h1")
    reviewer.shot("changes-requested")
    journey.check(reviewer)

    designer = journey.open("2-designer")
    journey.sign_in(designer, "tk.longxuyen")
    dpage = designer.go(f"/submissions/{submission_id}")
    text = dpage.inner_text("body")
    assert "Quốc kỳ sai tỉ lệ 2:3" in text and "Ngôi sao lệch tâm" in text
    designer.shot("feedback")
    journey.check(designer)
    # The designer answers the pin on the submission's page, and says what changed.
    thread = dpage.locator("[data-pin-thread]", has_text="Ngôi sao lệch tâm")
    thread.locator("textarea").fill("Đã căn giữa ngôi sao ở bản v2.")
    thread.get_by_role("button", name=say("Trả lời", "Reply")).click()
    dpage.wait_for_load_state()
    assert "Đã căn giữa ngôi sao ở bản v2." in dpage.inner_text("[data-pin-thread]")
    version_2 = artwork(2)
    dpage.set_input_files(
        "input[name=file]",
        files=[{"name": "pano-v2.png", "mimeType": "image/png", "buffer": version_2}],
    )
    upload_and_watch(dpage)
    assert "v2" in dpage.inner_text("body")
    dpage.fill("#change-note", "Sửa quốc kỳ đúng tỉ lệ 2:3; căn giữa ngôi sao.")
    designer.shot("resubmit-with-note")
    with dpage.expect_navigation():
        dpage.click("button[data-action=submit]")
    dpage.wait_for_load_state()
    assert say("Chờ thẩm định", "Submitted") in dpage.inner_text("h1")

    reviewer.go("/reviews/")
    row = page.locator("tr", has_text=TITLE_2)
    assert say("Nộp lại lần 2", "Resubmission 2") in row.inner_text()
    reviewer.shot("queue-marks-resubmission")
    row.locator("button", has_text=say("Nhận thẩm định", "Claim")).click()
    page.wait_for_url(re.compile(r"/reviews/\d+$"))
    since = page.inner_text("[data-since-last]")
    assert "Sửa quốc kỳ đúng tỉ lệ 2:3" in since and "Đã căn giữa ngôi sao ở bản v2." in since
    reviewer.shot("review-opens-on-what-changed")
    journey.check(reviewer)
    page.get_by_role("link", name=say("So sánh phiên bản", "Compare versions")).click()
    page.wait_for_load_state()
    page.locator("[data-overlay-slider]").evaluate(
        "el => { el.value = 25; el.dispatchEvent(new Event('input')); }"
    )
    assert "inset(0px 75% 0px 0px)" in page.locator("[data-overlay-top]").evaluate(
        "el => el.style.clipPath"
    ) or "75%" in page.locator("[data-overlay-top]").evaluate("el => el.style.clipPath")
    reviewer.shot("compare")
    journey.check(reviewer)
    page.go_back()
    page.wait_for_load_state()
    for item in page.locator(".check-item").all():
        if not item.is_visible():
            continue  # automatic passes, folded: already "Đạt"
        item.locator("input[value=pass]").check()
        if item.locator(".evidence-fail").count() or item.get_attribute("data-item") == "CT-05":
            item.locator("textarea").fill("Đã kiểm tra ở bản v2.")
    save_checklist(page)
    approve = page.locator("form[data-decision] button[value=approve]")
    consequence = say(
        "Mẫu sẽ được lưu vào thư viện và các địa phương tải về được",
        "stored in the approved library and localities will be able to download it",
    )
    confirm_dialog(journey, page, approve, consequence, confirm=False)
    assert say("Đang thẩm định", "In review") in page.inner_text("h1")
    approve.click()
    reviewer.shot("approve-asks-first")
    page.keyboard.press("Escape")  # Esc cancels too
    confirm_dialog(journey, page, approve, consequence, confirm=True)
    assert say("Đã duyệt", "Approved") in page.inner_text("h1")
    reviewer.shot("approved")
    journey.check(reviewer)
    assert reviewer.problems == [] and designer.problems == []


def has_word(text: str, words: str) -> bool:
    """Whether the words stand in the text as words ("Valid", not "Validity period")."""
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text) is not None


def decode_qr(png: bytes, tmp_path) -> str:
    """Read a QR code as a phone would: zbarimg from Debian's zbar-tools."""
    path = tmp_path / "qr.png"
    path.write_bytes(png)
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout.strip()


def test_3_locality_downloads_the_approved_file_and_verifies_it(journey, tmp_path):
    say, live = journey.say, journey.live
    approved = artwork(3)
    spots = [(10.3880, 105.4330), (10.3895, 105.4345)]
    approve(live, submitted_submission(live, TITLE_3, approved, spots))
    locality = journey.open("3-locality")
    page = locality.page
    journey.sign_in(locality, "ubnd.longxuyen")
    assert TITLE_3 in page.inner_text("[data-section=new_assets]")  # new for the unit
    page.get_by_role("link", name=say("Mở thư viện mẫu", "Open the approved library")).click()
    page.wait_for_url(re.compile(r"/library/$"))
    locality.shot("library")
    journey.check(locality)
    page.locator("tr", has_text=TITLE_3).locator("a.asset-code").click()
    page.wait_for_load_state()
    code = page.inner_text("h1 .asset-code").strip()
    assert re.fullmatch(r"QLVH-\d{4}-\d{6}", code)
    locality.shot("asset")
    journey.check(locality)
    with page.expect_download() as download_info:
        page.get_by_role(
            "link", name=re.compile(say("Tải tệp mẫu", "Download the artwork file"))
        ).click()
    download = download_info.value
    data = pathlib.Path(download.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256(approved).hexdigest()
    assert download.suggested_filename.startswith(code)

    qr = page.request.get(f"{live.url}/library/{code}/qr.png")
    verify_url = decode_qr(qr.body(), tmp_path)
    assert verify_url.endswith(f"/verify/{code}")
    citizen = journey.open("3-citizen")  # anyone, not signed in
    citizen.page.goto(verify_url)
    journey.speak(citizen)
    # Approved before its display period (journey 1 places it from next week): not yet valid.
    text = citizen.page.inner_text("main")
    upcoming = say("Đã duyệt, chưa đến thời gian treo", "Approved, display period not begun")
    assert upcoming in text and not has_word(text, say("Còn hiệu lực", "Valid"))
    citizen.shot("verify-upcoming")

    other = journey.open("3-other-locality")
    journey.sign_in(other, "ubnd.binhduc")
    assert code not in other.page.inner_text("main")
    other.go("/library/")
    assert code not in other.page.inner_text("main")  # another unit's artwork stays hidden

    reviewer = journey.open("3-reviewer")
    journey.sign_in(reviewer, "cv.qlvh")
    reviewer.go(f"/library/{code}")
    reviewer.page.fill("textarea[name=reason]", "Quốc kỳ sai màu khi in thử")
    confirm_dialog(
        journey,
        reviewer.page,
        reviewer.page.get_by_role("button", name=say("Thu hồi phê duyệt", "Revoke approval")),
        say(
            "trang tra cứu công khai hiển thị “Đã thu hồi”",
            "the public verification page will show “Revoked”",
        ),
        confirm=True,
    )
    journey.check(reviewer)
    citizen.page.goto(verify_url)
    text = citizen.page.inner_text("main")
    assert say("Đã thu hồi", "Revoked") in text
    assert not has_word(text, say("Còn hiệu lực", "Valid"))
    citizen.shot("verify-revoked")
    journey.check(citizen)
    for watched in (locality, citizen, other, reviewer):
        assert watched.problems == [], watched.problems
