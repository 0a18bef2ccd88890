"""Test artwork for the ingest benchmark: made once, cached outside the repository."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image, ImageDraw

CACHE = Path(os.environ.get("REGISTRY_BENCH_CACHE", Path.home() / ".cache" / "registry-bench"))

# name: (size, format, save options); 100 MP = 10000 x 10000, 30 MP = 6708 x 4472.
ARTWORK = {
    "poster-100mp.png": ((10_000, 10_000), "PNG", {"compress_level": 6}),
    "poster-100mp-lzw.tif": ((10_000, 10_000), "TIFF", {"compression": "tiff_lzw"}),
    "poster-100mp-raw.tif": ((10_000, 10_000), "TIFF", {"compression": "raw"}),
    "photo-30mp.jpg": ((6_708, 4_472), "JPEG", {"quality": 90}),
    # The memory curve of issue 17: the same poster at 30 and 300 MP.
    "poster-30mp.png": ((6_708, 4_472), "PNG", {"compress_level": 6}),
    "poster-300mp.png": ((17_321, 17_321), "PNG", {"compress_level": 6}),
}


def poster(size: tuple[int, int], grain: float = 6) -> Image.Image:
    """A poster-like RGB image: gradients, flat shapes and grain (mild: compresses like artwork;
    strong: compresses like a photograph)."""
    w, h = size
    noise = Image.effect_noise(size, grain)  # sensor-like grain around mid grey
    red = Image.linear_gradient("L").resize(size)
    green = Image.radial_gradient("L").resize(size)
    blue = Image.blend(Image.linear_gradient("L").rotate(90).resize(size), noise, 0.5)
    im = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(im)
    for i in range(12):
        x, y = (i * 811) % w, (i * 577) % h
        draw.rectangle((x, y, x + w // 5, y + h // 9), fill=(200, 20 + i * 15, 30))
        draw.ellipse((w - x - w // 8, y, w - x, y + h // 8), fill=(250, 220, 0))
    if grain > 6:  # a photograph: grain in every channel
        speckle = Image.merge("RGB", (noise, noise.rotate(180), noise.transpose(0)))
        im = Image.blend(im, speckle, 0.3)
    return im


def artwork(name: str) -> Path:
    """The path of a cached test file, made on first use."""
    path = CACHE / "images" / name
    if not path.exists():
        size, fmt, options = ARTWORK[name]
        grain = 40 if fmt == "JPEG" else 6
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        poster(size, grain).save(tmp, fmt, dpi=(150, 150), **options)
        tmp.rename(path)
    return path


def small_png() -> Path:
    """A 400 x 300 artwork for warm-up and for the upload-memory request."""
    path = CACHE / "images" / "small.png"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        poster((400, 300)).save(path, "PNG")
    return path


if __name__ == "__main__":
    for name in ARTWORK:
        p = artwork(name)
        print(f"{p} {p.stat().st_size / 1e6:.1f} MB")
