"""What a site photo proves: EXIF GPS and time read with Pillow, checked against the placement.

No Flask and no storage here: pure functions over a file and the placement's facts.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import BinaryIO
from zoneinfo import ZoneInfo

from PIL import ExifTags, Image

from registry.geo import distance_m

_GPS, _EXIF = ExifTags.IFD.GPSInfo, ExifTags.IFD.Exif
_DATETIME, _DATETIME_ORIGINAL, _OFFSET_ORIGINAL = 0x0132, 0x9003, 0x9011
# What Pillow raises on malformed metadata: a broken EXIF block means no evidence, not a 500.
_EXIF_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError)
_EXIF_ERRORS += (ZeroDivisionError, AttributeError, OverflowError)


@dataclass(frozen=True)
class PhotoMetadata:
    lat: float | None
    lon: float | None
    taken_at: datetime | None  # UTC


@dataclass(frozen=True)
class GpsEvidence:
    source: str | None  # exif, device or None
    check: str  # pass, fail, missing
    distance_m: float | None


def read_metadata(source: str | os.PathLike[str] | BinaryIO, timezone_name: str) -> PhotoMetadata:
    """Read the GPS position and the time the photo was taken, if the camera wrote them.

    The file must already have passed the image checks (registry.imaging): this reads only
    the header.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(source) as im:
                exif = im.getexif()
                gps = dict(exif.get_ifd(_GPS))
                details = dict(exif.get_ifd(_EXIF))
                fallback_time = exif.get(_DATETIME)
    except _EXIF_ERRORS:
        return PhotoMetadata(None, None, None)
    lat, lon = _position(gps)
    taken = _time(
        details.get(_DATETIME_ORIGINAL) or fallback_time,
        details.get(_OFFSET_ORIGINAL),
        timezone_name,
    )
    return PhotoMetadata(lat, lon, taken)


def _position(gps: dict) -> tuple[float | None, float | None]:
    try:
        lat = _degrees(gps[2], gps.get(1, "N"), "S")
        lon = _degrees(gps[4], gps.get(3, "E"), "W")
    except (*_EXIF_ERRORS, TypeError):
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None, None  # (0, 0) is what a camera without a fix writes
    return lat, lon


def _degrees(value, ref, negative: str) -> float:
    d, m, s = (float(part) for part in value)
    result = d + m / 60 + s / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    return -result if str(ref).strip().upper() == negative else result


def _time(value, offset, timezone_name: str) -> datetime | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    try:
        naive = datetime.strptime(value.strip().rstrip("\x00")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    zone = _offset(offset) or ZoneInfo(timezone_name)
    return naive.replace(tzinfo=zone).astimezone(UTC)


def _offset(value) -> timezone | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str) or len(value.strip()) < 6:
        return None
    text = value.strip()
    try:
        sign = -1 if text[0] == "-" else 1
        hours, minutes = int(text[1:3]), int(text[4:6])
    except ValueError:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def gps_evidence(
    photo: PhotoMetadata,
    device: tuple[float, float] | None,
    site: tuple[float, float],
    threshold_m: float,
) -> GpsEvidence:
    """Compare where the photo was taken with the placement: the camera's GPS first, else the
    browser's location sent with it; beyond the threshold it fails."""
    if photo.lat is not None and photo.lon is not None:
        source, point = "exif", (photo.lat, photo.lon)
    elif device is not None:
        source, point = "device", device
    else:
        return GpsEvidence(None, "missing", None)
    distance = round(distance_m(point[0], point[1], site[0], site[1]), 1)
    return GpsEvidence(source, "pass" if distance <= threshold_m else "fail", distance)


def taken_in_period(
    taken_at: datetime | None, starts: date, ends: date, timezone_name: str
) -> bool | None:
    """Whether the photo was taken within the display period (local days); None if unknown."""
    if taken_at is None:
        return None
    day = taken_at.astimezone(ZoneInfo(timezone_name)).date()
    return starts <= day <= ends
