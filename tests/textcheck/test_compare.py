"""CT-01 on words read off an artwork: match, differs (naming the word), uncertain, unreadable."""

from __future__ import annotations

from registry.textcheck.compare import check_printed_slogans

SLOGANS = [
    "Một An Giang - Một tầm nhìn - Một ý chí - Một niềm tin thắng lợi",
    "Đoàn kết - Dân chủ - Kỷ cương - Đột phá - Phát triển",
]


def read(*lines: str, conf: float = 95.0, alts: dict | None = None) -> list[dict]:
    """Words as the reading stores them, one line after the other."""
    words = []
    for n, line in enumerate(lines):
        for k, text in enumerate(line.split()):
            words.append(
                {
                    "text": text,
                    "conf": conf,
                    "box": [0.05 * k, 0.2 * n, 0.04, 0.1],
                    "line": n,
                    "alts": (alts or {}).get(text, []),
                }
            )
    return words


def differing(result: dict) -> list[str]:
    return [w["label"] for s in result["slogans"] for w in s["words"] if w["verdict"] == "differs"]


def test_a_slogan_printed_in_capitals_over_two_lines_matches():
    words = read("ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG", "ĐỘT PHÁ - PHÁT TRIỂN")
    result = check_printed_slogans(words, SLOGANS, [SLOGANS[1]])
    assert result["outcome"] == "match"
    assert result["outside"] == []


def test_the_other_tone_placement_is_no_difference():
    slogans = ["Nước Cộng hòa xã hội chủ nghĩa Việt Nam muôn năm!"]
    words = read("NƯỚC CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM MUÔN NĂM!")
    assert check_printed_slogans(words, slogans, [])["outcome"] == "match"


def test_a_changed_tone_mark_is_named_with_its_box_when_every_reading_sees_it():
    words = read(
        "MỘT AN GIANG - MỘT TẦM NHÌN - MỘT Ý CHÍ - MỘT NIỀM TIN THẮNG LỚI",
        alts={"LỚI": ["LỚI", "LỚI", "LỚI"]},
    )
    result = check_printed_slogans(words, SLOGANS, [SLOGANS[0]])
    assert result["outcome"] == "differs"
    assert differing(result) == ["LỢI → LỚI"]
    wrong = next(w for s in result["slogans"] for w in s["words"] if w["verdict"] == "differs")
    assert wrong["box"] == words[-1]["box"]
    assert ["delete", "Ợ"] in [[k, t.upper()] for k, t in wrong["diff"]]
    assert "LỢI → LỚI" in result["summary"]


def test_a_difference_other_readings_do_not_confirm_is_uncertain_not_accused():
    words = read(
        "ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG - ĐỘT PHÁ - PHÁT TRIỀN",
        alts={"TRIỀN": ["TRIỂN", "TRIỂN", "TRIỂN"]},
    )
    result = check_printed_slogans(words, SLOGANS, [SLOGANS[1]])
    assert result["outcome"] == "match"  # most readings saw the slogan's word
    words = read(
        "ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG - ĐỘT PHÁ - PHÁT TRIỀN",
        alts={"TRIỀN": ["TRIỂN", "TRIỀN", "TRIỆN"]},
    )
    result = check_printed_slogans(words, SLOGANS, [SLOGANS[1]])
    assert result["outcome"] == "uncertain"
    assert differing(result) == []


