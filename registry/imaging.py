"""Check uploaded artwork, read its facts and make WebP renditions.

Pillow reads the header (type from content, size, frames, colour facts, EXIF, ICC) and checks
that the file is complete as its header declares, without decoding pixels: cheap enough for the
upload request. libvips (registry.rendering) decodes in strips for the renditions, so memory
does not grow with the image. No Flask and no storage here: callers pass a path or a binary
file object and get facts and bytes back, or an ``ImageRejected`` whose message is in the
reader's language (Flask-Babel's gettext, which needs no application: without one it answers
in Vietnamese, the source language, as in the worker).
"""

from __future__ import annotations

import io
import math
import os
import re
import threading
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import BinaryIO, NamedTuple

import pyvips
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms

from registry import rendering

Source = str | os.PathLike[str] | BinaryIO

CONTENT_TYPES = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "TIFF": "image/tiff",
    "WEBP": "image/webp",
}
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "TIFF": "tif", "WEBP": "webp"}
# Print files are stored as uploaded and always served as attachments; a kind is also its
# file extension. CorelDRAW has no registered media type, hence octet-stream.
PRINT_FILE_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "eps": "application/postscript",
    "ai": "application/postscript",
    "psd": "image/vnd.adobe.photoshop",
    "cdr": "application/octet-stream",
    "svg": "image/svg+xml",
}

_EMPTY = _l("Tệp tải lên trống (0 byte). Vui lòng chọn đúng tệp ảnh mẫu và tải lên lại.")
_CORRUPT = _l(
    "Ảnh bị hỏng hoặc không đầy đủ (có thể do tải lên bị gián đoạn hoặc tệp lỗi khi sao chép) "
    "nên không đọc được. Vui lòng xuất lại tệp từ phần mềm thiết kế và tải lên lần nữa."
)
_ANIMATED = _l(
    "Ảnh động hoặc ảnh nhiều trang (PNG/WebP động, TIFF nhiều trang) không được nhận làm ảnh "
    "mẫu. Vui lòng xuất mẫu thành một ảnh tĩnh, một trang rồi tải lên lại."
)
_UNSUPPORTED_MODE = _l(
    "Không xử lý được hệ màu «%(mode)s» của ảnh. Vui lòng xuất lại ảnh ở hệ màu RGB, CMYK hoặc "
    "thang xám (8 hoặc 16 bit) rồi tải lên."
)
_COLOR_SPACES = dict.fromkeys(("RGB", "RGBA", "RGBX"), "RGB") | {
    "L": "Grayscale",
    "LA": "Grayscale",
    "I": "Grayscale",
    "F": "Grayscale",
    "1": "Bilevel",
    "P": "Indexed",
    "PA": "Indexed",
    "CMYK": "CMYK",
    "YCbCr": "YCbCr",
    "LAB": "Lab",
    "HSV": "HSV",
}
_T = Image.Transpose
_TRANSPOSE = {2: _T.FLIP_LEFT_RIGHT, 3: _T.ROTATE_180, 4: _T.FLIP_TOP_BOTTOM, 5: _T.TRANSPOSE}
_TRANSPOSE |= {6: _T.ROTATE_270, 7: _T.TRANSVERSE, 8: _T.ROTATE_90}
# What Pillow raises on malformed data (as in its fuzzing tests); anything else is our bug.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError)
_DECODE_ERRORS += (ZeroDivisionError, zlib.error)
# The first element is <svg>, after an optional XML declaration, processing instructions,
# comments and a doctype; possessive quantifiers keep it linear on hostile input.
_SVG = re.compile(
    rb"\A\s*+(?:<\?[^>]*+>\s*+|<!--(?:(?!-->).)*+-->\s*+"
    rb"|<!DOCTYPE[^\[>]*+(?:\[[^\]]*+\])?\s*+>\s*+)*+<svg[\s>/]",
    re.S,
)
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"mif1", b"msf1", b"avif", b"avis")
_HEAD = 8192
# Held while Pillow opens an upload (and, for open_artwork, decodes it): guards Pillow's global
# pixel limit and keeps a worker to one full-size Pillow decode at a time. libvips's strip
# decoding for the renditions runs outside it.
_PIXEL_LIMIT_LOCK = threading.Lock()


