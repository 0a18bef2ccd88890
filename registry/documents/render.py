"""Lay out the approval document (Nghị định 30/2020/NĐ-CP, Phụ lục I) with ReportLab.

The template is this module's layout and the REGISTRY_DOCUMENT_* settings; render() takes
plain facts and returns PDF bytes with the serif family embedded (full Vietnamese coverage),
and where the signature goes, for a signing step to place its visible signature.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image as PILImage
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

UNSIGNED_NOTE = "Bản không ký số"
# Every letter Vietnamese adds to the Latin alphabet, in both cases: a font missing any of them
# would print blanks (Liberation 1.x lacks the ones with two marks).
VIETNAMESE = (
    "ĂÂĐÊÔƠƯăâđêôơư"
    "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
    "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
)
MARGINS = {"top": 20 * mm, "bottom": 20 * mm, "left": 30 * mm, "right": 15 * mm}
SIGNATURE_BOX = (75 * mm, 24 * mm)  # width, height of the signature space


@dataclass
class Placement:
    address: str
    unit: str
    lat: float
    lon: float
    display_from: date
    display_to: date
    quantity: int = 1


@dataclass
class Facts:
    """What the document states; settings come from the app's REGISTRY_DOCUMENT_* keys."""

    number_label: str
    issued_on: date
    code: str
    unit: str
    campaign: str
    legal_basis: list[str]
    format_label: str
    size_label: str
    slogans: list[str]
    placements: list[Placement]
    valid_from: date
    valid_to: date | None
    signer_name: str
    signer_title: str
    verify_url: str
    artwork_jpeg: bytes | None = None
    recipients: list[str] = field(default_factory=list)
    signed: bool = False
    # When signed: the signing time, printed in the signature space (ISO 8601 with zone).
    signed_at: datetime | None = None


@dataclass
class Rendered:
    pdf: bytes
    # Where the signature space lies: page index (0-based) and the box (x1, y1, x2, y2) in pt.
    signature_page: int
    signature_box: tuple[float, float, float, float]


class _SignatureSpace(Flowable):
    """An empty box that remembers where it was drawn, for the visible signature."""

    def __init__(self, width: float, height: float, lines: list[str], style: ParagraphStyle):
        super().__init__()
        self.width, self.height = width, height
        self.lines, self.style = lines, style
        self.where: tuple[int, tuple[float, float, float, float]] | None = None

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        x, y = self.canv.absolutePosition(0, 0)
        self.where = (self.canv.getPageNumber() - 1, (x, y, x + self.width, y + self.height))
        self.canv.setFont(self.style.fontName, 10)
        self.canv.setFillColor(colors.HexColor("#1d3f8f"))
        top = self.height / 2 + 6 * (len(self.lines) - 1) - 3
        for i, line in enumerate(self.lines):
            self.canv.drawCentredString(self.width / 2, top - 12 * i, line)


def register_fonts(font_dir: str, family: str) -> str:
    """Register the family's four faces once; return its regular face's name."""
    if family in pdfmetrics.getRegisteredFontNames():
        return family
    faces = {
        family: "Regular",
        f"{family}-Bold": "Bold",
        f"{family}-Italic": "Italic",
        f"{family}-BoldItalic": "BoldItalic",
    }
    for name, face in faces.items():
        path = Path(font_dir) / f"{family}-{face}.ttf"
        if not path.is_file():
            raise RuntimeError(
                f"Thiếu phông chữ {path} (cài gói fonts-liberation2 hoặc đặt "
                "REGISTRY_DOCUMENT_FONT_DIR)."
            )
        font = TTFont(name, str(path))
        missing = [c for c in VIETNAMESE if ord(c) not in font.face.charToGlyph]
        if missing:
            raise RuntimeError(
                f"Phông chữ {path} thiếu các chữ tiếng Việt: {''.join(missing)} "
                "(dùng Liberation Serif 2 — gói fonts-liberation2 — hoặc Tinos)."
            )
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(
        family,
        normal=family,
        bold=f"{family}-Bold",
        italic=f"{family}-Italic",
        boldItalic=f"{family}-BoldItalic",
    )
    return family


def _day(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=13, leading=17)
    return {
        "centre": ParagraphStyle("centre", base, alignment=TA_CENTER, fontSize=13, leading=16),
        "centre12": ParagraphStyle("centre12", base, alignment=TA_CENTER, fontSize=12, leading=15),
        "body": ParagraphStyle(
            "body", base, alignment=TA_JUSTIFY, firstLineIndent=1 * 28.35, spaceAfter=6
        ),
        "item": ParagraphStyle("item", base, alignment=TA_JUSTIFY, spaceAfter=4),
        "small": ParagraphStyle("small", base, fontSize=11, leading=13, alignment=TA_LEFT),
        "cell": ParagraphStyle("cell", base, fontSize=11, leading=13),
        "recipients": ParagraphStyle("recipients", base, fontSize=12, leading=14),
    }


