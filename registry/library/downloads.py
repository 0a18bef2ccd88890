"""Handing out approved files: check the asset may be downloaded today, log it, sign a link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urljoin

from flask import current_app, has_request_context, request
from flask_babel import gettext as _

from registry.auth.models import User
from registry.clock import local_date, local_today
from registry.error_codes import ErrorCode
from registry.exceptions import UserFacingError
from registry.i18n import day
from registry.library.models import DOWNLOADABLE_STATUSES, ApprovedAsset
from registry.library.operations import log_download
from registry.storage import ObjectNotFound, StorageError
from registry.storage.service import get_store

FILE_KINDS = ("artwork", "print")


class AssetUnavailable(UserFacingError):
    """The approval was revoked or its validity is over: the file may no longer be used."""

    status = 410
    code = ErrorCode.ASSET_UNAVAILABLE


class NoSuchFile(Exception):
    """The asset has no file of the requested kind (no print file was uploaded)."""


class MissingFile(StorageError):
    """The database points at an approved file the store does not hold."""


def unavailable_message(asset: ApprovedAsset, status: str) -> str:
    """Why the asset can no longer be downloaded, as a sentence for the user."""
    if status == "revoked":
        reason = asset.revoke_reason.rstrip(". ")
        revoked_on = day(local_date(asset.revoked_at))
        if reason:
            return _(
                "Mẫu %(code)s đã bị thu hồi phê duyệt ngày %(day)s. Lý do: %(reason)s. "
                "Không được tải xuống và sử dụng mẫu này.",
                code=asset.code,
                day=revoked_on,
                reason=reason,
            )
        return _(
            "Mẫu %(code)s đã bị thu hồi phê duyệt ngày %(day)s. "
            "Không được tải xuống và sử dụng mẫu này.",
            code=asset.code,
            day=revoked_on,
        )
    return _(
        "Mẫu %(code)s đã hết hiệu lực (thời hạn sử dụng kết thúc ngày %(day)s). "
        "Không được tải xuống và sử dụng mẫu này; vui lòng dùng mẫu còn hiệu lực.",
        code=asset.code,
        day=day(asset.valid_to),
    )


def ensure_downloadable(asset: ApprovedAsset) -> None:
    """Raise AssetUnavailable unless the asset is valid today or approved for a later period."""
    status = asset.status_on(local_today())
    if status not in DOWNLOADABLE_STATUSES:
        raise AssetUnavailable(
            unavailable_message(asset, status), code=ErrorCode(f"asset_{status}")
        )


@dataclass(frozen=True)
class StoredFile:
    """One approved object to hand out, with the name the user receives it under."""

    area: str
    key: str
    filename: str
    size: int
    modified: datetime


def stored_file(asset: ApprovedAsset, kind: str = "artwork") -> StoredFile | None:
    """The artwork or print file of an asset; None when the asset has no such file."""
    key = asset.storage_key if kind == "artwork" else asset.print_key
    if not key:
        return None
    size = asset.size_bytes if kind == "artwork" else (asset.version.print_size_bytes or 0)
    return StoredFile("approved", key, key.rsplit("/", 1)[-1], size, asset.approved_at)


def check_stored(file: StoredFile) -> None:
    """Make sure the object exists before anything is logged or streamed."""
    try:
        get_store().stat(file.area, file.key)
    except ObjectNotFound as error:
        current_app.logger.error("approved object missing: %s/%s", file.area, file.key)
        raise MissingFile(
            _(
                "Tệp của mẫu đã duyệt hiện không có trong kho lưu trữ. "
                "Vui lòng báo quản trị hệ thống kiểm tra (lệnh registry check-storage)."
            )
        ) from error


def download_url(file: StoredFile) -> str:
    """A short-lived link to the file: presigned on MinIO, the app's signed route on LocalStore."""
    seconds = int(current_app.config["REGISTRY_DOWNLOAD_URL_SECONDS"])
    url = get_store().presigned_url(
        file.area, file.key, expires=timedelta(seconds=seconds), filename=file.filename
    )
    if url.startswith("/") and has_request_context():
        # LocalStore answers with a path of this app; API clients want an absolute URL.
        url = urljoin(request.host_url, request.script_root + url)
    return url


def prepare_download(user: User, asset: ApprovedAsset, kind: str, via: str) -> str:
    """Check, log (the caller commits) and return the link of one download."""
    ensure_downloadable(asset)
    file = stored_file(asset, kind)
    if file is None:
        raise NoSuchFile(kind)
    check_stored(file)
    url = download_url(file)
    log_download(user, asset, via, remote_addr=_remote_addr())
    return url


def _remote_addr() -> str:
    return (request.remote_addr or "") if has_request_context() else ""
