"""`flask registry check-storage`: does the store hold exactly what the database points at?

Every object a row points to must exist with the recorded size and SHA-256 (missing, corrupt);
every object in the store must be pointed to by a row (orphan). Previews and thumbnails have
no checksum in the database: they are checked against the SHA-256 the store recorded. A signed
approval document whose bytes are intact must still carry a signature that validates against
the Department's certificate (else it is reported corrupt).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from registry.documents.issue import document_state
from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.storage import ObjectNotFound, ObjectStore, StorageError
from registry.storage.service import get_store
from registry.submissions.models import ArtworkVersion

KIND_LABELS = {"missing": "THIẾU", "corrupt": "HỎNG", "orphan": "THỪA", "error": "LỖI ĐỌC"}


@dataclass(frozen=True)
class Expected:
    """An object some row points to, with what the database knows of it."""

    area: str
    key: str
    owner: str
    size: int | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class Problem:
    kind: str  # missing, corrupt, orphan, error
    area: str
    key: str
    detail: str


@dataclass
class Report:
    expected: dict[str, int] = field(default_factory=dict)
    stored: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.problems

    def count(self, kind: str) -> int:
        return sum(1 for p in self.problems if p.kind == kind)


def expected_objects() -> dict[tuple[str, str], Expected]:
    """Every object the database points to, keyed by (area, key)."""
    found: dict[tuple[str, str], Expected] = {}

    def add(item: Expected) -> None:
        # Previews and thumbnails are shared by identical uploads: the first owner names them.
        found.setdefault((item.area, item.key), item)

    v = ArtworkVersion
    rows = db.session.execute(
        sa.select(
            v.submission_id,
            v.number,
            v.storage_key,
            v.size_bytes,
            v.sha256,
            v.preview_key,
            v.thumb_key,
            v.renditions_state,
            v.print_key,
            v.print_size_bytes,
            v.print_sha256,
            v.tiles_key,
        ).order_by(v.id)
    )
    for row in rows:
        name = f"phiên bản v{row.number} của hồ sơ #{row.submission_id}"
        if row.tiles_key:  # its tiles, under the same name without .dzi, go with it
            add(Expected("uploads", row.tiles_key, f"ảnh phóng to nhiều mức {name}"))
        add(Expected("uploads", row.storage_key, f"tệp gốc {name}", row.size_bytes, row.sha256))
        if row.renditions_state == "ready":  # else the worker has not stored them (yet)
            add(Expected("uploads", row.preview_key, f"ảnh xem trước {name}"))
            add(Expected("uploads", row.thumb_key, f"ảnh thu nhỏ {name}"))
        if row.print_key:
            add(
                Expected(
                    "uploads",
                    row.print_key,
                    f"tệp in {name}",
                    row.print_size_bytes,
                    row.print_sha256,
                )
            )
    for row in db.session.execute(_approved_rows()):
        for item in _approved_objects(row):
            add(item)
    from registry.displays.photos import expected_photo_objects

    for area, key, owner, size, sha256 in expected_photo_objects():
        add(Expected(area, key, owner, size, sha256))
    return found


def _approved_rows() -> sa.Select:
    """What the store must hold for each approved asset: its copy, print file and document."""
    a, v = ApprovedAsset, ArtworkVersion
    return (
        sa.select(
            a.code,
            a.storage_key,
            a.size_bytes,
            a.sha256,
            a.print_key,
            a.print_sha256,
            v.print_size_bytes,
            a.document_key,
            a.document_sha256,
            a.document_size_bytes,
        )
        .join(v, a.version_id == v.id)
        .order_by(a.id)
    )


def _approved_objects(row) -> list[Expected]:
    items = [
        Expected(
            "approved", row.storage_key, f"bản đã duyệt {row.code}", row.size_bytes, row.sha256
        )
    ]
    if row.print_key:
        owner = f"tệp in đã duyệt {row.code}"
        items.append(
            Expected("approved", row.print_key, owner, row.print_size_bytes, row.print_sha256)
        )
    if row.document_key:
        owner = f"giấy chấp thuận {row.code}"
        items.append(
            Expected(
                "approved", row.document_key, owner, row.document_size_bytes, row.document_sha256
            )
        )
    return items


def _check(store: ObjectStore, item: Expected, quick: bool) -> Problem | None:
    try:
        info = store.stat(item.area, item.key)
    except ObjectNotFound:
        return Problem("missing", item.area, item.key, f"{item.owner}: không có trong kho")
    if item.size is not None and info.size != item.size:
        return Problem(
            "corrupt",
            item.area,
            item.key,
            f"{item.owner}: kích thước {info.size} byte, cơ sở dữ liệu ghi {item.size} byte",
        )
    expected = item.sha256 or info.sha256
    if quick or not expected:
        return None
    if not store.checksum_matches(item.area, item.key, expected):
        source = "cơ sở dữ liệu" if item.sha256 else "kho lưu trữ"
        return Problem(
            "corrupt", item.area, item.key, f"{item.owner}: mã SHA-256 không khớp với {source}"
        )
    return None


def check_store(store: ObjectStore, *, quick: bool = False) -> Report:
    """Check every object the database knows, then look for objects nobody points to."""
    report = Report()
    expected = expected_objects()
    for area in store.areas:
        report.expected[area] = sum(1 for a, _ in expected if a == area)
    for item in expected.values():
        try:
            problem = _check(store, item, quick)
        except StorageError as error:
            problem = Problem("error", item.area, item.key, f"{item.owner}: {error}")
        if problem:
            report.problems.append(problem)
    if not quick:
        report.problems.extend(_signature_problems(report.problems))
    pyramids = {key.removesuffix(".dzi") for a, key in expected if key.endswith(".dzi")}
    for area in store.areas:
        report.stored[area] = 0
        for info in store.list(area):
            report.stored[area] += 1
            if area == "uploads" and info.key.rsplit("/", 2)[0] in pyramids:
                continue  # a tile of a pyramid some version names
            if (area, info.key) not in expected:
                detail = "không có bản ghi nào trong cơ sở dữ liệu trỏ tới"
                report.problems.append(Problem("orphan", area, info.key, detail))
    return report


def _signature_problems(found: list[Problem]) -> list[Problem]:
    """Signed approval documents, intact by their hash, whose signature no longer validates."""
    reported = {(p.area, p.key) for p in found}
    problems = []
    signed = (
        sa.select(ApprovedAsset).where(ApprovedAsset.document_signed).order_by(ApprovedAsset.id)
    )
    for asset in db.session.scalars(signed):
        if ("approved", asset.document_key) in reported:
            continue
        try:
            state = document_state(asset)
        except StorageError as error:
            problems.append(Problem("error", "approved", asset.document_key, str(error)))
            continue
        if state != "valid":
            detail = (
                f"giấy chấp thuận {asset.code}: chữ ký số không hợp lệ (không do chứng thư số "
                "nào Sở đã dùng ký, xem REGISTRY_SIGNING_TRUST_ROOTS)"
            )
            problems.append(Problem("corrupt", "approved", asset.document_key, detail))
    return problems


def _counts(numbers: dict[str, int]) -> str:
    total = sum(numbers.values())
    return f"{total} tệp (" + ", ".join(f"{area}: {n}" for area, n in numbers.items()) + ")"


def format_report(report: Report) -> list[str]:
    """The report as lines of Vietnamese text."""
    lines = [
        f"Cơ sở dữ liệu tham chiếu {_counts(report.expected)}; "
        f"trong kho có {_counts(report.stored)}."
    ]
    for p in report.problems:
        lines.append(f"{KIND_LABELS[p.kind]:<8} {p.area:<9} {p.key} — {p.detail}")
    if report.is_clean:
        lines.append(
            "Kết quả: kho lưu trữ khớp với cơ sở dữ liệu, không có tệp thiếu, hỏng hay thừa."
        )
    else:
        lines.append(
            f"Kết quả: {report.count('missing')} tệp thiếu, {report.count('corrupt')} tệp hỏng, "
            f"{report.count('orphan')} tệp thừa, {report.count('error')} lỗi đọc."
        )
        if report.count("orphan"):
            lines.append(
                "Lưu ý: tệp vừa được tải lên trong lúc kiểm tra có thể hiện là tệp thừa; "
                "hãy chạy lại lệnh để xác nhận."
            )
    return lines


@click.command("check-storage")
@click.option(
    "--quick", is_flag=True, help="Chỉ kiểm tra sự tồn tại và kích thước, không đọc lại nội dung."
)
@with_appcontext
def check_storage_command(quick: bool) -> None:
    """Check every stored object against the database: missing, corrupt and orphan files."""
    click.echo("Đang kiểm tra kho lưu trữ…")
    try:
        report = check_store(get_store(), quick=quick)
    except StorageError as error:
        click.echo(f"Không kiểm tra được kho lưu trữ: {error}", err=True)
        sys.exit(1)
    for line in format_report(report):
        click.echo(line)
    if not report.is_clean:
        sys.exit(1)


SIGNATURE_WORDS = {
    "valid": "chữ ký số hợp lệ",
    "unsigned": "bản không ký số",
    "invalid": "chữ ký số KHÔNG hợp lệ",
    "altered": "nội dung đã bị thay đổi",
}


@click.command("verify")
@click.argument("code")
@with_appcontext
def verify_command(code: str) -> None:
    """Check one approved asset by its code: its files whole and retained, its document signed."""
    asset = db.session.scalar(
        sa.select(ApprovedAsset).where(ApprovedAsset.code == code.strip().upper())
    )
    if asset is None:
        click.echo(f"Không có mẫu đã duyệt nào mang mã {code}.", err=True)
        sys.exit(2)
    store, failed = get_store(), False
    row = db.session.execute(_approved_rows().where(ApprovedAsset.id == asset.id)).one()
    for item in _approved_objects(row):
        try:
            problem = _check(store, item, quick=False)
            info = None if problem else store.stat(item.area, item.key)
        except StorageError as error:
            problem = Problem("error", item.area, item.key, f"{item.owner}: {error}")
        if problem:
            failed = True
            click.echo(f"{KIND_LABELS[problem.kind]:<8} {problem.detail}")
            continue
        kept = f", giữ đến {info.retain_until:%d/%m/%Y}" if info.retain_until else ""
        click.echo(f"ĐÚNG     {item.owner}: {info.size} byte, SHA-256 khớp{kept}")
    if asset.document_key and not failed:
        state = document_state(asset)
        failed = asset.document_signed and state != "valid"
        click.echo(
            f"{'ĐÚNG' if not failed else 'HỎNG':<8} giấy chấp thuận: {SIGNATURE_WORDS[state]}"
        )
    click.echo(
        f"Kết quả: mẫu {asset.code} "
        + ("KHÔNG khớp với hồ sơ lưu." if failed else "khớp với hồ sơ lưu.")
    )
    if failed:
        sys.exit(1)
