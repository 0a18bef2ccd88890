"""Site photos: checked and rendered like artwork, stored object first, row after."""

from __future__ import annotations

import hashlib
import io

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from registry import imaging
from registry.auth.models import User
from registry.displays.evidence import gps_evidence, read_metadata, taken_in_period
from registry.displays.models import DisplayPhoto
from registry.error_codes import ErrorCode
from registry.exceptions import InvalidInput, TooLarge
from registry.storage.service import get_store, track_new_object
from registry.storage.spool import spool_of
from registry.submissions.ingest import checked_name
from registry.submissions.models import Placement

MAX_PHOTOS = 5


def device_position(lat, lon) -> tuple[float, float] | None:
    """The browser's location sent with a photo: both coordinates or neither, within range."""
    if lat in (None, "") and lon in (None, ""):
        return None
    try:
        point = float(lat), float(lon)
    except (TypeError, ValueError):
        point = None
    if point is None or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        raise InvalidInput(
            _("Vị trí gửi kèm không hợp lệ: cần cả vĩ độ (−90 đến 90) và kinh độ (−180 đến 180)."),
            code=ErrorCode.BAD_POSITION,
            field="lat",
        )
    return point


def store_photo(
    user: User,
    placement: Placement,
    upload: FileStorage,
    device: tuple[float, float] | None,
) -> DisplayPhoto:
    """Check and store one site photo with its previews; return its (unattached) row."""
    config = current_app.config
    name = checked_name(upload, "photo")
    spool = spool_of(upload)
    if spool.size > int(config["REGISTRY_MAX_UPLOAD_MB"]) << 20:
        raise TooLarge(_("Ảnh vượt quá %(mb)s MB cho phép.", mb=config["REGISTRY_MAX_UPLOAD_MB"]))
    try:
        facts, preview, thumb = imaging.make_renditions(
            spool.name, max_pixels=config["REGISTRY_MAX_IMAGE_PIXELS"]
        )
    except imaging.ImageRejected as error:
        raise InvalidInput(str(error), code=ErrorCode(error.code), field="photo") from error
    zone = config["REGISTRY_TIMEZONE"]
    meta = read_metadata(spool.name, zone)
    gps = gps_evidence(
        meta, device, (placement.lat, placement.lon), float(config["REGISTRY_PHOTO_DISTANCE_M"])
    )
    photo = DisplayPhoto(
        uploaded_by_id=user.id,
        storage_key=f"displays/{placement.id}/{spool.sha256}.{facts.extension}",
        sha256=spool.sha256,
        size_bytes=spool.size,
        content_type=facts.content_type,
        original_name=name,
        width_px=facts.width,
        height_px=facts.height,
        preview_key=f"previews/{spool.sha256}.webp",
        thumb_key=f"thumbs/{spool.sha256}.webp",
        taken_at=meta.taken_at,
        exif_lat=meta.lat,
        exif_lon=meta.lon,
        device_lat=device[0] if device else None,
        device_lon=device[1] if device else None,
        gps_source=gps.source,
        gps_check=gps.check,
        distance_m=gps.distance_m,
        in_period=taken_in_period(
            meta.taken_at, placement.display_from, placement.display_to, zone
        ),
    )
    spool.seek(0)
    _put(photo.storage_key, spool, spool.size, spool.sha256, facts.content_type)
    for key, data in ((photo.preview_key, preview), (photo.thumb_key, thumb)):
        _put(key, io.BytesIO(data), len(data), hashlib.sha256(data).hexdigest(), "image/webp")
    return photo


def _put(key: str, stream, size: int, sha256: str, content_type: str) -> None:
    store = get_store()
    if store.exists("uploads", key):
        return  # content-addressed: the same bytes are already there
    store.put("uploads", key, stream, size=size, content_type=content_type, sha256=sha256)
    track_new_object("uploads", key)


def expected_photo_objects():
    """Every stored object a site photo row points to, for `registry check-storage`:
    (area, key, owner, size, sha256); previews carry no checksum in the database."""
    import sqlalchemy as sa

    from registry.displays.models import DisplayRecord
    from registry.extensions import db

    p = DisplayPhoto
    rows = db.session.execute(
        sa.select(
            p.id,
            p.storage_key,
            p.size_bytes,
            p.sha256,
            p.preview_key,
            p.thumb_key,
            DisplayRecord.display_id,
        )
        .join(DisplayRecord, p.record_id == DisplayRecord.id)
        .order_by(p.id)
    )
    for row in rows:
        # `registry check-storage` prints these names on the operator's terminal.
        name = (
            f"ảnh hiện trường #{row.id} "  # not interface: check-storage
            f"(điểm treo/dựng #{row.display_id})"  # not interface: check-storage
        )
        preview = f"ảnh xem trước của {name}"  # not interface: check-storage
        thumb = f"ảnh thu nhỏ của {name}"  # not interface: check-storage
        yield "uploads", row.storage_key, name, row.size_bytes, row.sha256
        yield "uploads", row.preview_key, preview, None, None
        yield "uploads", row.thumb_key, thumb, None, None
