"""Reference data the list pages show in their filters, cached per process.

The campaigns and the units in a list's filters change a few times a year, yet every list
page read them again (bench/lists.py: one round trip of the four or five a page made). Each
process now keeps them for at most `REGISTRY_REFERENCE_CACHE_SECONDS` and forgets them as
soon as it commits a change to a campaign, a unit or an approved asset; another process sees
such a change within that time. Only what a filter shows is kept (plain tuples, never ORM
objects, which belong to one request's session); forms that validate a choice read the
database.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Hashable
from datetime import date
from typing import NamedTuple, TypeVar

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy import orm as so

T = TypeVar("T")


class CampaignChoice(NamedTuple):
    id: int
    title: str
    starts_on: date
    ends_on: date | None
    is_closed: bool

    def is_open_on(self, day: date) -> bool:
        return not self.is_closed and self.starts_on <= day and (self.ends_on or day) >= day


class UnitChoice(NamedTuple):
    code: str
    name: str


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: dict[Hashable, tuple[float, object]] = {}

    def get(self, key: Hashable, load: Callable[[], T], seconds: float) -> T:
        now = time.monotonic()
        with self.lock:
            hit = self.entries.get(key)
        if hit is not None and now - hit[0] < seconds:
            return hit[1]  # type: ignore[return-value]
        value = load()
        with self.lock:
            self.entries[key] = (now, value)
        return value

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def cached(key: Hashable, load: Callable[[], T]) -> T:
    """The value under key, loaded at most once per REGISTRY_REFERENCE_CACHE_SECONDS."""
    from registry.extensions import db

    if db.session.info.get("refcache_changed"):
        return load()  # this transaction changed reference data it has not committed yet
    cache: _Cache = current_app.extensions["registry_refcache"]
    return cache.get(key, load, float(current_app.config["REGISTRY_REFERENCE_CACHE_SECONDS"]))


def forget(app: Flask) -> None:
    """Empty the app's cache (tests that rewrite the database under the app call it)."""
    app.extensions["registry_refcache"].clear()


def _watched() -> tuple[type, ...]:
    from registry.campaigns.models import Campaign
    from registry.library.models import ApprovedAsset
    from registry.units.models import Unit

    return (Campaign, Unit, ApprovedAsset)


# Every app's cache in this process (tests build many apps); a session does not know its app.
_CACHES: weakref.WeakSet[_Cache] = weakref.WeakSet()


def init_app(app: Flask) -> None:
    """Give the app its cache, emptied when this process commits a change to what it holds."""
    cache = _Cache()
    app.extensions["registry_refcache"] = cache
    _CACHES.add(cache)
    if not event.contains(so.Session, "after_commit", _forget):
        event.listen(so.Session, "after_flush", _note_change)
        event.listen(so.Session, "after_commit", _forget)
        event.listen(so.Session, "after_soft_rollback", _keep)


def _note_change(session: so.Session, _context) -> None:
    if session.info.get("refcache_changed"):
        return
    watched = _watched()
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, watched) for obj in changed):
        session.info["refcache_changed"] = True


def _forget(session: so.Session) -> None:
    if session.info.pop("refcache_changed", False):
        for cache in list(_CACHES):
            cache.clear()


def _keep(session: so.Session, _previous) -> None:
    session.info.pop("refcache_changed", None)
