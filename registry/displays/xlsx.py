"""The coverage report as an XLSX workbook (openpyxl, write-only: rows are streamed out)."""

from __future__ import annotations

import io
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from registry.displays.report import MEASURES, REPORT_FORMATS, ReportRow
from registry.i18n import day
from registry.submissions.models import FORMATS

DISPLAY_HEADERS = (
    _l("Mã đơn vị"),
    _l("Đơn vị"),
    _l("Loại"),
    _l("Địa chỉ"),
    _l("Vĩ độ"),
    _l("Kinh độ"),
    _l("Số lượng"),
    _l("Từ ngày"),
    _l("Đến ngày"),
    _l("Tình trạng"),
    _l("Kiểm tra gần nhất"),
    _l("Mã phê duyệt"),
)


def coverage_workbook(
    title: str, start: date, end: date, rows: list[ReportRow], totals: ReportRow, displays
) -> bytes:
    """Sheet 1: one row per unit with counts per format, and a totals row; sheet 2: displays.

    Written in the reader's language (headers, sheet names, labels, dates)."""
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(_("Theo đơn vị"))
    bold = Font(bold=True)

    def strong(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    sheet.append([strong(_("Báo cáo kết quả cổ động trực quan: %(title)s", title=title))])
    sheet.append([_("Từ ngày %(start)s đến ngày %(end)s", start=day(start), end=day(end))])
    header = [_("Mã đơn vị"), _("Đơn vị")]
    for label in MEASURES.values():
        header += [f"{label} – {FORMATS[f]}" for f in REPORT_FORMATS]
        header.append(_("%(measure)s – tổng", measure=label))
    sheet.append([strong(h) for h in header])
    for row in rows:
        sheet.append([row.unit_code, row.unit_name, *_counts(row)])
    sheet.append([strong(""), strong(totals.unit_name), *(strong(v) for v in _counts(totals))])

    listing = wb.create_sheet(_("Danh sách điểm"))
    listing.append([strong(str(h)) for h in DISPLAY_HEADERS])
    for values in displays:
        listing.append(list(values))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _counts(row: ReportRow) -> list[int]:
    return [row.counts[m][f] for m in MEASURES for f in (*REPORT_FORMATS, "total")]
