"""QR codes pointing at an approval's public verification page."""

from __future__ import annotations

import io

import segno
from flask import current_app, url_for

# Medium error correction survives a scuffed print; the quiet zone is the standard 4 modules.
ERROR_LEVEL = "m"
BORDER = 4
PNG_SCALE = 10
SVG_SCALE = 4


def verify_url(code: str) -> str:
    """The absolute address of the verification page (REGISTRY_PUBLIC_URL when configured)."""
    public = current_app.config.get("REGISTRY_PUBLIC_URL")
    if public:
        return public.rstrip("/") + url_for("verify.page", code=code)
    return url_for("verify.page", code=code, _external=True)


def qr_image(url: str, kind: str) -> bytes:
    """The QR code of url as PNG or SVG bytes."""
    qr = segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False)
    buffer = io.BytesIO()
    if kind == "png":
        qr.save(buffer, kind="png", scale=PNG_SCALE, border=BORDER)
    else:
        qr.save(buffer, kind="svg", scale=SVG_SCALE, border=BORDER, title=url)
    return buffer.getvalue()
