"""Deep-zoom pyramids: cut by one function (for a task, or `registry tiles`), served only to who
may see the version, counted by check-storage; without one the viewer shows the preview."""

import re

from registry.extensions import db
from registry.storage.consistency import check_store
from registry.storage.service import get_store
from registry.submissions.models import ArtworkVersion
from registry.submissions.tiles import make_pyramid
from tests.factories import UNIT_B


def test_a_pyramid_is_cut_into_the_store_and_served_to_the_unit(
    client, app, signed_in_designer, make_submission
):
    submission = make_submission(signed_in_designer)  # 1500 × 1000 px
    version = submission.latest_version
    descriptor = client.get(f"/versions/{version.id}/tiles.dzi")
    assert descriptor.status_code == 404  # none cut yet
    key = make_pyramid(version)
    db.session.commit()
    assert key == f"tiles/{version.sha256}.dzi" and version.tiles_key == key

    xml = client.get(f"/versions/{version.id}/tiles.dzi")
    assert xml.status_code == 200 and xml.mimetype == "application/xml"
    text = xml.get_data(as_text=True)
    assert 'Width="1500"' in text and 'Height="1000"' in text and 'Format="webp"' in text
    # Level 11 holds the original pixels (2^11 ≥ 1500): three tiles across, two down.
    tile = client.get(f"/versions/{version.id}/tiles_files/11/2_1.webp")
    assert tile.status_code == 200 and tile.mimetype == "image/webp"
    assert tile.data[:4] == b"RIFF" and tile.data[8:12] == b"WEBP"
    assert client.get(f"/versions/{version.id}/tiles_files/11/3_0.webp").status_code == 404
    assert check_store(get_store()).is_clean  # the tiles belong to the version


def test_another_units_designer_gets_no_tile(client, login, make_user, designer, make_submission):
    submission = make_submission(designer)
    version = submission.latest_version
    make_pyramid(version)
    db.session.commit()
    login(make_user("designer", UNIT_B))
    assert client.get(f"/versions/{version.id}/tiles.dzi").status_code == 404
    assert client.get(f"/versions/{version.id}/tiles_files/0/0_0.webp").status_code == 404


def test_the_review_page_uses_the_pyramid_when_there_is_one_else_the_preview(
    client, login, designer, reviewer, make_submission, advance
):
    submission = advance(make_submission(designer), "in_review", designer, reviewer)
    login(reviewer)
    page = client.get(f"/reviews/{submission.id}").get_data(as_text=True)
    assert "data-dzi-url" not in page
    assert re.search(r'data-preview-url="/versions/\d+/preview\.webp"', page)
    assert "vendor/openseadragon/openseadragon.min.js" in page
    make_pyramid(submission.latest_version)
    db.session.commit()
    page = client.get(f"/reviews/{submission.id}").get_data(as_text=True)
    assert f'data-dzi-url="/versions/{submission.latest_version.id}/tiles.dzi"' in page


def test_the_tiles_command_cuts_every_missing_pyramid(app, runner, designer, make_submission):
    first = make_submission(designer, title="Một")
    second = make_submission(designer, title="Hai")
    result = runner.invoke(args=["registry", "tiles"])
    assert result.exit_code == 0, result.output
    assert "2 pyramid(s) cut." in result.output
    for submission in (first, second):
        version = db.session.get(ArtworkVersion, submission.latest_version.id)
        assert version.tiles_key == f"tiles/{version.sha256}.dzi"
    again = runner.invoke(args=["registry", "tiles"])
    assert "0 pyramid(s) cut." in again.output


def test_an_upload_asks_the_worker_for_its_pyramid_and_the_job_cuts_it(
    app, signed_in_designer, make_submission
):
    import sqlalchemy as sa

    from registry.tasks.models import Job
    from registry.tasks.queue import run_job

    version_id = make_submission(signed_in_designer).latest_version.id
    jobs = db.session.scalars(sa.select(Job).where(Job.name == "submissions.cut_pyramid")).all()
    [job] = [j for j in jobs if j.args == [version_id]]
    assert job.status == "queued"
    assert db.session.get(ArtworkVersion, version_id).tiles_key is None  # not in the request

    run_job(app, job.id)  # as the worker does
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == "done"
    version = db.session.get(ArtworkVersion, version_id)
    assert version.tiles_key == f"tiles/{version.sha256}.dzi"
    assert check_store(get_store()).is_clean
