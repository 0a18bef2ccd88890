"""The text module: the one cleaning rule for typed text, and the normal forms text is compared in.

Pure functions: no app, no database.
"""

from __future__ import annotations

import unicodedata

import pytest

from registry.text import (
    TextRefused,
    clean_input,
    name_search_key,
    nfc_one_line,
    nfc_stripped,
    normalize_input,
    refusal,
    slogan_match_key,
    vi_number,
)

DECOMPOSED = unicodedata.normalize("NFD", "Tuyên truyền Kết luận 288")


def test_typed_text_is_stored_composed_and_trimmed():
    assert DECOMPOSED != "Tuyên truyền Kết luận 288"
    assert clean_input(f"  {DECOMPOSED}\u00a0\n", "Tên mẫu") == "Tuyên truyền Kết luận 288"


def test_multi_line_text_keeps_its_lines_with_one_kind_of_line_break():
    typed = " Dòng một\r\nDòng hai\rDòng ba\u2028Dòng bốn\tcột \n"
    assert (
        clean_input(typed, "Mô tả", multiline=True) == "Dòng một\nDòng hai\nDòng ba\nDòng bốn\tcột"
    )


def test_single_line_text_refuses_a_line_break_inside():
    with pytest.raises(TextRefused) as caught:
        clean_input("Số 1\nTrần Hưng Đạo", "Địa chỉ", field="address")
    assert caught.value.field == "address" and caught.value.status == 422
    assert caught.value.message.startswith("“Địa chỉ” (address) chỉ được nhập trên một dòng")


@pytest.mark.parametrize(
    "bad, words",
    [
        ("\x00", "ký tự điều khiển"),
        ("\x1b", "ký tự điều khiển"),
        ("\x7f", "ký tự điều khiển"),
        ("\x85", "ký tự điều khiển"),
        ("\u202e", "đảo chiều"),
        ("\u2066", "đảo chiều"),
        ("\u200f", "đảo chiều"),
        ("\u061c", "đảo chiều"),
        ("\ud800", "nửa cặp mã UTF-16"),
        ("\udfff", "nửa cặp mã UTF-16"),
    ],
)
@pytest.mark.parametrize("multiline", [False, True])
def test_control_bidi_and_surrogate_characters_are_refused_anywhere(bad, words, multiline):
    code = f"U+{ord(bad):04X}"
    for typed in (f"Pano{bad}", f"{bad}Pano", f"Pa{bad}no"):
        with pytest.raises(TextRefused) as caught:
            clean_input(typed, "Tên mẫu", multiline=multiline)
        assert caught.value.message.startswith("“Tên mẫu” chứa"), caught.value.message
        assert words in caught.value.message and code in caught.value.message
        assert caught.value.code == "bad_text"


def test_text_of_only_blanks_is_refused_when_required_and_empty_otherwise():
    with pytest.raises(TextRefused) as caught:
        clean_input(" \u3000\t ", "Tên mẫu", required=True, field="title")
    assert (
        caught.value.code == "blank" and "Vui lòng nhập “Tên mẫu” (title)" in caught.value.message
    )
    assert clean_input("   ", "Mô tả") == ""
    assert clean_input(None, "Mô tả") == ""


def test_refusal_says_nothing_about_ordinary_vietnamese():
    text = "Đoàn kết - Dân chủ - Kỷ cương - Đột phá - Phát triển! (“nháy”, 100%)\n\tdòng 2"
    assert refusal(text, multiline=True) is None
    assert refusal(normalize_input(DECOMPOSED)) is None


def test_nfc_stripped_keeps_lines_and_nfc_one_line_makes_one():
    assert nfc_stripped(f"\n {DECOMPOSED}\nhai \n") == "Tuyên truyền Kết luận 288\nhai"
    assert nfc_one_line(f" {DECOMPOSED}\n  hai ") == "Tuyên truyền Kết luận 288 hai"
    assert nfc_stripped(None) == nfc_one_line(None) == ""


def test_slogans_compare_alike_across_dashes_spacing_and_composition():
    typed = unicodedata.normalize("NFD", "Đoàn kết  –  Dân chủ — Kỷ cương")
    assert slogan_match_key(typed) == "Đoàn kết - Dân chủ - Kỷ cương"


def test_unit_names_match_across_case_spacing_and_tone_placement():
    assert name_search_key("Xã  Hoà Lạc") == name_search_key("xã hòa lạc") == "xã hòa lạc"
    assert name_search_key(unicodedata.normalize("NFD", "Phường Thủy")) == "phường thủy"
    assert name_search_key("Xã Mỹ Thuỷ") == name_search_key("Xã Mỹ Thủy")


def test_the_text_module_imports_nothing_of_flask():
    import ast
    import inspect

    import registry.text

    tree = ast.parse(inspect.getsource(registry.text))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    # registry.error_codes is a plain enum: the list of codes, no Flask either. flask_babel only
    # translates the messages: without an app it answers the Vietnamese source as it is.
    allowed = {
        "__future__",
        "unicodedata",
        "flask_babel",
        "registry.error_codes",
        "registry.exceptions",
    }
    assert imported == allowed, imported


def test_measures_are_written_the_vietnamese_way():
    # The pages show "600,5 × 200 cm", never "600.5 × 200.0 cm".
    assert vi_number(600.5) == "600,5"
    assert vi_number(200.0) == "200"
    assert vi_number(1200) == "1 200"
    assert vi_number(8.66, 2) == "8,66"
