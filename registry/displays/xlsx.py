"""The coverage report as an XLSX workbook (openpyxl, write-only: rows are streamed out)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from registry.displays.report import MEASURES, REPORT_FORMATS, ReportRow
from registry.submissions.models import FORMATS

DISPLAY_HEADERS = (
    "Mã đơn vị",
    "Đơn vị",
    "Loại",
    "Địa chỉ",
    "Vĩ độ",
    "Kinh độ",
    "Số lượng",
    "Từ ngày",
    "Đến ngày",
    "Tình trạng",
    "Kiểm tra gần nhất",
    "Mã phê duyệt",
)


def coverage_workbook(
    title: str, start: date, end: date, rows: list[ReportRow], totals: ReportRow, displays
) -> bytes:
    """Sheet 1: one row per unit with counts per format, and a totals row; sheet 2: displays."""
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("Theo đơn vị")
    bold = Font(bold=True)

    def strong(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    sheet.append([strong(f"Báo cáo kết quả cổ động trực quan: {title}")])
    sheet.append([f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"])
    header = ["Mã đơn vị", "Đơn vị"]
    for label in MEASURES.values():
        header += [f"{label} – {FORMATS[f]}" for f in REPORT_FORMATS] + [f"{label} – tổng"]
    sheet.append([strong(h) for h in header])
    for row in rows:
        sheet.append([row.unit_code, row.unit_name, *_counts(row)])
    sheet.append([strong(""), strong(totals.unit_name), *(strong(v) for v in _counts(totals))])

    listing = wb.create_sheet("Danh sách điểm")
    listing.append([strong(h) for h in DISPLAY_HEADERS])
    for values in displays:
        listing.append(list(values))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _counts(row: ReportRow) -> list[int]:
    return [row.counts[m][f] for m in MEASURES for f in (*REPORT_FORMATS, "total")]