class ImageRejected(ValueError):
    """An upload that is not acceptable artwork; str(e) is the Vietnamese message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(str(message))
        self.code = code


@dataclass(frozen=True, slots=True)
class ImageFacts:
    format: str
    content_type: str
    extension: str
    width: int  # as displayed, after the EXIF orientation
    height: int
    mode: str  # Pillow's mode of the file as opened
    color_space: str
    bit_depth: int  # per channel in the file: 1, 8, 16 or 32
    has_icc_profile: bool
    icc_description: str | None
    dpi: tuple[float, float] | None
    exif_orientation: int | None


class Renditions(NamedTuple):
    facts: ImageFacts
    preview: bytes
    thumb: bytes


def sniff(source: Source) -> str | None:
    """Return the accepted artwork format named by the file's first bytes, or None."""
    with _binary(source) as fp:
        return _sniff_head(fp.read(16))


def sniff_print_file(source: Source) -> str | None:
    """Return the kind of a print file (pdf, eps, ai, psd, cdr, svg) or None."""
    with _binary(source) as fp:
        head = fp.read(_HEAD)
        kind = _print_kind(head)
        if kind is None and head.startswith(b"PK\x03\x04"):
            kind = _zipped_cdr(fp)
        return kind


def read_header(source: Source, *, max_pixels: int) -> ImageFacts:
    """Check the artwork without decoding its pixels and return its facts.

    Type from content, the pixel limit (before any decode), animation and pages, and that the
    file is whole as its own structure says (PNG chunk checksums and end, JPEG end of image,
    TIFF strips inside the file, WebP length). Reads the file once; memory stays small.
    """
    return _header(source, max_pixels)[0]


def inspect_image(source: Source, *, max_pixels: int) -> ImageFacts:
    """Check the artwork fully, decoding every pixel (in strips), and return its facts."""
    facts, icc = _header(source, max_pixels)
    _render(source, facts, icc, 64)
    return facts


