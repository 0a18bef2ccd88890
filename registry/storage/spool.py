"""Uploads are spooled to temporary files while their sha256 is computed; memory stays flat.

The spool lives where the store wants it (LocalStore: beside its buckets), so that storing it
is a move, not a second copy; the digest computed here is the one the store records. On an
endpoint that asks for it (stream_uploads_to) and a store that gains by it (MinIO), an artwork
is stored while its body still arrives: the spool feeds a background put (storage.incoming)
that ingest finishes, and that is aborted if the request ends any other way.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import tempfile
from dataclasses import dataclass
from typing import IO

from flask import Request, current_app, g, has_app_context, request
from werkzeug.datastructures import FileStorage
from werkzeug.formparser import FormDataParser, MultiPartParser

from registry import imaging
from registry.storage.base import ObjectStore
from registry.storage.incoming import BackgroundPut, SpoolTail

# Enough of the head to know an artwork's type (imaging.sniff reads 16 bytes).
_HEAD = 16
# Multipart bodies are read from the server this much at a time. Under gunicorn every read of
# the body costs a fixed overhead (its Body.read gathers 8 KiB socket reads): at Werkzeug's own
# 64 KiB a 300 MB body took about twice as long to parse as at 1 MiB (measured in one run).
READ_SIZE = 1 << 20
# ... and handed to Werkzeug's parser in pieces of at most this (each piece must stay below
# MAX_FORM_MEMORY_SIZE, 500 kB by default, which the parser applies to any one piece).
PARSE_SIZE = 256 << 10


def body_limit(*megabytes: int) -> int:
    """The largest request body, in bytes, for files of these sizes plus the form around them."""
    return (sum(int(mb) for mb in megabytes) + 1) << 20


def allow_print_file() -> None:
    """Make room in this request for an artwork and a print file (ingest checks each one)."""
    config = current_app.config
    request.max_content_length = body_limit(
        config["REGISTRY_MAX_UPLOAD_MB"], config["REGISTRY_MAX_PRINT_FILE_MB"]
    )


@dataclass(frozen=True)
class StreamTarget:
    """Where an artwork spooled in this request is stored while it arrives, and its limit."""

    store: ObjectStore
    prefix: str
    limit: int


def stream_uploads_to(prefix: str) -> None:
    """Store this request's artwork while its body arrives, under prefix (call before the
    body is parsed, once the caller is authenticated); only where the store gains by it."""
    store = current_app.extensions["registry_store"]
    if store.stores_while_arriving:
        limit = int(current_app.config["REGISTRY_MAX_UPLOAD_MB"]) << 20
        g.registry_stream_target = StreamTarget(store, prefix, limit)


class HashingSpool:
    """A temporary file on disk that hashes what is written into it."""

    # The put storing this spool while it arrives (None: stored once complete, by put_file).
    pending: BackgroundPut | None = None
    _target: StreamTarget | None = None

    def __init__(self, stream_to: StreamTarget | None = None) -> None:
        # Closed by the request (or ingest) that owns the spool; deleted on close.
        self._file = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="registry-upload-", suffix=".part", dir=_spool_dir()
        )
        self._hash = hashlib.sha256()
        self.size = 0
        self._target = stream_to

    def write(self, data: bytes) -> int:
        self._hash.update(data)
        self.size += len(data)
        written = self._file.write(data)
        if self._target is not None and self.size >= _HEAD:
            self._start_put(self._target)
        if self.pending is not None:
            self._feed(self.pending)
        return written

    def _start_put(self, target: StreamTarget) -> None:
        """Begin the background put once the head names an artwork type (else spool only)."""
        self._target = None
        self._file.flush()
        fmt = imaging.sniff(io.BytesIO(os.pread(self._file.fileno(), _HEAD, 0)))
        if fmt is None:
            return  # not an artwork (a print file, or a file ingest will refuse)
        self._limit = target.limit
        # The final key cannot hold the SHA-256 (unknown until the end): a random name.
        key = f"{target.prefix}{secrets.token_hex(16)}.{imaging.EXTENSIONS[fmt]}"
        content_type = imaging.CONTENT_TYPES[fmt]
        self.pending = target.store.start_put(
            "uploads", key, SpoolTail(self.name), content_type=content_type
        )

    def _feed(self, pending: BackgroundPut) -> None:
        if self.size > self._limit or pending.failed:
            # Ingest refuses it (too large) or stores it whole itself (the store failed).
            pending.abort()
            self.pending = None
            return
        self._file.flush()
        pending.grew(self.size)

    def close(self) -> None:
        """Abort a put not finished by ingest (a refusal, a broken body), then delete the file."""
        if self.pending is not None:
            self.pending.abort()
        self._file.close()

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


class LargeReads:
    """A body read READ_SIZE bytes at a time and handed out in the smaller pieces asked for."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream, self._data, self._pos = stream, b"", 0

    def read(self, size: int = -1) -> bytes:
        """Return up to size bytes (b"" at the end); the server is read only when none are left."""
        if self._pos >= len(self._data):
            self._data, self._pos = self._stream.read(READ_SIZE), 0
        if size < 0:
            size = len(self._data)
        piece = self._data[self._pos : self._pos + size]
        self._pos += len(piece)
        return piece


class LargeReadsFormParser(FormDataParser):
    """Werkzeug's form parser, reading multipart bodies READ_SIZE bytes at a time."""

    def _parse_multipart(self, stream, mimetype, content_length, options):
        # As Werkzeug 3.1's own, with buffer_size (which FormDataParser does not pass on).
        limit = self.max_form_memory_size
        parser = MultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=limit,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
            buffer_size=PARSE_SIZE if limit is None else max(1, min(PARSE_SIZE, limit // 2)),
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        form, files = parser.parse(LargeReads(stream), boundary, content_length)  # type: ignore[arg-type]
        return stream, form, files


class RegistryRequest(Request):
    """A request whose uploaded files are HashingSpools (Werkzeug streams parts into them)."""

    form_data_parser_class = LargeReadsFormParser

    def _get_file_stream(
        self, total_content_length, content_type, filename=None, content_length=None
    ) -> IO[bytes]:
        target = g.get("registry_stream_target") if has_app_context() else None
        spool = HashingSpool(stream_to=target)
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
