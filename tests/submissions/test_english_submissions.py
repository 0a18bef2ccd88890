"""A designer who reads English sees the submission pages, their messages, the upload's refusals,
the automatic print-resolution evidence and the page script's words in English; numbers are
written the way each language writes them."""

import io
import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.reviews.operations import start_review
from registry.submissions.models import Submission
from registry.textcheck.evidence import reading_of
from registry.textcheck.operations import refresh_open_reviews
from tests.conftest import csrf_token, post_multipart
from tests.factories import LAT, LON, SOON, UNIT_A
from tests.submissions.test_pages import _create


@pytest.fixture
def english_designer(designer, login):
    """The designer of unit A, whose interface language is English, signed in."""
    designer.language = "en"
    db.session.commit()
    login(designer)
    return designer


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_submissions_list_is_in_english(client, english_designer, make_submission):
    make_submission(english_designer)
    page = _page(client, "/submissions/")
    assert "Artwork submissions of Phường Long Xuyên" in page  # a unit's name stays its own
    for english in ("New submission", "All statuses", "All types", "Artwork title", "Draft"):
        assert english in page
    assert 'data-label="Artwork title"' in page  # the phone layout's card labels too
    for vietnamese in ("Hồ sơ mẫu cổ động", "Tạo hồ sơ mới", "Mọi trạng thái", "Bản nháp"):
        assert vietnamese not in page


def test_the_new_submission_form_is_in_english(client, english_designer):
    page = _page(client, "/submissions/new")
    for english in ("New artwork submission", "Product type", "Width (cm)", "Festoon", "Panel"):
        assert english in page
    assert "Province-wide artwork" in page and "Create submission" in page
    for vietnamese in ("Loại sản phẩm", "Chiều rộng (cm)", "Phướn", "Dùng tại đơn vị"):
        assert vietnamese not in page


def test_a_form_error_and_the_flash_after_creating_are_in_english(client, english_designer):
    refused = _create(client, title="", width_cm="")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Please fill in this field." in html and "Please enter the width." in html
    assert "Vui lòng nhập" not in html

    created = _create(client)
    assert created.status_code == 302
    page = _page(client, created.headers["Location"])
    assert "Submission created. Now upload the artwork file and declare the placements." in page
    assert "Đã tạo hồ sơ" not in page


def test_the_detail_page_shows_status_placements_and_version_facts_in_english(
    client, english_designer, make_submission
):
    submission = make_submission(english_designer)
    page = _page(client, f"/submissions/{submission.id}")
    for english in (
        "Draft",
        "Placements",
        "Main road",
        "Pixel dimensions",
        "1500 × 1000 px",
        "PNG, RGB (8 bits/channel)",
        "Effective print resolution",
        "Submission details",
        "Submit for review",
        "Used within the unit",
    ):
        assert english in page, english
    for vietnamese in ("Bản nháp", "Vị trí treo/dựng", "Trục đường chính", "bit/kênh"):
        assert vietnamese not in page


