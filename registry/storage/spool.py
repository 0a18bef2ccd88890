"""Uploads are spooled to temporary files while their sha256 is computed; memory stays flat.

The spool lives where the store wants it (LocalStore: beside its buckets), so that storing it
is a move, not a second copy; the digest computed here is the one the store records.
"""

from __future__ import annotations

import hashlib
import tempfile
from typing import IO

from flask import Request, current_app, has_app_context, request
from werkzeug.datastructures import FileStorage


def body_limit(*megabytes: int) -> int:
    """The largest request body, in bytes, for files of these sizes plus the form around them."""
    return (sum(int(mb) for mb in megabytes) + 1) << 20


def allow_print_file() -> None:
    """Make room in this request for an artwork and a print file (ingest checks each one)."""
    config = current_app.config
    request.max_content_length = body_limit(
        config["REGISTRY_MAX_UPLOAD_MB"], config["REGISTRY_MAX_PRINT_FILE_MB"]
    )


class HashingSpool:
    """A temporary file on disk that hashes what is written into it."""

    def __init__(self) -> None:
        # Closed by the request (or ingest) that owns the spool; deleted on close.
        self._file = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="registry-upload-", suffix=".part", dir=_spool_dir()
        )
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._hash.update(data)
        self.size += len(data)
        return self._file.write(data)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    @property
    def name(self) -> str:
        return self._file.name

    def __getattr__(self, attr):
        return getattr(self._file, attr)


def _spool_dir() -> str | None:
    """The app's store's spool folder, when there is an app (else the temporary folder)."""
    store = current_app.extensions.get("registry_store") if has_app_context() else None
    folder = None if store is None else store.spool_dir()
    return None if folder is None else str(folder)


class RegistryRequest(Request):
    """A request whose uploaded files are HashingSpools (Werkzeug streams parts into them)."""

    def _get_file_stream(
        self, total_content_length, content_type, filename=None, content_length=None
    ) -> IO[bytes]:
        spool = HashingSpool()
        # Kept here too, so that a body refused half-way (413) still has its files closed.
        self.__dict__.setdefault("_registry_spools", []).append(spool)
        return spool  # type: ignore[return-value]

    def close(self) -> None:
        """Close the request's files, including spools of a body whose parsing failed."""
        super().close()
        for spool in self.__dict__.pop("_registry_spools", []):
            spool.close()


def spool_of(upload: FileStorage) -> HashingSpool:
    """Return the spool behind an uploaded file, flushed and ready to read by path."""
    spool = upload.stream
    if not isinstance(spool, HashingSpool):
        # Scripts and the CLI may hand in plain streams: spool them here, owned by the upload.
        spool = HashingSpool()
        while chunk := upload.stream.read(1 << 20):
            spool.write(chunk)
        upload.stream.close()
        upload.stream = spool
    spool.flush()
    spool.seek(0)
    return spool
