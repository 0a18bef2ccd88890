"""Two-step sign-off in Chromium against gunicorn, PostgreSQL and MinIO, with a signing
certificate configured: the admin sets the campaign to two steps, the reviewer recommends, the
head of division signs from a phone, the locality downloads the signed approval document and a
citizen verifies it. Screenshots of the new pages at 1366 and 390 px, and of the document's
first page (pdftoppm)."""

from __future__ import annotations

import io
import pathlib
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS, Watched, save_checklist, submitted_submission
from tests.browser.test_journeys import artwork
from tests.certificates import PASSWORD as P12_PASSWORD
from tests.certificates import make_ca_and_signer
from tests.live import USERS, serve_registry

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
TITLE = "Pano Kết luận 288 ký duyệt hai bước"
HEAD = ("ld.qlvh", "head", "SVHTT-QLVH", "Trần Minh Lãnh")


@pytest.fixture(scope="module")
def signing_registry(browser, tmp_path_factory):
    """A registry of its own (the campaign's sign-off changes here), with a head of division
    and the Department's signing certificate."""
    ca, p12 = make_ca_and_signer()
    path = tmp_path_factory.mktemp("ky-so") / "so-vhtt.p12"
    path.write_bytes(p12)
    username, role, unit, full_name = HEAD
    users = {**USERS, username: (role, unit, full_name)}
    settings = {"REGISTRY_SIGNING_PKCS12": str(path), "REGISTRY_SIGNING_PASSWORD": P12_PASSWORD}
    with serve_registry(
        "signoff", users, log_name="gunicorn-signoff.log", extra_env=settings
    ) as live:
        live.ca = ca
        yield live


def _page(browser, live, name: str, viewport: dict, **options) -> Watched:
    context = browser.new_context(
        viewport=viewport, locale="vi-VN", accept_downloads=True, **options
    )
    return Watched(context.new_page(), name, live.url)


def _shot(watched: Watched, label: str) -> pathlib.Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    watched.page.wait_for_function("[...document.images].every(i => i.complete)")
    path = ARTIFACTS / f"{watched.name}-{label}.png"
    watched.page.screenshot(path=str(path), full_page=True)
    return path


