"""CT-01 against what is printed: align the words read on the artwork with the campaign's
slogans and say, with evidence, whether they match, differ (naming each word) or cannot be told.

Pure functions over plain data (the reading's words as dicts); no Flask, no database.
Letter case is not significant (banners are printed in capitals); every diacritic and tone mark
is, and so are missing, extra and swapped words. Both tone placements ("hòa", "hoà") count as
the same spelling here; TP-04 reports mixing them.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _

from registry.textcheck.vietnamese import casefold, nfc, strip_marks, word_key

#: A word read with less confidence (0–100) than this is never named as differing: the
#: difference is reported as uncertain, for the reviewer to look at.
SURE = 40.0
#: A word is called missing only where the words on both sides were read this surely.
NEIGHBOURS = 70.0
#: Between two words of a line, a gap narrower than this many letter widths holds no unread
#: word (word spaces on banners measure 0.3–1.2 letters; a word left unread between two
#: others leaves two spaces and its letters).
TIGHT_GAP = 1.5
#: Words read with less confidence than this are noise, not text.
NOISE = 30.0
#: Readings (of the first and ``ocr.REREADS``) that must see a word changed, none seeing the
#: slogan's word, before the change is reported.
DIFFERS_VOTES = 3
#: A first reading this sure (0–100), seen changed by one reading more than that, outweighs one
#: reading of the slogan's word.
VERY_SURE = 90.0
#: A change seen by ``MARGIN`` readings more than see the slogan's word, these being at most
#: ``OUTVOTED``, the first reading's word by at least ``DIFFERS_VOTES`` readings and with at
#: least ``MARGIN_SURE`` confidence, is reported.
MARGIN = 2
OUTVOTED = 2
MARGIN_SURE = 60.0
#: ... or this much, where the vowels read one at a time (``ocr.glyph_reading``) show the change
#: too: they saw it apart from the word that the first reading's model of the language expects.
GLYPH_SURE = 40.0
#: A word first read as the slogan's, with less confidence (0–100) than this, is read again;
#: so many readings seeing it with the same other marks, and none but the first the slogan's
#: word, make it a change.
REREAD_BELOW = 80.0
OUTVOTING = 4
#: A word read surely whose vowels read one at a time show a change is read again; so many
#: readings seeing that very change, fewer the slogan's word, make it a change.
GLYPH_SEEN = 3
#: So many readings, all seeing the same change, outweigh a first reading's low confidence.
UNANIMOUS = 5
#: Share of a slogan's words (without marks) that must be found in a row for it to be present.
PRESENT = 0.4


@dataclass(frozen=True)
class Token:
    text: str  # as printed, NFC, without surrounding punctuation
    stripped: str  # lower case, without diacritics
    key: str  # lower case, diacritics kept, tone placement neutral
    word: int | None = None  # index of the word in the reading
    conf: float = 100.0


def _bare(text: str) -> str:
    """The word without punctuation around it."""
    text = nfc(text)

    def is_text(ch: str) -> bool:
        return unicodedata.category(ch)[0] in "LNM"

    start, end = 0, len(text)
    while start < end and not is_text(text[start]):
        start += 1
    while end > start and not is_text(text[end - 1]):
        end -= 1
    return text[start:end]


def tokens_of_text(text: str) -> list[Token]:
    """The words of a slogan (punctuation and dashes dropped)."""
    out = []
    for part in nfc(text).split():
        bare = _bare(part)
        if bare:
            out.append(Token(bare, strip_marks(bare), word_key(bare)))
    return out


def tokens_of_words(words: list[dict]) -> list[Token]:
    """The words of a reading, in reading order, with their index and confidence."""
    out = []
    for index, word in enumerate(words):
        for part in nfc(word["text"]).split():
            bare = _bare(part)
            if bare:
                out.append(Token(bare, strip_marks(bare), word_key(bare), index, word["conf"]))
    return out


def _best_span(slogan: list[Token], printed: list[Token], used: set[int]) -> tuple[int, int, int]:
    """(matched words, start, end) of the printed run that best covers the slogan, diacritics
    ignored; the run may be shorter than the slogan or up to two words longer."""
    n = len(slogan)
    target = [t.stripped for t in slogan]
    best = (0, 0, 0, 0)
    for start in range(len(printed)):
        if start in used or printed[start].stripped not in target:
            continue
        for length in range(1, n + 3):
            end = start + length
            if end > len(printed) or (end - 1) in used:
                break
            matcher = difflib.SequenceMatcher(
                a=target, b=[t.stripped for t in printed[start:end]], autojunk=False
            )
            matched = sum(block.size for block in matcher.get_matching_blocks())
            if (matched, -abs(length - n)) > best[:2]:
                best = (matched, -abs(length - n), start, end)
    return best[0], best[2], best[3]


def _diff_words(expected: Token, printed: Token) -> list[list]:
    """Character runs of the printed word against the slogan's, in the printed word's case."""
    runs = []
    shown = expected.text.upper() if printed.text.isupper() else expected.text
    matcher = difflib.SequenceMatcher(
        a=casefold(expected.text), b=casefold(printed.text), autojunk=False
    )
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(["equal", printed.text[b1:b2]])
            continue
        if a2 > a1:
            runs.append(["delete", shown[a1:a2]])
        if b2 > b1:
            runs.append(["insert", printed.text[b1:b2]])
    return runs


def align_slogan(
    slogan: list[Token], printed: list[Token], words: list[dict] | None = None
) -> list[dict]:
    """Word by word: equal, changed (marks or letters), missing, extra."""
    steps = []
    matcher = difflib.SequenceMatcher(
        a=[t.stripped for t in slogan], b=[t.stripped for t in printed], autojunk=False
    )
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            for e, p in zip(slogan[a1:a2], printed[b1:b2], strict=True):
                kind = "equal" if e.key == p.key else "changed"
                steps.append({"kind": kind, "expected": e, "printed": p})
            continue
        exp, got = slogan[a1:a2], printed[b1:b2]
        # A printed word stands for a slogan word when their letters are alike ("triển",
        # "triền"), or when most readings again saw its letters where the first saw others
        # ("ĐL" read again as "ĐỊA"); otherwise the slogan word is missing and the printed one
        # extra.
        pairs = 0
        if tag == "replace":
            while pairs < min(len(exp), len(got)) and (
                _alike(exp[pairs].stripped, got[pairs].stripped)
                or _reread_as(exp[pairs], got[pairs], words)
            ):
                pairs += 1
        for e, p in zip(exp[:pairs], got[:pairs], strict=True):
            steps.append({"kind": "changed", "expected": e, "printed": p})
        for e in exp[pairs:]:
            steps.append({"kind": "missing", "expected": e, "printed": None})
        for p in got[pairs:]:
            steps.append({"kind": "extra", "expected": None, "printed": p})
    return _trim(_find_swaps(steps))


def _alike(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio() >= 0.5


def _reread_as(expected: Token, printed: Token, words: list[dict] | None) -> bool:
    """Most readings again of the printed word saw the slogan word's letters (marks aside)."""
    if not words or printed.word is None:
        return False
    alts = words[printed.word].get("alts") or []
    seen = sum(expected.stripped in {t.stripped for t in tokens_of_text(alt)} for alt in alts)
    return bool(alts) and seen * 2 > len(alts)


