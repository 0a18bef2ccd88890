"""Load the shipped reference data: units, the review checklist, the seed campaign. Idempotent."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources

import sqlalchemy as sa

from registry.campaigns.models import Campaign, ChecklistItem, ChecklistVersion, Slogan
from registry.extensions import db
from registry.text import name_search_key, nfc_stripped
from registry.units.models import Unit

_ROW = re.compile(r"^\|\s*((CT|TP|MQ|PL)-\d\d)\s*\|(.*)\|\s*$")


@dataclass
class LoadReport:
    units_added: int = 0
    checklist_items_added: int = 0
    campaigns_added: int = 0
    slogans_added: int = 0

    def __str__(self) -> str:
        return (
            f"đơn vị: thêm {self.units_added}; "
            f"tiêu chí: thêm {self.checklist_items_added}; "
            f"đợt tuyên truyền: thêm {self.campaigns_added}; khẩu hiệu: thêm {self.slogans_added}"
        )


def _data(name: str) -> str:
    return resources.files("registry.data").joinpath(name).read_text(encoding="utf-8")


def parse_checklist(markdown: str) -> list[dict]:
    """Read the checklist items out of the Markdown tables of checklist.md."""
    items = []
    for line in markdown.splitlines():
        match = _ROW.match(line.strip())
        if not match:
            continue
        cells = [c.strip() for c in match.group(3).split(" | ")]
        text, gloss, check, source, confidence = (cells + [""] * 5)[:5]
        kind = re.search(r"`(AUTO|SEMI|HUMAN)`", check)
        note = re.sub(r"`(AUTO|SEMI|HUMAN)`", "", check).strip(" +")
        items.append(
            {
                "code": match.group(1),
                "group_code": match.group(2),
                "text": nfc_stripped(text.replace("**", "")),
                "gloss": nfc_stripped(gloss),
                "check_kind": (kind.group(1) if kind else "HUMAN").lower(),
                "check_note": nfc_stripped(note.strip("()").replace("**", "")),
                "legal_source": nfc_stripped(source.replace("**", "")),
                "source_confidence": nfc_stripped(confidence),
            }
        )
    return items


def load_reference_data() -> LoadReport:
    """Insert the shipped units, checklist and campaigns that are missing; idempotent.

    What is already there is left alone: admins may have renamed units or replaced slogans.
    """
    report = LoadReport()
    _load_units(report)
    checklist = _load_checklist(report)
    _load_campaigns(report, checklist)
    db.session.flush()
    return report


def _load_units(report: LoadReport) -> None:
    existing = {u.code: u for u in db.session.scalars(sa.select(Unit))}
    for row in csv.DictReader(_data("units.csv").splitlines()):
        code, name, kind = row["code"].strip(), nfc_stripped(row["name"]), row["kind"].strip()
        # Once loaded, a unit belongs to the admins: a rename of theirs is never undone here.
        if code not in existing:
            db.session.add(Unit(code=code, name=name, name_folded=name_search_key(name), kind=kind))
            report.units_added += 1


def _load_checklist(report: LoadReport) -> ChecklistVersion:
    spec = json.loads(_data("campaigns.json"))["checklist"]
    version = db.session.scalar(
        sa.select(ChecklistVersion).where(ChecklistVersion.label == spec["label"])
    )
    if version is not None:
        return version
    version = ChecklistVersion(label=spec["label"], note=spec["note"])
    db.session.add(version)
    never_na = set(spec["never_na"])
    for position, item in enumerate(parse_checklist(_data("checklist.md")), start=1):
        version.items.append(
            ChecklistItem(position=position, allows_na=item["code"] not in never_na, **item)
        )
        report.checklist_items_added += 1
    return version


def _load_campaigns(report: LoadReport, checklist: ChecklistVersion) -> None:
    for spec in json.loads(_data("campaigns.json"))["campaigns"]:
        campaign = db.session.scalar(sa.select(Campaign).where(Campaign.code == spec["code"]))
        if campaign is None:
            campaign = Campaign(
                code=spec["code"],
                title=nfc_stripped(spec["title"]),
                legal_basis=nfc_stripped(spec["legal_basis"]),
                description=nfc_stripped(spec["description"]),
                starts_on=date.fromisoformat(spec["starts_on"]),
                ends_on=date.fromisoformat(spec["ends_on"]) if spec["ends_on"] else None,
                checklist_version=checklist,
            )
            db.session.add(campaign)
            report.campaigns_added += 1
        elif campaign.slogans:
            continue  # the admins own the slogan list once it exists
        for position, slogan in enumerate(spec["slogans"], start=1):
            text = nfc_stripped(slogan["text"])
            campaign.slogans.append(
                Slogan(
                    text=text,
                    note=slogan["note"],
                    position=position,
                    is_sample=spec.get("slogans_are_sample", False),
                )
            )
            report.slogans_added += 1
