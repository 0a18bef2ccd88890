"""Small banners drawn with Pillow for the text tests (the benchmark draws its own, apart)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
NOTO_KHMER = "/usr/share/fonts/truetype/noto/NotoSansKhmer-Regular.ttf"
NOTO_SERIF_BOLD = "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf"
DEJAVU_SERIF_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
RED, YELLOW, WHITE, BLACK = (200, 16, 30), (255, 221, 0), (255, 255, 255), (20, 20, 20)


def font(path: str, size: int) -> ImageFont.FreeTypeFont:
    if not Path(path).exists():
        pytest.fail(f"{path} missing: apt-get install fonts-dejavu-core fonts-noto-core")
    return ImageFont.truetype(path, size)


def banner(
    lines: list[tuple[str, int] | tuple[str, int, str]],
    *,
    width: int = 1400,
    background=RED,
    ink=YELLOW,
    gap: float = 0.5,
) -> Image.Image:
    """Centred lines of (text, cap size in points[, font path]) on a plain background."""
    fonts = [font(spec[2] if len(spec) > 2 else DEJAVU_BOLD, spec[1]) for spec in lines]
    heights = [f.size * (1 + gap) for f in fonts]
    height = int(sum(heights) + fonts[0].size * 1.5)
    im = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(im)
    y = fonts[0].size * 0.75
    for (text, *_), f, step in zip(lines, fonts, heights, strict=True):
        draw.text(((width - draw.textlength(text, font=f)) / 2, y), text, font=f, fill=ink)
        y += step
    return im


def png(im: Image.Image) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    return buffer.getvalue()
