from __future__ import annotations

import pytest
from PIL import Image

from registry.textcheck import ocr


@pytest.fixture(scope="session")
def engine():
    """Tesseract with Debian's Vietnamese (language and script) and Khmer data (.ci/services.sh
    installs them)."""
    try:
        ocr.check_available(None, ("vie", "Vietnamese", "khm"))
    except ocr.OcrUnavailable as error:
        pytest.fail(f"{error} (.ci/services.sh installs Tesseract)", pytrace=False)
    return ocr.Engine()


def picture_of(im: Image.Image, work_px: int = 2400) -> ocr.Picture:
    def scaled(long_side: int) -> Image.Image:
        size = ocr.fit_long_side(im.size, long_side)
        return im if size == im.size else im.resize(size, Image.Resampling.LANCZOS)

    return ocr.Picture(im.size, scaled, lambda: im, work_px)