def _trim(steps: list[dict]) -> list[dict]:
    """Printed words before the slogan's first word or after its last belong to other text."""
    while steps and steps[0]["kind"] == "extra":
        steps.pop(0)
    while steps and steps[-1]["kind"] == "extra":
        steps.pop()
    return steps


def _find_swaps(steps: list[dict]) -> list[dict]:
    """A word reported missing in one place and extra in another was moved: anywhere between
    the slogan's first and last word, or just outside them (two words swapped at an end)."""
    inner = [i for i, s in enumerate(steps) if s["kind"] != "extra"]
    first, last = (inner[0], inner[-1]) if inner else (0, -1)
    missing = {s["expected"].stripped: i for i, s in enumerate(steps) if s["kind"] == "missing"}
    for i, step in enumerate(steps):
        if step["kind"] != "extra" or step["printed"].stripped not in missing:
            continue
        j = missing[step["printed"].stripped]
        if not first < i < last and abs(i - j) > 2:
            continue  # a word of other text beside the slogan
        gone = steps[j]
        del missing[step["printed"].stripped]
        step["kind"] = "moved"
        step["expected"] = gone["expected"]
        gone["kind"] = "moved_away"
    return [s for s in steps if s["kind"] != "moved_away"]


def _box(words: list[dict], token: Token | None):
    if token is None or token.word is None:
        return None
    return words[token.word].get("box")


