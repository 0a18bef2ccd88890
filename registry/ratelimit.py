"""Rate limits, all through Flask-Limiter: the public verification per client address, and
sign-in failures per user name.

The embedded default keeps the counts in the registry's own database (`registry-db://`, a
storage for the `limits` library defined here), so gunicorn workers and app instances that
share the database share the counts. A busy site may point `REGISTRY_RATELIMIT_STORAGE_URI`
at Redis or Memcached instead (any storage URI of `limits`).
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItemPerSecond
from limits.storage import MovingWindowSupport, Storage
from sqlalchemy import orm as so

from registry.db import Base
from registry.extensions import db

limiter = Limiter(key_func=get_remote_address, strategy="moving-window")


class RateLimitHit(Base):
    """One counted request (or failed sign-in) under a rate-limit key, until it expires."""

    __tablename__ = "rate_limit_hits"
    __table_args__ = (sa.Index("ix_rate_limit_hits_key_hit_at", "key", "hit_at"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(255))
    hit_at: so.Mapped[datetime]
    expires_at: so.Mapped[datetime] = so.mapped_column(index=True)

    def __repr__(self) -> str:
        return f"<RateLimitHit {self.key} {self.hit_at:%H:%M:%S}>"


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _stored(key: str) -> str:
    """The key as stored: itself when plain, else a digest (a user name tried at sign-in may
    hold anything, NUL and lone surrogates included, and be of any length)."""
    if key.isascii() and key.isprintable() and len(key) <= 200:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class DatabaseStorage(Storage, MovingWindowSupport):
    """A `limits` storage in the registry's database, on its own short transactions (a count
    must stick even when the request that made it fails)."""

    STORAGE_SCHEME = ["registry-db"]

    @property
    def base_exceptions(self):
        return sa.exc.SQLAlchemyError

    def _in_window(self, key: str, expiry: int, now: float):
        table = RateLimitHit.__table__
        return sa.and_(table.c.key == _stored(key), table.c.hit_at > _at(now - expiry))

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now, table = time.time(), RateLimitHit.__table__
        with db.engine.begin() as connection:
            connection.execute(table.delete().where(table.c.expires_at <= _at(now)))
            count = connection.scalar(
                sa.select(sa.func.count()).where(self._in_window(key, expiry, now))
            )
            if count + amount > limit:
                return False
            row = {"key": _stored(key), "hit_at": _at(now), "expires_at": _at(now + expiry)}
            connection.execute(table.insert(), [row] * amount)
        return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now, table = time.time(), RateLimitHit.__table__
        with db.engine.connect() as connection:
            oldest, count = connection.execute(
                sa.select(sa.func.min(table.c.hit_at), sa.func.count()).where(
                    self._in_window(key, expiry, now)
                )
            ).one()
        if not count:
            return now, 0
        oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)  # SQLite drops it
        return oldest.timestamp(), count

    # The fixed-window primitives, for completeness: the registry uses the moving window.
    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        self.acquire_entry(key, 2**31, expiry, amount)
        return self.get(key)

    def get(self, key: str) -> int:
        table = RateLimitHit.__table__
        with db.engine.connect() as connection:
            return connection.scalar(
                sa.select(sa.func.count()).where(
                    table.c.key == _stored(key), table.c.expires_at > _at(time.time())
                )
            )

    def get_expiry(self, key: str) -> float:
        table = RateLimitHit.__table__
        with db.engine.connect() as connection:
            latest = connection.scalar(
                sa.select(sa.func.max(table.c.expires_at)).where(table.c.key == _stored(key))
            )
        return latest.replace(tzinfo=UTC).timestamp() if latest else time.time()

    def check(self) -> bool:
        with db.engine.connect() as connection:
            return connection.scalar(sa.select(1)) == 1

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(RateLimitHit.__table__.delete()).rowcount

    def clear(self, key: str) -> None:
        table = RateLimitHit.__table__
        with db.engine.begin() as connection:
            connection.execute(table.delete().where(table.c.key == _stored(key)))


def seconds_until_retry() -> int:
    """Seconds until the limit this request broke lets the client in again."""
    limit = limiter.current_limit
    return max(1, int(limit.reset_at - time.time()) + 1) if limit else 60


def verify_limit() -> str:
    """The limit of public verification look-ups per client address (page and API together)."""
    return current_app.config["REGISTRY_VERIFY_RATE_LIMIT"]


def sign_in_limit() -> RateLimitItemPerSecond:
    """Failed sign-ins allowed per user name within the window."""
    config = current_app.config
    return RateLimitItemPerSecond(
        config["REGISTRY_LOGIN_MAX_FAILURES"], config["REGISTRY_LOGIN_WINDOW_SECONDS"]
    )


def sign_in_blocked_for(username: str) -> int:
    """Seconds until this user name may try again (0: it may try now)."""
    item = sign_in_limit()
    if limiter.limiter.test(item, "sign-in", username):
        return 0
    reset_at, _ = limiter.limiter.get_window_stats(item, "sign-in", username)
    return max(1, int(reset_at - time.time()) + 1)


def count_failed_sign_in(username: str) -> None:
    limiter.limiter.hit(sign_in_limit(), "sign-in", username)


def forget_failed_sign_ins(username: str) -> None:
    limiter.limiter.clear(sign_in_limit(), "sign-in", username)


def init_app(app: Flask) -> None:
    """Configure Flask-Limiter from the registry's settings."""
    config = app.config
    config.setdefault("RATELIMIT_STORAGE_URI", config["REGISTRY_RATELIMIT_STORAGE_URI"])
    config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    config.setdefault("RATELIMIT_KEY_PREFIX", "registry")
    limiter.init_app(app)
