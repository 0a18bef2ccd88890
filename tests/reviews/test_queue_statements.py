"""The review queue's statements: as many for 4 rows as for 2, the round and the minority
scripts of each row in the list's own statement."""

import re

import sqlalchemy as sa

from registry.extensions import db
from registry.submissions import ingest
from registry.submissions.models import ArtworkVersion
from registry.textcheck.models import TextReading
from registry.workflow import apply_transition
from tests import images
from tests.factories import UNIT_B, upload
from tests.statements import statements_per_page_size


def _found_scripts(version, scripts: str) -> None:
    """The text reader found minority script on this version."""
    reading = db.session.scalar(sa.select(TextReading).where(TextReading.version_id == version.id))
    reading.minority_scripts = scripts
    db.session.commit()


def test_the_queue_makes_as_many_statements_whatever_its_page_size(
    app, client, login, reviewer, designer, make_user, make_submission, advance
):
    other = make_user("designer", UNIT_B)
    for n in range(5):
        unit_designer = other if n % 2 else designer
        advance(make_submission(unit_designer), "submitted", unit_designer, reviewer)
    resubmitted = advance(make_submission(designer), "changes_requested", designer, reviewer)
    ingest.add_version(designer, resubmitted, upload(images.png_bytes(1400, 900)))
    apply_transition(designer, resubmitted, "submit", comment="Đã sửa quốc kỳ.")
    db.session.commit()
    login(reviewer)
    counts = statements_per_page_size(app, client, "/reviews/")
    assert len(counts[2]) == len(counts[4])
    assert "Nộp lại lần 2" in client.get("/reviews/").get_data(as_text=True)
    assert not any("FROM reviews" in s and "GROUP BY" in s for s in counts[4])  # no round trip
    assert not any(s.lstrip().startswith("SELECT artwork_versions") for s in counts[4])
    # The queue as it opens is counted by its states' counts, not counted again.
    assert not any(s.startswith("SELECT count(*)") and "LIMIT" in s for s in counts[4])


def test_the_queues_pager_counts_what_each_filter_keeps(
    app, client, login, reviewer, designer, make_user, make_submission, advance
):
    other = make_user("designer", UNIT_B)
    for n in range(5):
        unit_designer = other if n % 2 else designer
        advance(make_submission(unit_designer), "submitted", unit_designer, reviewer)
    advance(make_submission(designer), "in_review", designer, reviewer)
    login(reviewer)
    app.config["REGISTRY_PAGE_SIZE"] = 1
    try:
        pages = {
            url: client.get(url).get_data(as_text=True)
            for url in (
                "/reviews/",
                "/reviews/?status=submitted&campaign_id=&format=&unit=&waiting_days=",
                "/reviews/?status=in_review",
                f"/reviews/?unit={UNIT_B}",
                "/reviews/?format=pano",
            )
        }
    finally:
        app.config["REGISTRY_PAGE_SIZE"] = 25
    pagers = [re.search(r"Trang [^<]*mục", page) for page in pages.values()]
    assert [p.group(0) if p else None for p in pagers] == [
        "Trang 1/6 · 6 mục",
        "Trang 1/5 · 5 mục",
        None,  # one item: no pager
        "Trang 1/2 · 2 mục",
        "Trang 1/6 · 6 mục",
    ]


def test_the_queue_marks_scripts_found_on_the_latest_version_only(
    client, login, reviewer, designer, make_submission, advance
):
    now = make_submission(designer, title="Song ngữ ở phiên bản mới")
    _found_scripts(now.latest_version, "khmer")
    before = make_submission(designer, title="Song ngữ ở phiên bản cũ")
    _found_scripts(before.latest_version, "khmer,cham")
    ingest.add_version(designer, before, upload(images.png_bytes(1400, 900)))
    db.session.commit()
    for submission in (now, before):
        advance(submission, "submitted", designer, reviewer)
    versions = sa.select(ArtworkVersion.number).where(ArtworkVersion.submission_id == before.id)
    assert sorted(db.session.scalars(versions)) == [1, 2]
    login(reviewer)
    html = client.get("/reviews/").get_data(as_text=True)
    assert html.count("script-badge") == 1 and "Chữ Khmer</span>" in html
    row = html[html.index("Song ngữ ở phiên bản mới") :]
    assert row.index("Chữ Khmer</span>") < row.index("</tr>")
