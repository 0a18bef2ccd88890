"""A ZIP archive written while it is sent: memory stays at one chunk whatever the archive size.

zipfile writes to any object with write() and flush(); without tell() and seek() it cannot go
back to fill in sizes, so it writes each member's CRC and sizes in a data descriptor after the
data. Members are stored, not deflated: artwork formats are compressed already.
"""

from __future__ import annotations

import queue
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol


class Entry(Protocol):
    filename: str
    size: int
    modified: datetime


class _Sink:
    """A write-only, unseekable file that hands what was written to the generator."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def drain(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    # ZIP timestamps start in 1980.
    return max(moment.timetuple()[:6], (1980, 1, 1, 0, 0, 0))


_DONE = object()


def readahead(chunks: Iterable[bytes], depth: int = 4) -> Iterator[bytes]:
    """Read the next chunks in a thread while the current one is sent (bench/downloads.py:
    reading from the store and sending to the client did not overlap). At most `depth` chunks
    wait in memory; when the consumer stops early, the reader stops too."""
    ahead: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_over(item) -> bool:
        """Queue an item unless the consumer has gone; False once it has."""
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for chunk in chunks:
                if not hand_over(chunk):
                    return
            hand_over(_DONE)
        except BaseException as error:  # noqa: BLE001 - handed to the consumer below
            hand_over(error)

    reader = threading.Thread(target=read, name="zip-readahead", daemon=True)
    reader.start()
    try:
        while (item := ahead.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


def zip_stream(
    entries: Iterable[Entry],
    open_entry: Callable[[Entry], AbstractContextManager[Iterable[bytes]]],
) -> Iterator[bytes]:
    """Yield the bytes of a ZIP holding every entry, read chunk by chunk with open_entry."""
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry.filename, date_time=_zip_time(entry.modified))
            info.compress_type = zipfile.ZIP_STORED
            info.file_size = entry.size
            # Known sizes near 4 GiB need ZIP64 fields in the local header, decided up front.
            big = entry.size * 1.05 > zipfile.ZIP64_LIMIT
            with open_entry(entry) as chunks, archive.open(info, "w", force_zip64=big) as member:
                for chunk in readahead(chunks):
                    member.write(chunk)
                    if data := sink.drain():
                        yield data
            if data := sink.drain():  # the data descriptor
                yield data
    if data := sink.drain():
        yield data
