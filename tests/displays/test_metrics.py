"""/metrics counts the site photos a locality stores, beside artwork and approved copies."""

from __future__ import annotations

import sqlalchemy as sa

from registry.displays.models import DisplayPhoto
from registry.displays.operations import record_on_site
from registry.extensions import db
from tests.displays.conftest import photo_upload


def test_metrics_count_the_site_photos_stored_and_their_bytes(client, people, approved_placement):
    placement = approved_placement()
    record_on_site(people["locality_a"], placement, "install", [photo_upload(), photo_upload()])
    db.session.commit()

    body = client.get("/metrics").get_data(as_text=True)

    size = db.session.scalar(sa.select(sa.func.sum(DisplayPhoto.size_bytes)))
    assert 'registry_stored_files{kind="site_photo"} 2.0' in body
    assert f'registry_stored_bytes{{kind="site_photo"}} {float(size)}' in body
