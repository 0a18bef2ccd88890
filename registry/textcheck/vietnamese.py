"""Vietnamese letters: tone marks, their placement, and forms for comparing words.

A syllable carries at most one tone mark (grave, acute, tilde, hook, dot below) besides the
letter's own diacritics (circumflex, breve, horn, the stroke of đ). Two orthographies place the
tone of an open "oa", "oe", "uy" differently ("hòa" and "hoà"); both are correct, mixing them in
one artwork is not.
"""

from __future__ import annotations

import unicodedata

from registry.text import name_search_key

TONES = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi", "\u0323": "nặng"}
VOWELS = set("aăâeêioôơuưy")
MODIFIED = set("ăâêôơư")
# Open pairs whose tone the new orthography puts on the second vowel.
NEW_STYLE_PAIRS = {"oa", "oe", "uy"}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def split_tone(word: str) -> tuple[str, str | None]:
    """The word without its tone mark (NFC), and the tone mark (a combining character) if any."""
    tone = None
    kept = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in TONES:
            tone = ch
        else:
            kept.append(ch)
    return nfc("".join(kept)), tone


def strip_marks(text: str) -> str:
    """Letters without any diacritic (đ becomes d), lower case: for finding where words align."""
    base = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return base.replace("đ", "d").replace("Đ", "D").lower()


def _nucleus(letters: str) -> tuple[int, int, bool]:
    """Start and end of the vowel cluster of a lower-case toneless syllable, and whether a
    consonant follows it."""
    i = 0
    while i < len(letters) and letters[i] not in VOWELS:
        i += 1
    # "qu" and "gi" before another vowel: the u or i belongs to the initial consonant.
    joined = letters[i - 1 : i + 1] if i > 0 else ""
    if i < len(letters) - 1 and letters[i + 1] in VOWELS and joined in ("qu", "gi"):
        i += 1
    j = i
    while j < len(letters) and letters[j] in VOWELS:
        j += 1
    return i, j, j < len(letters)


def tone_position(letters: str, *, new_style: bool = True) -> int | None:
    """Index of the vowel that carries the tone in a lower-case toneless syllable."""
    start, end, closed = _nucleus(letters)
    if start >= end:
        return None
    cluster = letters[start:end]
    modified = [k for k, ch in enumerate(cluster) if ch in MODIFIED]
    if modified:
        return start + modified[-1]
    if closed:
        return end - 1
    if len(cluster) == 1:
        return start
    if len(cluster) == 2:
        return start + (1 if new_style and cluster in NEW_STYLE_PAIRS else 0)
    return start + 1


def place_tone(word: str, tone: str | None, *, new_style: bool = True) -> str:
    """The word with its tone mark replaced by `tone` (None removes it), placed by the rules."""
    base, _ = split_tone(word)
    if tone is None:
        return base
    lower = base.lower()
    position = tone_position(lower, new_style=new_style)
    if position is None:
        return base
    decomposed = unicodedata.normalize("NFD", base[position])
    return nfc(base[:position] + decomposed + tone + base[position + 1 :])


def tone_style(word: str) -> str | None:
    """'old' or 'new' where the word shows which placement it follows (open oa/oe/uy), else
    None."""
    base, tone = split_tone(word)
    if tone is None:
        return None
    lower = base.lower()
    start, end, closed = _nucleus(lower)
    if closed or end - start != 2 or lower[start:end] not in NEW_STYLE_PAIRS:
        return None
    if nfc(word) == place_tone(base, tone, new_style=True):
        return "new"
    if nfc(word) == place_tone(base, tone, new_style=False):
        return "old"
    return None


def word_key(word: str) -> str:
    """A word's identity for comparing: registry.text's matching form (NFC, lower case, one
    tone placement), so that "Hoà" and "hòa" compare equal but "lợi" and "lới", or a tone
    mark on the wrong letter ("nghiã"), do not."""
    return name_search_key(word)


def casefold(text: str) -> str:
    """NFC, lower case (Vietnamese has no letter whose case folding changes its marks)."""
    return nfc(text).lower()
