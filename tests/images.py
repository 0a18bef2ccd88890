"""Generate small real image and print files for tests; no mocks."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image, ImageCms

RED, BLUE = (220, 20, 30), (20, 40, 220)


def image(width: int = 64, height: int = 48, mode: str = "RGB") -> Image.Image:
    """Return an image whose left half is red and right half blue, in the given mode."""
    im = Image.new("RGB", (width, height), BLUE)
    im.paste(RED, (0, 0, width // 2, height))
    if mode == "CMYK":
        return _cmyk(im)
    return im.convert(mode) if mode != "RGB" else im


def encode(im: Image.Image, fmt: str, **params: object) -> bytes:
    """Return the image saved in the format as bytes."""
    buffer = io.BytesIO()
    im.save(buffer, fmt, **params)
    return buffer.getvalue()


def png_bytes(width: int = 64, height: int = 48, mode: str = "RGB", **params: object) -> bytes:
    """Return a PNG of image(width, height, mode)."""
    return encode(image(width, height, mode), "PNG", **params)


def jpeg_bytes(width: int = 64, height: int = 48, mode: str = "RGB", **params: object) -> bytes:
    """Return a JPEG of image(width, height, mode); mode may be RGB, L or CMYK."""
    return encode(image(width, height, mode), "JPEG", quality=90, **params)


def tiff_bytes(width: int = 64, height: int = 48, mode: str = "RGB", **params: object) -> bytes:
    """Return a TIFF of image(width, height, mode)."""
    return encode(image(width, height, mode), "TIFF", **params)


def webp_bytes(width: int = 64, height: int = 48, mode: str = "RGB", **params: object) -> bytes:
    """Return a lossless WebP of image(width, height, mode)."""
    return encode(image(width, height, mode), "WEBP", lossless=True, **params)


def gray16(fmt: str = "PNG", value: int = 32768, mode: str = "I;16") -> bytes:
    """Return a 16-bit grayscale image of one value (I;16 or I;16B)."""
    return encode(Image.new(mode, (32, 24), value), fmt)


def with_exif_orientation(
    orientation: int, fmt: str = "JPEG", width: int = 60, height: int = 40
) -> bytes:
    """Return image(width, height) as stored, tagged with an EXIF orientation."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(image(width, height), fmt, exif=exif.tobytes())


def srgb_profile() -> bytes:
    """Return an sRGB ICC profile."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def with_icc(fmt: str = "PNG", mode: str = "RGB") -> bytes:
    """Return image() with an embedded sRGB ICC profile and some EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "Test camera"
    return encode(image(mode=mode), fmt, icc_profile=srgb_profile(), exif=exif.tobytes())


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    """Return the first part of a file, as an interrupted upload leaves it."""
    return data[: int(len(data) * keep)]


def bit_flipped(data: bytes, at: float = 0.5) -> bytes:
    """Return the data with one bit flipped at the relative position."""
    flipped = bytearray(data)
    flipped[int(len(data) * at)] ^= 0x10
    return bytes(flipped)


