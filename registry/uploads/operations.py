"""Resumable uploads: create, find, receive, hand to ingest, and remove (operations only flush)."""

from __future__ import annotations

import io
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from registry import clock, imaging
from registry.auth.models import User
from registry.exceptions import Conflict, InvalidInput
from registry.extensions import db
from registry.storage.service import get_store
from registry.storage.spool import HashingSpool
from registry.submissions import ingest
from registry.submissions.models import ArtworkVersion, Submission
from registry.submissions.operations import ensure_editable
from registry.uploads import tus
from registry.uploads.models import UPLOAD_KINDS, ResumableUpload

SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_OPEN_PER_USER = 10
HEAD_SIZE = 8192
LIMITS = {"artwork": "REGISTRY_MAX_UPLOAD_MB", "print_file": "REGISTRY_MAX_PRINT_FILE_MB"}
NOT_ARTWORK = _l(
    "Tệp mẫu không phải ảnh PNG, JPEG, TIFF hoặc WebP (nhận biết theo nội dung tệp, không theo "
    "tên tệp), nên đã dừng tải lên. Vui lòng xuất lại mẫu sang một trong các định dạng này."
)
NOT_PRINT = _l(
    "Tệp in không đúng định dạng; chấp nhận PDF, AI, EPS, PSD, CDR hoặc SVG (nhận biết theo nội "
    "dung tệp), nên đã dừng tải lên."
)
# Each kind of file, named in its sentence (the words around it differ by language).
EMPTY = {
    "artwork": _l("Tệp mẫu rỗng (0 byte). Vui lòng chọn lại tệp."),
    "print_file": _l("Tệp in rỗng (0 byte). Vui lòng chọn lại tệp."),
}
TOO_LARGE = {
    "artwork": _l("Tệp mẫu vượt quá %(mb)s MB cho phép."),
    "print_file": _l("Tệp in vượt quá %(mb)s MB cho phép."),
}
UNFINISHED = {
    "artwork": _l("Tệp mẫu chưa tải lên xong; hãy đợi thanh tiến trình đến 100 %."),
    "print_file": _l("Tệp in chưa tải lên xong; hãy đợi thanh tiến trình đến 100 %."),
}
MISMATCH = _l(
    "Tệp máy chủ nhận được không khớp với tệp trên máy của bạn (mã kiểm tra SHA-256 khác nhau), "
    "có thể do đường truyền lỗi hoặc tệp đã bị sửa trong lúc tải. Phiên tải lên này đã được hủy; "
    "vui lòng chọn lại tệp và tải lên lần nữa."
)


