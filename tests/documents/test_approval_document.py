"""The approval document: issued at approval in the ND 30/2020 layout, numbered per year
without gaps, kept in the approved bucket with its checksum, downloadable by asset readers."""

import io
import threading

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.storage.service import discard_unclaimed_objects, get_store
from tests.factories import DEPARTMENT, UNIT_A, UNIT_B, use_two_step_signoff


@pytest.fixture
def people(make_user):
    return {
        "designer": make_user("designer", UNIT_A),
        "designer_b": make_user("designer", UNIT_B),
        "locality": make_user("locality", UNIT_A),
        "locality_b": make_user("locality", UNIT_B),
        "reviewer": make_user("reviewer", DEPARTMENT),
        "reviewer2": make_user("reviewer", DEPARTMENT),
        "head": make_user("head", DEPARTMENT),
    }


def _pdf(asset) -> bytes:
    with get_store().open("approved", asset.document_key) as chunks:
        return b"".join(chunks)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_an_approval_issues_a_document_with_heading_motto_number_and_signer(
    people, make_submission, advance
):
    use_two_step_signoff()
    submission = make_submission(people["designer"])
    advance(submission, "approved", people["designer"], people["reviewer"], people["head"])
    asset = db.session.scalar(sa.select(ApprovedAsset))
    year = asset.approved_at.year
    assert asset.document_number == 1 and asset.document_label == "01/SVHTT-QLVH"
    pdf = _pdf(asset)
    text = _text(pdf)
    for expected in (
        "UBND TỈNH AN GIANG",
        "SỞ VĂN HÓA VÀ THỂ THAO",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/SVHTT-QLVH",
        f"năm {year}",
        "GIẤY CHẤP THUẬN",
        "TRƯỞNG PHÒNG QUẢN LÝ VĂN HÓA",
        people["head"].full_name,
        asset.code,
        "Số 1 Trần Hưng Đạo",
        "Nơi nhận:",
        "Bản không ký số",
        "Căn cứ Kết luận số 288-KL/TW",
    ):
        assert expected in text, expected
    assert b"/FontFile2" in pdf  # the TrueType font is embedded
    import hashlib

    assert hashlib.sha256(pdf).hexdigest() == asset.document_sha256
    assert len(pdf) == asset.document_size_bytes


def test_the_document_is_kept_under_the_artworks_retention(people, make_submission, advance):
    submission = make_submission(people["designer"])
    advance(submission, "approved", people["designer"], people["reviewer"])
    asset = db.session.scalar(sa.select(ApprovedAsset))
    store = get_store()
    artwork, document = (store.stat("approved", k) for k in (asset.storage_key, asset.document_key))
    assert document.retain_until is not None and document.retain_until == artwork.retain_until
    assert document.content_type == "application/pdf"
    assert not [i for i in store.list("uploads") if i.key.startswith("documents/")]


def test_numbers_run_on_per_year_and_a_rolled_back_approval_leaves_no_gap(
    people, make_submission, advance
):
    from registry.workflow import apply_transition
    from tests.factories import answer_all

    first = make_submission(people["designer"], title="Một")
    advance(first, "approved", people["designer"], people["reviewer"])
    undone = make_submission(people["designer"], title="Hai")
    advance(undone, "in_review", people["designer"], people["reviewer"])
    answer_all(people["reviewer"], undone)
    db.session.commit()
    apply_transition(people["reviewer"], undone, "approve")
    db.session.rollback()  # the request failed after numbering; its teardown runs
    discard_unclaimed_objects()
    third = make_submission(people["designer"], title="Ba")
    advance(third, "approved", people["designer"], people["reviewer"])
    numbers = db.session.scalars(
        sa.select(ApprovedAsset.document_number).order_by(ApprovedAsset.id)
    ).all()
    assert numbers == [1, 2]


@pytest.mark.parametrize("app", ["services"], indirect=True)  # row locks: PostgreSQL
def test_concurrent_approvals_take_consecutive_numbers(app, people, make_submission, advance):
    from registry.workflow import apply_transition
    from tests.factories import answer_all

    count = 4
    reviewers = [people["reviewer"], people["reviewer2"]]
    ids = []
    for i in range(count):
        submission = make_submission(people["designer"], title=f"Mẫu {i}")
        advance(submission, "in_review", people["designer"], reviewers[i % 2])
        answer_all(reviewers[i % 2], submission)
        db.session.commit()
        ids.append((submission.id, reviewers[i % 2].id))
    barrier = threading.Barrier(count)
    errors: list[str] = []

    def approve(submission_id: int, reviewer_id: int) -> None:
        from registry.auth.models import User
        from registry.submissions.models import Submission

        with app.app_context():
            user = db.session.get(User, reviewer_id)
            target = db.session.get(Submission, submission_id)
            barrier.wait()
            try:
                apply_transition(user, target, "approve")
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                db.session.rollback()
                errors.append(repr(error))

    threads = [threading.Thread(target=approve, args=pair) for pair in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    db.session.expire_all()
    numbers = sorted(db.session.scalars(sa.select(ApprovedAsset.document_number)).all())
    assert numbers == list(range(1, count + 1))


def test_those_who_may_see_the_asset_download_its_document(
    client, login, token_for, people, make_submission, advance
):
    submission = make_submission(people["designer"])
    advance(submission, "approved", people["designer"], people["reviewer"])
    asset = db.session.scalar(sa.select(ApprovedAsset))
    api = f"/api/v1/assets/{asset.code}/approval.pdf"
    response = client.get(api, headers=token_for(people["locality"]))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == _pdf(asset)
    assert f"{asset.code}-giay-chap-thuan.pdf" in response.headers["Content-Disposition"]
    assert client.get(api, headers=token_for(people["locality_b"])).status_code == 404
    login(people["locality"])
    page = client.get(f"/library/{asset.code}").get_data(as_text=True)
    assert f"/library/{asset.code}/approval.pdf" in page and "Giấy chấp thuận số 01/" in page
    assert client.get(f"/library/{asset.code}/approval.pdf").data == _pdf(asset)
