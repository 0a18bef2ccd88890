"""Pagination of list pages with a bounded count: an exact COUNT(*) grows with the table
(bench/lists.py), so counting stops a little past what a person pages through."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from registry.extensions import db
from registry.integers import int_arg, page_max

COUNT_CAP = 1000


@dataclass
class Page:
    items: list
    number: int
    size: int
    total: int
    is_capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages or (self.is_capped and len(self.items) == self.size)


def paginate(
    stmt: sa.Select,
    *,
    size: int | None = None,
    rows: bool = False,
    counted: sa.Select | sa.CompoundSelect | None = None,
    total: int | None = None,
) -> Page:
    """Run one page of the select (page number from ?page=) and count the whole. The items are
    the select's first entity, or with rows=True its whole rows (an entity with columns).
    counted, when given, is a cheaper select with one row per item of the whole, to count
    instead of the select itself; total, when the caller knows the size of the whole already,
    spares the count (shown as a count would show it)."""
    size = size or current_app.config["REGISTRY_PAGE_SIZE"]
    number = int_arg("page", 1, minimum=1, maximum=page_max(size))
    result = db.session.execute(stmt.limit(size).offset((number - 1) * size))
    items = list(result.unique() if rows else result.scalars().unique())
    if len(items) < size and (items or number == 1):
        # The last page: the total is known without asking the database again.
        return Page(items=items, number=number, size=size, total=(number - 1) * size + len(items))
    # Counting through the limited select stops at the cap; one constant per row, not every
    # column, is all a count needs. Without the list's order the database picks the cheapest
    # way to the first rows: the library of a locality (its unit's assets or the province's,
    # an OR) reads a few hundred index entries instead of walking the approval date's index
    # past thousands of other units' assets (bench/lists.py).
    cap = max(COUNT_CAP, number * size) + 1
    if total is None:
        if counted is None:
            counted = stmt.with_only_columns(sa.literal_column("1"), maintain_column_froms=True)
            counted = counted.order_by(None)
        counted = sa.select(sa.func.count()).select_from(counted.limit(cap).subquery())
        total = db.session.scalar(counted)
    capped = total >= cap
    return Page(items=items, number=number, size=size, total=min(total, cap - 1), is_capped=capped)