def _judge(step: dict, words: list[dict], sure: float) -> dict:
    """One slogan word: ok, differs (named) or uncertain, with the printed word's box."""
    if step["kind"] == "equal":
        step = _outvoted(step, words)
    e, p = step["expected"], step["printed"]
    kind = step["kind"]
    entry = {
        "kind": kind,
        "expected": e.text if e else None,
        "printed": p.text if p else None,
        "conf": round(p.conf, 1) if p else None,
        "box": _box(words, p),
        "word": p.word if p else None,
    }
    if kind == "equal":
        entry["verdict"] = "ok"
        return entry
    if kind == "missing":
        entry["verdict"] = "differs" if step.get("neighbours_sure") else "uncertain"
    else:
        word = words[p.word] if p.word is not None else {}
        verdict, unanimous = _vote(e, p, word.get("alts", []), word.get("glyph"))
        if verdict != "ok" and e is not None and _dot_refuted(e, p, word):
            verdict = "ok"
        # A first reading read unsurely is not enough to accuse, unless the other readers all
        # saw the change too.
        unsure = p.conf < sure and not unanimous
        entry["verdict"] = "uncertain" if verdict == "differs" and unsure else verdict
    if entry["verdict"] == "ok":
        # Most readings saw the slogan's word: show it as printed.
        entry["kind"] = "equal"
        entry["printed"] = e.text.upper() if p.text.isupper() else e.text
        return entry
    if kind == "changed" and e is not None:
        entry["diff"] = _diff_words(e, p)
    entry["label"] = _label(entry)
    return entry


def _outvoted(step: dict, words: list[dict]) -> dict:
    """A word first read as the slogan's and read again: a misprint the first reading
    "corrected", judged as a change, where at least ``OUTVOTING`` readings see it with the same
    other marks and none the slogan's word (a word read less surely than ``REREAD_BELOW``); or,
    for a word read surely and read again because its vowels read one at a time differ from the
    slogan's (``glyph``), where they show the very change that at least ``GLYPH_SEEN`` readings
    again see, fewer seeing the slogan's word."""
    e, p = step["expected"], step["printed"]
    word = words[p.word] if p.word is not None else {}
    alts = word.get("alts") or []
    if not alts:
        return step
    readings = [tokens_of_text(alt) for alt in alts]
    for_expected = sum(e.key in {t.key for t in tokens} for tokens in readings)
    seen: dict[str, list[Token]] = {}
    for tokens in readings:
        for t in {t.key: t for t in tokens if t.stripped == e.stripped}.values():
            if t.key != e.key:
                seen.setdefault(t.key, []).append(t)
    if not seen:
        return step
    other = max(seen.values(), key=len)
    if p.conf < REREAD_BELOW:
        if for_expected or len(other) < OUTVOTING:
            return step
    elif not (
        other[0].key in {t.key for t in tokens_of_text(word.get("glyph") or "")}
        and len(other) >= GLYPH_SEEN
        and for_expected < len(other)
    ):
        return step
    changed = Token(other[0].text, other[0].stripped, other[0].key, p.word, p.conf)
    return {**step, "kind": "changed", "printed": changed}


