"""Tone marks and their placement: the forms CT-01 and TP-04 compare words by."""

from __future__ import annotations

import pytest

from registry.textcheck.vietnamese import place_tone, strip_marks, tone_style, word_key


@pytest.mark.parametrize(
    ("word", "style"),
    [("Hòa", "old"), ("Hoà", "new"), ("thủy", "old"), ("THUỶ", "new"), ("hoàn", None)],
)
def test_the_tone_placement_of_open_oa_oe_uy_is_recognised(word, style):
    assert tone_style(word) == style


def test_both_placements_compare_equal_but_a_different_tone_or_letter_does_not():
    assert word_key("HÒA") == word_key("hoà")
    assert word_key("LỢI") != word_key("lới")
    assert word_key("MỪNG") != word_key("MƯNG")
    assert word_key("nghĩa") != word_key("nghiã")  # a tone mark on the wrong letter


@pytest.mark.parametrize(
    ("word", "tone", "expected"),
    [("lợi", "\u0301", "lới"), ("Mừng", None, "Mưng"), ("giang", "\u0300", "giàng")],
)
def test_a_tone_is_placed_on_the_letter_that_carries_it(word, tone, expected):
    assert place_tone(word, tone) == expected


def test_stripping_marks_keeps_only_the_base_letters():
    assert strip_marks("ĐẢNG Cộng") == "dang cong"
