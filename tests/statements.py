"""Counting the SQL statements a page makes, at several page sizes."""

from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa

from registry.extensions import db


@contextmanager
def counting_statements():
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def statements_per_page_size(app, client, url: str, sizes=(2, 4)) -> dict[int, list[str]]:
    """The statements of one request of the page at each page size (after a first request, so
    that what a process caches is cached); each page must show as many rows as its size."""
    before = app.config["REGISTRY_PAGE_SIZE"]
    counts = {}
    try:
        for size in sizes:
            app.config["REGISTRY_PAGE_SIZE"] = size
            assert client.get(url).status_code == 200
            with counting_statements() as seen:
                page = client.get(url).get_data(as_text=True)
            rows = page.count("<tr") - page.count("<tr><td colspan") - 1  # less the header
            assert rows == size, f"{url} shows {rows} rows at page size {size}"
            counts[size] = seen
    finally:
        app.config["REGISTRY_PAGE_SIZE"] = before
    return counts
