"""What a site photo proves: EXIF GPS and time against the placement, photos made in the test."""

from __future__ import annotations

from datetime import timedelta

import pytest

from registry.displays.evidence import gps_evidence, read_metadata
from registry.displays.operations import record_on_site
from registry.exceptions import InvalidInput
from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.storage.consistency import check_store as verify_storage
from tests import images
from tests.displays.conftest import FAR_LAT, IN_PERIOD, photo_upload, site_photo
from tests.factories import LAT, LON


def _photo(people, placement, data, **kwargs):
    record = record_on_site(
        people["locality_a"], placement, "install", [photo_upload(data)], **kwargs
    )
    db.session.commit()
    return record.photos[0]


def test_a_photo_taken_at_the_site_passes(people, approved_placement):
    photo = _photo(people, approved_placement(), site_photo(LAT + 0.0003, LON))
    assert (photo.gps_check, photo.gps_source) == ("pass", "exif")
    assert 30 < photo.distance_m < 36  # 0.0003° of latitude ≈ 33 m
    assert photo.exif_lat == pytest.approx(LAT + 0.0003, abs=1e-6)


def test_a_photo_taken_two_kilometres_away_fails_with_its_distance(people, approved_placement):
    photo = _photo(people, approved_placement(), site_photo(FAR_LAT, LON))
    assert photo.gps_check == "fail"
    assert 1950 < photo.distance_m < 2050


def test_the_distance_threshold_is_a_setting(app, people, approved_placement):
    app.config["REGISTRY_PHOTO_DISTANCE_M"] = 3000
    try:
        photo = _photo(people, approved_placement(), site_photo(FAR_LAT, LON))
    finally:
        app.config["REGISTRY_PHOTO_DISTANCE_M"] = 100
    assert photo.gps_check == "pass"


def test_a_photo_without_gps_and_no_browser_location_is_missing(people, approved_placement):
    photo = _photo(people, approved_placement(), site_photo(None, None))
    assert (photo.gps_check, photo.gps_source, photo.distance_m) == ("missing", None, None)


def test_without_exif_gps_the_browser_location_is_the_evidence(people, approved_placement):
    photo = _photo(
        people, approved_placement(), site_photo(None, None), lat=str(FAR_LAT), lon=str(LON)
    )
    assert (photo.gps_check, photo.gps_source) == ("fail", "device")
    assert photo.device_lat == pytest.approx(FAR_LAT)


def test_the_cameras_gps_wins_over_the_browser_location(people, approved_placement):
    photo = _photo(people, approved_placement(), site_photo(), lat=FAR_LAT, lon=LON)
    assert (photo.gps_check, photo.gps_source) == ("pass", "exif")


def test_time_inside_the_period_is_recorded_in_utc(people, approved_placement):
    photo = _photo(people, approved_placement(), site_photo())
    assert photo.in_period is True
    # 12:00 in Vietnam (UTC+7) is 05:00 UTC.
    assert photo.taken_at.hour == 5 and photo.taken_at.date() == IN_PERIOD.date()


def test_a_photo_taken_outside_the_period_is_flagged(people, approved_placement):
    photo = _photo(people, approved_placement(), site_photo(taken=IN_PERIOD - timedelta(days=60)))
    assert photo.in_period is False
    assert photo.gps_check == "pass"  # the place is right, the time is not


def test_a_photo_without_a_time_has_no_time_evidence(people, approved_placement):
    photo = _photo(people, approved_placement(), site_photo(taken=None))
    assert photo.taken_at is None and photo.in_period is None


def test_a_png_without_exif_is_accepted_as_missing(people, approved_placement):
    photo = _photo(people, approved_placement(), images.png_bytes(200, 150))
    assert photo.gps_check == "missing" and photo.content_type == "image/png"


def test_a_half_given_or_impossible_browser_location_is_refused(people, approved_placement):
    placement = approved_placement()
    for lat, lon in ((LAT, None), ("abc", LON), (95, LON)):
        with pytest.raises(InvalidInput, match="Vị trí gửi kèm"):
            record_on_site(
                people["locality_a"], placement, "install", [photo_upload()], lat=lat, lon=lon
            )


def test_a_file_that_is_not_a_photo_is_refused_with_the_image_rules(people, approved_placement):
    with pytest.raises(InvalidInput):
        record_on_site(
            people["locality_a"],
            approved_placement(),
            "install",
            [photo_upload(images.html_as_png())],
        )


def test_gps_evidence_reads_southern_and_western_references(tmp_path):
    path = tmp_path / "s.jpg"
    path.write_bytes(site_photo(-33.8568, -70.6))
    meta = read_metadata(path, "Asia/Ho_Chi_Minh")
    assert meta.lat == pytest.approx(-33.8568, abs=1e-5) and meta.lon == pytest.approx(-70.6)
    assert gps_evidence(meta, None, (meta.lat, meta.lon), 100).check == "pass"


def test_a_corrupt_exif_block_means_no_evidence_not_an_error(tmp_path):
    data = bytearray(site_photo())
    start = data.find(b"Exif\x00\x00")
    data[start + 10 : start + 40] = b"\xff" * 30
    path = tmp_path / "broken.jpg"
    path.write_bytes(bytes(data))
    meta = read_metadata(path, "Asia/Ho_Chi_Minh")
    assert meta.lat is None


def test_verify_checks_site_photos_too(app, people, approved_placement):
    from tests.library.conftest import raw_delete

    photo = _photo(people, approved_placement(), site_photo())
    store = app.extensions["registry_store"]
    assert verify_storage(store).is_clean
    raw_delete(app, "uploads", photo.storage_key)
    report = verify_storage(store)
    assert [(p.kind, p.key) for p in report.problems] == [("missing", photo.storage_key)]
    assert "ảnh hiện trường" in report.problems[0].detail
    assert db.session.query(ApprovedAsset).count() == 1
