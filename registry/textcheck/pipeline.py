"""The whole reading of one artwork as the worker runs it: read, compare with the slogans,
read the doubtful words again. No Flask here (the benchmark runs it as the registry does)."""

from __future__ import annotations

from dataclasses import asdict

from registry.textcheck.compare import REREAD_BELOW, check_printed_slogans
from registry.textcheck.ocr import Engine, Picture, Reading, read_artwork, read_glyphs, reread
from registry.textcheck.vietnamese import word_key


def read_for_checks(
    picture: Picture, engine: Engine, slogans: list[str], *, target_px: int = 44
) -> Reading:
    """Read the artwork; every word that differs from a slogan, or matches it unsurely, is
    read again. Every word that stands for a slogan's word has its vowels read one at a time
    too; a word read surely whose vowels read alone differ from the slogan's is read again."""
    reading = read_artwork(picture, engine, target_px=target_px)
    first = check_printed_slogans([asdict(w) for w in reading.words], slogans, [])
    doubtful = doubtful_words(first)
    expected = slogan_words(first)
    sure = {i: text for i, text in expected.items() if i not in doubtful}
    read_glyphs(picture, engine, reading, sure, target_px=target_px)
    doubtful += [
        i
        for i, text in sure.items()
        if reading.words[i].glyph is not None and word_key(reading.words[i].glyph) != word_key(text)
    ]
    reread(
        picture,
        engine,
        reading,
        sorted(doubtful),
        expected={i: expected[i] for i in doubtful if i in expected and i not in sure},
        target_px=target_px,
    )
    reading.passes = picture.passes
    return reading


def doubtful_words(first: dict) -> list[int]:
    """The words to read again after a first comparison: those that differ from a slogan, and
    those read as the slogan's word less surely than ``REREAD_BELOW``."""
    return sorted(
        {
            w["word"]
            for found in first["slogans"]
            for w in found["words"]
            if w["word"] is not None and (w["verdict"] != "ok" or w["conf"] < REREAD_BELOW)
        }
    )


def slogan_words(first: dict) -> dict[int, str]:
    """The slogan word each read word stands for (where the alignment paired them)."""
    return {
        w["word"]: w["expected"]
        for found in first["slogans"]
        for w in found["words"]
        if w["word"] is not None and w["expected"] and w["kind"] in ("equal", "changed")
    }
