"""The tus 1.0.0 resumable upload protocol, server side: headers, metadata, and appending a
PATCH body to a staged file (core, creation, termination and expiration; tus.io/protocols).

No maintained tus server exists for Flask on PyPI (flask-tus and its forks stopped in 2016–2021),
and the core is small: HEAD tells the offset, PATCH appends at that offset (409 when the client's
offset is not the server's), POST creates, DELETE terminates. This module knows nothing of
submissions or users; registry.uploads.views wires it to them.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import IO

from flask_babel import gettext as _
from werkzeug.exceptions import ClientDisconnected

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,termination,expiration"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
BLOCK = 1 << 20
FIRST_BLOCK = 64 << 10  # the head is checked after at most this much of a new file


class TusError(Exception):
    """A request the protocol refuses, with its status and a message for the user."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.http_status, self.message, self.headers = status, str(message), headers or {}


def base_headers() -> dict[str, str]:
    """Headers every tus answer carries."""
    return {"Tus-Resumable": TUS_VERSION, "Cache-Control": "no-store"}


def options_headers(max_size: int) -> dict[str, str]:
    """The server's capabilities (answer to OPTIONS)."""
    return {
        **base_headers(),
        "Tus-Version": TUS_VERSION,
        "Tus-Extension": EXTENSIONS,
        "Tus-Max-Size": str(max_size),
    }


def expires_header(moment: datetime) -> dict[str, str]:
    """Upload-Expires, in the RFC 9110 date format."""
    return {"Upload-Expires": format_datetime(moment, usegmt=True)}


def check_version(headers) -> None:
    """Refuse a request that does not speak our version of the protocol (412)."""
    if headers.get("Tus-Resumable") != TUS_VERSION:
        raise TusError(
            412,
            _(
                "Yêu cầu phải theo giao thức tus %(version)s (tiêu đề Tus-Resumable).",
                version=TUS_VERSION,
            ),
            {"Tus-Version": TUS_VERSION},
        )


def non_negative_header(headers, name: str) -> int:
    """A header holding a byte count; missing or malformed is 400."""
    raw = headers.get(name, "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise TusError(400, _("Thiếu hoặc sai tiêu đề %(name)s (số byte).", name=name))
    return int(raw)


def parse_metadata(raw: str | None) -> dict[str, str]:
    """Decode Upload-Metadata: comma-separated `key base64value` pairs (the value may be absent)."""
    metadata: dict[str, str] = {}
    for pair in (raw or "").split(","):
        parts = pair.strip().split(" ")
        if parts == [""]:
            continue
        if len(parts) > 2 or not parts[0] or parts[0] in metadata:
            raise TusError(400, _("Tiêu đề Upload-Metadata không hợp lệ."))
        try:
            value = base64.b64decode(parts[1], validate=True).decode() if len(parts) == 2 else ""
        except (binascii.Error, UnicodeDecodeError):
            raise TusError(400, _("Tiêu đề Upload-Metadata không hợp lệ (base64).")) from None
        metadata[parts[0]] = value
    return metadata


@contextmanager
def locked(path: Path) -> Iterator[IO[bytes]]:
    """The staged file opened for appending, locked against a second PATCH (423 while held).

    A connection cut mid-chunk can leave its request still writing when the client comes back;
    the lock (shared by every worker on the machine) keeps the two from interleaving bytes.
    """
    try:
        fp = open(path, "r+b")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        raise TusError(404, _("Không tìm thấy phiên tải lên này.")) from None
    try:
        try:
            fcntl.flock(fp, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise TusError(
                423, _("Phiên tải lên đang nhận dữ liệu; thử lại sau giây lát.")
            ) from None
        fp.seek(0, os.SEEK_END)
        yield fp
    finally:
        fp.close()


class _Hashes:
    """SHA-256 states of uploads this process is receiving, by upload and offset.

    hashlib states cannot be saved, so a chunk that lands on another worker (or after a
    restart) finds none; the upload is then hashed from its file once, on completion.
    """

    def __init__(self, size: int = 64) -> None:
        self._states: OrderedDict[str, tuple[int, hashlib._Hash]] = OrderedDict()
        self._size, self._lock = size, threading.Lock()

    def take(self, key: str, offset: int):
        with self._lock:
            found = self._states.pop(key, None)
        if offset == 0:
            return hashlib.sha256()
        return found[1] if found and found[0] == offset else None

    def keep(self, key: str, offset: int, state) -> None:
        if state is None:
            return
        with self._lock:
            self._states[key] = (offset, state)
            while len(self._states) > self._size:
                self._states.popitem(last=False)

    def forget(self, key: str) -> None:
        with self._lock:
            self._states.pop(key, None)


hashes = _Hashes()


def append(
    fp: IO[bytes],
    stream: IO[bytes],
    *,
    key: str,
    head_size: int,
    check_head: Callable[[bytes], None] | None = None,
) -> int:
    """Append the body to the locked file and return the new offset.

    Bytes are written as they arrive, so a connection that drops keeps what it delivered; the
    head of a new file (its first `head_size` bytes) goes to `check_head` as soon as it is
    there, before the rest is read, so a wrong file is refused early.
    """
    offset = fp.tell()
    state = hashes.take(key, offset)
    try:
        block = FIRST_BLOCK if offset < head_size else BLOCK
        while data := stream.read(block):
            if check_head is not None and offset < head_size <= offset + len(data):
                fp.flush()
                head = _read_head(fp, offset, data, head_size)
                check_head(head)
            fp.write(data)
            offset += len(data)
            if state is not None:
                state.update(data)
            block = BLOCK
    except (ClientDisconnected, OSError):
        pass  # the connection dropped (or stalled): what arrived is kept, the client resumes
    fp.flush()
    os.fsync(fp.fileno())
    hashes.keep(key, offset, state)
    return offset


def _read_head(fp: IO[bytes], offset: int, data: bytes, head_size: int) -> bytes:
    fp.seek(0)
    before = fp.read(offset)
    fp.seek(0, os.SEEK_END)
    return (before + data)[:head_size]


def finished_sha256(key: str, path: Path, length: int) -> str:
    """The SHA-256 of a complete upload: from the state kept while appending, else its file."""
    state = hashes.take(key, length)
    hashes.forget(key)
    if state is None:
        state = hashlib.sha256()
        with open(path, "rb") as fp:
            while block := fp.read(BLOCK):
                state.update(block)
    return state.hexdigest()
