"""Text carried by a print file's own text layer (PDF, SVG): exact characters, no OCR."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from defusedxml.ElementTree import iterparse
from flask_babel import gettext as _

from registry.textcheck.vietnamese import nfc

log = logging.getLogger(__name__)

#: Pages of a PDF and bytes of an SVG read for text; a print file is one design.
MAX_PDF_PAGES = 3
MAX_SVG_BYTES = 64 << 20


def extract(path: str | Path, kind: str) -> tuple[list[str], str | None]:
    """Lines of text of the print file, and a note when they could not be read."""
    try:
        if kind == "pdf":
            return _pdf_lines(path), None
        if kind == "svg":
            if Path(path).stat().st_size > MAX_SVG_BYTES:
                return [], _(
                    "Tệp SVG lớn hơn %(mb)d MB: không đọc lớp chữ.", mb=MAX_SVG_BYTES >> 20
                )
            return _svg_lines(path), None
    except Exception as error:  # a print file is the designer's, not ours: never fail the job
        log.warning("text layer of %s unreadable: %s", path, error)
        return [], _("Không đọc được lớp chữ của tệp in (tệp hỏng hoặc định dạng lạ).")
    return [], None


def _clean(lines) -> list[str]:
    out = []
    for line in lines:
        text = " ".join(nfc(line).split())
        if text:
            out.append(text)
    return out


def _pdf_lines(path) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    lines: list[str] = []
    for page in reader.pages[:MAX_PDF_PAGES]:
        lines.extend((page.extract_text() or "").splitlines())
    return _clean(lines)


_TAG = re.compile(r"^(\{[^}]*\})?")


def _svg_lines(path) -> list[str]:
    """Each <text> element's characters (with its <tspan>s) as one line."""
    lines = []
    # defusedxml refuses entities and external references; iterparse keeps memory to one
    # element at a time.
    for _event, element in iterparse(str(path), events=("end",)):
        if _TAG.sub("", element.tag) == "text":
            lines.append("".join(element.itertext()))
            element.clear()
    return _clean(lines)