def test_a_change_most_readers_see_is_named_though_a_reader_or_two_correct_it():
    line = "MỘT AN GIANG - MỘT TẦM NHÌN - MỘT Ý CHÍ - MỘT NIỀM TIN THẮNG LỚI"
    alts = {"LỚI": ["LỚI", "LỚI", "LỢI", "LỚI", "LỚI", "LỚI"]}
    result = check_printed_slogans(read(line, conf=95, alts=alts), SLOGANS, [])
    assert result["outcome"] == "differs"
    assert differing(result) == ["LỢI → LỚI"]
    # Two readers of the slogan's word are outvoted by two more readings of the change.
    alts = {"LỚI": ["LỚI", "LỚI", "LỢI", "LỚI", "LỢI", "LỚI"]}
    result = check_printed_slogans(read(line, conf=80, alts=alts), SLOGANS, [])
    assert differing(result) == ["LỢI → LỚI"]
    # Not by fewer, not three readers of the slogan's word, not against an unsure first reading.
    alts = {"LỚI": ["LỚI", "LỚI", "LỢI", "LỢI", "LỢI", "LỚI"]}
    assert check_printed_slogans(read(line, conf=95, alts=alts), SLOGANS, [])["outcome"] == (
        "uncertain"
    )
    alts = {"LỚI": ["LỚI", "", "LỢI", "LỚI", "LỢI", ""]}
    assert check_printed_slogans(read(line, conf=95, alts=alts), SLOGANS, [])["outcome"] == (
        "uncertain"
    )
    alts = {"LỚI": ["LỚI", "LỚI", "LỢI", "LỚI", "LỢI", "LỚI"]}
    assert check_printed_slogans(read(line, conf=50, alts=alts), SLOGANS, [])["outcome"] == (
        "uncertain"
    )


def test_an_unsure_first_reading_is_named_only_when_every_other_reading_sees_the_change():
    line = "ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG - ĐỘT PHÁ - PHÁT TRIỀN"
    alts = {"TRIỀN": ["TRIỀN"] * 6}
    result = check_printed_slogans(read(line, conf=20, alts=alts), SLOGANS, [])
    assert differing(result) == ["TRIỂN → TRIỀN"]
    alts = {"TRIỀN": ["TRIỀN"] * 5 + ["TRIỂN"]}
    assert check_printed_slogans(read(line, conf=20, alts=alts), SLOGANS, [])["outcome"] == (
        "uncertain"
    )


def test_a_garbled_word_other_readings_see_as_the_slogan_word_is_not_called_missing():
    line = "ĐOÀN KẾT - DÂN CHỦ - KỶ C.\\G - ĐỘT PHÁ - PHÁT TRIỂN"
    result = check_printed_slogans(read(line, alts={"C.\\G": ["CƯƠNG"] * 5 + ["C"]}), SLOGANS, [])
    assert result["outcome"] == "match", result["summary"]
    # Read again as another word, it is not taken for the slogan's.
    result = check_printed_slogans(read(line, alts={"C.\\G": ["CUỐNG"] * 6}), SLOGANS, [])
    assert result["outcome"] != "match"


def test_a_low_confidence_reading_is_uncertain():
    words = read("ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG - ĐỘT PHÁ - PHÁT TRIỀN", conf=20)
    assert check_printed_slogans(words, SLOGANS, [])["outcome"] == "uncertain"


def test_a_dropped_word_between_sure_words_is_named():
    words = read("ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG - PHÁ - PHÁT TRIỂN")
    result = check_printed_slogans(words, SLOGANS, [])
    assert result["outcome"] == "differs"
    assert differing(result) == ["thiếu “Đột”"]


def test_swapped_words_are_named():
    words = read("ĐOÀN KẾT - DÂN CHỦ - CƯƠNG KỶ - ĐỘT PHÁ - PHÁT TRIỂN", alts={})
    result = check_printed_slogans(words, SLOGANS, [])
    assert result["outcome"] == "differs"
    assert any("sai vị trí" in label for label in differing(result))


def test_text_in_no_slogan_is_listed_as_outside_the_list():
    words = read("ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG - ĐỘT PHÁ - PHÁT TRIỂN", "UBND PHƯỜNG LONG XUYÊN")
    result = check_printed_slogans(words, SLOGANS, [])
    assert result["outcome"] == "match"
    assert [o["text"] for o in result["outside"]] == ["UBND PHƯỜNG LONG XUYÊN"]
    assert "1 dòng chữ ngoài danh mục" in result["summary"]


def test_a_declared_slogan_not_found_on_the_artwork_is_uncertain():
    words = read("ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG - ĐỘT PHÁ - PHÁT TRIỂN")
    result = check_printed_slogans(words, SLOGANS, SLOGANS)
    assert result["outcome"] == "uncertain"
    assert "không thấy trên mẫu khẩu hiệu đã khai báo" in result["summary"]


def test_nothing_read_is_unreadable():
    result = check_printed_slogans([], SLOGANS, [SLOGANS[0]])
    assert result["outcome"] == "unreadable"


