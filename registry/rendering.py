"""Shrink artwork with libvips in strips, then finish the small image's colours with Pillow.

libvips (pyvips) reads the file sequentially and reduces it as it goes, so a 400 MP PNG needs
a few strips of memory rather than the whole decoded image; JPEG and WebP are decoded at a
reduced scale where the preview is much smaller. Geometry happens here in the file's own colour
space; colour (ICC → sRGB, CMYK, 16-bit scaling) and the EXIF orientation are applied to the
small result by registry.imaging, as before, so the renditions look as they always did.
"""

from __future__ import annotations

import os
from typing import BinaryIO

import pyvips
from PIL import Image

# Uploads are read once: no operation cache holding files or decoded pixels between calls.
pyvips.cache_set_max(0)


def shrink(
    source: str | os.PathLike[str] | BinaryIO,
    fmt: str,
    size: tuple[int, int],
    target: tuple[int, int],
) -> Image.Image:
    """The stored image (of `size`, in format `fmt`) at exactly `target`, 8 bits per channel
    in its own colour space (L, LA, RGB, RGBA or CMYK).

    Decodes every pixel: raises pyvips.Error for data damaged inside, ValueError for channels
    it cannot show.
    """
    image = _load(source, fmt, size, target)
    image = _eight_bit(_resize(image, target))
    mode = _mode(image)
    data = image.write_to_memory()
    return Image.frombytes(mode, (image.width, image.height), data)


def _load(source, fmt: str, size: tuple[int, int], target: tuple[int, int]) -> pyvips.Image:
    options: dict = {"access": "sequential", "fail_on": "error"}
    ratio = min(size[0] / target[0], size[1] / target[1])
    if fmt == "JPEG":  # DCT scaling: 1/2, 1/4 or 1/8 while staying at least the target
        options["shrink"] = max(s for s in (1, 2, 4, 8) if s <= ratio)
    elif fmt == "WEBP" and ratio >= 2:
        options["scale"] = 1.0 / ratio * 1.01  # libwebp scales while decoding
    if isinstance(source, (str, os.PathLike)):
        return pyvips.Image.new_from_file(os.fspath(source), **options)
    source.seek(0)
    data = source.read()
    source.seek(0)
    return pyvips.Image.new_from_buffer(data, "", **options)


def _resize(image: pyvips.Image, target: tuple[int, int]) -> pyvips.Image:
    if (image.width, image.height) == target:
        return image
    fmt = image.format
    alpha = image.hasalpha()
    if alpha:  # resample colour weighted by coverage, as Pillow does for RGBA
        image = image.premultiply()
    image = image.resize(target[0] / image.width, vscale=target[1] / image.height)
    if alpha:
        image = image.unpremultiply().cast(fmt)
    return image.cast(fmt) if image.format != fmt else image


def _eight_bit(image: pyvips.Image) -> pyvips.Image:
    if image.interpretation == "cmyk" and image.bands == 5:
        image = image.extract_band(0, n=4)  # CMYK with alpha: Pillow has no such mode
    # Scale, never clip: 16-bit white is 65535.
    if image.interpretation in ("lab", "labs", "labq", "lch", "cmc", "xyz", "yxy", "hsv"):
        image = image.colourspace("srgb")
    if image.format == "uchar":
        return image
    if image.format in ("ushort", "short"):
        return (image * (1 / 257) + 0.5).floor().cast("uchar")
    # 32-bit data has no fixed white: stretch what is there.
    low, high = image.min(), image.max()
    scale = 255 / (high - low) if high > low else 0
    return ((image - low) * scale + 0.5).floor().cast("uchar")


def _mode(image: pyvips.Image) -> str:
    bands, cmyk = image.bands, image.interpretation == "cmyk"
    if bands == 1:
        return "L"
    if bands == 2:
        return "LA"
    if bands == 3:
        return "RGB"
    if bands == 4:
        return "CMYK" if cmyk else "RGBA"
    raise ValueError(f"{bands} channels")
