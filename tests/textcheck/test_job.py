"""The reading of every new artwork version runs in the real worker, on both stacks."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry.exceptions import InvalidInput
from registry.extensions import db
from registry.reviews.operations import start_review
from registry.submissions import ingest
from registry.tasks import Job
from registry.tasks.queue import run_job
from registry.textcheck import jobs
from registry.textcheck.evidence import text_evidence
from registry.textcheck.models import TextReading
from tests.factories import upload
from tests.textcheck.render import banner, png
from tests.workers import Worker, count, wait_until

WRONG = png(
    banner([("MỘT AN GIANG - MỘT TẦM NHÌN", 56), ("MỘT Ý CHÍ - MỘT NIỀM TIN THẮNG LỚI", 56)])
)


def _reading(version_id: int) -> TextReading:
    return db.session.scalar(sa.select(TextReading).where(TextReading.version_id == version_id))


@pytest.fixture
def worker(app, ctx, tmp_path):
    started = []

    def start(**extra: str) -> Worker:
        started.append(Worker(app, tmp_path / f"worker-{len(started)}.log", **extra))
        return started[-1]

    yield start
    for w in started:
        w.stop()


def _campaign_slogan_submission(make_user, make_submission, artwork: bytes):
    designer = make_user("designer")
    submission = make_submission(designer, artwork=artwork, slogan_count=0)
    from registry.campaigns.models import Slogan

    slogan = db.session.scalar(sa.select(Slogan).where(Slogan.text.like("Một An Giang%")))
    submission.slogans.append(slogan)
    db.session.commit()
    return submission


def test_an_upload_is_read_by_the_worker_and_ct01_names_the_wrong_word(
    app, ctx, make_user, make_submission, worker
):
    submission = _campaign_slogan_submission(make_user, make_submission, WRONG)
    version = submission.latest_version
    assert _reading(version.id).status == "pending"
    evidence = text_evidence(submission, version)["CT-01"]
    assert evidence["pending"] and "Đang đọc chữ trên mẫu" in evidence["summary"]

    reviewer = make_user("reviewer", "SVHTT-QLVH")
    review = start_review(reviewer, submission)
    db.session.commit()
    running = worker()
    wait_until(
        lambda: _reading(version.id).status == "done", what="the reading", log=lambda: running.log
    )
    reading = _reading(version.id)
    assert "MỘT Ý CHÍ - MỘT NIỀM TIN THẮNG LỚI" in [line["text"] for line in reading.lines]
    assert reading.engine.startswith("Tesseract")
    # The open review got the printed-text evidence without the reviewer doing anything.
    db.session.refresh(review)
    ct01 = next(a for a in review.answers if a.item.code == "CT-01")
    assert ct01.evidence["outcome"] == "differs"
    assert ct01.automatic_result == ct01.result == "fail"
    assert "LỢI → LỚI" in ct01.evidence["summary"]
    box = next(d["box"] for d in ct01.evidence["details"] if d["verdict"] == "differs")
    assert 0.75 < box[0] < 0.95


def _writes_at_once(version_id: int) -> bool:
    """Whether another connection (an upload, say) may write right now, without waiting."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": 0.3})
    else:
        engine = sa.create_engine(url, connect_args={"options": "-c lock_timeout=300"})
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.update(TextReading)
                .where(TextReading.version_id == version_id)
                .values(reason=TextReading.reason)
            )
        return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def test_the_reading_keeps_no_write_waiting_while_tesseract_works(
    app, ctx, make_user, make_submission, monkeypatch
):
    submission = _campaign_slogan_submission(make_user, make_submission, WRONG)
    version_id = submission.latest_version.id
    job_id = _reading(version_id).job_id
    db.session.commit()
    seen = []

    def read_while_another_writes(*args, **kwargs):
        seen.append(_writes_at_once(version_id))
        return real(*args, **kwargs)

    real = jobs.read_for_checks
    monkeypatch.setattr(jobs, "read_for_checks", read_while_another_writes)
    run_job(app, job_id)
    assert seen == [True]
    db.session.expire_all()
    assert _reading(version_id).status == "done"


def test_a_refused_upload_enqueues_nothing(app, ctx, make_user, make_submission):
    designer = make_user("designer")
    submission = make_submission(designer, artwork=WRONG)
    jobs_before = count(Job)
    with pytest.raises(InvalidInput):
        ingest.add_version(designer, submission, upload(b"not an image at all", "x.png"))
    db.session.rollback()
    assert count(Job) == jobs_before
    assert count(TextReading) == 1


def test_without_tesseract_the_review_says_why_and_ct01_checks_the_declared_text(
    app, client, login, make_user, make_submission, worker, tmp_path
):
    designer = make_user("designer")
    submission = make_submission(designer, artwork=WRONG)
    version = submission.latest_version
    reviewer = make_user("reviewer", "SVHTT-QLVH")
    login(reviewer)
    assert client.get(f"/versions/{version.id}/text.json").json == {
        "status": "pending",
        "pending": True,
    }
    assert "đang đọc chữ trên mẫu…" in client.get(f"/reviews/{submission.id}").get_data(True)
    running = worker(REGISTRY_TESSDATA=str(tmp_path))  # a folder without Tesseract's data
    wait_until(
        lambda: _reading(version.id).status == "unavailable",
        what="the reading",
        log=lambda: running.log,
    )
    assert "tesseract-ocr-vie" in _reading(version.id).reason
    evidence = text_evidence(submission, version)["CT-01"]
    assert evidence["source"] == "declared"
    assert evidence["summary"].startswith("Chưa đọc được chữ trên mẫu: Máy chủ chưa có dữ liệu")
    assert "Kiểm tra theo câu chữ khai báo" in evidence["summary"]
    answer = client.get(f"/versions/{version.id}/text.json").json
    assert answer["status"] == "unavailable" and not answer["pending"]
    assert "Chưa đọc được chữ trên mẫu." in answer["html"]
    assert "tesseract-ocr-vie" in answer["html"]
    assert "Kiểm tra theo câu chữ khai báo" in answer["evidence"]["CT-01"]
