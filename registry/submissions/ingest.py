"""Artwork ingest: spool, hash, check the header, store, and record a new version.

The request decodes no pixels: the preview and thumbnail follow in the worker
(registry.submissions.renditions), like the deep-zoom pyramid and the text reading.
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from registry import imaging
from registry.audit import record_event
from registry.auth.models import User
from registry.error_codes import ErrorCode
from registry.exceptions import Conflict, InvalidInput, TooLarge
from registry.extensions import db
from registry.storage.service import get_store, track_new_object
from registry.storage.spool import HashingSpool, spool_of
from registry.submissions.models import ArtworkVersion, Submission
from registry.submissions.operations import ensure_editable
from registry.submissions.renditions import request_renditions
from registry.submissions.tiles import request_pyramid
from registry.text import BIDI_CONTROLS
from registry.textcheck.operations import request_reading

PRINT_TYPES = _l("PDF, AI, EPS, PSD, CDR hoặc SVG")


def _limit(key: str) -> int:
    return int(current_app.config[key]) << 20


MAX_NAME_LENGTH = 200


def checked_name(upload: FileStorage, field: str = "file") -> str:
    """The user's file name, kept only as a label; forged or disguised names are refused.

    Browsers send a bare file name: a path, a control or bidirectional character, or an
    over-long name means a forged request or a disguised file.
    """
    name = unicodedata.normalize("NFC", (upload.filename or "").strip())
    if not name:
        return "tep-tai-len"
    if "/" in name or "\\" in name or name in (".", ".."):
        raise InvalidInput(
            _("Tên tệp không được chứa đường dẫn (/ hoặc \\)."),
            code=ErrorCode.BAD_NAME,
            field=field,
        )
    if any(not ch.isprintable() or ch in BIDI_CONTROLS for ch in name):
        raise InvalidInput(
            _("Tên tệp chứa ký tự điều khiển hoặc ký tự đảo chiều hiển thị; hãy đổi tên tệp."),
            code=ErrorCode.BAD_NAME,
            field=field,
        )
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(
            _(
                "Tên tệp quá dài (%(length)d ký tự); tối đa %(max)d ký tự.",
                length=len(name),
                max=MAX_NAME_LENGTH,
            ),
            code=ErrorCode.BAD_NAME,
            field=field,
        )
    return name


def _store(
    key: str, body: HashingSpool, content_type: str, metadata: dict[str, str] | None = None
) -> None:
    """Move a spooled upload into the uploads area, once, and track it.

    The spool's digest was computed as its bytes arrived: the store records it unread.
    """
    store = get_store()
    pending = body.pending
    if pending is not None and pending.key == key:
        # Stored while it arrived: tracked first, so a failure after the last part sweeps it.
        track_new_object("uploads", key)
        store.finish_put(
            "uploads", pending, sha256=body.sha256, content_type=content_type, metadata=metadata
        )
        return
    if store.exists("uploads", key):
        return  # content-addressed: the same bytes are already there
    body.flush()
    store.put_file(
        "uploads",
        key,
        body.name,
        size=body.size,
        sha256=body.sha256,
        content_type=content_type,
        metadata=metadata,
    )
    track_new_object("uploads", key)


def _streamed_key(spool: HashingSpool, extension: str) -> str | None:
    """The key the artwork is being stored under while it arrived, if it is (MinIO)."""
    pending = spool.pending
    if pending is None or not pending.key.endswith(f".{extension}"):
        return None  # not streamed (or named for another type: stored whole, by put_file)
    return pending.key


def add_version(
    user: User,
    submission: Submission,
    artwork: FileStorage,
    print_file: FileStorage | None = None,
    expected_lock_version: int | None = None,
) -> ArtworkVersion:
    """Ingest an uploaded artwork (and optional print file) as the submission's next version."""
    try:
        return _add_version(user, submission, artwork, print_file, expected_lock_version)
    finally:
        # The spooled temporary files are deleted as soon as they are closed.
        for upload in (artwork, print_file):
            if upload is not None:
                upload.stream.close()


def _refuse_duplicate(submission: Submission, sha256: str) -> None:
    duplicate = db.session.scalar(
        sa.select(ArtworkVersion).where(
            ArtworkVersion.submission_id == submission.id, ArtworkVersion.sha256 == sha256
        )
    )
    if duplicate is not None:
        raise Conflict(
            _(
                "Tệp này giống hệt phiên bản %(version)s đã tải lên; không cần tải lại.",
                version=duplicate.label,
            ),
            code=ErrorCode.DUPLICATE,
        )


