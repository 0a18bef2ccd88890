"""A version's preview and thumbnail, made by the worker after the upload has answered.

The upload request checks the header, stores the original and records the version with
renditions_state "pending"; the job make_renditions decodes the original in strips
(registry.imaging), stores the WebP preview and thumbnail, and only then marks the version
"ready" (the pages show and serve them from then on). A file that fails only when decoded, or a
job that keeps failing, leaves the version "failed" with a message for the designer, who (or an
admin) may try again.
"""

from __future__ import annotations

import hashlib
import io

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry import imaging
from registry.audit import record_event
from registry.auth.models import User
from registry.error_codes import ErrorCode
from registry.exceptions import Conflict
from registry.extensions import db
from registry.storage.service import get_store, local_copy, track_new_object
from registry.submissions.models import ArtworkVersion
from registry.tasks import enqueue, job

# Stored in ArtworkVersion.renditions_error by the worker (a record, written in Vietnamese).
SYSTEM_FAILURE = _l(
    "Hệ thống chưa tạo được ảnh xem trước (lỗi tạm thời của máy chủ, không phải do tệp). "
    "Vui lòng bấm “Thử lại”."
)


def _put(key: str, data: bytes) -> None:
    store = get_store()
    if store.exists("uploads", key):
        return  # content-addressed: an identical upload's rendition is already there
    digest = hashlib.sha256(data).hexdigest()
    store.put(
        "uploads", key, io.BytesIO(data), size=len(data), content_type="image/webp", sha256=digest
    )
    track_new_object("uploads", key)  # removed again unless the "ready" commit succeeds


def _mark_failed(version: ArtworkVersion, message: str) -> None:
    version.renditions_state = "failed"
    version.renditions_error = message
    record_event(
        None,
        "version.renditions_failed",
        version,
        submission=version.submission,
        number=version.number,
    )
    db.session.flush()


def _failed(version_id: int, *, error: str) -> None:
    """Every attempt failed for a reason other than the file: say so, offer to try again."""
    version = db.session.get(ArtworkVersion, version_id)
    if version is not None and version.renditions_state == "pending":
        _mark_failed(version, str(SYSTEM_FAILURE))


@job("submissions.make_renditions", on_failure=_failed)
def make_renditions(version_id: int) -> None:
    """Decode the version's original and store its preview and thumbnail; mark it ready."""
    version = db.session.get(ArtworkVersion, version_id)
    if version is None or version.renditions_state != "pending":
        return  # gone with its draft meanwhile, or done already
    with local_copy("uploads", version.storage_key) as path:
        try:
            _format, preview, thumb = imaging.make_renditions(
                path, max_pixels=current_app.config["REGISTRY_MAX_IMAGE_PIXELS"]
            )
        except imaging.ImageRejected as error:  # the file itself: no retry will help
            _mark_failed(version, str(error))
            return
    _put(version.preview_key, preview)
    _put(version.thumb_key, thumb)
    version.renditions_state = "ready"
    version.renditions_error = None
    db.session.flush()


def request_renditions(version: ArtworkVersion) -> None:
    """Ask the worker for the version's renditions (sent once the upload commits)."""
    version.renditions_state = "pending"
    version.renditions_error = None
    enqueue(make_renditions, version.id)


def retry_renditions(user: User, version: ArtworkVersion) -> None:
    """Try a failed version's renditions again (flushes; the caller commits)."""
    if version.renditions_state != "failed":
        raise Conflict(
            _("Ảnh xem trước của phiên bản này không ở trạng thái lỗi; không cần thử lại."),
            code=ErrorCode.STALE,
        )
    request_renditions(version)
    record_event(
        user,
        "version.renditions_retried",
        version,
        submission=version.submission,
        number=version.number,
    )
    db.session.flush()
