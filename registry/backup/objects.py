"""The object half of a backup: every object of every area, with its metadata and retention."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from registry.backup.errors import BackupError
from registry.backup.manifest import CHUNK, sha256_of
from registry.storage import ObjectNotFound, ObjectStore
from registry.storage.util import validate_key

OBJECTS_DIR = "objects"
OBJECTS_LIST = "objects.jsonl"
# A retention ending this soon is not worth restoring: it would lapse mid-restore.
RETENTION_MARGIN = timedelta(minutes=5)


@dataclass
class AreaTotals:
    bucket: str
    objects: int = 0
    bytes: int = 0


@dataclass
class RestoreTotals:
    restored: int = 0
    bytes: int = 0
    locked: int = 0
    unlocked: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _object_path(folder: Path, area: str, key: str) -> Path:
    # Keys are checked like the store checks them, so no entry can point outside the folder.
    return folder / OBJECTS_DIR / validate_key(area) / validate_key(key)


def _copy_out(store: ObjectStore, area: str, key: str, path: Path) -> tuple[int, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with store.open(area, key) as reader, path.open("wb") as handle:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            handle.write(chunk)
            size += len(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    return size, digest.hexdigest()


def dump_objects(store: ObjectStore, folder: Path, warn) -> dict[str, AreaTotals]:
    """Copy every object of every area into folder, listing each in objects.jsonl."""
    totals = {area: AreaTotals(store.bucket(area)) for area in store.areas}
    with (folder / OBJECTS_LIST).open("w", encoding="utf-8") as listing:
        for area in store.areas:
            for listed in store.list(area):
                try:
                    # stat, not the listing: only it carries retention on every server.
                    info = store.stat(area, listed.key)
                    size, sha256 = _copy_out(
                        store, area, listed.key, _object_path(folder, area, listed.key)
                    )
                except ObjectNotFound:
                    continue  # removed since the listing: a failed request's own leftover
                if size != info.size:
                    raise BackupError(
                        f"Tệp {area}/{listed.key} đổi kích thước trong lúc sao lưu "
                        f"({info.size} → {size} byte); hãy chạy lại lệnh sao lưu."
                    )
                if info.sha256 and info.sha256 != sha256:
                    warn(
                        f"Tệp {area}/{listed.key} không khớp mã SHA-256 kho đã ghi: đã sao lưu "
                        "đúng như đang có; hãy chạy `registry check-storage`."
                    )
                entry = {
                    "area": area,
                    "key": listed.key,
                    "size": size,
                    "sha256": sha256,
                    "content_type": info.content_type,
                    "metadata": info.metadata,
                    "retain_until": info.retain_until.isoformat() if info.retain_until else None,
                }
                listing.write(json.dumps(entry, ensure_ascii=False) + "\n")
                totals[area].objects += 1
                totals[area].bytes += size
        listing.flush()
        os.fsync(listing.fileno())
    return totals


def read_entries(folder: Path) -> Iterator[dict]:
    """The objects a backup holds, as written by dump_objects."""
    with (folder / OBJECTS_LIST).open(encoding="utf-8") as listing:
        for line in listing:
            if line.strip():
                yield json.loads(line)


def check_object_files(folder: Path, store: ObjectStore) -> None:
    """Stop before writing anything if an object file is missing, truncated or altered."""
    for entry in read_entries(folder):
        if entry["area"] not in store.areas:
            raise BackupError(
                f"Bản sao lưu có vùng lưu trữ “{entry['area']}” mà phiên bản phần mềm này "
                "không có; hãy khôi phục bằng phiên bản đã tạo bản sao lưu."
            )
        path = _object_path(folder, entry["area"], entry["key"])
        if (
            not path.is_file()
            or path.stat().st_size != entry["size"]
            or sha256_of(path) != entry["sha256"]
        ):
            raise BackupError(
                f"Bản sao lưu thiếu hoặc hỏng tệp {OBJECTS_DIR}/{entry['area']}/{entry['key']}; "
                "không khôi phục từ bản này."
            )


def store_is_empty(store: ObjectStore) -> dict[str, bool]:
    """For each area, whether it holds no object at all."""
    return {area: next(iter(store.list(area)), None) is None for area in store.areas}


def restore_objects(
    store: ObjectStore, folder: Path, wanted: set[tuple[str, str]]
) -> RestoreTotals:
    """Put back every object the restored database points to, checksum-verified and locked."""
    totals = RestoreTotals()
    soon = datetime.now(UTC) + RETENTION_MARGIN
    store.ensure_buckets()  # a new approved bucket is made with object lock before we ask
    can_lock = store.supports_object_lock
    for entry in read_entries(folder):
        area, key = entry["area"], entry["key"]
        if (area, key) not in wanted:
            # Written after the database snapshot (or an orphan already): nothing points to it.
            totals.skipped.append(f"{area}/{key}")
            continue
        retain = entry.get("retain_until")
        until = datetime.fromisoformat(retain) if retain else None
        if until is not None and (until <= soon or area not in store.locked_areas):
            until = None
        if until is not None and not can_lock:
            totals.unlocked.append(f"{area}/{key}")
            until = None
        with _object_path(folder, area, key).open("rb") as handle:
            store.put(
                area,
                key,
                handle,
                size=entry["size"],
                content_type=entry["content_type"],
                metadata=entry["metadata"],
                sha256=entry["sha256"],
                retain_until=until,
            )
        totals.restored += 1
        totals.bytes += entry["size"]
        totals.locked += until is not None
    return totals
