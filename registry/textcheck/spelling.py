"""TP-04 (spelling and tone-mark consistency), TP-05 (Khmer and Cham script) and PL-01 (foreign
text smaller than and below the Vietnamese): pure checks over a reading, returning evidence."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from registry.textcheck.compare import tokens_of_text
from registry.textcheck.vietnamese import nfc, strip_marks, tone_style, word_key

WORDLIST_CANDIDATES = ("/usr/share/hunspell/vi_VN.dic", "/usr/share/myspell/vi_VN.dic")
#: Luật Quảng cáo 2012, Điều 18: foreign text at most three quarters of the Vietnamese.
FOREIGN_RATIO = 0.75
#: Words read with at least this confidence are judged for spelling (a misread is no misspelling).
SPELLING_SURE = 85.0


def find_wordlist(configured: str | None = None) -> str | None:
    for candidate in (configured, *WORDLIST_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@cache
def load_wordlist(path: str) -> frozenset[str]:
    """A hunspell .dic read as a word list (Vietnamese has no affixes: one syllable a line)."""
    words = set()
    with open(path, encoding="utf-8", errors="replace") as fh:
        next(fh, None)  # the count
        for line in fh:
            word = line.split("/", 1)[0].strip()
            if word:
                words.add(word_key(word))
    return frozenset(words)


def has_vietnamese_marks(text: str) -> bool:
    """Letters only Vietnamese uses among Latin scripts: tone marks, ă â ê ô ơ ư đ."""
    return strip_marks(text) != nfc(text).lower() or any(ch in "đĐ" for ch in text)


def _is_word(token: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in token) and not any(
        ch.isdigit() for ch in token
    )


def line_language(text: str, known: frozenset[str], names: frozenset[str]) -> str:
    """'vi' or 'foreign' for a Latin-script line: Vietnamese marks say vi; without them, a line
    whose words are mostly not Vietnamese syllables is foreign."""
    tokens = [t for t in tokens_of_text(text) if _is_word(t.text)]
    if not tokens or has_vietnamese_marks(text):
        return "vi"
    plain = [t for t in tokens if t.key not in names]
    unknown = sum(t.key not in known for t in plain)
    return "foreign" if plain and unknown * 2 >= len(plain) else "vi"


def _evidence(result: str | None, summary: str, details: list | None = None) -> dict:
    return {"result": result, "summary": summary, "details": details or []}


def check_spelling(
    words: list[dict], lines: list[dict], known: frozenset[str] | None, extra: frozenset[str]
) -> dict:
    """TP-04: words not in the Vietnamese word list, and mixed tone placement ("Hòa", "Hoà")."""
    if known is None:
        return _evidence(
            None,
            "Chưa kiểm chính tả: máy chủ thiếu từ điển tiếng Việt (apt-get install hunspell-vi).",
        )
    unknown, styles, doubtful = [], {"old": [], "new": []}, 0
    for word in words:
        line = lines[word["line"]] if word["line"] < len(lines) else {}
        if line.get("script", "latin") != "latin" or line.get("language") == "foreign":
            continue
        for token in tokens_of_text(word["text"]):
            if not _is_word(token.text):
                continue
            style = tone_style(token.text)
            if style:
                styles[style].append({"text": token.text, "box": word["box"]})
            if token.key in known or token.key in extra:
                continue
            if word["conf"] < SPELLING_SURE or _disputed(word, token.key):
                doubtful += 1
                continue
            unknown.append({"text": token.text, "box": word["box"], "conf": word["conf"]})
    mixed = bool(styles["old"] and styles["new"])
    details = [{"kind": "unknown", **u} for u in unknown]
    if mixed:
        details += [{"kind": "tone_" + s, **w} for s in ("old", "new") for w in styles[s]]
    parts = []
    if unknown:
        parts.append(
            f"{len(unknown)} từ không có trong từ điển: "
            + ", ".join(f"“{u['text']}”" for u in unknown[:10])
        )
    if mixed:
        parts.append(
            "dấu thanh đặt không nhất quán: kiểu cũ ("
            + ", ".join(w["text"] for w in styles["old"][:5])
            + ") lẫn kiểu mới ("
            + ", ".join(w["text"] for w in styles["new"][:5])
            + ")"
        )
    note = f" ({doubtful} từ đọc chưa chắc chắn không xét.)" if doubtful else ""
    if parts:
        return _evidence("fail", "Chính tả: " + "; ".join(parts) + "." + note, details)
    return _evidence(
        "pass", "Các từ đọc được đều có trong từ điển; dấu thanh đặt nhất quán." + note, details
    )


def _disputed(word: dict, key: str) -> bool:
    """Another reading of the word saw something else."""
    return any(key not in {t.key for t in tokens_of_text(alt)} for alt in word.get("alts", []))


def check_scripts(lines: list[dict], text_layer: list[str] | None, declared: str) -> dict:
    """TP-05: Khmer or Cham script on the artwork, in its text layer or in the declared text."""
    found = [
        {"text": line["text"], "box": line["box"], "script": line["script"], "source": "ảnh"}
        for line in lines
        if line.get("script") in ("khmer", "cham")
    ]
    for text in (text_layer or []) + declared.splitlines():
        script = _script_of(text)
        if script:
            found.append({"text": text, "box": None, "script": script, "source": "văn bản"})
    if not found:
        return _evidence("pass", "Không thấy chữ Khmer hay chữ Chăm trên mẫu.")
    names = sorted({"Khmer" if f["script"] == "khmer" else "Chăm" for f in found})
    return _evidence(
        None,
        f"Có chữ {' và '.join(names)} ({len(found)} dòng): cần người đọc được chữ này kiểm tra "
        "nghĩa và chính tả của bản dịch.",
        found,
    )


def _script_of(text: str) -> str | None:
    for ch in text:
        if 0x1780 <= ord(ch) < 0x1800:
            return "khmer"
        if 0xAA00 <= ord(ch) < 0xAA60:
            return "cham"
    return None


def check_foreign(lines: list[dict]) -> dict:
    """PL-01: Vietnamese text present; foreign text at most 3/4 of its letter height and below."""
    latin = [line for line in lines if line.get("script", "latin") == "latin" and line["text"]]
    vietnamese = [line for line in latin if line.get("language") == "vi"]
    foreign = [line for line in latin if line.get("language") == "foreign"]
    if not vietnamese:
        if not latin:
            return _evidence(None, "Không đọc được dòng chữ nào để so khổ chữ.")
        return _evidence("fail", "Không thấy nội dung bằng tiếng Việt trên mẫu.")
    if not foreign:
        return _evidence("pass", "Chỉ có chữ tiếng Việt; không thấy chữ nước ngoài.")
    main = max(line["letter_px"] for line in vietnamese)
    # The Vietnamese text the foreign text must sit under: its largest lines.
    headline = [line for line in vietnamese if line["letter_px"] >= 0.8 * main]
    bottom = max(line["box"][1] + line["box"][3] / 2 for line in headline)
    details, problems = [], 0
    for line in foreign:
        ratio = line["letter_px"] / main if main else 0
        below = line["box"][1] + line["box"][3] / 2 > bottom
        ok = ratio <= FOREIGN_RATIO and below
        problems += not ok
        details.append(
            {
                "text": line["text"],
                "box": line["box"],
                "letter_px": line["letter_px"],
                "vietnamese_px": main,
                "ratio": round(ratio, 3),
                "below": below,
                "ok": ok,
            }
        )
    heights = "; ".join(
        f"“{d['text']}” cao {d['letter_px']:.0f} px = {d['ratio']:.0%}"
        f"{'' if d['below'] else ', nằm trên chữ Việt'}"
        for d in details
    )
    summary = (
        f"Chữ nước ngoài so với chữ tiếng Việt cao {main:.0f} px (chữ hoa): {heights}. "
        f"Cho phép tối đa {FOREIGN_RATIO:.0%} và đặt bên dưới (Luật Quảng cáo 2012, Điều 18); "
        "nhãn hiệu, tên riêng là ngoại lệ do người thẩm định xét."
    )
    return _evidence("fail" if problems else "pass", summary, details)