def test_a_workflow_refusal_is_flashed_in_english(client, english_designer, make_submission):
    submission = make_submission(english_designer, artwork=None)
    token = csrf_token(client, f"/submissions/{submission.id}")
    response = client.post(
        f"/submissions/{submission.id}/transition",
        data={"action": "submit", "csrf_token": token, "lock_version": submission.lock_version},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Cannot submit for review yet: Upload at least one version of the artwork." in page
    assert "Chưa thể gửi thẩm định" not in page
    assert db.session.get(Submission, submission.id).status == "draft"


def test_an_upload_of_the_wrong_file_type_is_refused_in_english(
    client, english_designer, make_submission
):
    submission = make_submission(english_designer, artwork=None)
    gif = b"GIF89a" + bytes(64)
    response = post_multipart(
        client,
        f"/submissions/{submission.id}/versions",
        {
            "file": (io.BytesIO(gif), "mau.png"),
            "csrf_token": csrf_token(client, f"/submissions/{submission.id}"),
        },
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    message = response.json["message"]
    assert message.startswith("The uploaded file is a GIF image, not artwork in an accepted")
    assert "Tệp tải lên" not in message
    assert db.session.get(Submission, submission.id).versions == []


def test_an_upload_sent_without_a_file_is_refused_in_english(
    client, english_designer, make_submission
):
    submission = make_submission(english_designer, artwork=None)
    response = client.post(
        f"/submissions/{submission.id}/versions",
        data={"csrf_token": csrf_token(client, f"/submissions/{submission.id}")},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json["message"] == "Please choose an artwork file to upload."


def test_the_print_resolution_evidence_is_written_in_english(
    client, english_designer, make_submission
):
    # 1500 px over 300 cm = 12.7 ppi: too coarse for a school seen from 3 m.
    submission = make_submission(english_designer, placements=0)
    data = {
        "unit_code": UNIT_A,
        "address": "Trường Tiểu học Mỹ Bình",
        "lat": str(LAT),
        "lon": str(LON),
        "site_type": "school_cultural_house",
        "quantity": "1",
        "display_from": SOON.isoformat(),
        "display_to": (SOON + timedelta(days=30)).isoformat(),
        "csrf_token": csrf_token(client, f"/submissions/{submission.id}"),
    }
    added = client.post(f"/submissions/{submission.id}/placements/new", data=data)
    assert added.status_code == 302
    page = _page(client, f"/submissions/{submission.id}")
    assert "Print resolution too low: 1500×1000 px printed at 300×200 cm" in page
    assert "default viewing distance 3 m = 118.1 inches" in page and "= 29.1 ppi:" in page
    assert "Độ phân giải in chưa đủ" not in page and "khoảng cách xem" not in page


def _app_messages(page: str) -> dict:
    island = re.search(r'<script type="application/json" id="app-messages">(.*?)</script>', page)
    assert island, "every page carries the words of app.js"
    return json.loads(island.group(1))


def test_the_page_script_reads_its_words_in_the_readers_language(
    client, designer, login, make_submission
):
    login(designer)
    words = _app_messages(_page(client, "/submissions/"))
    assert words["upload_checking"] == "Đã gửi xong, đang kiểm tra tệp…"
    assert words["checklist_open"]["other"] == "Còn {n} tiêu chí cần đánh giá"
    designer.language = "en"
    db.session.commit()
    words = _app_messages(_page(client, "/submissions/"))
    assert words["upload_checking"] == "Sent, checking the file…"
    assert words["upload_progress"] == "Uploading: {percent}%"
    assert words["checklist_open"] == {
        "one": "{n} criterion left to assess",
        "other": "{n} criteria left to assess",
    }


@pytest.mark.parametrize(
    "language, size", [("vi", "600,5 × 200 cm"), ("en", "600.5 × 200 cm")], ids=["vi", "en"]
)
def test_a_width_typed_with_a_comma_is_stored_and_shown_in_each_language(
    client, designer, login, language, size
):
    designer.language = language
    db.session.commit()
    login(designer)
    response = _create(client, width_cm="600,5")
    assert response.status_code == 302
    submission = db.session.scalar(sa.select(Submission))
    assert (submission.width_cm, submission.height_cm) == (600.5, 200)
    assert size in _page(client, f"/submissions/{submission.id}")


def test_the_text_evidence_the_worker_stores_is_in_the_reviewers_language(
    ctx, make_user, make_submission
):
    designer = make_user("designer")
    submission = make_submission(designer)
    reviewer = make_user("reviewer", "SVHTT-QLVH")
    reviewer.language = "en"
    review = start_review(reviewer, submission)
    db.session.commit()
    reading = reading_of(submission.latest_version)
    reading.status, reading.reason = "unavailable", "Tesseract is not installed"

    assert refresh_open_reviews(submission.latest_version) == 1  # as the worker does
    ct01 = next(a for a in review.answers if a.item.code == "CT-01")
    assert ct01.evidence["summary"].startswith(
        "The text on the artwork could not be read yet: Tesseract is not installed. "
        "Checked against the declared text: Compared 1 line(s) of text with the campaign's"
    )


def test_the_new_submission_form_asks_for_one_campaign_in_english(client, english_designer):
    page = _page(client, "/submissions/new")
    assert '<label for="campaign_id">Campaign</label>' in page