def staging_dir() -> Path:
    """The folder chunks are written into (shared by every worker of this machine)."""
    path = Path(current_app.config["REGISTRY_UPLOAD_STAGING_PATH"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def staged_path(upload: ResumableUpload) -> Path:
    return staging_dir() / f"{upload.token}.part"


def limit_bytes(kind: str) -> int:
    return int(current_app.config[LIMITS[kind]]) << 20


def max_size() -> int:
    return max(limit_bytes(kind) for kind in LIMITS)


def _expiry():
    hours = float(current_app.config["REGISTRY_UPLOAD_EXPIRY_HOURS"])
    return clock.utcnow() + timedelta(hours=hours)


def create_upload(
    user: User, submission: Submission, length: int, metadata: dict[str, str]
) -> ResumableUpload:
    """Record a new upload of `length` bytes and make its empty staged file."""
    ensure_editable(submission)
    kind = metadata.get("kind") or "artwork"
    if kind not in UPLOAD_KINDS:
        raise tus.TusError(400, _("Loại tệp tải lên không hợp lệ (kind)."))
    claimed = metadata.get("sha256") or None
    if claimed is not None and not SHA256.fullmatch(claimed):
        raise tus.TusError(400, _("Mã SHA-256 gửi kèm không hợp lệ (64 chữ số thập lục phân)."))
    if length == 0:
        raise tus.TusError(400, EMPTY[kind])
    if length > limit_bytes(kind):
        megabytes = current_app.config[LIMITS[kind]]
        raise tus.TusError(413, TOO_LARGE[kind] % {"mb": megabytes})
    _drop_oldest(user)
    upload = ResumableUpload(
        token=secrets.token_hex(16),
        user=user,
        submission=submission,
        kind=kind,
        filename=(metadata.get("filename") or "tep-tai-len")[:255],
        length_bytes=length,
        offset_bytes=0,
        claimed_sha256=claimed,
        expires_at=_expiry(),
    )
    db.session.add(upload)
    db.session.flush()
    staged_path(upload).touch(exist_ok=False)
    return upload


def _drop_oldest(user: User) -> None:
    """A user keeps at most MAX_OPEN_PER_USER unfinished uploads; older ones make room."""
    open_uploads = db.session.scalars(
        sa.select(ResumableUpload)
        .where(ResumableUpload.user_id == user.id)
        .order_by(ResumableUpload.updated_at.desc(), ResumableUpload.id.desc())
        .offset(MAX_OPEN_PER_USER - 1)
    ).all()
    for upload in open_uploads:
        remove_upload(upload)


def find_upload(user: User, token: str) -> ResumableUpload:
    """The user's own upload; anyone else's, or none, is 404; an expired one is 410."""
    upload = db.session.scalar(sa.select(ResumableUpload).where(ResumableUpload.token == token))
    if upload is None or upload.user_id != user.id:
        raise tus.TusError(404, _("Không tìm thấy phiên tải lên này."))
    if upload.expires_at <= clock.utcnow():
        raise tus.TusError(410, _("Phiên tải lên đã hết hạn; tệp sẽ được tải lên lại từ đầu."))
    return upload


def current_offset(upload: ResumableUpload) -> int:
    """How many bytes are staged: the file is the truth (a cut request may not have said)."""
    try:
        return staged_path(upload).stat().st_size
    except FileNotFoundError:
        raise tus.TusError(404, _("Không tìm thấy phiên tải lên này.")) from None


def head_checker(upload: ResumableUpload):
    """The check of a new file's first bytes: type from content, before the rest arrives."""

    def check(head: bytes) -> None:
        if upload.kind == "artwork":
            ok = imaging.sniff(io.BytesIO(head)) is not None
            message = NOT_ARTWORK
        else:
            # A zipped CorelDRAW file names its parts at its end: ingest checks it whole.
            ok = head.startswith(b"PK\x03\x04") or imaging.sniff_print_file(io.BytesIO(head))
            message = NOT_PRINT
        if not ok:
            raise tus.TusError(422, message)

    return check


def record_progress(upload: ResumableUpload, offset: int) -> None:
    """Note the new offset and push the expiry back; on completion, the server's SHA-256."""
    upload.offset_bytes = offset
    upload.updated_at = clock.utcnow()
    upload.expires_at = _expiry()
    if offset == upload.length_bytes and upload.sha256 is None:
        upload.sha256 = tus.finished_sha256(upload.token, staged_path(upload), offset)


def remove_upload(upload: ResumableUpload) -> None:
    """Forget an upload and delete its staged file."""
    tus.hashes.forget(upload.token)
    staged_path(upload).unlink(missing_ok=True)
    db.session.delete(upload)


class StagedSpool(HashingSpool):
    """A complete staged upload read in place: ingest sees a spool already hashed."""

    def __init__(self, path: Path, size: int, sha256: str) -> None:  # noqa: D107
        self._file = open(path, "rb")  # noqa: SIM115 (ingest closes the upload's stream)
        self.size, self._sha256 = size, sha256

    @property
    def sha256(self) -> str:
        return self._sha256

    def write(self, data: bytes) -> int:
        raise io.UnsupportedOperation("a staged upload is read-only")


def finished(user: User, submission: Submission, token: str, kind: str, sha256: str | None):
    """A complete upload of this user, submission and kind, its hash checked; else refused."""
    upload = db.session.scalar(
        sa.select(ResumableUpload).where(
            ResumableUpload.token == token,
            ResumableUpload.user_id == user.id,
            ResumableUpload.submission_id == submission.id,
            ResumableUpload.kind == kind,
        )
    )
    if upload is None or not staged_path(upload).exists():
        raise InvalidInput(
            _("Không tìm thấy tệp đã tải lên (có thể đã hết hạn). Vui lòng chọn lại tệp."),
            field="file" if kind == "artwork" else kind,
        )
    if current_offset(upload) != upload.length_bytes:
        raise Conflict(str(UNFINISHED[kind]))
    if upload.sha256 is None:
        record_progress(upload, upload.length_bytes)
    claims = {c for c in (sha256, upload.claimed_sha256) if c}
    if claims - {upload.sha256}:
        raise InvalidInput(str(MISMATCH), field="file" if kind == "artwork" else kind)
    return upload


def add_version_from_uploads(
    user: User,
    submission: Submission,
    artwork: ResumableUpload,
    print_file: ResumableUpload | None,
    expected_lock_version: int | None,
) -> ArtworkVersion:
    """Hand the staged files to ingest as the submission's next version."""
    files = [
        FileStorage(
            stream=StagedSpool(staged_path(u), u.length_bytes, u.sha256),
            filename=u.filename,
            name="file" if u.kind == "artwork" else "print_file",
        )
        for u in (artwork, print_file)
        if u is not None
    ]
    return ingest.add_version(
        user,
        submission,
        files[0],
        files[1] if len(files) > 1 else None,
        expected_lock_version=expected_lock_version,
    )


def remove_expired(now=None) -> tuple[int, int]:
    """Delete expired uploads and staged files no upload owns; return (uploads, files)."""
    now = now or clock.utcnow()
    expired = db.session.scalars(
        sa.select(ResumableUpload).where(ResumableUpload.expires_at <= now)
    ).all()
    for upload in expired:
        remove_upload(upload)
    known = set(db.session.scalars(sa.select(ResumableUpload.token)))
    folder, strays = staging_dir(), 0
    grace = float(current_app.config["REGISTRY_UPLOAD_EXPIRY_HOURS"]) * 3600
    for path in folder.glob("*.part"):
        if path.stem in known:
            continue
        # A file younger than the expiry may belong to an upload whose row is not committed yet.
        if now.timestamp() - os.path.getmtime(path) > grace:
            path.unlink(missing_ok=True)
            strays += 1
    # Spools of one-shot uploads that a crashed worker never closed (in the store's folder).
    strays += get_store().sweep_spools(timedelta(seconds=grace))
    return len(expired), strays
