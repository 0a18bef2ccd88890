"""Multipart bodies are parsed in large reads, with every limit still in force."""

from __future__ import annotations

import io

from werkzeug.datastructures import FileStorage
from werkzeug.test import EnvironBuilder, encode_multipart

from registry.storage.spool import READ_SIZE, RegistryRequest


class CountingStream(io.BytesIO):
    """A body that records the size of every read asked of it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int] = []

    def read(self, size: int = -1) -> bytes:
        self.asked.append(size)
        return super().read(size)

    def readinto(self, buffer) -> int:
        self.asked.append(len(buffer))
        return super().readinto(buffer)


def test_a_multipart_body_is_read_a_mebibyte_at_a_time_and_parsed_whole(app) -> None:
    data = bytes(range(256)) * (3 * READ_SIZE // 256)
    boundary, raw = encode_multipart(
        {"file": FileStorage(io.BytesIO(data), "a.tif"), "note": "pano"}
    )
    body = CountingStream(raw)
    environ = EnvironBuilder(
        method="POST",
        input_stream=body,
        content_length=len(raw),
        content_type=f"multipart/form-data; boundary={boundary}",
    ).get_environ()
    with app.app_context():
        request = RegistryRequest(environ)
        try:
            assert request.form["note"] == "pano"
            assert request.files["file"].stream.read() == data
        finally:
            request.close()
    assert max(body.asked) == READ_SIZE
    assert len(body.asked) <= len(data) // READ_SIZE + 3
