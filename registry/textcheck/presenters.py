"""What the review page shows of a version's text reading."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from registry.submissions.models import ArtworkVersion
from registry.textcheck.evidence import OUTCOME_LABELS, reading_of, text_evidence

SCRIPT_LABELS = {"latin": _l("Latinh"), "khmer": _l("Khmer"), "cham": _l("Chăm")}
LANGUAGE_LABELS = {"vi": _l("tiếng Việt"), "foreign": _l("tiếng nước ngoài"), None: ""}


def _boxes(ct01: dict) -> list[dict]:
    """Word boxes to draw on the image: differing words in red, uncertain ones in amber."""
    out = []
    for detail in ct01.get("details", []):
        if detail.get("box"):
            x, y, w, h = detail["box"]
            out.append(
                {"x": x, "y": y, "w": w, "h": h, "kind": detail["verdict"], "label": detail["text"]}
            )
    return out


def reading_view(version: ArtworkVersion) -> dict:
    """The reading's state, the CT-01 comparison slogan by slogan and the other checks."""
    reading = reading_of(version)
    evidence = text_evidence(version.submission, version)
    ct01 = evidence["CT-01"]
    pending = reading is None or reading.is_pending
    return {
        "pending": pending,
        "status": "pending" if reading is None else reading.status,
        "reading": reading,
        "evidence": evidence,
        "ct01": ct01,
        "outcome_label": OUTCOME_LABELS.get(ct01.get("outcome"), ""),
        "boxes": [] if pending else _boxes(ct01),
        "script_labels": SCRIPT_LABELS,
        "language_labels": LANGUAGE_LABELS,
        **_passes(reading),
    }


def _passes(reading) -> dict:
    """How the reading went over the image: tiles read, and whether the original was loaded
    (the passes' "what" are stored keys, registry.textcheck.ocr.Engine)."""
    passes = reading.passes if reading is not None else []
    return {
        "tiles": sum(p.get("what") == "ô ảnh" for p in passes),  # not interface: a stored key
        "read_original": any(p.get("what") == "nạp ảnh gốc" for p in passes),  # not interface: key
    }