def test_a_dot_below_that_the_counted_marks_refute_is_no_difference():
    slogans = ["Thi đua lập thành tích chào mừng Đại hội"]
    words = read("THỊ ĐUA LẬP THÀNH TÍCH CHÀO MỪNG ĐẠI HỘI", alts={"THỊ": ["THỊ", "THỊ", "THỊ"]})
    assert check_printed_slogans(words, slogans, [])["outcome"] == "differs"
    words[0]["dots_below"] = 0  # nothing under the letters: the reading imagined the dot
    assert check_printed_slogans(words, slogans, [])["outcome"] == "match"
    words[0]["dots_below"] = 1  # the dot is there: the banner is wrong
    assert check_printed_slogans(words, slogans, [])["outcome"] == "differs"


def _spaced(texts: list[str], gaps: list[float], conf: float) -> list[dict]:
    """One line of words, each letter 0.01 wide, with the given gaps between the words."""
    words, x = [], 0.05
    for k, text in enumerate(texts):
        width = 0.01 * len(text)
        words.append({"text": text, "conf": conf, "box": [x, 0.4, width, 0.1], "line": 0})
        x += width + (gaps[k] if k < len(gaps) else 0)
    return words


def test_a_word_dropped_between_touching_words_read_less_surely_is_named():
    slogan = ["Thi đua lập thành tích chào mừng Đại hội"]
    texts = ["THI", "LẬP", "THÀNH", "TÍCH", "CHÀO", "MỪNG", "ĐẠI", "HỘI"]
    touching = _spaced(texts, [0.006] * 7, conf=60)
    result = check_printed_slogans(touching, slogan, [])
    assert result["outcome"] == "differs"
    assert differing(result) == ["thiếu “đua”"]
    # Room for a word between THI and LẬP: it may be there unread, so nobody is accused.
    roomy = _spaced(texts, [0.05] + [0.006] * 6, conf=60)
    result = check_printed_slogans(roomy, slogan, [])
    assert result["outcome"] == "uncertain"
    assert differing(result) == []


def test_two_words_swapped_at_the_start_of_a_slogan_are_named():
    words = read("KẾT ĐOÀN - DÂN CHỦ - KỶ CƯƠNG - ĐỘT PHÁ - PHÁT TRIỂN")
    result = check_printed_slogans(words, SLOGANS, [SLOGANS[1]])
    assert result["outcome"] == "differs"
    assert differing(result) == ["“KẾT” sai vị trí"]


def test_a_slogan_s_first_or_last_word_missing_is_named_when_nothing_was_read_beyond_it():
    result = check_printed_slogans(
        read("ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG", "ĐỘT PHÁ - PHÁT"), SLOGANS, []
    )
    assert differing(result) == ["thiếu “triển”"]
    result = check_printed_slogans(
        read("KẾT - DÂN CHỦ - KỶ CƯƠNG - ĐỘT PHÁ - PHÁT TRIỂN"), SLOGANS, []
    )
    assert differing(result) == ["thiếu “Đoàn”"]
    # Something read after the word before it may be the missing word, misread: not accused.
    result = check_printed_slogans(
        read("ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG", "ĐỘT PHÁ - PHÁT", "UBND XÃ MỸ HÒA"), SLOGANS, []
    )
    assert result["outcome"] == "uncertain"
    # Nor where the word before it was read unsurely, or two words are missing.
    words = read("ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG", "ĐỘT PHÁ - PHÁT")
    words[-1]["conf"] = 50.0
    assert check_printed_slogans(words, SLOGANS, [])["outcome"] == "uncertain"
    result = check_printed_slogans(read("ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG", "ĐỘT PHÁ"), SLOGANS, [])
    assert result["outcome"] == "uncertain"


def test_a_slogan_s_first_word_read_garbled_is_compared_not_left_out():
    words = read(
        "NHITT LIỆT CHÀO MỪNG",
        alts={"NHITT": ["NHIỆT"] * 5 + ["NHIT"]},
    )
    result = check_printed_slogans(words, ["Nhiệt liệt chào mừng"], [])
    assert result["outcome"] == "match", result["summary"]
    assert result["outside"] == []


