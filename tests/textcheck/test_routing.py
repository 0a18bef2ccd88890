"""TP-05: reviewers who read Khmer or Cham script, and the artwork that needs them."""

from __future__ import annotations

import sqlalchemy as sa

from registry.extensions import db
from registry.textcheck.evidence import text_evidence
from registry.textcheck.models import TextReading
from tests.admin.helpers import events, signed_in_client, text
from tests.conftest import csrf_token
from tests.factories import DEPARTMENT


def _reading(submission) -> TextReading:
    return db.session.scalar(
        sa.select(TextReading).where(TextReading.version_id == submission.latest_version.id)
    )


def _khmer(submission) -> None:
    """The worker found a Khmer line on the latest version (what test_reading checks for real)."""
    reading = _reading(submission)
    reading.status = "done"
    reading.lines = [
        {
            "text": "សូមស្វាគមន៍",
            "conf": 80.0,
            "box": [0.3, 0.6, 0.4, 0.2],
            "band": [0.55, 0.85],
            "letter_px": 40.0,
            "script": "khmer",
            "words": [0],
        }
    ]
    reading.words = [{"text": "សូមស្វាគមន៍", "conf": 80.0, "box": [0.3, 0.6, 0.4, 0.2], "line": 0}]
    reading.minority_scripts = "khmer"
    db.session.commit()


def test_an_admin_records_which_reviewers_read_khmer_or_cham(app, ctx, make_user):
    admin = make_user("admin", "SVHTT-VP")
    reviewer = make_user("reviewer", DEPARTMENT)
    designer = make_user("designer")
    browser = signed_in_client(app, admin)
    token = csrf_token(browser, "/admin/users")
    page = browser.post(
        f"/admin/users/{reviewer.id}/scripts", data={"scripts": "1", "csrf_token": token}
    )
    assert page.status_code == 303
    db.session.refresh(reviewer)
    assert reviewer.reads_minority_scripts
    assert events("user.reads_minority_scripts")[0].data == {"reads": True}
    assert "Đọc chữ Khmer/Chăm" in text(browser.get("/admin/users"))
    browser.post(f"/admin/users/{designer.id}/scripts", data={"scripts": "1", "csrf_token": token})
    db.session.refresh(designer)
    assert not designer.reads_minority_scripts
    assert "chỉ ghi nhận" in text(browser.get("/admin/users")).lower()


def test_the_queue_marks_and_filters_artwork_with_khmer_script(
    app, ctx, make_user, make_submission, advance
):
    designer = make_user("designer")
    reviewer = make_user("reviewer", DEPARTMENT)
    reader = make_user("reviewer", DEPARTMENT)
    reader.reads_minority_scripts = True
    db.session.commit()
    khmer = make_submission(designer, title="Pano song ngữ Việt - Khmer")
    plain = make_submission(designer, title="Pano chỉ có tiếng Việt")
    for submission in (khmer, plain):
        advance(submission, "submitted", designer, reviewer)
    _khmer(khmer)
    browser = signed_in_client(app, reader)
    everything = text(browser.get("/reviews/"))
    assert "Pano song ngữ Việt - Khmer" in everything and "Pano chỉ có tiếng Việt" in everything
    assert everything.count("Chữ Khmer</span>") == 1
    only = text(browser.get("/reviews/?scripts=1"))
    assert "Pano song ngữ Việt - Khmer" in only and "Pano chỉ có tiếng Việt" not in only
    assert "(dành cho bạn)" in only
    evidence = text_evidence(khmer, khmer.latest_version)["TP-05"]
    assert evidence["result"] is None
    assert f"Chuyên viên đọc được chữ này: {reader.display_name}." in evidence["summary"]