def bomb_png(width: int, height: int) -> bytes:
    """Return a valid 1-bit PNG of width x height that is tiny on disk."""
    data = _deflated_rows(b"\x00" * (1 + (width + 7) // 8), height)
    return _png(width, height, bit_depth=1, colour_type=0, data=data)


def bomb_tiff(width: int, height: int) -> bytes:
    """Return a valid deflate-compressed 1-bit TIFF of width x height, tiny on disk."""
    data = _deflated_rows(b"\x00" * ((width + 7) // 8), height)
    return _tiff(width, height, bits=(1,), photometric=1, data=data, compression=8)


def rgb48_png(rgb16: tuple[int, int, int], width: int = 32, height: int = 24) -> bytes:
    """Return a 16-bit-per-channel RGB PNG of one colour."""
    data = _deflated_rows(b"\x00" + struct.pack(">3H", *rgb16) * width, height)
    return _png(width, height, bit_depth=16, colour_type=2, data=data)


def rgb48_tiff(rgb16: tuple[int, int, int], width: int = 32, height: int = 24) -> bytes:
    """Return an uncompressed 16-bit-per-channel RGB TIFF of one colour."""
    data = struct.pack("<3H", *rgb16) * (width * height)
    return _tiff(width, height, bits=(16, 16, 16), photometric=2, data=data)


def animated_png() -> bytes:
    """Return a two-frame APNG."""
    return encode(image(), "PNG", save_all=True, append_images=[image().rotate(180)])


def animated_webp() -> bytes:
    """Return a two-frame animated WebP."""
    return encode(image(), "WEBP", save_all=True, append_images=[image().rotate(180)])


def multipage_tiff() -> bytes:
    """Return a two-page TIFF."""
    return encode(image(), "TIFF", save_all=True, append_images=[image()])


def gif_bytes() -> bytes:
    """Return a still GIF."""
    return encode(image(), "GIF")


def mpo_bytes() -> bytes:
    """Return a two-picture MPO, the JPEG that some cameras write."""
    return encode(image(), "MPO", save_all=True, append_images=[image(32, 24)])


def svg_with_script() -> bytes:
    """Return an SVG carrying a script, as someone might name it artwork.png."""
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>\n"
    )


def html_as_png() -> bytes:
    """Return an HTML page, as someone might name it artwork.png."""
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n"


def zip_bytes(names: tuple[str, ...] = ("artwork.png",)) -> bytes:
    """Return a ZIP archive holding the named small files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, b"content")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    """Return a one-page PDF written by Pillow."""
    return encode(image(), "PDF")


def eps_bytes() -> bytes:
    """Return an EPS written by Pillow."""
    return encode(image(), "EPS")


def dos_eps_bytes() -> bytes:
    """Return an EPS with the DOS binary header in front of its PostScript."""
    postscript = eps_bytes()
    header = b"\xc5\xd0\xd3\xc6" + struct.pack("<IIIIIIH", 30, len(postscript), 0, 0, 0, 0, 0xFFFF)
    return header + postscript


def legacy_ai_bytes() -> bytes:
    """Return the start of a PostScript-based Adobe Illustrator file."""
    return b"%!PS-Adobe-3.0\n%%Creator: Adobe Illustrator(R) 8.0\n%%For: designer\n%%EndComments\n"


def psd_bytes() -> bytes:
    """Return a Photoshop file header (RGB, 8 bit, 64x48)."""
    return b"8BPS" + struct.pack(">H6sHIIHH", 1, b"", 3, 48, 64, 8, 3) + b"\x00" * 16


def cdr_bytes() -> bytes:
    """Return the RIFF start of a CorelDRAW (before X4) file."""
    body = b"CDR9vrsn" + struct.pack("<I", 2) + b"\x2c\x01"
    return b"RIFF" + struct.pack("<I", len(body)) + body


def cdr_zip_bytes() -> bytes:
    """Return a CorelDRAW X4+ style ZIP container."""
    return zip_bytes(("mimetype", "content/riffData.cdr", "content/root.dat"))


def svg_bytes() -> bytes:
    """Return a plain SVG with a BOM, a comment and a doctype before the root."""
    return (
        b"\xef\xbb\xbf\n  <!-- exported -->\n"
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/svg11.dtd">\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>\n'
    )


def _deflated_rows(row: bytes, count: int) -> bytes:
    compressor = zlib.compressobj(9)
    return b"".join(compressor.compress(row) for _ in range(count)) + compressor.flush()


def _png(width: int, height: int, *, bit_depth: int, colour_type: int, data: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND")


def _tiff(
    width: int, height: int, *, bits: tuple[int, ...], photometric: int, data: bytes,
    compression: int = 1,
) -> bytes:  # fmt: skip
    # Little-endian, one IFD of 9 entries, then BitsPerSample when it needs room, then pixels.
    bits_bytes = struct.pack(f"<{len(bits)}H", *bits)
    extra_at = 8 + 2 + 12 * 9 + 4
    extra = bits_bytes if len(bits_bytes) > 4 else b""
    bits_field = struct.pack("<I", extra_at) if extra else bits_bytes
    data_at = extra_at + len(extra)

    def entry(tag: int, kind: int, count: int, value: bytes) -> bytes:
        return struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\x00")

    short, long = (lambda v: struct.pack("<H", v)), (lambda v: struct.pack("<I", v))
    entries = [
        entry(256, 4, 1, long(width)),
        entry(257, 4, 1, long(height)),
        entry(258, 3, len(bits), bits_field),
        entry(259, 3, 1, short(compression)),
        entry(262, 3, 1, short(photometric)),
        entry(273, 4, 1, long(data_at)),
        entry(277, 3, 1, short(len(bits))),
        entry(278, 4, 1, long(height)),
        entry(279, 4, 1, long(len(data))),
    ]
    ifd = struct.pack("<H", len(entries)) + b"".join(entries) + long(0)
    return b"II*\x00" + long(8) + ifd + extra + data


def chunk(kind: bytes, data: bytes = b"") -> bytes:
    """Return a PNG chunk with its length and checksum."""
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _cmyk(im: Image.Image) -> Image.Image:
    # Naive inverse of Pillow's CMYK -> RGB, so a red stays red without a profile.
    c, m, y = (band.point(lambda v: 255 - v) for band in im.split())
    return Image.merge("CMYK", (c, m, y, Image.new("L", im.size, 0)))


def damaged_tiff(width: int = 300, height: int = 200) -> bytes:
    """Return a TIFF whose header and strip layout are sound but whose deflated pixels are
    garbage: only decoding finds it."""
    garbage = zlib.compress(b"\x80" * 16)[:2] + bytes(range(256)) * 3
    return _tiff(width, height, bits=(8, 8, 8), photometric=2, data=garbage, compression=8)