def make_renditions(
    source: Source, *, max_pixels: int, preview_px: int = 2048, thumb_px: int = 400
) -> Renditions:
    """Check the artwork and return its facts with a WebP preview and thumbnail."""
    if not 0 < thumb_px <= preview_px <= 16383:
        raise ValueError("preview sizes must be 1-16383 pixels")  # a caller's bug, not a user's
    facts, icc = _header(source, max_pixels)
    preview = _render(source, facts, icc, preview_px)
    thumb = preview.resize(_fit(preview.size, thumb_px), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return Renditions(facts, _webp(preview), _webp(thumb))


def open_artwork(source: Source, *, max_pixels: int, long_side: int | None = None) -> Image.Image:
    """The artwork as people see it (8-bit sRGB, EXIF orientation applied), scaled so that its
    long side is at most `long_side` (JPEG decodes at a reduced scale: cheaper for large files)."""
    with _checked_image(source, max_pixels) as im:
        size = _fit(im.size, long_side) if long_side else im.size
        facts = _decode(im, draft_size=size)
        return _display_image(im, size, facts).convert("RGB")


def effective_ppi(width_px: int, height_px: int, width_cm: float, height_cm: float) -> float:
    """Return pixels per physical inch when printed at that size, the lower of both axes."""
    _check_physical(width_cm, height_cm)
    return min(width_px / (width_cm / 2.54), height_px / (height_cm / 2.54))


def aspect_mismatch(width_px: int, height_px: int, width_cm: float, height_cm: float) -> float:
    """Return how far the two aspect ratios differ: larger / smaller - 1 (0.0 is exact)."""
    _check_physical(width_cm, height_cm)
    ratios = (width_px / height_px, width_cm / height_cm)
    return max(ratios) / min(ratios) - 1.0


# -- opening and checking ---------------------------------------------------------------------


@contextmanager
def _binary(source: Source) -> Iterator[BinaryIO]:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as fp:
            yield fp
    else:
        source.seek(0)
        yield source
        source.seek(0)


def _render(source: Source, facts: ImageFacts, icc: bytes | None, box: int) -> Image.Image:
    """The artwork as people see it (8-bit sRGB, oriented, no metadata) within box × box."""
    turned = facts.exif_orientation in (5, 6, 7, 8)
    stored = (facts.height, facts.width) if turned else (facts.width, facts.height)
    try:
        small = rendering.shrink(source, facts.format, stored, _fit(stored, box))
    except pyvips.Error as exc:
        raise ImageRejected("corrupt", _CORRUPT) from exc
    except ValueError as exc:
        message = _UNSUPPORTED_MODE % {"mode": facts.mode}
        raise ImageRejected("unsupported_mode", message) from exc
    try:
        out = _to_srgb(small, icc)
    except (ValueError, OSError) as exc:
        raise ImageRejected("unsupported_mode", _UNSUPPORTED_MODE % {"mode": facts.mode}) from exc
    if facts.exif_orientation in _TRANSPOSE:
        out = out.transpose(_TRANSPOSE[facts.exif_orientation])
    out.info = {}  # no EXIF, ICC or XMP reaches the renditions
    return out


def _header(source: Source, max_pixels: int) -> tuple[ImageFacts, bytes | None]:
    with _checked_image(source, max_pixels) as im:
        try:
            facts = _facts(im, im.size, im.mode, _bit_depth(im))
        except _DECODE_ERRORS as exc:
            raise ImageRejected("corrupt", _CORRUPT) from exc
        return facts, im.info.get("icc_profile") or None


@contextmanager
def _checked_image(source: Source, max_pixels: int) -> Iterator[Image.Image]:
    # Pillow's bomb limit is a global and between 1x and 2x it only warns: set it for the
    # call under a lock and make the warning an error, whatever the process's filters say.
    with _PIXEL_LIMIT_LOCK, warnings.catch_warnings(), _binary(source) as fp:
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        warnings.simplefilter("ignore", UserWarning)  # Pillow's remarks on odd metadata
        saved, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # our check names the size
        try:
            im = _open_image(fp)
            if im.width * im.height > max_pixels:
                raise ImageRejected("too_many_pixels", _too_many_message(max_pixels, im.size))
            Image.MAX_IMAGE_PIXELS = max_pixels  # Pillow checks TIFF again while decoding
            if _is_multi_frame(im):
                raise ImageRejected("animated", _ANIMATED)
            _check_complete(fp, im)
            yield im
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRejected("too_many_pixels", _too_many_message(max_pixels)) from None
        finally:
            Image.MAX_IMAGE_PIXELS = saved


def _open_image(fp: BinaryIO) -> Image.Image:
    head = fp.read(_HEAD)
    if not head:
        raise ImageRejected("empty", _EMPTY)
    kind = _sniff_head(head)
    if kind is None:
        raise ImageRejected("unsupported_type", _unsupported_message(head))
    fp.seek(0)
    try:
        im = Image.open(fp, formats=[kind])  # only the format the bytes announce
    except _DECODE_ERRORS as exc:
        raise ImageRejected("corrupt", _CORRUPT) from exc
    if im.width < 1 or im.height < 1:
        raise ImageRejected("corrupt", _CORRUPT)
    return im


def _is_multi_frame(im: Image.Image) -> bool:
    if im.format == "MPO":  # a camera JPEG carrying extra pictures: the first is the image
        return False
    try:
        return bool(getattr(im, "is_animated", False)) or getattr(im, "n_frames", 1) > 1
    except _DECODE_ERRORS as exc:
        raise ImageRejected("corrupt", _CORRUPT) from exc


def _check_complete(fp: BinaryIO, im: Image.Image) -> None:
    """Refuse a file cut short or damaged where its structure shows it, without decoding."""
    fp.seek(0, os.SEEK_END)
    size = fp.tell()
    if im.format == "PNG":
        exif = _check_png_chunks(fp)
        # Pillow would decode every pixel to look for an eXIf chunk after the image data.
        im.info.setdefault("exif", exif or b"")
    elif im.format in ("JPEG", "MPO"):
        _check_jpeg_markers(fp)
    elif im.format == "TIFF":
        _check_tiff_strips(im, size)
    elif im.format == "WEBP":
        fp.seek(4)
        if int.from_bytes(fp.read(4), "little") + 8 > size:
            raise ImageRejected("corrupt", _CORRUPT)


def _check_png_chunks(fp: BinaryIO) -> bytes | None:
    # Pillow checks no IDAT checksum while decoding: stream every chunk's CRC and require
    # IEND, so flipped bits and cut-off files are caught in constant memory. Returns the
    # eXIf chunk's data, if any.
    fp.seek(8)
    exif = None
    while True:
        header = fp.read(8)
        if len(header) < 8:
            raise ImageRejected("corrupt", _CORRUPT)
        length, chunk_type = int.from_bytes(header[:4], "big"), header[4:]
        crc = zlib.crc32(chunk_type)
        keep = chunk_type == b"eXIf" and length <= 1 << 20
        parts = []
        while length > 0:
            block = fp.read(min(length, 1 << 20))
            if not block:
                raise ImageRejected("corrupt", _CORRUPT)
            crc, length = zlib.crc32(block, crc), length - len(block)
            if keep:
                parts.append(block)
        if fp.read(4) != crc.to_bytes(4, "big"):
            raise ImageRejected("corrupt", _CORRUPT)
        if keep:
            exif = b"".join(parts)
        if chunk_type == b"IEND":
            return exif


# A marker inside entropy-coded data: 0xFF followed by neither a stuffed zero, a restart
# marker nor another fill byte.
_JPEG_MARKER = re.compile(rb"\xff[\x01-\xcf\xd8-\xfe]")
_JPEG_BARE = {0x01, 0xD8, *range(0xD0, 0xD8)}  # markers without a length


def _check_jpeg_markers(fp: BinaryIO) -> None:
    # Walk the segments to the end-of-image marker, scanning the compressed data between
    # them in 1 MiB blocks: a cut-off upload has no EOI after its last scan.
    position = 2
    while True:
        fp.seek(position)
        block = fp.read(1 << 20)
        found = _JPEG_MARKER.search(block) if block else None
        if found is None:
            if len(block) < 2:
                raise ImageRejected("corrupt", _CORRUPT)
            position += len(block) - 1  # a marker may straddle the blocks
            continue
        position += found.start()
        marker = block[found.start() + 1]
        if marker == 0xD9:
            return
        if marker in _JPEG_BARE:
            position += 2
            continue
        fp.seek(position + 2)
        length = fp.read(2)
        if len(length) < 2 or int.from_bytes(length, "big") < 2:
            raise ImageRejected("corrupt", _CORRUPT)
        position += 2 + int.from_bytes(length, "big")


def _check_tiff_strips(im: Image.Image, size: int) -> None:
    tags = im.tag_v2
    for offsets_tag, counts_tag in ((273, 279), (324, 325)):
        offsets, counts = tags.get(offsets_tag), tags.get(counts_tag)
        if offsets is None or counts is None:
            continue
        offsets = offsets if isinstance(offsets, tuple) else (offsets,)
        counts = counts if isinstance(counts, tuple) else (counts,)
        if any(o + c > size for o, c in zip(offsets, counts, strict=False)):
            raise ImageRejected("corrupt", _CORRUPT)


def _decode(im: Image.Image, draft_size: tuple[int, int]) -> ImageFacts:
    # The full decode is the integrity check; JPEG's DCT scaling still reads the whole stream.
    size, mode, bit_depth = im.size, im.mode, _bit_depth(im)
    try:
        if im.format in ("JPEG", "MPO"):
            im.draft(None, draft_size)
        im.load()
        return _facts(im, size, mode, bit_depth)
    except _DECODE_ERRORS as exc:
        raise ImageRejected("corrupt", _CORRUPT) from exc


def _facts(im: Image.Image, size: tuple[int, int], mode: str, bit_depth: int) -> ImageFacts:
    fmt = "JPEG" if im.format == "MPO" else str(im.format)
    orientation = _orientation(im)
    width, height = size[::-1] if orientation in (5, 6, 7, 8) else size
    icc = im.info.get("icc_profile") or None
    return ImageFacts(
        format=fmt,
        content_type=CONTENT_TYPES[fmt],
        extension=EXTENSIONS[fmt],
        width=width,
        height=height,
        mode=mode,
        color_space=_COLOR_SPACES.get("I" if mode.startswith("I;16") else mode, mode),
        bit_depth=bit_depth,
        has_icc_profile=icc is not None,
        icc_description=_icc_description(icc),
        dpi=_dpi(im),
        exif_orientation=orientation,
    )


def _orientation(im: Image.Image) -> int | None:
    try:
        value = im.getexif().get(0x0112)
    except _DECODE_ERRORS:  # broken EXIF is no reason to refuse the pixels
        return None
    return value if value in range(1, 9) else None


def _bit_depth(im: Image.Image) -> int:
    if im.format == "TIFF" and (bits := im.tag_v2.get(258)):
        return max(bits) if isinstance(bits, tuple) else int(bits)
    args = im.tile[0].args if im.tile else None
    rawmode = args if isinstance(args, str) else (args[0] if args else "")
    if "16" in str(rawmode) or im.mode.startswith("I;16"):  # PNG reads 48-bit RGB as 8-bit
        return 16
    return {"1": 1, "I": 32, "F": 32}.get(im.mode, 8)


def _dpi(im: Image.Image) -> tuple[float, float] | None:
    if im.format == "TIFF" and 282 not in im.tag_v2:  # Pillow reports (1, 1) when unset
        return None
    try:
        x, y = (float(value) for value in im.info["dpi"])
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (0 < x < 1e6 and 0 < y < 1e6):  # also drops NaN from a zero denominator
        return None
    return (round(x, 2), round(y, 2))


def _icc_description(icc: bytes | None) -> str | None:
    if not icc:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.getProfileDescription(profile).strip() or None
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


# -- renditions -------------------------------------------------------------------------------


def _display_image(im: Image.Image, size: tuple[int, int], facts: ImageFacts) -> Image.Image:
    icc = im.info.get("icc_profile") or None
    try:
        out = _to_eight_bit(im, facts.bit_depth)
        if out.size != size:  # Pillow resizes LA/RGBA premultiplied, reducing first
            out = out.resize(size, Image.Resampling.LANCZOS, reducing_gap=1.0)
        out = _to_srgb(out, icc)
    except (ValueError, OSError) as exc:
        message = _UNSUPPORTED_MODE % {"mode": facts.mode}
        raise ImageRejected("unsupported_mode", message) from exc
    if facts.exif_orientation in _TRANSPOSE:
        out = out.transpose(_TRANSPOSE[facts.exif_orientation])
    out = out.copy() if out is im else out
    out.info = {}  # no EXIF, ICC or XMP reaches the renditions
    return out


def _to_eight_bit(im: Image.Image, bit_depth: int) -> Image.Image:
    # Scale, never clip: Pillow's own 16-bit -> L conversion turns mid-grey white.
    if im.mode.startswith("I;16") or (im.mode == "I" and bit_depth == 16):
        wide = im if im.mode in ("I;16", "I") else im.convert("I")
        return wide.point(lambda v: v * (1 / 257) + 0.5).convert("L")
    if im.mode in ("I", "F"):  # 32-bit data has no fixed white: stretch what is there
        low, high = im.getextrema()
        scale = 255 / (high - low) if high > low else 0
        return im.point(lambda v: (v - low) * scale + 0.5).convert("L")
    if im.mode == "1":
        return im.convert("L")
    if im.mode in ("P", "PA"):
        return im.convert("RGBA" if im.has_transparency_data else "RGB")
    return im


def _to_srgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    alpha = im.getchannel("A") if im.mode in ("LA", "RGBA") else None
    if icc or im.mode == "LAB":
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc)) if icc else _lab()
            colour = im.convert("RGB" if im.mode == "RGBA" else "L") if alpha is not None else im
            im = ImageCms.profileToProfile(colour, source, _srgb(), outputMode="RGB") or im
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile, or one that does not fit the mode: convert plainly
    out = im if im.mode == "RGB" else im.convert("RGB")
    if alpha is not None and alpha.getextrema() != (255, 255):
        out.putalpha(alpha)
    return out


@cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@cache
def _lab() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))


def _webp(im: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # method 0: the fastest encoder; 4 took a third of a 30 MP JPEG ingest for ~25 % smaller
    # previews (bench/ingest.py). Passes no exif/icc/xmp: none written.
    im.save(buffer, "WEBP", quality=82, method=0)
    return buffer.getvalue()


def _fit(size: tuple[int, int], box: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, box / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


# -- sniffing and messages --------------------------------------------------------------------


def _sniff_head(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "TIFF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def _print_kind(head: bytes) -> str | None:
    # A PDF-compatible .ai file is a valid PDF and is called "pdf", so any reader opens it.
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"%!PS-Adobe"):
        return "ai" if b"Illustrator" in head[:2048] else "eps"
    if head.startswith(b"\xc5\xd0\xd3\xc6"):
        return "eps"
    if head.startswith(b"8BPS"):
        return "psd"
    if head[:4] == b"RIFF" and head[8:11] == b"CDR":
        return "cdr"
    text = head.removeprefix(b"\xef\xbb\xbf")
    return "svg" if _SVG.match(text) else None


def _zipped_cdr(fp: BinaryIO) -> str | None:
    # CorelDRAW X4 and later save a ZIP holding the drawing; its names are enough.
    try:
        with zipfile.ZipFile(fp) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return "cdr" if names & {"content/riffData.cdr", "content/root.dat"} else None


_REFUSED_KINDS = (
    (b"GIF8", _l("ảnh GIF")),
    (b"BM", _l("ảnh BMP")),
    (b"PK\x03\x04", _l("tệp nén ZIP (hoặc tệp Word/Excel)")),
    (b"Rar!", _l("tệp nén RAR")),
    (b"7z\xbc\xaf", _l("tệp nén 7z")),
)
_PRINT_NAMES = {
    "pdf": _l("tệp PDF"),
    "eps": _l("tệp EPS/PostScript"),
    "ai": _l("tệp Adobe Illustrator"),
    "psd": _l("tệp Photoshop"),
    "cdr": _l("tệp CorelDRAW"),
    "svg": _l("tệp vector SVG"),
}


def _unsupported_message(head: bytes) -> str:
    kind = _print_kind(head)
    what = _PRINT_NAMES.get(kind or "")
    what = what or next((name for magic, name in _REFUSED_KINDS if head.startswith(magic)), None)
    if what is None and head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        what = _("ảnh HEIC/AVIF (thường chụp từ điện thoại)")
    if what is None and _is_text(head[:1024]):
        what = _("tệp văn bản (chữ hoặc HTML)")
    if what:
        message = _(
            "Tệp tải lên là %(what)s, không phải ảnh mẫu ở định dạng được nhận. Chỉ nhận ảnh "
            "PNG, JPEG, TIFF hoặc WebP (nhận biết theo nội dung tệp, không theo tên tệp). Vui "
            "lòng xuất lại mẫu sang một trong các định dạng này rồi tải lên.",
            what=what,
        )
    else:
        message = _(
            "Tệp tải lên không phải ảnh mẫu ở định dạng được nhận. Chỉ nhận ảnh PNG, JPEG, TIFF "
            "hoặc WebP (nhận biết theo nội dung tệp, không theo tên tệp). Vui lòng xuất lại mẫu "
            "sang một trong các định dạng này rồi tải lên."
        )
    if kind:
        message += " " + _(
            "Tệp thiết kế gốc (PDF, AI, EPS, PSD, CDR, SVG) hãy đính kèm ở mục tệp in."
        )
    return message


def _is_text(sample: bytes) -> bool:
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 3:  # not just a character cut at the end
            return False
        text = sample[: exc.start].decode("utf-8")
    return all(ch.isprintable() or ch in "\t\n\r\f\ufeff" for ch in text)


def _too_many_message(max_pixels: int, size: tuple[int, int] | None = None) -> str:
    limit = _megapixels(max_pixels)
    if size is None:
        return _(
            "Ảnh quá lớn, vượt giới hạn %(limit)s megapixel. Vui lòng xuất lại ảnh với độ phân "
            "giải thấp hơn (tối đa %(limit)s megapixel) rồi tải lên.",
            limit=limit,
        )
    width, height = size
    scale = math.sqrt(max_pixels / (width * height))
    largest = (max(1, math.floor(width * scale)), max(1, math.floor(height * scale)))
    return _(
        "Ảnh quá lớn: %(width)d × %(height)d điểm ảnh (%(megapixels)s megapixel), vượt giới hạn "
        "%(limit)s megapixel. Ảnh cùng tỉ lệ lớn nhất được nhận là %(largest_width)d × "
        "%(largest_height)d điểm ảnh; băng rôn, pano xem từ vài mét trở lên không cần độ phân "
        "giải cao hơn. Vui lòng xuất lại ảnh ở kích thước đó hoặc nhỏ hơn rồi tải lên.",
        width=width,
        height=height,
        megapixels=_megapixels(width * height),
        limit=limit,
        largest_width=largest[0],
        largest_height=largest[1],
    )


def _megapixels(pixels: int) -> str:
    """Megapixels with one decimal in the reader's language ("2,5" / "2.5"; "40", not "40,0")."""
    comma = get_locale() is None or get_locale().language != "en"
    text = f"{pixels / 1_000_000:.1f}".removesuffix(".0")
    return text.replace(".", ",") if comma else text


def _check_physical(width_cm: float, height_cm: float) -> None:
    if width_cm <= 0 or height_cm <= 0:
        raise ValueError(_("Kích thước in (chiều rộng và chiều cao, cm) phải lớn hơn 0."))
