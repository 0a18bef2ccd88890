"""The app's object store, and the bookkeeping that keeps it in step with the database.

Objects are written before the rows that point at them. Each new object is tracked for the
current app context; a successful database commit claims them, and anything still unclaimed
when the request ends (an error, a failed commit) is deleted again.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import event

from registry.extensions import db
from registry.storage import ObjectStore, StorageError, build_store


def init_app(app: Flask) -> None:
    """Attach the configured store to the app; buckets are created on first use."""
    app.extensions["registry_store"] = build_store(app.config)

    @app.teardown_appcontext
    def _sweep_unclaimed(exc):
        discard_unclaimed_objects()


def get_store() -> ObjectStore:
    """Return the current app's object store."""
    return current_app.extensions["registry_store"]


def track_new_object(area: str, key: str) -> None:
    """Remember an object written in this request, to delete it unless the commit succeeds."""
    g.setdefault("registry_new_objects", []).append((area, key))


def discard_unclaimed_objects() -> None:
    """Delete the objects written in this context whose rows were never committed."""
    pending = g.pop("registry_new_objects", [])
    if not pending:
        return
    store = get_store()
    for area, key in reversed(pending):
        try:
            # Written by this very request and never committed: a retention set on it
            # protects nothing, so it must not keep the stray copy alive.
            store.delete(area, key, bypass_retention=True)
        except StorageError:
            current_app.logger.exception("could not remove unclaimed object %s/%s", area, key)


@event.listens_for(db.session, "after_commit")
def _claim_objects(session) -> None:
    if has_app_context():
        g.pop("registry_new_objects", None)


@contextlib.contextmanager
def local_copy(area: str, key: str) -> Iterator[str]:
    """The stored object copied to a temporary file, for libraries that read files (libvips,
    Pillow, pypdf, Tesseract); the file is deleted on leaving."""
    with tempfile.NamedTemporaryFile(prefix="registry-copy-") as tmp:
        with get_store().open(area, key) as chunks:
            for chunk in chunks:
                tmp.write(chunk)
        tmp.flush()
        yield tmp.name
