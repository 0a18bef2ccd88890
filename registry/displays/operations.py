"""Recording what happens on site: check the action, store the photos, then apply it."""

from __future__ import annotations

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from registry.auth.models import User
from registry.clock import local_today as today
from registry.displays import lifecycle
from registry.displays.models import DisplayRecord
from registry.displays.photos import MAX_PHOTOS, device_position, store_photo
from registry.exceptions import InvalidInput
from registry.submissions.models import Placement

MAX_NOTE = 2000


def record_on_site(
    user: User,
    placement: Placement,
    action: str,
    uploads: list[FileStorage],
    *,
    lat=None,
    lon=None,
    note: str = "",
    condition: str | None = None,
) -> DisplayRecord:
    """Record an installation, removal or inspection with its photos; only flushes.

    The guards run before any photo is stored; photos are written to the store before their
    rows, and a request that fails afterwards has them swept (registry.storage.service).
    """
    uploads = [u for u in uploads if u is not None and u.filename]
    try:
        day = today()
        note = (note or "").strip()
        if len(note) > MAX_NOTE:
            raise InvalidInput(_("Ghi chú tối đa %(n)d ký tự.", n=MAX_NOTE), field="note")
        if len(uploads) > MAX_PHOTOS:
            raise InvalidInput(_("Tối đa %(n)d ảnh mỗi lần ghi nhận.", n=MAX_PHOTOS), field="photo")
        device = device_position(lat, lon)
        lifecycle.check_action(
            user, placement, action, day, photo_count=len(uploads), condition=condition
        )
        photos = [store_photo(user, placement, upload, device) for upload in uploads]
        return lifecycle.apply_action(
            user, placement, action, day, photos=photos, note=note, condition=condition
        )
    finally:
        for upload in uploads:
            upload.stream.close()