def _vote(
    expected: Token | None, printed: Token, alternatives: list[str], glyph: str | None = None
) -> tuple[str, bool]:
    """The verdict of all readings of a word (the first one and the readings again by other
    readers, ``ocr.REREADS``), and whether it is unanimous. A misread is rarely repeated by
    every reader, a printed error is. A changed word differs when at least ``DIFFERS_VOTES``
    readings see it changed (its letters with other marks, or the first reading's word) and
    none sees the slogan's word (or one does, against a very sure first reading and one more
    reading of the change); it is the slogan's word when at least two readings, and no
    fewer than see it changed, saw the slogan's word. A moved or extra word is judged by how
    many readings saw it at all. The slogan's word with its vowels read one at a time
    (``glyph``, ``ocr.glyph_reading``) is one more reading of the change where it shows that
    very change; where it shows the slogan's word it is not counted: a letter read alone
    misses a printed mark about as often as it sees one, and never sees the consonants."""
    readings = [[printed]] + [tokens_of_text(alt) for alt in alternatives]
    if len(readings) == 1:
        return "differs", False
    glyph_keys = {t.key for t in tokens_of_text(glyph or "")}
    glyph_agrees = (
        expected is not None and printed.key in glyph_keys and expected.key not in glyph_keys
    )
    if glyph_agrees:
        readings.append([printed])
    if expected is None or expected.key == printed.key:
        seen = sum(printed.key in {t.key for t in tokens} for tokens in readings)
        return ("differs" if seen >= 2 else "uncertain"), False
    for_expected = sum(expected.key in {t.key for t in tokens} for tokens in readings)
    changed = sum(
        any(
            t.key == printed.key or (t.stripped == expected.stripped and t.key != expected.key)
            for t in tokens
        )
        for tokens in readings
    )
    same = sum(printed.key in {t.key for t in tokens} for tokens in readings)
    if for_expected == 0 and changed >= DIFFERS_VOTES:
        return "differs", changed == len(readings) >= UNANIMOUS
    # A change read very surely and seen again by most readers is not undone by one reader
    # whose own sense of the language "corrected" it.
    if for_expected == 1 and changed >= DIFFERS_VOTES + 1 and printed.conf >= VERY_SURE:
        return "differs", False
    # Nor by two, where the change outnumbers them clearly and the first reading was sure of it:
    # Tesseract's model of the language pulls a misprinted word towards the word it expects,
    # rarely away from it.
    if (
        for_expected <= OUTVOTED
        and changed >= for_expected + MARGIN
        and same >= DIFFERS_VOTES
        and printed.conf >= (GLYPH_SURE if glyph_agrees else MARGIN_SURE)
    ):
        return "differs", False
    if for_expected >= 2 and for_expected >= changed:
        return "ok", False
    return "uncertain", False


DOT_BELOW = "\u0323"


def _dot_refuted(expected: Token, printed: Token, word: dict) -> bool:
    """The words differ only by dots below, and the marks counted under the printed word's
    baseline are the slogan's, not the reading's."""
    measured = word.get("dots_below")
    if measured is None:
        return False
    a = unicodedata.normalize("NFD", casefold(expected.text))
    b = unicodedata.normalize("NFD", casefold(printed.text))
    if a.replace(DOT_BELOW, "") != b.replace(DOT_BELOW, ""):
        return False  # another mark differs too: not for this check to settle
    return measured == a.count(DOT_BELOW) != b.count(DOT_BELOW)


def _label(entry: dict) -> str:
    e, p = entry["expected"], entry["printed"]
    if entry["kind"] == "missing":
        return _("thiếu “%(word)s”", word=e)
    if entry["kind"] == "extra":
        return _("thừa “%(word)s”", word=p)
    if entry["kind"] == "moved":
        return _("“%(word)s” sai vị trí", word=p)
    return f"{e.upper()} → {p.upper()}" if e and p else ""