def _add_version(
    user: User,
    submission: Submission,
    artwork: FileStorage,
    print_file: FileStorage | None,
    expected_lock_version: int | None,
) -> ArtworkVersion:
    ensure_editable(submission, expected_lock_version)
    name = checked_name(artwork)
    spool = spool_of(artwork)
    if spool.size > _limit("REGISTRY_MAX_UPLOAD_MB"):
        raise TooLarge(
            _(
                "Tệp mẫu vượt quá %(mb)s MB cho phép.",
                mb=current_app.config["REGISTRY_MAX_UPLOAD_MB"],
            )
        )
    _refuse_duplicate(submission, spool.sha256)  # before reading the whole file
    try:
        facts = imaging.read_header(
            spool.name, max_pixels=current_app.config["REGISTRY_MAX_IMAGE_PIXELS"]
        )
    except imaging.ImageRejected as error:
        raise InvalidInput(str(error), code=ErrorCode(error.code), field="file") from error
    print_spool, print_kind, print_name = _print_spool(print_file)

    # From here uploads to one submission take turns (a row lock until commit, on PostgreSQL):
    # two at once would take the same version number and so the same keys, and the loser's
    # clean-up would delete the file the winner's row points to (found by bench/soak).
    db.session.execute(
        sa.select(Submission.id).where(Submission.id == submission.id).with_for_update()
    )
    db.session.refresh(submission, attribute_names=["status", "lock_version"])
    ensure_editable(submission, expected_lock_version)
    _refuse_duplicate(submission, spool.sha256)
    number = (
        db.session.scalar(
            sa.select(sa.func.max(ArtworkVersion.number)).where(
                ArtworkVersion.submission_id == submission.id
            )
        )
        or 0
    ) + 1
    prefix = f"uploads/{submission.id}/v{number}"
    version = ArtworkVersion(
        submission=submission,
        number=number,
        uploaded_by=user,
        storage_key=_streamed_key(spool, facts.extension)
        or f"{prefix}/{spool.sha256}.{facts.extension}",
        sha256=spool.sha256,
        size_bytes=spool.size,
        content_type=facts.content_type,
        original_name=name,
        image_format=facts.format,
        width_px=facts.width,
        height_px=facts.height,
        color_mode=facts.mode,
        bit_depth=facts.bit_depth,
        has_icc_profile=facts.has_icc_profile,
        icc_description=(facts.icc_description or None) and facts.icc_description[:200],
        dpi_x=facts.dpi[0] if facts.dpi else None,
        dpi_y=facts.dpi[1] if facts.dpi else None,
        preview_key=f"previews/{spool.sha256}.webp",
        thumb_key=f"thumbs/{spool.sha256}.webp",
    )
    meta = {"submission": str(submission.id), "version": str(number)}
    _store(version.storage_key, spool, facts.content_type, meta)
    if print_spool is not None:
        ext = print_kind
        version.print_key = f"{prefix}/print-{print_spool.sha256}.{ext}"
        version.print_sha256 = print_spool.sha256
        version.print_size_bytes = print_spool.size
        version.print_kind = print_kind
        version.print_content_type = imaging.PRINT_FILE_CONTENT_TYPES[print_kind]
        version.print_name = print_name
        _store(version.print_key, print_spool, version.print_content_type, meta)
    db.session.add(version)
    record_event(
        user,
        "version.uploaded",
        version,
        submission=submission,
        number=number,
        sha256=version.sha256,
        size=version.size_bytes,
        print_sha256=version.print_sha256,
    )
    db.session.flush()
    request_renditions(version)
    request_reading(version)
    request_pyramid(version)
    return version


def _print_spool(
    print_file: FileStorage | None,
) -> tuple[HashingSpool | None, str | None, str | None]:
    """The print file's spool, kind and checked name; all None when none was sent."""
    if print_file is None or not print_file.filename:
        return None, None, None
    name = checked_name(print_file, "print_file")
    spool = spool_of(print_file)
    if spool.size == 0:
        raise InvalidInput(
            _("Tệp in rỗng (0 byte). Vui lòng chọn lại tệp."),
            code=ErrorCode.EMPTY,
            field="print_file",
        )
    if spool.size > _limit("REGISTRY_MAX_PRINT_FILE_MB"):
        raise TooLarge(
            _(
                "Tệp in vượt quá %(mb)s MB cho phép.",
                mb=current_app.config["REGISTRY_MAX_PRINT_FILE_MB"],
            )
        )
    kind = imaging.sniff_print_file(spool.name)
    if kind is None:
        raise InvalidInput(
            _(
                "Tệp in không đúng định dạng; chấp nhận %(types)s (nhận biết theo nội dung tệp).",
                types=PRINT_TYPES,
            ),
            code=ErrorCode.UNSUPPORTED_PRINT_TYPE,
            field="print_file",
        )
    spool.seek(0)
    return spool, kind, name
