"""Approved placements made through the real workflow, people of every kind, and site photos
made in the test with the EXIF a phone camera writes."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from PIL import ExifTags, Image

from registry.extensions import db
from registry.submissions.models import Placement
from tests.factories import DEPARTMENT, LAT, LON, SOON, UNIT_A, UNIT_B, upload

# Noon on the second day of the factories' display period, as a phone writes it (local time).
IN_PERIOD = datetime.combine(SOON + timedelta(days=1), datetime.min.time()).replace(hour=12)
# About 2 km north of the placement.
FAR_LAT = LAT + 0.018


@pytest.fixture
def people(make_user):
    return {
        "designer_a": make_user("designer", UNIT_A),
        "designer_b": make_user("designer", UNIT_B),
        "locality_a": make_user("locality", UNIT_A),
        "locality_b": make_user("locality", UNIT_B),
        "reviewer": make_user("reviewer", DEPARTMENT),
        "admin": make_user("admin", "SVHTT-VP"),
    }


@pytest.fixture
def approved_placement(people, make_submission, advance):
    """A new submission of unit A taken to the wanted state; its first placement."""

    def make(state: str = "approved", fmt: str = "pano", designer=None, **fields) -> Placement:
        designer = designer or people["designer_a"]
        submission = make_submission(designer, fmt=fmt, **fields)
        advance(submission, state, designer, people["reviewer"])
        return submission.placements[0]

    return make


_counter = {"n": 0}


def site_photo(
    lat: float | None = LAT,
    lon: float | None = LON,
    taken: datetime | None = IN_PERIOD,
    *,
    fmt: str = "JPEG",
    size: tuple[int, int] = (320, 240),
) -> bytes:
    """A photo with the GPS position and time a phone camera writes into EXIF (new bytes each
    call)."""
    _counter["n"] += 1
    im = Image.new("RGB", size, (40 + _counter["n"] % 200, 120, 80))
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(ExifTags.IFD.Exif)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if lat is not None:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[1], gps[2] = ("N" if lat >= 0 else "S"), _dms(abs(lat))
        gps[3], gps[4] = ("E" if lon >= 0 else "W"), _dms(abs(lon))
    out = io.BytesIO()
    im.save(out, fmt, exif=exif)
    return out.getvalue()


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 4)
    return float(degrees), float(minutes), seconds


def photo_upload(data: bytes | None = None, name: str = "hien-truong.jpg"):
    return upload(data if data is not None else site_photo(), name)


def end_period(placement: Placement, days_ago: int = 1) -> None:
    """Move the placement's display period into the past (as time passing would)."""
    today = datetime.now().date()
    db.session.execute(
        sa.update(Placement)
        .where(Placement.id == placement.id)
        .values(
            display_from=today - timedelta(days=days_ago + 30),
            display_to=today - timedelta(days=days_ago),
        )
    )
    db.session.commit()
    db.session.refresh(placement)
