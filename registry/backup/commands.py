"""The backup and restore commands: what runs in which order, and what the operator is told."""

from __future__ import annotations

import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from registry.backup.database import dump_database, filled_tables, restore_database
from registry.backup.errors import BackupError
from registry.backup.manifest import check_file, read_manifest, sha256_of, write_manifest
from registry.backup.objects import (
    OBJECTS_LIST,
    check_object_files,
    dump_objects,
    restore_objects,
    store_is_empty,
)
from registry.db import utcnow
from registry.extensions import db
from registry.storage import StorageError
from registry.storage.consistency import check_store, expected_objects, format_report
from registry.storage.service import get_store


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def take_backup(dest: Path, echo=click.echo) -> dict:
    """Write a backup of the database and every stored object into the new folder dest."""
    dest = dest.resolve()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest} đã tồn tại và không trống: hãy chọn một thư mục mới.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Written beside dest and renamed at the end: a folder named dest is always complete.
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=dest.parent))
    try:
        store = get_store()
        # The database first, then the objects: every object a row of the snapshot points to
        # was written before that row, and the registry never rewrites an object.
        dump = dump_database(db.engine, work)
        if dump.revision is None:
            raise BackupError(
                "Cơ sở dữ liệu chưa có phiên bản lược đồ (bảng alembic_version): hãy chạy "
                "`flask --app wsgi db upgrade` trước khi sao lưu."
            )
        areas = dump_objects(store, work, lambda line: echo(line, err=True))
        manifest = {
            "created_at": utcnow().isoformat(),
            "registry_version": _version(),
            "schema_revision": dump.revision,
            "database": {
                "dialect": dump.dialect,
                "file": dump.file,
                "sha256": sha256_of(work / dump.file),
                "bytes": (work / dump.file).stat().st_size,
                "server_version": dump.server_version,
                "tool": dump.tool,
            },
            "tables": dump.tables,
            "store": {
                "kind": type(store).__name__,
                "areas": {a: vars(t) for a, t in areas.items()},
            },
            "objects": {"file": OBJECTS_LIST, "sha256": sha256_of(work / OBJECTS_LIST)},
        }
        write_manifest(work, manifest)
        if dest.exists():
            dest.rmdir()
        work.rename(dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _version() -> str:
    try:
        return metadata.version("registry")
    except metadata.PackageNotFoundError:
        return "unknown"


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def check_revision(revision: str) -> str:
    """Return the code's head revision; stop if the backup's schema is newer than the code."""
    script = _script()
    head = script.get_current_head()
    known = {rev.revision for rev in script.walk_revisions()}
    if revision not in known:
        raise BackupError(
            f"Bản sao lưu có lược đồ cơ sở dữ liệu {revision}, mới hơn phiên bản phần mềm "
            f"này (lược đồ mới nhất mà nó biết là {head}). Hãy cài phiên bản phần mềm đã tạo "
            "bản sao lưu (hoặc mới hơn) rồi khôi phục."
        )
    return head


def restore_backup(src: Path, echo=click.echo, *, quick: bool = False):
    """Restore a backup into this empty instance, migrate it forward and check the store."""
    manifest = read_manifest(src)
    revision = manifest["schema_revision"]
    head = check_revision(revision)
    database = manifest["database"]
    dump_file = check_file(src, database["file"], database["sha256"])
    check_file(src, manifest["objects"]["file"], manifest["objects"]["sha256"])
    store = get_store()
    check_object_files(src, store)
    filled = filled_tables(db.engine)
    occupied = [area for area, empty in store_is_empty(store).items() if not empty]
    if filled or occupied:
        what = [f"bảng {name} có {n} dòng" for name, n in sorted(filled.items())]
        what += [f"vùng lưu trữ {area} có tệp" for area in occupied]
        raise BackupError(
            "Chỉ khôi phục vào một hệ thống trống, để không trộn lẫn hai bộ dữ liệu: "
            + "; ".join(what)
            + ". Hãy tạo cơ sở dữ liệu và kho lưu trữ mới (không chạy `registry init`) rồi "
            "khôi phục lại."
        )
    echo(f"Đang khôi phục cơ sở dữ liệu ({database['dialect']}, lược đồ {revision})…")
    db.session.remove()
    restore_database(db.engine, dump_file, {**database, "tables": manifest["tables"]})
    if revision != head:
        echo(f"Đang nâng lược đồ từ {revision} lên {head}…")
        upgrade()
    db.session.remove()
    echo("Đang khôi phục các tệp…")
    try:
        totals = restore_objects(store, src, set(expected_objects()))
    except StorageError as error:
        raise BackupError(
            f"Khôi phục tệp bị gián đoạn: {error.message} Hệ thống đích mới được khôi phục một "
            "phần: hãy làm trống cơ sở dữ liệu và kho lưu trữ rồi chạy lại lệnh."
        ) from error
    echo(
        f"Đã khôi phục {totals.restored} tệp ({_megabytes(totals.bytes)}), "
        f"{totals.locked} tệp được khóa lưu trữ lại."
    )
    if totals.skipped:
        echo(
            f"Bỏ qua {len(totals.skipped)} tệp trong bản sao lưu mà không bản ghi nào trỏ tới "
            f"(ghi sau thời điểm chụp cơ sở dữ liệu), ví dụ {totals.skipped[0]}."
        )
    if totals.unlocked:
        echo(
            f"Cảnh báo: kho đích không hỗ trợ khóa lưu trữ; {len(totals.unlocked)} tệp đã "
            "duyệt được khôi phục nhưng không bị khóa.",
            err=True,
        )
    report = check_store(store, quick=quick)
    return report


def _fail(error: BackupError) -> None:
    click.echo(error.message, err=True)
    sys.exit(1)


@click.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(dest: Path) -> None:
    """Back up the database and every stored object into the new folder DEST."""
    try:
        manifest = take_backup(dest)
    except BackupError as error:
        _fail(error)
        return
    rows = sum(manifest["tables"].values())
    areas = manifest["store"]["areas"]
    files = sum(a["objects"] for a in areas.values())
    size = sum(a["bytes"] for a in areas.values()) + manifest["database"]["bytes"]
    per_area = ", ".join(f"{area}: {a['objects']}" for area, a in areas.items())
    click.echo(
        f"Đã sao lưu vào {dest}: cơ sở dữ liệu (lược đồ {manifest['schema_revision']}, "
        f"{len(manifest['tables'])} bảng, {rows} dòng) và {files} tệp ({per_area}); "
        f"tổng {_megabytes(size)}."
    )


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--quick", is_flag=True, help="Kiểm tra cuối chỉ xem tệp có đủ và đúng kích thước.")
@with_appcontext
def restore_command(src: Path, quick: bool) -> None:
    """Restore the backup SRC into this empty instance and check the store against it."""
    try:
        report = restore_backup(src, quick=quick)
    except BackupError as error:
        _fail(error)
        return
    for line in format_report(report):
        click.echo(line)
    if not report.is_clean:
        sys.exit(1)
    click.echo("Khôi phục xong.")