def test_a_misprint_the_first_reading_corrected_is_named_when_the_readings_again_see_it():
    line = "ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG - ĐỘT PHÁ - PHÁT TRIỂN"
    alts = {"CƯƠNG": ["CUƠNG"] * 4 + ["CƯƠNC", ""]}
    result = check_printed_slogans(read(line, conf=75, alts=alts), SLOGANS, [])
    assert differing(result) == ["CƯƠNG → CUƠNG"]
    # One reading again of the slogan's word, or too few of the same change: as first read.
    alts = {"CƯƠNG": ["CUƠNG"] * 4 + ["CƯƠNG", ""]}
    assert check_printed_slogans(read(line, conf=75, alts=alts), SLOGANS, [])["outcome"] == "match"
    alts = {"CƯƠNG": ["CUƠNG"] * 3 + ["CUONG", "CƯƠNC", ""]}
    assert check_printed_slogans(read(line, conf=75, alts=alts), SLOGANS, [])["outcome"] == "match"


def test_words_read_as_the_slogan_s_but_unsurely_are_read_again():
    from registry.textcheck.pipeline import doubtful_words

    words = read("ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG - ĐỘT PHÁ - PHÁT TRIỀN")
    words[0]["conf"] = 70.0
    first = check_printed_slogans(words, SLOGANS, [])
    again = {words[i]["text"] for i in doubtful_words(first)}
    assert again == {"ĐOÀN", "TRIỀN"}


def test_vowels_read_one_at_a_time_are_one_more_vote_for_the_change_they_show():
    line = "ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG - ĐỘT PHÁ - PHÁT TRIỂN"
    printed = line.replace("ĐOÀN", "ĐOẢN")

    def outcome(glyph, alts=("ĐOẢN", "ĐOÀN", "", "Đ.N", "", ""), conf=70):
        words = read(printed, conf=conf, alts={"ĐOẢN": list(alts)})
        words[0]["glyph"] = glyph
        result = check_printed_slogans(words, SLOGANS, [])
        return result["outcome"], differing(result)

    # Two readings of the change against one of the slogan's word: the reviewer is asked.
    assert outcome(None) == ("uncertain", [])
    # The letters read alone show the same change: it is named.
    assert outcome("ĐOẢN") == ("differs", ["ĐOÀN → ĐOẢN"])
    # They stand in for some of the first reading's confidence, not for all of it.
    assert outcome(None, conf=50) == ("uncertain", [])
    assert outcome("ĐOẢN", conf=50) == ("differs", ["ĐOÀN → ĐOẢN"])
    assert outcome("ĐOẢN", conf=30) == ("uncertain", [])
    # Showing the slogan's word or another change, they do not vote at all.
    assert outcome("ĐOÀN") == ("uncertain", [])
    assert outcome("ĐOẠN") == ("uncertain", [])
    # Nor do they outweigh the readings of the slogan's word.
    assert outcome("ĐOẢN", ("ĐOẢN", "ĐOÀN", "ĐOÀN", "", "ĐOÀN", ""))[0] == "match"


def test_a_misprint_read_surely_as_the_slogans_word_is_named_when_its_letters_alone_show_it():
    line = "ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG - ĐỘT PHÁ - PHÁT TRIỂN"

    def outcome(glyph, alts=("ĐOẢN", "ĐOẢN", "ĐOẢN", "ĐOÀN", "ĐOÀN", "")):
        words = read(line, conf=95, alts={"ĐOÀN": list(alts)})
        words[0]["glyph"] = glyph
        result = check_printed_slogans(words, SLOGANS, [])
        return result["outcome"], differing(result)

    # The first reading, sure of the slogan's word, is outweighed by three readings again and
    # the vowels read one at a time, all seeing the same change.
    assert outcome("ĐOẢN") == ("differs", ["ĐOÀN → ĐOẢN"])
    # Not without the letters read alone, not by another change they show, not by as many
    # readings of the slogan's word.
    assert outcome(None) == ("match", [])
    assert outcome("ĐOẠN") == ("match", [])
    assert outcome("ĐOẢN", ("ĐOẢN", "ĐOẢN", "ĐOẢN", "ĐOÀN", "ĐOÀN", "ĐOÀN")) == ("match", [])