def _fits(watched: Watched, viewport: dict) -> bool:
    return watched.page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_reviewer_recommends_head_signs_locality_downloads_signed_document_citizen_verifies(
    browser, signing_registry
):
    live = signing_registry
    watched: list[Watched] = []

    # The administrator asks for two steps on the campaign.
    admin = _page(browser, live, "6-signoff-admin", DESKTOP)
    watched.append(admin)
    admin.sign_in("quantri")
    admin.go("/admin/campaigns")
    admin.page.get_by_role("link", name="KL288-2026").click()
    admin.page.select_option("#signoff_steps", "2")
    admin.page.get_by_role("button", name="Lưu thay đổi").click()
    admin.page.wait_for_load_state()
    assert admin.page.input_value("#signoff_steps") == "2"

    submission_id = submitted_submission(
        live, TITLE, artwork(6), [(10.3866, 105.4352), (10.3801, 105.4410)]
    )

    # The reviewer passes the checklist and recommends approval; no decision buttons.
    reviewer = _page(browser, live, "6-signoff-reviewer", DESKTOP)
    watched.append(reviewer)
    page = reviewer.page
    reviewer.sign_in("cv.qlvh")
    reviewer.go("/reviews/")
    page.locator("tr", has_text=TITLE).locator("button", has_text="Nhận thẩm định").click()
    page.wait_for_url(re.compile(rf"/reviews/{submission_id}$"))
    for item in page.locator(".check-item").all():
        item.locator("input[value=pass]").check()
        if item.locator(".evidence-fail").count():
            item.locator("textarea").fill("Đã xem xét, chấp nhận.")
    save_checklist(page)
    decision = page.locator("form[data-decision]")
    assert decision.locator("button[value=approve]").count() == 0  # the head decides
    decision.locator("textarea[name=comment]").fill("Mẫu đạt 39/39 tiêu chí, đề nghị ký duyệt.")
    decision.locator("button[value=recommend_approval]").click()
    page.wait_for_load_state()
    assert "Chờ lãnh đạo ký" in page.inner_text("h1")
    _shot(reviewer, "01-recommended-1366")

    # The head of division reads the summary at the desk, then signs from a phone.
    desk = _page(browser, live, "6-signoff-head", DESKTOP)
    watched.append(desk)
    desk.sign_in(HEAD[0])
    desk.page.get_by_role("link", name="Chờ ký duyệt").click()
    item = desk.page.locator("section.signoff-item", has_text=TITLE)
    text = item.inner_text()
    assert "Đề xuất duyệt" in text and "đề nghị ký duyệt" in text
    assert "Không có tiêu chí nào không đạt." in text
    assert _fits(desk, DESKTOP)
    _shot(desk, "02-awaiting-1366")

    phone = _page(browser, live, "6-signoff-head-phone", PHONE, is_mobile=True, has_touch=True)
    watched.append(phone)
    phone.sign_in(HEAD[0])
    phone.go("/reviews/signoff")
    assert TITLE in phone.page.inner_text("main")
    assert _fits(phone, PHONE)
    _shot(phone, "03-awaiting-390")
    item = phone.page.locator("section.signoff-item", has_text=TITLE)
    item.locator("button[value=sign]").click()
    phone.page.wait_for_load_state()
    body = phone.page.inner_text("main")
    assert "Đã thực hiện: Ký duyệt." in body and "Không có hồ sơ nào chờ ký duyệt." in body
    _shot(phone, "04-signed-390")

    # The locality finds the approval and downloads its signed document.
    locality = _page(browser, live, "6-signoff-locality", DESKTOP)
    watched.append(locality)
    page = locality.page
    locality.sign_in("ubnd.longxuyen")
    locality.go("/library/")
    page.locator("tr", has_text=TITLE).locator("a.asset-code").click()
    page.wait_for_load_state()
    code = page.inner_text("h1 .asset-code").strip()
    link = page.get_by_role("link", name=re.compile("Giấy chấp thuận số"))
    assert "có chữ ký số" in page.locator("dl.facts").inner_text()
    assert _fits(locality, DESKTOP)
    _shot(locality, "05-asset-1366")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"{code}-giay-chap-thuan.pdf"
    pdf = pathlib.Path(download.path()).read_bytes()

    # The document: heading, motto, number and signer; a PAdES signature by the Department's
    # certificate over the whole file.
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    number = re.search(r"Số: (\d+/SVHTT-QLVH)", text)
    assert number, text[:400]
    assert HEAD[3] in text and "Bản không ký số" not in text
    root = asn1_x509.Certificate.load(live.ca.public_bytes(serialization.Encoding.DER))
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    # pyHanko runs its own event loop; Playwright's holds this thread.
    with ThreadPoolExecutor(1) as pool:
        context = ValidationContext(trust_roots=[root])
        status = pool.submit(validate_pdf_signature, signature, context).result()
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    document = ARTIFACTS / "6-signoff-document.pdf"
    document.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(document),
            str(ARTIFACTS / "6-signoff-document-page-1"),
        ],
        check=True,
        timeout=60,
    )
    assert (ARTIFACTS / "6-signoff-document-page-1.png").stat().st_size > 10_000

    # The print sheet goes with the document: the artwork, code, QR, places, period, signer.
    page.get_by_role("link", name="Phiếu phê duyệt (bản in)").click()
    page.wait_for_load_state()
    sheet = page.inner_text("article.sheet")
    assert f"Kèm theo Giấy chấp thuận số {number.group(1)}" in sheet and HEAD[3] in sheet
    assert page.locator("img.sheet-art").evaluate("i => i.naturalWidth") > 0
    _shot(locality, "07-sheet-1366")
    page.emulate_media(media="print")
    printed = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(printed.pages) == 1, "the sheet prints on one A4 page"
    (ARTIFACTS / "6-signoff-sheet.pdf").write_bytes(page.pdf(format="A4"))
    page.emulate_media(media="screen")
    sheet_url = page.url
    small = _page(browser, live, "6-signoff-locality-phone", PHONE, is_mobile=True, has_touch=True)
    watched.append(small)
    small.sign_in("ubnd.longxuyen")
    small.page.goto(sheet_url)
    assert _fits(small, PHONE)
    _shot(small, "07-sheet-390")

    # A citizen scans the QR and reads who signed, the number, where and whether it holds.
    for label, viewport in (("390", PHONE), ("1366", DESKTOP)):
        citizen = _page(browser, live, "6-signoff-citizen", viewport)
        watched.append(citizen)
        citizen.go(f"/verify/{code}")
        body = citizen.page.inner_text("main")
        assert HEAD[3] in body and "TRƯỞNG PHÒNG QUẢN LÝ VĂN HÓA" in body.upper()
        assert f"Số {number.group(1)}" in body
        assert "Hợp lệ: văn bản còn nguyên vẹn từ khi ký" in body
        assert "Điểm 1, " + TITLE in body and "Điểm 2, " + TITLE in body
        assert _fits(citizen, viewport)
        _shot(citizen, f"06-verify-{label}")

    for each in watched:
        assert each.problems == [], (each.name, each.problems)
        each.page.context.close()