def _qr(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def render(facts: Facts, settings: dict) -> Rendered:
    font = register_fonts(
        settings["REGISTRY_DOCUMENT_FONT_DIR"], settings["REGISTRY_DOCUMENT_FONT"]
    )
    st = _styles(font)
    width = A4[0] - MARGINS["left"] - MARGINS["right"]
    story: list = []

    # Header: issuing body on the left, national heading and motto on the right.
    left_col = width * 0.42
    right_col = width - left_col
    header = Table(
        [
            [
                Paragraph(escape(settings["REGISTRY_DOCUMENT_PARENT_BODY"]), st["centre12"]),
                Paragraph("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", st["centre12"]),
            ],
            [
                Paragraph(
                    f"<b>{escape(settings['REGISTRY_DOCUMENT_ISSUING_BODY'])}</b>", st["centre12"]
                ),
                Paragraph("<b>Độc lập - Tự do - Hạnh phúc</b>", st["centre"]),
            ],
            [
                HRFlowable(width="45%", thickness=0.7, color=colors.black, spaceBefore=3),
                HRFlowable(width="68%", thickness=0.7, color=colors.black, spaceBefore=3),
            ],
            [
                Paragraph(f"Số: {escape(facts.number_label)}", st["centre"]),
                Paragraph(
                    f"<i>{escape(settings['REGISTRY_DOCUMENT_PLACE'])}, ngày "
                    f"{facts.issued_on:%d} tháng {facts.issued_on:%m} năm {facts.issued_on:%Y}</i>",
                    st["centre"],
                ),
            ],
        ],
        colWidths=[left_col, right_col],
    )
    header.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 3), (-1, 3), 6),
            ]
        )
    )
    story += [header, Spacer(1, 6 * mm)]

    # Type and subject.
    story += [
        Paragraph(
            "<b>GIẤY CHẤP THUẬN</b>", ParagraphStyle("t", st["centre"], fontSize=14, leading=18)
        ),
        Paragraph(
            "<b>Nội dung mẫu tranh cổ động trực quan</b>",
            ParagraphStyle("s", st["centre"], fontSize=14, leading=18),
        ),
        HRFlowable(width="25%", thickness=0.7, color=colors.black, spaceBefore=5, spaceAfter=8),
    ]

    # Legal basis, one per line.
    for line in facts.legal_basis:
        story.append(Paragraph(f"<i>{escape(line)}</i>", st["body"]))
    story.append(
        Paragraph(
            f"Xét hồ sơ đề nghị của {escape(facts.unit)} và kết quả thẩm định của "
            f"{escape(settings['REGISTRY_DOCUMENT_DIVISION'])},",
            st["body"],
        )
    )
    story.append(
        Paragraph(
            f"{escape(settings['REGISTRY_DOCUMENT_ISSUING_BODY'].capitalize())} chấp thuận "
            "nội dung mẫu tranh cổ động trực quan sau:",
            st["body"],
        )
    )

    period = f"từ {_day(facts.valid_from)}" + (
        f" đến {_day(facts.valid_to)}" if facts.valid_to else " (không thời hạn)"
    )
    items = [
        f"1. Đơn vị đề nghị: {escape(facts.unit)}.",
        f"2. Đợt tuyên truyền: {escape(facts.campaign)}.",
        f"3. Loại, kích thước: {escape(facts.format_label)}, {escape(facts.size_label)}.",
        "4. Khẩu hiệu: " + ("; ".join(f"“{escape(s)}”" for s in facts.slogans) or "không có") + ".",
        f"5. Mã phê duyệt: <b>{escape(facts.code)}</b>; thời hạn sử dụng {period}.",
        "6. Mẫu được chấp thuận:",
    ]
    story += [Paragraph(text, st["item"]) for text in items]
    if facts.artwork_jpeg:
        reader = ImageReader(io.BytesIO(facts.artwork_jpeg))
        iw, ih = reader.getSize()
        scale = min(width * 0.8 / iw, 55 * mm / ih)
        story.append(Image(io.BytesIO(facts.artwork_jpeg), width=iw * scale, height=ih * scale))
        story.append(Spacer(1, 3 * mm))

    story.append(Paragraph("7. Vị trí, thời gian trưng bày:", st["item"]))
    if facts.placements:
        rows = [
            [Paragraph(f"<b>{h}</b>", st["cell"]) for h in ("TT", "Địa chỉ", "Tọa độ", "Thời gian")]
        ]
        for i, p in enumerate(facts.placements, 1):
            rows.append(
                [
                    Paragraph(str(i), st["cell"]),
                    Paragraph(
                        f"{escape(p.address)}, {escape(p.unit)} (số lượng {p.quantity})", st["cell"]
                    ),
                    Paragraph(f"{p.lat:.5f}, {p.lon:.5f}", st["cell"]),
                    Paragraph(f"{_day(p.display_from)} – {_day(p.display_to)}", st["cell"]),
                ]
            )
        table = Table(
            rows,
            colWidths=[11 * mm, width - 11 * mm - 38 * mm - 45 * mm, 38 * mm, 45 * mm],
            repeatRows=1,
        )
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [table, Spacer(1, 3 * mm)]
    else:
        story.append(
            Paragraph("Mẫu dùng chung toàn tỉnh, không gắn với vị trí cụ thể.", st["item"])
        )

    story.append(
        Paragraph(
            "8. Điều kiện: đơn vị chỉ in, treo đúng mẫu, đúng vị trí và thời gian nêu trên; không "
            "thay đổi nội dung, hình ảnh; tháo dỡ khi hết thời hạn. Giấy chấp thuận hết hiệu lực "
            "khi mẫu bị thu hồi; tình trạng hiệu lực tra cứu bằng mã QR dưới đây.",
            st["item"],
        )
    )
    story.append(Spacer(1, 4 * mm))

    # Recipients on the left, the signature block on the right.
    recipients = "<br/>".join(f"- {escape(r)};" for r in facts.recipients)
    recipients += f"<br/>- {escape(settings['REGISTRY_DOCUMENT_ARCHIVE'])}"
    if facts.signed:
        lines = [f"Ký số bởi: {facts.signer_name}"]
        if facts.signed_at:
            lines.append(f"Thời gian ký: {facts.signed_at.isoformat(timespec='seconds')}")
    else:
        lines = [f"({UNSIGNED_NOTE})"]
    space = _SignatureSpace(*SIGNATURE_BOX, lines, st["centre"])
    signature = [
        Paragraph(f"<b>{escape(settings['REGISTRY_DOCUMENT_AUTHORITY'])}</b>", st["centre"]),
        Paragraph(f"<b>{escape(facts.signer_title)}</b>", st["centre"]),
        space,
        Paragraph(f"<b>{escape(facts.signer_name)}</b>", st["centre"]),
    ]
    closing = Table(
        [
            [
                [
                    Paragraph(
                        "<b><i>Nơi nhận:</i></b>", ParagraphStyle("n", st["small"], fontSize=12)
                    ),
                    Paragraph(recipients, st["small"]),
                ],
                signature,
            ]
        ],
        colWidths=[width - 85 * mm, 85 * mm],
    )
    closing.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    qr = Table(
        [
            [
                _qr(facts.verify_url, 22 * mm),
                Paragraph(
                    f"Tra cứu hiệu lực: quét mã QR hoặc mở {escape(facts.verify_url)}<br/>"
                    f"Mã phê duyệt: <b>{escape(facts.code)}</b>",
                    st["small"],
                ),
            ]
        ],
        colWidths=[27 * mm, width - 27 * mm],
    )
    qr.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    story += [KeepTogether([closing]), Spacer(1, 3 * mm), qr]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
        title=f"Giấy chấp thuận {facts.number_label}",
        author=settings["REGISTRY_DOCUMENT_ISSUING_BODY"],
        subject=f"Mã phê duyệt {facts.code}",
        invariant=True,
    )

    def page_number(canvas, document):
        # From the second page on, the page number at the top, centred (the decree's rule).
        canvas.setFont(font, 13)
        canvas.drawCentredString(
            A4[0] / 2 + (MARGINS["left"] - MARGINS["right"]) / 2,
            A4[1] - 12 * mm,
            str(canvas.getPageNumber()),
        )

    doc.build(story, onLaterPages=page_number)
    page, box = space.where
    return Rendered(buffer.getvalue(), page, box)


def artwork_jpeg(image_bytes: bytes, longest: int = 1200) -> bytes:
    """The artwork as a modest RGB JPEG for the page (any format Pillow reads, e.g. WebP)."""
    with PILImage.open(io.BytesIO(image_bytes)) as im:
        im = im.convert("RGB")
        im.thumbnail((longest, longest))
        out = io.BytesIO()
        im.save(out, "JPEG", quality=85)
        return out.getvalue()
