"""The streamed ZIP writer on its own: round trip, bounded chunks, members beyond 4 GiB."""

import contextlib
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime

import pytest

from registry.library.zipstream import zip_stream

CHUNK = 1 << 20


@dataclass
class Entry:
    filename: str
    size: int
    modified: datetime = datetime(2026, 11, 27, 8, 30)


def _source(contents: dict[str, bytes]):
    @contextlib.contextmanager
    def open_entry(entry):
        data = contents[entry.filename]
        yield (data[i : i + CHUNK] for i in range(0, len(data), CHUNK))

    return open_entry


def test_round_trip_with_data_descriptors():
    contents = {"a.png": b"\x89PNG" + bytes(range(256)) * 20, "b.pdf": b"%PDF-1.4 test"}
    entries = [Entry(name, len(data)) for name, data in contents.items()]
    body = b"".join(zip_stream(entries, _source(contents)))
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert archive.testzip() is None
        for info in archive.infolist():
            assert info.flag_bits & 0x08  # sizes in a data descriptor: written without seeking
            assert info.compress_type == zipfile.ZIP_STORED
            assert archive.read(info.filename) == contents[info.filename]
            assert info.date_time == (2026, 11, 27, 8, 30, 0)


def test_chunks_stay_small_whatever_the_archive_size():
    contents = {f"{i}.bin": bytes([i]) * (3 * CHUNK + 17) for i in range(4)}
    entries = [Entry(name, len(data)) for name, data in contents.items()]
    sizes = [len(chunk) for chunk in zip_stream(entries, _source(contents))]
    assert sum(sizes) > 12 * CHUNK
    assert max(sizes) <= CHUNK + 1024


def test_closing_early_closes_the_open_object():
    closed = []

    @contextlib.contextmanager
    def open_entry(entry):
        try:
            yield iter([b"x" * CHUNK] * 5)
        finally:
            closed.append(entry.filename)

    stream = zip_stream([Entry("big.bin", 5 * CHUNK)], open_entry)
    next(stream)
    stream.close()  # the client went away
    assert closed == ["big.bin"]


def _write_sparse(path, chunks) -> None:
    """Write the stream to disk as a sparse file: runs of zeros take no space."""
    with path.open("wb") as file:
        for chunk in chunks:
            if chunk == bytes(len(chunk)):  # memcmp: far faster than scanning for zeros
                file.seek(len(chunk), io.SEEK_CUR)
            else:
                file.write(chunk)
        file.truncate()


@pytest.mark.slow
def test_member_beyond_4_gib_uses_zip64(tmp_path):
    size = (4 << 30) + 12_345
    contents = {"small.txt": b"before", "after.txt": b"after"}
    zero = bytes(CHUNK)

    @contextlib.contextmanager
    def open_entry(entry):
        if entry.filename != "huge.tif":
            yield [contents[entry.filename]]
            return
        yield (zero[: min(CHUNK, size - done)] for done in range(0, size, CHUNK))

    entries = [Entry("small.txt", 6), Entry("huge.tif", size), Entry("after.txt", 5)]
    path = tmp_path / "huge.zip"
    _write_sparse(path, zip_stream(entries, open_entry))
    crc = 0
    for done in range(0, size, CHUNK):
        crc = zlib.crc32(zero[: min(CHUNK, size - done)], crc)
    with zipfile.ZipFile(path) as archive:
        huge = archive.getinfo("huge.tif")
        assert (huge.file_size, huge.compress_size, huge.CRC) == (size, size, crc)
        assert archive.getinfo("after.txt").header_offset > 4 << 30
        assert archive.read("small.txt") == b"before" and archive.read("after.txt") == b"after"
        with archive.open(huge) as member:
            data_start = member._fileobj.tell()  # just past the local header
    # The data descriptor after the member's bytes carries 64-bit sizes (ZIP64).
    with path.open("rb") as raw:
        raw.seek(data_start + size)
        assert struct.unpack("<LLQQ", raw.read(24)) == (0x08074B50, crc, size, size)


def test_readahead_keeps_order_and_passes_errors_on():
    from registry.library.zipstream import readahead

    assert list(readahead(iter([b"a", b"b", b"c"]), depth=1)) == [b"a", b"b", b"c"]

    def broken():
        yield b"a"
        raise OSError("kho lưu trữ ngắt kết nối")

    reader = readahead(broken())
    assert next(reader) == b"a"
    with pytest.raises(OSError, match="ngắt kết nối"):
        next(reader)


def test_readahead_stops_reading_when_the_client_goes_away():
    import threading

    from registry.library.zipstream import readahead

    reads = []

    def endless():
        while True:
            reads.append(1)
            yield b"x" * 1024

    reader = readahead(endless(), depth=2)
    assert next(reader) == b"x" * 1024
    reader.close()  # the client disconnected
    assert not any(t.name == "zip-readahead" for t in threading.enumerate())
    assert len(reads) < 10
