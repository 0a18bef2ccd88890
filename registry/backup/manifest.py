"""The manifest of a backup folder, and the file checksums it vouches for."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from registry.backup.errors import BackupError

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """Return the SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Write manifest.json last and durably: its presence marks a finished backup."""
    path = folder / MANIFEST
    with path.open("w", encoding="utf-8") as handle:
        json.dump({"format": FORMAT, **manifest}, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_manifest(folder: Path) -> dict[str, Any]:
    """Read and check a backup folder's manifest."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(
            f"{folder} không phải là bản sao lưu hoàn chỉnh: thiếu tệp {MANIFEST} "
            "(bản sao lưu bị ngắt giữa chừng, hoặc chọn nhầm thư mục)."
        )
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"Không đọc được {path}: {error}.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"Bản sao lưu có định dạng {manifest.get('format')!r}; phiên bản phần mềm này "
            f"chỉ đọc định dạng {FORMAT}."
        )
    return manifest


def check_file(folder: Path, name: str, expected_sha256: str) -> Path:
    """Return folder/name if its bytes match the manifest, or stop: the backup is damaged."""
    path = folder / name
    if not path.is_file():
        raise BackupError(f"Bản sao lưu thiếu tệp {name}; không khôi phục từ bản này.")
    if sha256_of(path) != expected_sha256:
        raise BackupError(
            f"Tệp {name} của bản sao lưu đã bị thay đổi hoặc hỏng (mã SHA-256 không khớp "
            "với manifest.json); không khôi phục từ bản này."
        )
    return path
