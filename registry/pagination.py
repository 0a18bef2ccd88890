"""Keyset-free, bounded pagination over a select, for list pages."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, request

from registry.extensions import db


@dataclass
class Page:
    items: list
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(stmt: sa.Select, *, size: int | None = None) -> Page:
    """Run one page of the select (page number from ?page=) and count the whole."""
    size = size or current_app.config["REGISTRY_PAGE_SIZE"]
    number = request.args.get("page", 1, type=int) or 1
    number = max(1, number)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    items = list(db.session.scalars(stmt.limit(size).offset((number - 1) * size)).unique())
    return Page(items=items, number=number, size=size, total=total)
