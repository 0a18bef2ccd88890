"""`flask registry check-storage`: missing, corrupt and orphan objects, exit status 1 when any."""

import io

import pytest

from registry.storage import StorageError
from tests import images
from tests.library.conftest import raw_delete, raw_overwrite


@pytest.fixture
def stocked(people, approve, make_submission):
    """An approved asset with a print file, plus a draft with its own upload."""
    asset = approve(print_file=images.pdf_bytes())
    draft = make_submission(people["designer_a"], artwork=images.png_bytes(640, 480))
    return asset, draft.versions[0]


def _check(runner, *args):
    return runner.invoke(args=["registry", "check-storage", *args])


def test_clean_store_exits_0(runner, stocked):
    result = _check(runner)
    assert result.exit_code == 0, result.output
    assert "kho lưu trữ khớp với cơ sở dữ liệu" in result.output
    # 2 versions × (original, preview, thumb) + 1 print file; approved copy + its print file
    # + the approval document.
    assert "tham chiếu 10 tệp (uploads: 7, approved: 3)" in result.output
    assert "trong kho có 10 tệp" in result.output


def test_missing_upload_is_reported(app, runner, stocked):
    _, version = stocked
    raw_delete(app, "uploads", version.storage_key)
    result = _check(runner)
    assert result.exit_code == 1
    assert f"THIẾU    uploads   {version.storage_key}" in result.output
    assert f"tệp gốc phiên bản v1 của hồ sơ #{version.submission_id}" in result.output
    assert "1 tệp thiếu, 0 tệp hỏng, 0 tệp thừa" in result.output


def test_missing_approved_copy_is_reported(app, runner, stocked):
    asset, _ = stocked
    raw_delete(app, "approved", asset.print_key)
    result = _check(runner, "--quick")
    assert result.exit_code == 1
    assert f"THIẾU    approved  {asset.print_key} — tệp in đã duyệt {asset.code}" in result.output


def test_overwritten_bytes_are_corrupt(app, runner, stocked):
    asset, version = stocked
    store = app.extensions["registry_store"]
    size = store.stat("uploads", version.storage_key).size
    raw_overwrite(app, "uploads", version.storage_key, b"\0" * size)  # same size, other bytes
    raw_overwrite(app, "uploads", version.thumb_key, b"not a webp")  # no checksum in the DB
    result = _check(runner)
    assert result.exit_code == 1
    assert f"HỎNG     uploads   {version.storage_key}" in result.output
    assert "mã SHA-256 không khớp với cơ sở dữ liệu" in result.output
    assert f"HỎNG     uploads   {version.thumb_key}" in result.output
    assert "2 tệp hỏng" in result.output
    # --quick reads no bytes: it sees missing files and wrong sizes, not changed contents.
    assert _check(runner, "--quick").exit_code == 0


def test_orphans_in_both_areas_are_reported(app, runner, stocked):
    store = app.extensions["registry_store"]
    store.put("uploads", "uploads/999/v1/stray.png", io.BytesIO(b"stray"))
    store.put("approved", "KL288-2026/30307/QLVH-2026-999999.png", io.BytesIO(b"stray"))
    result = _check(runner)
    assert result.exit_code == 1
    assert "THỪA     uploads   uploads/999/v1/stray.png" in result.output
    assert "THỪA     approved  KL288-2026/30307/QLVH-2026-999999.png" in result.output
    assert "0 tệp thiếu, 0 tệp hỏng, 2 tệp thừa" in result.output


def test_store_down_exits_1(app, runner, stocked, monkeypatch):
    store = app.extensions["registry_store"]

    def down(area, key):
        raise StorageError()

    monkeypatch.setattr(store, "stat", down)
    result = _check(runner, "--quick")
    assert result.exit_code == 1
    assert "LỖI ĐỌC" in result.output and "Kho lưu trữ tạm thời không phản hồi" in result.output


def test_an_altered_approval_document_is_reported_corrupt(app, runner, stocked):
    asset, _ = stocked
    raw_overwrite(app, "approved", asset.document_key, b"%PDF-1.4 altered")
    result = _check(runner)
    assert result.exit_code == 1
    assert f"HỎNG     approved  {asset.document_key}" in result.output
    assert f"giấy chấp thuận {asset.code}" in result.output


def test_verify_checks_one_asset_by_its_code(app, runner, stocked):
    asset, _ = stocked
    result = runner.invoke(args=["registry", "verify", asset.code.lower()])
    assert result.exit_code == 0, result.output
    assert f"ĐÚNG     bản đã duyệt {asset.code}" in result.output
    assert f"ĐÚNG     tệp in đã duyệt {asset.code}" in result.output
    assert "giấy chấp thuận: bản không ký số" in result.output  # no certificate configured
    assert f"Kết quả: mẫu {asset.code} khớp với hồ sơ lưu." in result.output
    if app.config["REGISTRY_STORAGE"] == "minio":  # the approved area is under object lock
        assert "giữ đến" in result.output


def test_verify_names_an_altered_file_and_an_unknown_code(app, runner, stocked):
    asset, _ = stocked
    size = app.extensions["registry_store"].stat("approved", asset.print_key).size
    raw_overwrite(app, "approved", asset.print_key, b"\0" * size)
    result = runner.invoke(args=["registry", "verify", asset.code])
    assert result.exit_code == 1
    assert f"tệp in đã duyệt {asset.code}: mã SHA-256 không khớp" in result.output
    assert "KHÔNG khớp với hồ sơ lưu" in result.output
    unknown = runner.invoke(args=["registry", "verify", "AG-0000-XYZ"])
    assert unknown.exit_code == 2 and "Không có mẫu đã duyệt nào mang mã" in unknown.output