def _neighbours_sure(steps: list[dict], words: list[dict], sure: float) -> None:
    """A missing word is only called missing when the words around it were read surely, or
    when they stand so close on one line that no unread word fits between them; the slogan's
    first or last word, when the one word beside it was read surely and nothing was read
    beyond that on the artwork."""
    for i, step in enumerate(steps):
        if step["kind"] != "missing":
            continue
        before = next((s for s in reversed(steps[:i]) if s["printed"]), None)
        after = next((s for s in steps[i + 1 :] if s["printed"]), None)
        last = i == len(steps) - 1 and i > 0 and steps[i - 1] is before
        first = i == 0 and len(steps) > 1 and steps[1] is after
        if last or first:
            beside = before or after
            step["neighbours_sure"] = (
                beside["kind"] == "equal"
                and beside["printed"].conf >= max(sure, NEIGHBOURS)
                and _nothing_beyond(words, beside["printed"], 1 if before else -1)
            )
            continue
        step["neighbours_sure"] = all(
            s is not None and s["printed"].conf >= max(sure, NEIGHBOURS) and s["kind"] == "equal"
            for s in (before, after)
        ) or (
            before is not None
            and after is not None
            and all(
                s["kind"] in ("equal", "changed") and s["printed"].conf >= sure
                for s in (before, after)
            )
            and _touching(words, before["printed"], after["printed"])
        )


def _nothing_beyond(words: list[dict], token: Token, direction: int) -> bool:
    """No word (but noise) was read after the token (direction 1) or before it (-1)."""
    if token.word is None:
        return False
    beyond = words[token.word + 1 :] if direction > 0 else words[: token.word]
    return all(w["conf"] < NOISE or not _bare(w["text"]) for w in beyond)


def _touching(words: list[dict], left: Token, right: Token) -> bool:
    """Two printed words side by side on one line with no more than a word space between."""
    if left.word is None or right.word is None:
        return False
    a, b = words[left.word], words[right.word]
    if a["line"] != b["line"] or right.word != left.word + 1:
        return False
    letters = len(a["text"]) + len(b["text"])
    letter = (a["box"][2] + b["box"][2]) / max(letters, 1)
    return b["box"][0] - (a["box"][0] + a["box"][2]) <= TIGHT_GAP * letter


def check_printed_slogans(
    words: list[dict],
    slogans: list[str],
    declared: list[str],
    *,
    sure: float = SURE,
) -> dict:
    """CT-01 on the words read off the artwork (dicts with text, conf, box, line, alts)."""
    printed = tokens_of_words(words)
    if not printed:
        return {
            "outcome": "unreadable",
            "summary": _("Không đọc được chữ nào trên mẫu; cần người thẩm định đọc trực tiếp."),
            "slogans": [],
            "outside": [],
        }
    declared_keys = {nfc(" ".join(d.split())).lower() for d in declared}
    remaining = {s: tokens_of_text(s) for s in dict.fromkeys(slogans + declared)}
    remaining = {s: tokens for s, tokens in remaining.items() if tokens}
    used: set[int] = set()
    found = []
    # The slogan that explains the printed words best goes first (most of its words found,
    # few foreign words in between), then the next one among the words left.
    while remaining:
        scored = []
        for text, tokens in remaining.items():
            matched, start, end = _best_span(tokens, printed, used)
            if matched >= max(2 if len(tokens) > 1 else 1, round(PRESENT * len(tokens))):
                quality = matched / len(tokens) * matched / max(end - start, 1)
                scored.append((quality, matched, text, start, end))
        if not scored:
            break
        _quality, matched, text, start, end = max(scored)
        start, end = _widen(printed, words, used, start, end)
        tokens = remaining.pop(text)
        span = printed[start:end]
        steps = align_slogan(tokens, span, words)
        _neighbours_sure(steps, words, sure)
        judged = [_judge(step, words, sure) for step in steps]
        taken = {id(s["printed"]) for s in steps if s["printed"] is not None}
        used.update(i for i in range(start, end) if id(printed[i]) in taken)
        span = [t for t in span if id(t) in taken]
        lines = sorted({words[t.word]["line"] for t in span if t.word is not None})
        found.append(
            {
                "slogan": text,
                "declared": nfc(" ".join(text.split())).lower() in declared_keys,
                "present": True,
                "read": " ".join(t.text for t in span),
                "lines": lines,
                "words": judged,
                "verdict": _worst(j["verdict"] for j in judged),
            }
        )
    for text in remaining:
        if nfc(" ".join(text.split())).lower() in declared_keys:
            found.append({"slogan": text, "declared": True, "present": False, "words": []})
    outside = _outside(words, printed, used)
    return _outcome(found, outside)


