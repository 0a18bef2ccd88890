"""TP-04 spelling and tone placement, and the text layer of print files."""

from __future__ import annotations

import pytest

from registry.textcheck import spelling, textlayer
from registry.textcheck.compare import tokens_of_text

WORDLIST = spelling.find_wordlist() or pytest.fail("apt-get install hunspell-vi", pytrace=False)
WORDS = spelling.load_wordlist(WORDLIST)


def read(*lines: str, conf: float = 95.0) -> tuple[list[dict], list[dict]]:
    words, out_lines = [], []
    for n, line in enumerate(lines):
        for text in line.split():
            words.append({"text": text, "conf": conf, "box": [0, 0.1 * n, 0.1, 0.1], "line": n})
        out_lines.append({"text": line, "script": "latin", "language": "vi"})
    return words, out_lines


def test_a_word_missing_from_the_dictionary_is_listed_with_its_box():
    words, lines = read("XÂY DỰNG NÔNG THÔN MỚI VĂN MINH HIỆN ĐẠIJ")
    evidence = spelling.check_spelling(words, lines, WORDS, frozenset())
    assert evidence["result"] == "fail"
    assert [d["text"] for d in evidence["details"]] == ["ĐẠIJ"]
    assert "“ĐẠIJ”" in evidence["summary"]


def test_unit_names_and_campaign_words_are_known_words():
    words, lines = read("PHƯỜNG MỸ THỚI CHÀO MỪNG")
    assert spelling.check_spelling(words, lines, WORDS, frozenset())["result"] == "fail"
    names = frozenset(t.key for t in tokens_of_text("Phường Mỹ Thới"))
    assert spelling.check_spelling(words, lines, WORDS, names)["result"] == "pass"


def test_mixing_both_tone_placements_in_one_artwork_fails():
    words, lines = read("HÒA BÌNH", "THUỶ LỢI")
    evidence = spelling.check_spelling(words, lines, WORDS, frozenset())
    assert evidence["result"] == "fail"
    assert "kiểu cũ (HÒA)" in evidence["summary"] and "kiểu mới (THUỶ)" in evidence["summary"]
    words, lines = read("HÒA BÌNH", "THỦY LỢI")
    assert spelling.check_spelling(words, lines, WORDS, frozenset())["result"] == "pass"


def test_a_word_read_without_confidence_is_no_spelling_error():
    words, lines = read("XÂY DỰNG NÔNG THÔN MỚI VĂN MINH HIỆN ĐẠIJ", conf=50)
    evidence = spelling.check_spelling(words, lines, WORDS, frozenset())
    assert evidence["result"] == "pass"
    assert "chưa chắc chắn không xét" in evidence["summary"]


def test_without_a_word_list_spelling_is_left_to_the_reviewer():
    words, lines = read("HÒA BÌNH")
    evidence = spelling.check_spelling(words, lines, None, frozenset())
    assert evidence["result"] is None and "hunspell-vi" in evidence["summary"]


def test_cham_letters_of_the_declared_text_ask_for_a_reader():
    evidence = spelling.check_scripts([], None, "ꨌꨯꨮ ꨚꨩꨘ")
    assert evidence["result"] is None and "Chăm" in evidence["summary"]


def test_an_svg_print_file_gives_its_text_lines(tmp_path):
    path = tmp_path / "in.svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="500" height="100">'
        '<text x="10" y="40">ĐOÀN KẾT - DÂN CHỦ</text>'
        '<text x="10" y="80"><tspan>KỶ CƯƠNG</tspan> - <tspan>ĐỘT PHÁ</tspan></text></svg>',
        encoding="utf-8",
    )
    assert textlayer.extract(path, "svg") == (["ĐOÀN KẾT - DÂN CHỦ", "KỶ CƯƠNG - ĐỘT PHÁ"], None)


def test_an_svg_with_entities_is_refused_without_expanding_them(tmp_path):
    path = tmp_path / "bomb.svg"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>'
    )
    lines, note = textlayer.extract(path, "svg")
    assert lines == [] and "Không đọc được lớp chữ" in note


def test_a_pdf_print_file_gives_the_text_of_its_text_layer(tmp_path):
    from tests.textcheck.pdf import text_pdf

    path = tmp_path / "in.pdf"
    path.write_bytes(text_pdf(["DOAN KET - DAN CHU", "KY CUONG"]))
    assert textlayer.extract(path, "pdf") == (["DOAN KET - DAN CHU", "KY CUONG"], None)
