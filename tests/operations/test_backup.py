"""`registry backup` and `registry restore`: every record and every file comes back."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from registry.extensions import db
from registry.library.models import ApprovedAsset
from tests.conftest import wipe_store
from tests.operations.conftest import initialise, populate

HEAD_LINE = "Khôi phục xong."


def run(app, *args):
    return app.test_cli_runner().invoke(args=["registry", *args])


def records(app) -> dict[str, list[tuple]]:
    """Every row of every table the database holds, in primary-key order."""
    with app.app_context():
        tables = sa.MetaData()
        tables.reflect(db.engine)
        with db.engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        sa.select(table).order_by(*(table.primary_key.columns or table.columns))
                    )
                ]
                for table in tables.sorted_tables
            }


def objects(app) -> dict[tuple[str, str], tuple]:
    """Every stored object with its size, checksum, type, metadata and retention."""
    store = app.extensions["registry_store"]
    found = {}
    with app.app_context():
        for area in store.areas:
            for listed in store.list(area):
                info = store.stat(area, listed.key)
                found[(area, info.key)] = (
                    info.size,
                    info.sha256,
                    info.content_type,
                    info.metadata,
                    info.retain_until,
                )
    return found


def wipe(app) -> None:
    """Lose everything: every table dropped, every object deleted past its retention."""
    with app.app_context():
        db.session.remove()
        tables = sa.MetaData()
        tables.reflect(db.engine)
        tables.drop_all(db.engine)
        db.engine.dispose()
    wipe_store(app)


def test_backup_wipe_restore_gives_back_every_record_and_file(make_instance, tmp_path):
    app = make_instance()
    initialise(app)
    populate(app)
    rows_before, objects_before = records(app), objects(app)
    assert len(rows_before["display_photos"]) == 1  # the site photo and its previews come back too

    result = run(app, "backup", str(tmp_path / "backup"))
    assert result.exit_code == 0, result.output
    assert "Đã sao lưu vào" in result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["tables"]["audit_events"] == len(rows_before["audit_events"])
    assert manifest["store"]["areas"]["approved"]["objects"] == 3  # artwork, print file, document

    wipe(app)
    assert objects(app) == {}
    result = run(app, "restore", str(tmp_path / "backup"))
    assert result.exit_code == 0, result.output
    assert "không có tệp thiếu, hỏng hay thừa" in result.output
    assert "3 tệp được khóa lưu trữ lại" in result.output

    assert records(app) == rows_before
    assert objects(app) == objects_before
    # Still locked: the restored approved copies resist deletion like the originals.
    with app.app_context():
        asset = db.session.scalar(sa.select(ApprovedAsset))
        store = app.extensions["registry_store"]
        assert store.stat("approved", asset.storage_key).retain_until > datetime.now(UTC)
        try:
            store.delete("approved", asset.storage_key)
        except Exception as error:  # noqa: BLE001
            assert "khóa lưu trữ" in str(error)
        else:
            raise AssertionError("a restored approved copy could be deleted under retention")
        assert store.exists("approved", asset.storage_key)
    assert run(app, "check-storage").exit_code == 0


def test_restore_into_another_instance_and_its_own_buckets(make_instance, tmp_path):
    source, target = make_instance(), make_instance()
    initialise(source)
    populate(source)
    assert run(source, "backup", str(tmp_path / "b")).exit_code == 0

    result = run(target, "restore", str(tmp_path / "b"))
    assert result.exit_code == 0, result.output
    assert records(target) == records(source)
    assert objects(target) == objects(source)


def test_an_older_backup_is_migrated_forward(make_instance, tmp_path):
    app = make_instance()
    initialise(app)
    # The head migration records displays on site: going below it drops them with their tables.
    populate(app, on_site=False)
    rows_at_head = records(app)
    with app.app_context():
        head = rows_at_head["alembic_version"][0][0]
        downgrade(revision="-1")  # the schema as the previous release left it
    older = records(app)["alembic_version"][0][0]
    assert older != head
    assert run(app, "backup", str(tmp_path / "old")).exit_code == 0
    assert json.loads((tmp_path / "old" / "manifest.json").read_text())["schema_revision"] == older

    # What the restore must give: the older data upgraded in place (a downgrade may drop what
    # the newest migration added, e.g. the approval document's counters).
    with app.app_context():
        upgrade()
    upgraded = records(app)
    assert upgraded["audit_events"] == rows_at_head["audit_events"]
    assert upgraded["submissions"] == rows_at_head["submissions"]

    wipe(app)
    result = run(app, "restore", str(tmp_path / "old"))
    assert result.exit_code == 0, result.output
    assert f"nâng lược đồ từ {older} lên {head}" in result.output
    assert records(app) == upgraded


def test_a_backup_of_a_newer_schema_is_refused(make_instance, tmp_path):
    source, target = make_instance(), make_instance()
    initialise(source)
    populate(source)
    with source.app_context():
        db.session.execute(sa.text("UPDATE alembic_version SET version_num = 'f0f0f0f0f0f0'"))
        db.session.commit()
    assert run(source, "backup", str(tmp_path / "newer")).exit_code == 0

    result = run(target, "restore", str(tmp_path / "newer"))
    assert result.exit_code == 1
    assert "lược đồ cơ sở dữ liệu f0f0f0f0f0f0, mới hơn phiên bản phần mềm" in result.output
    assert records(target) == {}
    assert objects(target) == {}


def test_restore_refuses_an_instance_that_holds_data(make_instance, tmp_path):
    source, target = make_instance(), make_instance()
    initialise(source)
    populate(source)
    assert run(source, "backup", str(tmp_path / "b")).exit_code == 0
    initialise(target)  # `registry init` loads the reference data: no longer empty
    before = records(target)

    result = run(target, "restore", str(tmp_path / "b"))
    assert result.exit_code == 1
    assert "Chỉ khôi phục vào một hệ thống trống" in result.output
    assert "bảng units có" in result.output
    assert records(target) == before
    assert objects(target) == {}


def test_a_damaged_backup_is_refused_before_anything_is_written(make_instance, tmp_path):
    source, target = make_instance(), make_instance()
    initialise(source)
    populate(source)
    assert run(source, "backup", str(tmp_path / "b")).exit_code == 0
    entry = json.loads((tmp_path / "b" / "objects.jsonl").read_text().splitlines()[0])
    damaged = tmp_path / "b" / "objects" / entry["area"] / entry["key"]
    damaged.write_bytes(b"\0" * entry["size"])  # same size, other bytes

    result = run(target, "restore", str(tmp_path / "b"))
    assert result.exit_code == 1
    assert f"hỏng tệp objects/{entry['area']}/{entry['key']}" in result.output
    assert records(target) == {}
    assert objects(target) == {}


def test_backup_refuses_a_folder_that_is_not_empty(make_instance, tmp_path):
    app = make_instance()
    initialise(app)
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("giữ nguyên")
    result = run(app, "backup", str(tmp_path / "used"))
    assert result.exit_code == 1
    assert "đã tồn tại và không trống" in result.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".used")) == []
    assert [p.name for p in (tmp_path / "used").iterdir()] == ["keep.txt"]


def test_an_unfinished_backup_folder_is_not_restored(make_instance, tmp_path):
    app = make_instance()
    Path(tmp_path / "half").mkdir()
    result = run(app, "restore", str(tmp_path / "half"))
    assert result.exit_code == 1
    assert "thiếu tệp manifest.json" in result.output