def _widen(
    printed: list[Token], words: list[dict], used: set[int], start: int, end: int
) -> tuple[int, int]:
    """The span with the unused word just before and just after it on the same line: a
    slogan's first or last word read garbled ("NHITT" for "NHIỆT") is not one of the slogan's
    words, so the span starts after it; the alignment pairs it or leaves it out again."""

    def line(i: int):
        return words[printed[i].word]["line"] if printed[i].word is not None else None

    if start > 0 and start - 1 not in used and line(start - 1) == line(start):
        start -= 1
    if end < len(printed) and end not in used and line(end) == line(end - 1):
        end += 1
    return start, end


def _worst(verdicts) -> str:
    verdicts = set(verdicts)
    for verdict in ("differs", "uncertain"):
        if verdict in verdicts:
            return verdict
    return "ok"


def _outside(words: list[dict], printed: list[Token], used: set[int]) -> list[dict]:
    """Lines of text that belong to no slogan ("Câu chữ ngoài danh mục")."""
    lines: dict[int, list[Token]] = {}
    for i, token in enumerate(printed):
        if i not in used and token.conf >= NOISE:
            lines.setdefault(words[token.word]["line"], []).append(token)
    out = []
    for line, tokens in sorted(lines.items()):
        boxes = [words[t.word]["box"] for t in tokens]
        out.append({"line": line, "text": " ".join(t.text for t in tokens), "box": _union(boxes)})
    return out


def _union(boxes):
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return [round(x0, 5), round(y0, 5), round(x1 - x0, 5), round(y1 - y0, 5)]


def _outcome(found: list[dict], outside: list[dict]) -> dict:
    present = [f for f in found if f["present"]]
    absent = [f for f in found if not f["present"]]
    differing = [w for f in present for w in f["words"] if w["verdict"] == "differs"]
    unsure = [w for f in present for w in f["words"] if w["verdict"] == "uncertain"]
    if differing:
        outcome = "differs"
        summary = _(
            "Chữ in trên mẫu sai khác khẩu hiệu của đợt: %(words)s.",
            words="; ".join(w["label"] for w in differing),
        )
    elif unsure or absent or not present:
        outcome = "uncertain"
        parts = []
        if unsure:
            parts.append(
                _(
                    "%(n)d từ đọc không chắc chắn (%(words)s)",
                    n=len(unsure),
                    words="; ".join(w["label"] for w in unsure),
                )
            )
        if absent:
            parts.append(
                _(
                    "không thấy trên mẫu khẩu hiệu đã khai báo: %(slogans)s",
                    slogans="; ".join(f"“{f['slogan']}”" for f in absent),
                )
            )
        if not present:
            parts.append(_("không thấy khẩu hiệu nào của đợt trên mẫu"))
        summary = _(
            "Chưa kết luận được, cần người thẩm định xem: %(reasons)s.", reasons="; ".join(parts)
        )
    else:
        outcome = "match"
        summary = _(
            "Đã đọc trên mẫu %(n)d khẩu hiệu, trùng khớp nguyên văn với danh mục của đợt (không "
            "phân biệt chữ hoa, giữ nguyên dấu).",
            n=len(present),
        )
    if outside:
        summary += " " + _("Có %(n)d dòng chữ ngoài danh mục.", n=len(outside))
    return {"outcome": outcome, "summary": summary, "slogans": found, "outside": outside}
