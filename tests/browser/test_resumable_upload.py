"""Issue 17: a designer's upload survives a dropped connection and a reload, in Chromium.

The line is cut by failing the upload's requests (page.route) and taking the browser offline
(context.set_offline) in the middle of the upload; it comes back, and the page carries on
from the server's offset without the designer doing anything. After a reload, picking the
same file again resumes the same upload. Each time the stored version's SHA-256 is the file's.
"""

from __future__ import annotations

import hashlib
import re
import time

from tests.browser.conftest import Api, draft_submission
from tests.browser.test_journeys import artwork

CHUNK = 8 << 20  # the live app's default REGISTRY_UPLOAD_CHUNK_MB


def _stored_sha256(live, submission_id: int) -> list[str]:
    designer = Api(live.url, "tk.longxuyen")
    return [v["sha256"] for v in designer.call("GET", f"/submissions/{submission_id}")["versions"]]


class Line:
    """The designer's line: while cut, every request of the upload fails as on a dead link."""

    def __init__(self, page):
        self.cut = False
        self.patches: list[int] = []  # Upload-Offset of every chunk that went through
        page.route(re.compile(r"/uploads/[0-9a-f]{32}$"), self._route)

    def _route(self, route):
        request = route.request
        if self.cut:
            route.abort("internetdisconnected")
            return
        if request.method == "PATCH":
            self.patches.append(int(request.headers["upload-offset"]))
            if len(self.patches) == 2:  # the second chunk: the line drops under it
                self.cut = True
                route.abort("internetdisconnected")
                return
        route.continue_()


def _expected_problem(problem: str) -> bool:
    """What a cut line makes the browser report about the upload's own requests."""
    if problem.endswith("net::ERR_ABORTED"):  # a retry the reload cut short
        return "/uploads/" in problem
    if "ERR_INTERNET_DISCONNECTED" in problem:
        return "/uploads/" in problem or problem.startswith("console: Failed to load resource")
    return "/uploads/" in problem and problem.startswith(("HTTP 409", "HTTP 423"))


def _wait_for_text(page, pattern: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = page.inner_text("[data-progress-text]")
        if re.search(pattern, text):
            return text
        page.wait_for_timeout(50)  # lets Playwright run the route handlers meanwhile
    raise AssertionError(f"never showed {pattern!r}; last: {text!r}")


def test_an_upload_cut_offline_resumes_by_itself_when_the_line_is_back(
    open_page, live_registry, tmp_path
):
    submission_id = draft_submission(live_registry, "Pano tải lên qua đường truyền chập chờn")
    data = artwork(7)  # ~13 MB: two chunks
    path = tmp_path / "pano-lon.png"
    path.write_bytes(data)
    designer = open_page("17-resumable")
    page = designer.page
    designer.sign_in("tk.longxuyen")
    designer.go(f"/submissions/{submission_id}")
    line = Line(page)
    page.set_input_files("input[type=file][name=file]", str(path))
    page.click("form[data-upload] button[type=submit]")

    _wait_for_text(page, r"Đang tải lên… \d+ % — có thể tiếp tục nếu mất kết nối")
    deadline = time.monotonic() + 30
    while not line.cut and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    assert line.cut, "the upload never reached its second chunk"
    page.context.set_offline(True)
    lost = _wait_for_text(page, r"Mất kết nối ở \d+ %")
    designer.shot("connection-lost")
    assert "tự tiếp tục khi có mạng lại" in lost

    line.cut = False
    with page.expect_navigation(timeout=60_000):
        page.context.set_offline(False)  # the browser says "online": the page carries on
    page.wait_for_load_state()
    assert "3000 × 1500 px" in page.inner_text("body")
    assert line.patches[0] == 0 and line.patches[-1] == CHUNK  # resumed, not restarted
    assert _stored_sha256(live_registry, submission_id) == [hashlib.sha256(data).hexdigest()]
    assert [p for p in designer.problems if not _expected_problem(p)] == []


def test_after_a_reload_the_same_file_resumes_the_same_upload(open_page, live_registry, tmp_path):
    submission_id = draft_submission(live_registry, "Pano tải lên tiếp sau khi tải lại trang")
    data = artwork(8)
    path = tmp_path / "pano-lon.png"
    path.write_bytes(data)
    designer = open_page("17-resumable-reload")
    page = designer.page
    designer.sign_in("tk.longxuyen")
    designer.go(f"/submissions/{submission_id}")
    line = Line(page)
    page.set_input_files("input[type=file][name=file]", str(path))
    page.click("form[data-upload] button[type=submit]")
    deadline = time.monotonic() + 30
    while not line.cut and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    assert line.cut, "the upload never reached its second chunk"

    page.reload()  # the laptop was closed; the designer opens the page again
    line.cut, line.patches = False, []
    page.set_input_files("input[type=file][name=file]", str(path))
    with page.expect_navigation(timeout=60_000):
        page.click("form[data-upload] button[type=submit]")
    page.wait_for_load_state()
    assert line.patches == [CHUNK]  # only the part the server did not have
    assert _stored_sha256(live_registry, submission_id) == [hashlib.sha256(data).hexdigest()]
    assert [p for p in designer.problems if not _expected_problem(p)] == []
