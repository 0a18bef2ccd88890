"""A full disk under LocalStore: a clear error, and not one byte of a partial file left."""

from __future__ import annotations

import io
import os
import subprocess

import pytest

from registry.storage import LocalStore, StoreFull


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 1 MiB tmpfs (mounting needs root, as in CI; elsewhere skipped with a reason)."""
    root = tmp_path / "tiny"
    root.mkdir()
    if os.geteuid() != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true runs as root: the full-disk test must mount its tmpfs")
        pytest.skip("mounting a tmpfs needs root: the full-disk test did NOT run")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(root)], check=True)
    try:
        yield root
    finally:
        subprocess.run(["umount", str(root)], check=True)


def _files(root) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )


def test_a_put_larger_than_the_free_space_fails_clearly_and_leaves_nothing(tiny_disk):
    store = LocalStore(tiny_disk, {"uploads": "b-up", "approved": "b-ok"}, signing_key="k")
    store.put("uploads", "a/small.png", io.BytesIO(b"small"))
    before = _files(tiny_disk)

    with pytest.raises(StoreFull, match="Kho lưu trữ đã hết dung lượng"):
        store.put("uploads", "a/large.png", io.BytesIO(b"x" * (2 << 20)))

    assert _files(tiny_disk) == before  # no temp file, no half object, no sidecar
    assert not store.exists("uploads", "a/large.png")
    # The space the failed write took is free again: the store goes on working.
    assert store.put("uploads", "a/next.png", io.BytesIO(b"next")).size == 4


def test_a_copy_that_does_not_fit_leaves_nothing(tiny_disk):
    store = LocalStore(tiny_disk, {"uploads": "b-up", "approved": "b-ok"}, signing_key="k")
    store.put("uploads", "a/big.png", io.BytesIO(b"y" * (600 << 10)))
    before = _files(tiny_disk)
    with pytest.raises(StoreFull):
        store.copy("uploads", "a/big.png", "approved", "c/AG-1.png")
    assert _files(tiny_disk) == before
