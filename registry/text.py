"""Text rules: the one cleaning rule for what users type, and the normal forms text is compared
and stored in. Pure functions; only their messages go through Flask-Babel (the reader's language,
the Vietnamese source outside a request).

Every free-text field, in forms and in the API, goes through `clean_input` (or `refusal` where
the caller words the message itself): NFC, trimmed, and refused when it holds a character that
must never be stored or shown: a control character, a bidirectional control, or half of a
UTF-16 surrogate pair (which no database or page can encode).
"""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _

from registry.error_codes import ErrorCode
from registry.exceptions import InvalidInput

# Bidirectional controls can make "gpj.exe" show as "exe.jpg" and reorder words on screen.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# What a multi-line field keeps: line breaks (CR LF, CR, U+2028 and U+2029 become LF) and tabs.
_LINE_BREAKS = ("\r\n", "\r", "\u2028", "\u2029")
_MULTILINE_WHITESPACE = frozenset("\n\t\r\u2028\u2029")
# Trimmed from both ends: spaces of every width, tabs and line breaks (never other controls,
# which are refused wherever they stand).
_BLANKS = " \t\n\r\u00a0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)

# The national export writes "Hoà" where the resolution writes "Hòa"; search treats them alike.
_OLD_STYLE_TONES = {
    "oà": "òa",  # not interface: spelling data
    "oá": "óa",  # not interface: spelling data
    "oả": "ỏa",  # not interface: spelling data
    "oã": "õa",  # not interface: spelling data
    "oạ": "ọa",  # not interface: spelling data
    "uỳ": "ùy",  # not interface: spelling data
    "uý": "úy",  # not interface: spelling data
    "uỷ": "ủy",  # not interface: spelling data
    "uỹ": "ũy",  # not interface: spelling data
    "uỵ": "ụy",  # not interface: spelling data
    "oè": "òe",  # not interface: spelling data
    "oé": "óe",  # not interface: spelling data
    "oẻ": "ỏe",  # not interface: spelling data
    "oẽ": "õe",  # not interface: spelling data
    "oẹ": "ọe",  # not interface: spelling data
}
_DASHES = ("–", "—", "‐", "−")


class TextRefused(InvalidInput):
    """A free-text value holds a character the registry never stores."""

    code = ErrorCode.BAD_TEXT


def _codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def nfc_stripped(text: str | None) -> str:
    """NFC without surrounding blanks; line breaks inside are kept."""
    return unicodedata.normalize("NFC", text or "").strip(_BLANKS)


def nfc_one_line(text: str | None) -> str:
    """NFC with every run of blanks (line breaks too) made one space: names, slogans, labels."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def slogan_match_key(text: str) -> str:
    """NFC, one space between words, one kind of dash: the form slogans are compared in."""
    text = unicodedata.normalize("NFC", text)
    for dash in _DASHES:
        text = text.replace(dash, "-")
    return " ".join(text.split())


def name_search_key(text: str) -> str:
    """NFC, lower case, single spaces and one tone-mark placement: the form names are matched in."""
    folded = nfc_one_line(text).lower()
    for old, new in _OLD_STYLE_TONES.items():
        folded = folded.replace(old, new)
    return folded


# Vietnamese dictionary order: letters with breve, circumflex and horn, and đ, are letters of
# their own; tones (none, grave, hook, tilde, acute, dot below) only break ties.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"  # not interface: the alphabet's order
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def search_fold(text: str | None) -> str:
    """Lower case without any diacritics (đ as d), one space between words: what people type
    when they search ("ly thai to" for "Lý Thái Tổ"), and the form stored for matching it."""
    decomposed = unicodedata.normalize("NFD", nfc_one_line(text).lower())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d")  # not interface: a letter folded for search


def sort_key(text: str | None) -> tuple:
    """A key that sorts Vietnamese names in dictionary order, ignoring case: "Tân Châu" before
    "Thới Sơn", "Đông" after "Dương" (an equivalent of ICU's Vietnamese collation)."""
    primary, tones = [], []
    for ch in nfc_one_line(text).lower():
        parts = unicodedata.normalize("NFD", ch)
        tone = next((_TONES[m] for m in parts if m in _TONES), 0)
        letter = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES))
        if letter in _LETTER_RANK:
            primary.append(1000 + _LETTER_RANK[letter])
        elif letter.isdigit():
            primary.append(500 + int(letter) if letter.isascii() else 999)
        else:
            primary.append(ord(letter) if letter == " " else 2000 + ord(letter))
        tones.append(tone)
    return tuple(primary), tuple(tones)


def normalize_input(text: str | None, *, multiline: bool = False) -> str:
    """What a typed value is stored as: NFC, trimmed, line breaks as \\n (multi-line fields)."""
    text = text or ""
    if multiline:
        for line_break in _LINE_BREAKS:
            text = text.replace(line_break, "\n")
    return nfc_stripped(text)


def unencodable(text: str | None) -> str | None:
    """Why the value cannot even be encoded (half of a surrogate pair), or None."""
    for ch in text or "":
        if "\ud800" <= ch <= "\udfff":
            return _(
                "chứa ký tự không hợp lệ (%(codepoint)s, nửa cặp mã UTF-16 không thành chữ); "
                "vui lòng gõ lại nội dung này.",
                codepoint=_codepoint(ch),
            )
    return None


def refusal(text: str | None, *, multiline: bool = False) -> str | None:
    """Why the value may not be stored, as the end of a sentence whose subject is the field's
    name ("“Tên mẫu” chứa …", "“Title” contains …"); None when it may."""
    if problem := unencodable(text):
        return problem
    for ch in text or "":
        if ch in BIDI_CONTROLS:
            return _(
                "chứa ký tự đảo chiều hiển thị (%(codepoint)s) có thể làm chữ hiện sai thứ "
                "tự; vui lòng xóa ký tự này rồi gửi lại.",
                codepoint=_codepoint(ch),
            )
        if multiline and ch in _MULTILINE_WHITESPACE:
            continue
        if ch in "\r\n\u2028\u2029":
            return _("chỉ được nhập trên một dòng; vui lòng bỏ ký tự xuống dòng.")
        if unicodedata.category(ch) == "Cc":
            return _(
                "chứa ký tự điều khiển không hiển thị được (%(codepoint)s); "
                "vui lòng xóa ký tự này rồi gửi lại.",
                codepoint=_codepoint(ch),
            )
    return None


def clean_input(
    text: str | None,
    label: str,
    *,
    multiline: bool = False,
    required: bool = False,
    field: str | None = None,
) -> str:
    """The typed value as it is stored, or TextRefused naming the field (label, API name)."""
    subject = f"“{label}”" + (f" ({field})" if field and field != label else "")
    text = normalize_input(text, multiline=multiline)
    if problem := refusal(text, multiline=multiline):
        raise TextRefused(f"{subject} {problem}", field=field)
    if required and not text:
        raise TextRefused(
            _("Vui lòng nhập %(subject)s: không để trống hoặc chỉ có dấu cách.", subject=subject),
            code=ErrorCode.BLANK,
            field=field,
        )
    return text


def vi_number(value: float, places: int = 1) -> str:
    """A measure written the Vietnamese way: "600,5", "1 200", "80" (no ",0")."""
    return f"{value:,.{places}f}".replace(",", " ").replace(".", ",").removesuffix(",0")
