"""A spool read behind its writer: the put sees only written bytes, all of them, or gives up."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from registry.storage.incoming import BackgroundPut, SpoolTail, UploadAbandoned

PART = 1000


def _put_in_parts(seen: list[tuple[int, int]], parts: list[bytes]):
    """A put that reads PART bytes at a time, noting how much was written at each read."""

    def put(tail: SpoolTail) -> bytes:
        while chunk := tail.read(PART):
            seen.append((len(b"".join(parts)) + len(chunk), tail._written))
            parts.append(chunk)
        return b"".join(parts)

    return put


def _writer(path: Path, pending: BackgroundPut, data: bytes, step: int) -> None:
    with path.open("wb") as out:
        for start in range(0, len(data), step):
            out.write(data[start : start + step])
            out.flush()
            pending.grew(start + len(data[start : start + step]))


def test_the_put_reads_every_byte_behind_the_writer_and_ends_when_finished(tmp_path: Path):
    path = tmp_path / "spool.part"
    path.touch()
    data = bytes(range(256)) * 40
    seen: list[tuple[int, int]] = []
    pending = BackgroundPut(
        "k", SpoolTail(str(path)), _put_in_parts(seen, []), contextlib.nullcontext
    )
    _writer(path, pending, data, 333)
    assert pending.finish() == data
    assert all(read_to <= written for read_to, written in seen)  # never ahead of the writer


def test_an_abandoned_put_stops_at_once_and_raises_in_its_own_thread(tmp_path: Path):
    path = tmp_path / "spool.part"
    path.write_bytes(b"x" * 10)
    outcome: list[BaseException] = []

    def put(tail: SpoolTail):
        try:
            tail.read(PART)  # waits: only 10 bytes are written
        except UploadAbandoned as error:
            outcome.append(error)
            raise

    pending = BackgroundPut("k", SpoolTail(str(path)), put, contextlib.nullcontext)
    pending.grew(10)
    pending.abort()
    assert len(outcome) == 1 and not pending._thread.is_alive()
    pending.abort()  # a second abort (the request closing its spools) changes nothing
    with pytest.raises(UploadAbandoned):
        pending.finish()


def test_a_failed_put_raises_its_error_in_the_callers_thread_as_the_store_says(tmp_path: Path):
    path = tmp_path / "spool.part"
    path.touch()

    def put(tail: SpoolTail):
        raise ConnectionError("store unreachable")

    @contextlib.contextmanager
    def as_store_error():
        try:
            yield
        except ConnectionError as error:
            raise RuntimeError(f"translated: {error}") from error

    pending = BackgroundPut("k", SpoolTail(str(path)), put, as_store_error)
    pending._thread.join()
    assert pending.failed
    with pytest.raises(RuntimeError, match="translated: store unreachable"):
        pending.finish()
