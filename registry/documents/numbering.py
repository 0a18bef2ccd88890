"""Document numbers: from 1 each year, without gaps, whatever runs at once."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from registry.extensions import db
from registry.library.models import DocumentCounter


def next_number(year: int) -> int:
    """Take the year's next number. The counter row stays locked (FOR UPDATE) until the
    request commits or rolls back, so concurrent approvals queue here and a rolled-back one
    leaves no gap."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.execute(
        dialect.insert(DocumentCounter)
        .values(year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    counter = db.session.scalar(
        sa.select(DocumentCounter)
        .where(DocumentCounter.year == year)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    counter.last_number += 1
    db.session.flush()
    return counter.last_number


def label(number: int, year: int) -> str:
    """The printed number and symbol, e.g. 05/SVHTT-QLVH (REGISTRY_DOCUMENT_NUMBER_PATTERN)."""
    return current_app.config["REGISTRY_DOCUMENT_NUMBER_PATTERN"].format(number=number, year=year)
