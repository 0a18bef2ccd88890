"""The evidence of the text checks (CT-01, TP-04, TP-05, PL-01) for one version, from what was
read on it; while nothing could be read, CT-01 falls back to the declared text, labelled so."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry import prechecks
from registry.auth.models import User
from registry.extensions import db
from registry.permissions import script_readers
from registry.submissions.models import ArtworkVersion, Submission
from registry.textcheck import spelling
from registry.textcheck.compare import check_printed_slogans, tokens_of_text
from registry.textcheck.models import TextReading
from registry.textcheck.vietnamese import word_key
from registry.units.models import Unit

TEXT_ITEMS = ("CT-01", "TP-04", "TP-05", "PL-01")
OUTCOME_RESULTS = {"match": "pass", "differs": "fail", "uncertain": None, "unreadable": None}
OUTCOME_LABELS = {
    "match": _l("Trùng khớp"),
    "differs": _l("Sai khác"),
    "uncertain": _l("Chưa chắc chắn"),
    "unreadable": _l("Không đọc được"),
}
# Where CT-01 read the text: a detail's "source"; each summary is introduced by its source.
SOURCE_SUMMARIES = {
    "image": _l("Ảnh mẫu: %(summary)s"),
    "layer": _l("Lớp chữ của tệp in: %(summary)s"),
}


def reading_of(version: ArtworkVersion) -> TextReading | None:
    return db.session.scalar(sa.select(TextReading).where(TextReading.version_id == version.id))


def known_words(submission: Submission) -> tuple[frozenset[str] | None, frozenset[str]]:
    """The Vietnamese word list, and the words the registry knows besides: unit names, the
    campaign's title and slogans, the declared text."""
    path = spelling.find_wordlist(current_app.config.get("REGISTRY_VIETNAMESE_WORDLIST"))
    dictionary = spelling.load_wordlist(path) if path else None
    texts = list(db.session.scalars(sa.select(Unit.name)))
    texts += ["An Giang", submission.campaign.title, submission.other_text]
    texts += [s.text for s in submission.campaign.slogans]
    extra = frozenset(t.key for text in texts for t in tokens_of_text(text))
    return dictionary, extra


def _declared_check(submission: Submission, why: str) -> dict:
    evidence = prechecks.check_slogans(
        [s.text for s in submission.slogans],
        submission.other_text,
        [s.text for s in submission.campaign.active_slogans],
    )
    evidence["summary"] = _(
        "%(why)s Kiểm tra theo câu chữ khai báo: %(summary)s", why=why, summary=evidence["summary"]
    )
    evidence["source"] = "declared"
    return evidence


def _layer_words(lines: list[str]) -> list[dict]:
    return [
        {"text": word, "conf": 100.0, "box": None, "line": n}
        for n, line in enumerate(lines)
        for word in line.split()
    ]


def _usable_layer(reading: TextReading, dictionary) -> list[str] | None:
    """The text layer, unless it is absent or in an old 8-bit font encoding (TCVN3, VNI), whose
    characters are not the Vietnamese letters people see."""
    lines = reading.text_layer or []
    tokens = [t for line in lines for t in tokens_of_text(line)]
    if not tokens:
        return None
    if dictionary is not None:
        known = sum(t.key in dictionary for t in tokens)
        if known * 2 < len(tokens):
            return None
    return lines


def _ct01(submission: Submission, reading: TextReading, lines: list[dict], layer) -> dict:
    slogans = [s.text for s in submission.campaign.active_slogans]
    declared = [s.text for s in submission.slogans]
    printed = check_printed_slogans(reading.words, slogans, declared)
    sources = [("image", printed)]
    if layer:
        sources.append(("layer", check_printed_slogans(_layer_words(layer), slogans, declared)))
    outcomes = [result["outcome"] for _source, result in sources]
    if "differs" in outcomes:
        outcome = "differs"
    elif "match" in outcomes:
        outcome = "match"
    else:
        outcome = outcomes[0]
    details = []
    for source, result in sources:
        for found in result["slogans"]:
            for word in found["words"]:
                if word["verdict"] in ("differs", "uncertain"):
                    details.append(
                        {
                            "source": source,
                            "verdict": word["verdict"],
                            "text": word.get("label", ""),
                            "approved": word["expected"] or "",
                            "diff": word.get("diff"),
                            "box": word["box"],
                        }
                    )
    summary = " ".join(
        SOURCE_SUMMARIES[source] % {"summary": result["summary"]} for source, result in sources
    )
    return {
        "result": OUTCOME_RESULTS[outcome],
        "outcome": outcome,
        "outcome_label": str(OUTCOME_LABELS[outcome]),
        "source": "printed",
        "summary": summary,
        "details": details,
        "printed": printed,
        "layer": sources[1][1] if layer else None,
        "lines": lines,
    }


def annotated_lines(reading: TextReading, dictionary, extra) -> list[dict]:
    """The reading's lines with their language (vi or foreign) for the Latin-script ones."""
    known = dictionary or frozenset()
    names = frozenset(word_key(t.text) for t in tokens_of_text("An Giang"))
    out = []
    for line in reading.lines:
        language = None
        if line.get("script", "latin") == "latin":
            language = spelling.line_language(line["text"], known | extra, names)
        out.append({**line, "language": language})
    return out


def text_evidence(submission: Submission, version: ArtworkVersion) -> dict[str, dict]:
    """Evidence of the text checks, keyed by checklist item code."""
    reading = reading_of(version)
    if reading is None or reading.status == "pending":
        # Not "pass" on the declared text while the printed text is being read: that is the
        # false reassurance this check exists to end.
        declared = _declared_check(submission, _("Đang đọc chữ trên mẫu, chưa có kết quả."))
        return {"CT-01": {**declared, "result": None, "pending": True}}
    dictionary, extra = known_words(submission)
    layer = _usable_layer(reading, dictionary)
    if reading.status != "done":
        why = _(
            "Chưa đọc được chữ trên mẫu: %(reason)s.",
            reason=reading.reason or reading.status_label,
        )
        evidence = {"CT-01": _declared_check(submission, why)}
        evidence["TP-05"] = _with_readers(
            spelling.check_scripts([], reading.text_layer, submission.other_text)
        )
        return evidence
    lines = annotated_lines(reading, dictionary, extra)
    return {
        "CT-01": _ct01(submission, reading, lines, layer),
        "TP-04": spelling.check_spelling(reading.words, lines, dictionary, extra),
        "TP-05": _with_readers(
            spelling.check_scripts(lines, reading.text_layer, submission.other_text)
        ),
        "PL-01": spelling.check_foreign(lines),
    }


def _with_readers(evidence: dict) -> dict:
    """Where Khmer or Cham script was found, name the reviewers who read it."""
    if evidence["result"] is not None:
        return evidence
    readers = db.session.scalars(
        sa.select(User).where(script_readers(), User.is_active).order_by(User.username)
    ).all()
    if readers:
        names = ", ".join(u.display_name for u in readers)
        evidence["summary"] += " " + _("Chuyên viên đọc được chữ này: %(names)s.", names=names)
    else:
        evidence["summary"] += " " + _(
            "Chưa có chuyên viên nào được ghi nhận đọc được chữ này (quản trị ghi nhận ở trang "
            "Tài khoản)."
        )
    evidence["readers"] = [u.id for u in readers]
    return evidence
