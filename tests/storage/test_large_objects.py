"""A 256 MiB object goes in and out as a stream, never whole in memory."""

from __future__ import annotations

import hashlib
import random
import tracemalloc
from collections.abc import Iterator

import pytest

from registry.storage import ObjectStore

SIZE = 256 * 1024 * 1024
BLOCK = 1024 * 1024
MEMORY_LIMIT = 32 * 1024 * 1024


class PseudoRandomStream:
    """A read()-able stream of deterministic pseudo-random bytes, generated on demand."""

    def __init__(self, size: int, seed: int) -> None:
        self._rng = random.Random(seed)
        self._remaining = size
        self._buffer = b""
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        """Return up to size bytes; refuse to produce the whole stream at once."""
        if size is None or size < 0:
            raise AssertionError("read() without a size would materialise the object")
        if not self._buffer and self._remaining:
            # Always generate whole blocks so the bytes do not depend on read sizes.
            block = min(BLOCK, self._remaining)
            self._buffer = self._rng.randbytes(block)
            self._remaining -= block
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        self.sha256.update(data)
        return data


@pytest.fixture
def traced_memory() -> Iterator[None]:
    """Trace Python allocations for the duration of a test."""
    tracemalloc.start()
    yield
    tracemalloc.stop()


def _peak_since_reset(baseline: int) -> int:
    return tracemalloc.get_traced_memory()[1] - baseline


@pytest.mark.slow
@pytest.mark.parametrize("size_known", [True, False], ids=["size", "no-size"])
def test_256_mib_object_streams_in_and_out_with_low_memory(
    store: ObjectStore, prefix: str, size_known: bool, traced_memory: None
) -> None:
    key = f"{prefix}large.tif"
    source = PseudoRandomStream(SIZE, seed=288)

    tracemalloc.reset_peak()
    baseline = tracemalloc.get_traced_memory()[0]
    info = store.put(
        "uploads", key, source, size=SIZE if size_known else None, content_type="image/tiff"
    )  # type: ignore[arg-type]
    put_peak = _peak_since_reset(baseline)

    expected = source.sha256.hexdigest()
    assert (info.size, info.sha256) == (SIZE, expected)

    tracemalloc.reset_peak()
    baseline = tracemalloc.get_traced_memory()[0]
    digest, total = hashlib.sha256(), 0
    with store.open("uploads", key) as reader:
        for chunk in reader:
            digest.update(chunk)
            total += len(chunk)
    read_peak = _peak_since_reset(baseline)

    assert (total, digest.hexdigest()) == (SIZE, expected)
    assert put_peak < MEMORY_LIMIT, f"put peaked at {put_peak / 2**20:.1f} MiB"
    assert read_peak < MEMORY_LIMIT, f"read peaked at {read_peak / 2**20:.1f} MiB"
    store.delete("uploads", key)
