"""Artwork checks, facts and renditions of registry.imaging, on real generated files."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image, ImageFile

from registry.imaging import (
    PRINT_FILE_CONTENT_TYPES,
    ImageRejected,
    aspect_mismatch,
    effective_ppi,
    inspect_image,
    make_renditions,
    read_header,
    sniff,
    sniff_print_file,
)
from tests import images

LIMIT = 50_000_000


def renditions(data: bytes, **params):
    params.setdefault("max_pixels", LIMIT)
    return make_renditions(io.BytesIO(data), **params)


def opened(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def near(colour, expected, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


@pytest.mark.parametrize(
    ("data", "fmt", "content_type", "extension", "mode", "dpi"),
    [
        (images.png_bytes(dpi=(300, 300)), "PNG", "image/png", "png", "RGB", (300.0, 300.0)),
        (images.jpeg_bytes(dpi=(150, 150)), "JPEG", "image/jpeg", "jpg", "RGB", (150.0, 150.0)),
        (images.tiff_bytes(dpi=(72, 72)), "TIFF", "image/tiff", "tif", "RGB", (72.0, 72.0)),
        (images.webp_bytes(), "WEBP", "image/webp", "webp", "RGB", None),
        (images.png_bytes(mode="RGBA"), "PNG", "image/png", "png", "RGBA", None),
        (images.png_bytes(mode="L"), "PNG", "image/png", "png", "L", None),
        (images.tiff_bytes(), "TIFF", "image/tiff", "tif", "RGB", None),
    ],
)
def test_each_accepted_format_reports_its_facts(data, fmt, content_type, extension, mode, dpi):
    facts = inspect_image(io.BytesIO(data), max_pixels=LIMIT)

    assert (facts.format, facts.content_type, facts.extension) == (fmt, content_type, extension)
    assert (facts.width, facts.height, facts.mode, facts.bit_depth) == (64, 48, mode, 8)
    assert facts.dpi == dpi
    assert facts.has_icc_profile is False and facts.icc_description is None
    assert facts.exif_orientation is None


def test_facts_name_colour_spaces_and_bit_depths():
    cmyk = inspect_image(io.BytesIO(images.tiff_bytes(mode="CMYK")), max_pixels=LIMIT)
    gray16 = inspect_image(io.BytesIO(images.gray16()), max_pixels=LIMIT)
    palette = inspect_image(io.BytesIO(images.png_bytes(mode="P")), max_pixels=LIMIT)

    assert (cmyk.mode, cmyk.color_space, cmyk.bit_depth) == ("CMYK", "CMYK", 8)
    assert (gray16.mode, gray16.color_space, gray16.bit_depth) == ("I;16", "Grayscale", 16)
    assert (palette.mode, palette.color_space) == ("P", "Indexed")


def test_a_path_works_like_a_file_object(tmp_path):
    path = tmp_path / "artwork.bin"
    path.write_bytes(images.png_bytes())

    assert make_renditions(path, max_pixels=LIMIT).facts.width == 64
    assert inspect_image(str(path), max_pixels=LIMIT).height == 48


def test_a_file_object_is_rewound_for_the_caller_to_store():
    upload = io.BytesIO(images.png_bytes())
    upload.seek(10)

    make_renditions(upload, max_pixels=LIMIT)
    assert upload.tell() == 0


def test_concurrent_calls_each_get_their_own_limit():
    small, large = images.png_bytes(), images.png_bytes(300, 200)
    jobs = [(small, 10_000), (large, 10_000), (large, 100_000), (small, 4_000)] * 3

    def code(job):
        try:
            renditions(job[0], max_pixels=job[1])
        except ImageRejected as exc:
            return exc.code
        return "ok"

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(code, jobs))
    assert codes == ["ok", "too_many_pixels", "ok", "ok"] * 3


def test_exif_orientation_6_swaps_width_and_height_and_rotates_the_preview():
    facts, preview, thumb = renditions(images.with_exif_orientation(6, width=60, height=40))

    assert (facts.width, facts.height, facts.exif_orientation) == (40, 60, 6)
    shown = opened(preview)
    assert shown.size == (40, 60) and opened(thumb).size == (40, 60)
    # Stored left (red) is shown at the top once turned clockwise.
    assert near(shown.getpixel((20, 5)), images.RED, 40)
    assert near(shown.getpixel((20, 55)), images.BLUE, 40)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF", "WEBP"])
def test_an_icc_profile_is_reported_and_stripped_from_the_renditions(fmt):
    facts, preview, thumb = renditions(images.with_icc(fmt))

    assert facts.has_icc_profile is True
    assert facts.icc_description == "sRGB built-in"
    for data in (preview, thumb):
        out = opened(data)
        assert out.format == "WEBP" and out.mode == "RGB"
        assert not out.info.get("icc_profile") and not out.info.get("exif")
        assert not out.info.get("xmp") and not out.getexif()
        assert near(out.getpixel((2, 2)), images.RED)


@pytest.mark.parametrize("fmt", ["JPEG", "TIFF"])
def test_cmyk_artwork_produces_an_rgb_preview(fmt):
    data = images.encode(images.image(mode="CMYK"), fmt)
    facts, preview, _ = renditions(data)

    out = opened(preview)
    assert facts.mode == "CMYK" and out.mode == "RGB"
    assert near(out.getpixel((2, 2)), images.RED) and near(out.getpixel((61, 45)), images.BLUE)


def test_a_large_cmyk_jpeg_is_decoded_at_reduced_scale_with_full_size_facts():
    data = images.encode(images.image(3000, 2000, mode="CMYK"), "JPEG", progressive=True)
    facts, preview, _ = renditions(data, preview_px=300, thumb_px=100)

    out = opened(preview)
    assert (facts.width, facts.height) == (3000, 2000) and out.size == (300, 200)
    assert near(out.getpixel((5, 5)), images.RED) and near(out.getpixel((295, 195)), images.BLUE)


def test_a_profile_that_does_not_fit_the_colours_is_ignored():
    data = images.encode(images.image(mode="CMYK"), "JPEG", icc_profile=images.srgb_profile())
    _, preview, _ = renditions(data)

    assert near(opened(preview).getpixel((2, 2)), images.RED)


@pytest.mark.parametrize(("fmt", "mode"), [("PNG", "I;16"), ("TIFF", "I;16"), ("TIFF", "I;16B")])
def test_16_bit_grayscale_produces_mid_grey_not_white(fmt, mode):
    facts, preview, _ = renditions(images.gray16(fmt, value=32768, mode=mode))

    assert facts.bit_depth == 16
    assert opened(preview).getpixel((5, 5)) == (128, 128, 128)


@pytest.mark.parametrize("make", [images.rgb48_png, images.rgb48_tiff])
def test_48_bit_rgb_is_scaled_to_8_bit(make):
    facts, preview, _ = renditions(make((65535, 32768, 0)))

    assert (facts.mode, facts.bit_depth) == ("RGB", 16)
    assert near(opened(preview).getpixel((5, 5)), (255, 128, 0), 2)


def test_16_bit_extremes_stay_black_and_white():
    for value, expected in ((0, 0), (65535, 255)):
        _, preview, _ = renditions(images.gray16(value=value))
        assert opened(preview).getpixel((5, 5)) == (expected,) * 3


def test_transparency_of_palette_and_grey_images_is_kept():
    palette = Image.new("P", (64, 48), 0)
    palette.putpalette([*images.RED, *images.BLUE])
    palette.paste(1, (32, 0, 64, 48))
    palette.info["transparency"] = 0
    grey = images.image(mode="LA")
    grey.putalpha(Image.new("L", grey.size, 100))

    for data in (images.encode(palette, "PNG"), images.encode(grey, "PNG")):
        out = opened(renditions(data).preview)
        assert out.mode == "RGBA"
        assert out.getpixel((2, 2))[3] < 110 and out.getpixel((61, 45))[3] > 90


def test_a_camera_mpo_is_taken_as_its_first_jpeg_picture():
    facts = renditions(images.mpo_bytes()).facts

    assert (facts.format, facts.content_type, facts.width) == ("JPEG", "image/jpeg", 64)


def test_preview_and_thumbnail_keep_the_aspect_within_their_long_side():
    facts, preview, thumb = renditions(images.png_bytes(3000, 1000))

    assert (facts.width, facts.height) == (3000, 1000)
    assert opened(preview).size == (2048, 683)
    assert opened(thumb).size == (400, 133)


def test_custom_sizes_and_small_images_are_never_enlarged():
    _, preview, thumb = renditions(images.jpeg_bytes(1000, 2000), preview_px=800, thumb_px=100)
    _, small, tiny = renditions(images.png_bytes(30, 20))

    assert opened(preview).size == (400, 800) and opened(thumb).size == (50, 100)
    assert opened(small).size == opened(tiny).size == (30, 20)


REFUSALS = [
    ("empty", lambda: b"", "empty"),
    ("html named .png", images.html_as_png, "unsupported_type"),
    ("svg with script named .png", images.svg_with_script, "unsupported_type"),
    ("zip", images.zip_bytes, "unsupported_type"),
    ("gif", images.gif_bytes, "unsupported_type"),
    ("bmp", lambda: images.encode(images.image(), "BMP"), "unsupported_type"),
    ("pdf", images.pdf_bytes, "unsupported_type"),
    ("truncated png", lambda: images.truncated(images.png_bytes(300, 200)), "corrupt"),
    ("truncated jpeg", lambda: images.truncated(images.jpeg_bytes(300, 200)), "corrupt"),
    ("truncated tiff", lambda: images.truncated(images.tiff_bytes(300, 200)), "corrupt"),
    ("truncated webp", lambda: images.truncated(images.webp_bytes(300, 200)), "corrupt"),
    ("png without its end", lambda: images.png_bytes()[:-6], "corrupt"),
    ("bit-flipped png", lambda: images.bit_flipped(images.png_bytes(300, 200)), "corrupt"),
    ("header only", lambda: images.png_bytes()[:20], "corrupt"),
    ("animated png", images.animated_png, "animated"),
    ("animated webp", images.animated_webp, "animated"),
    ("multipage tiff", images.multipage_tiff, "animated"),
    ("pixel bomb png", lambda: images.bomb_png(12_000, 12_000), "too_many_pixels"),
    ("pixel bomb tiff", lambda: images.bomb_tiff(12_000, 12_000), "too_many_pixels"),
    ("just over the limit", lambda: images.bomb_png(7_100, 7_100), "too_many_pixels"),
]


@pytest.mark.parametrize(("make", "code"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_unacceptable_uploads_are_refused_with_their_code(make, code, tmp_path):
    path = tmp_path / "artwork.png"  # the name says PNG whatever the content is
    path.write_bytes(make())

    for check in (make_renditions, inspect_image):
        with pytest.raises(ImageRejected) as caught:
            check(path, max_pixels=LIMIT)
        assert caught.value.code == code
        assert "Vui lòng" in str(caught.value)


@pytest.mark.parametrize("keep", [0.3, 0.9, -2])
def test_a_truncated_jpeg_is_refused_though_decoded_at_reduced_scale(keep):
    data = images.jpeg_bytes(2400, 1600)
    cut = data[:keep] if keep < 0 else images.truncated(data, keep)

    with pytest.raises(ImageRejected) as caught:
        renditions(cut, preview_px=300, thumb_px=100)  # DCT scaling at 1/8
    assert caught.value.code == "corrupt"


def test_refusal_messages_say_what_is_accepted_and_what_the_file_is():
    with pytest.raises(ImageRejected) as gif:
        renditions(images.gif_bytes())
    with pytest.raises(ImageRejected) as svg:
        renditions(images.svg_with_script())

    assert "ảnh GIF" in str(gif.value) and "PNG, JPEG, TIFF hoặc WebP" in str(gif.value)
    assert "SVG" in str(svg.value) and "tệp in" in str(svg.value)


def test_other_uploads_are_described_only_when_recognised():
    heic = b"\x00\x00\x00\x18ftypheic" + bytes(32)
    for data, expected in (
        (heic, "ảnh HEIC/AVIF"),
        ("Khẩu hiệu tuyên truyền".encode(), "tệp văn bản"),
        (bytes(range(256)) * 4, "Tệp tải lên không phải ảnh mẫu"),
    ):
        with pytest.raises(ImageRejected, match=expected):
            renditions(data)


def test_broken_exif_does_not_refuse_good_pixels():
    data = images.encode(images.image(), "JPEG", exif=b"Exif\x00\x00II*\x00\x08\x00\xff\xff")

    assert renditions(data).facts.exif_orientation is None


def test_too_many_pixels_names_the_size_and_the_limit_in_megapixels():
    with pytest.raises(ImageRejected) as caught:
        renditions(images.bomb_png(12_000, 12_000), max_pixels=100_000_000 // 2)

    assert "12000 × 12000" in str(caught.value)
    assert "144 megapixel" in str(caught.value) and "50 megapixel" in str(caught.value)
    # The largest size of the same shape that would be taken: 7071 × 7071 = 49.998 MP.
    assert "lớn nhất được nhận là 7071 × 7071 điểm ảnh" in str(caught.value)


def test_a_limit_above_pillows_own_default_is_honoured_without_warnings():
    assert Image.MAX_IMAGE_PIXELS is not None
    width = height = 10_000  # 100 MP: above Pillow's 89.5 MP warning threshold
    with pytest.raises(ImageRejected) as caught:
        renditions(images.bomb_png(width, height), max_pixels=99_000_000)
    assert caught.value.code == "too_many_pixels"

    facts = inspect_image(io.BytesIO(images.bomb_png(width, height)), max_pixels=100_000_000)
    assert (facts.width, facts.mode, facts.bit_depth) == (width, "1", 1)


def test_pillow_globals_are_left_as_they_were():
    before = Image.MAX_IMAGE_PIXELS
    renditions(images.png_bytes())
    with pytest.raises(ImageRejected):
        renditions(images.bomb_png(12_000, 12_000))

    assert before == Image.MAX_IMAGE_PIXELS
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (images.png_bytes(), "PNG"),
        (images.jpeg_bytes(), "JPEG"),
        (images.tiff_bytes(), "TIFF"),
        (images.webp_bytes(), "WEBP"),
        (images.gif_bytes(), None),
        (images.pdf_bytes(), None),
        (b"", None),
    ],
)
def test_sniff_names_the_artwork_format_from_the_first_bytes(data, expected):
    assert sniff(io.BytesIO(data)) == expected


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (images.pdf_bytes, "pdf"),
        (images.eps_bytes, "eps"),
        (images.dos_eps_bytes, "eps"),
        (images.legacy_ai_bytes, "ai"),
        (images.psd_bytes, "psd"),
        (images.cdr_bytes, "cdr"),
        (images.cdr_zip_bytes, "cdr"),
        (images.svg_bytes, "svg"),
        (images.svg_with_script, "svg"),
        (lambda: b'<?xml-stylesheet href="a.css"?>\n<!DOCTYPE svg [<!ENTITY a "b">]><svg/>', "svg"),
    ],
)
def test_sniff_print_file_recognises_each_kind(make, kind, tmp_path):
    path = tmp_path / "print.bin"
    path.write_bytes(make())

    assert sniff_print_file(path) == kind
    assert PRINT_FILE_CONTENT_TYPES[kind] in {
        "application/pdf",
        "application/postscript",
        "image/vnd.adobe.photoshop",
        "application/octet-stream",
        "image/svg+xml",
    }


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,
        b"",
        images.zip_bytes(),
        images.html_as_png(),
        images.png_bytes(),
        b"<?xml version='1.0'?><note>no svg here</note>",
        b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><svg/></html>',
        b"<!--" * 2000,
    ],
)
def test_sniff_print_file_refuses_anything_else(data):
    assert sniff_print_file(io.BytesIO(data)) is None


def test_effective_ppi_is_the_lower_axis_in_pixels_per_inch():
    assert effective_ppi(3000, 1000, 254, 84.666666) == pytest.approx(30.0)
    assert effective_ppi(11811, 5000, 100, 50) == pytest.approx(254.0, rel=1e-3)
    assert effective_ppi(6000, 3000, 300, 100) == pytest.approx(50.8)


def test_aspect_mismatch_is_the_relative_difference_of_the_ratios():
    assert aspect_mismatch(3000, 1000, 300, 100) == 0.0
    assert aspect_mismatch(3100, 1000, 300, 100) == pytest.approx(1 / 30)
    assert aspect_mismatch(1000, 3100, 100, 300) == pytest.approx(1 / 30)
    assert aspect_mismatch(1000, 1000, 200, 100) == pytest.approx(1.0)


@pytest.mark.parametrize("helper", [effective_ppi, aspect_mismatch])
def test_print_helpers_refuse_a_size_of_zero(helper):
    with pytest.raises(ValueError, match="phải lớn hơn 0"):
        helper(100, 100, 0, 10)


@pytest.fixture(scope="module")
def large_png(tmp_path_factory):
    path = tmp_path_factory.mktemp("large") / "large.png"
    images.image(10_000, 10_000).save(path, compress_level=1)
    return path


@pytest.mark.slow
def test_a_100_megapixel_png_gets_its_renditions(large_png):
    facts, preview, thumb = make_renditions(large_png, max_pixels=120_000_000)

    assert (facts.width, facts.height) == (10_000, 10_000)
    shown = opened(preview)
    assert shown.size == (2048, 2048) and opened(thumb).size == (400, 400)
    assert near(shown.getpixel((10, 1000)), images.RED) and near(
        shown.getpixel((2030, 1000)), images.BLUE
    )


def test_the_header_check_decodes_nothing_but_refuses_what_the_structure_shows(tmp_path):
    damaged = tmp_path / "damaged.tif"
    damaged.write_bytes(images.damaged_tiff())

    facts = read_header(damaged, max_pixels=LIMIT)  # sound header and layout: taken here
    assert (facts.format, facts.width, facts.height) == ("TIFF", 300, 200)
    with pytest.raises(ImageRejected) as caught:
        make_renditions(damaged, max_pixels=LIMIT)  # its pixels are not
    assert caught.value.code == "corrupt"
    for data, code in (
        (images.jpeg_bytes(600, 400)[:-2], "corrupt"),  # no end-of-image marker
        (images.truncated(images.tiff_bytes(300, 200), 0.9), "corrupt"),  # strips past the end
        (images.truncated(images.webp_bytes(300, 200), 0.95), "corrupt"),
        (images.bomb_png(12_000, 12_000), "too_many_pixels"),
    ):
        with pytest.raises(ImageRejected) as caught:
            read_header(io.BytesIO(data), max_pixels=LIMIT)
        assert caught.value.code == code


def test_exif_written_after_the_png_pixels_turns_the_facts_and_the_preview():
    exif = Image.Exif()
    exif[0x0112] = 6
    plain = images.png_bytes(60, 40)
    end = plain.rindex(b"IEND") - 4  # eXIf written after IDAT, before IEND
    data = plain[:end] + images.chunk(b"eXIf", exif.tobytes()[6:]) + plain[end:]

    facts = read_header(io.BytesIO(data), max_pixels=LIMIT)
    assert (facts.width, facts.height, facts.exif_orientation) == (40, 60, 6)
    assert opened(make_renditions(io.BytesIO(data), max_pixels=LIMIT).preview).size == (40, 60)


def test_a_progressive_jpeg_and_a_camera_mpo_pass_the_marker_walk():
    progressive = images.jpeg_bytes(800, 600, progressive=True)

    assert read_header(io.BytesIO(progressive), max_pixels=LIMIT).width == 800
    assert read_header(io.BytesIO(images.mpo_bytes()), max_pixels=LIMIT).format == "JPEG"
