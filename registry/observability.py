"""What the operator sees: /readyz, one log line per request with its id, /metrics.

Settings (registry/config.py):
- REGISTRY_METRICS_TOKEN: the bearer token /metrics asks for. Unset, /metrics answers only a
  client on the loopback interface that came through no proxy (no X-Forwarded-For).
- REGISTRY_REQUEST_LOG: "false" silences the request log (on by default).
- PROMETHEUS_MULTIPROC_DIR (prometheus_client's own): an empty folder shared by the gunicorn
  workers; /metrics then adds up every worker (see registry/gunicorn_conf.py).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import os
import re
import secrets
import time

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from flask_babel import gettext as _
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from registry.extensions import csrf, db
from registry.metrics_data import JobsCollector, StoredObjectsCollector
from registry.storage import LocalStore, ObjectNotFound, StorageError

bp = Blueprint("ops", __name__)
request_log = logging.getLogger("registry.requests")

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
READINESS_PROBE_KEY = "readyz/probe"

REQUESTS = Counter(
    "registry_http_requests_total",
    "HTTP requests answered, by method, route and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "registry_http_request_duration_seconds",
    "Time to answer a request (to the first byte of a streamed body), by method and route.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)


def init_app(app: Flask) -> None:
    """Time and log every request, and add /readyz and /metrics."""
    if app.config["REGISTRY_REQUEST_LOG"] and not request_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        request_log.addHandler(handler)
        request_log.setLevel(logging.INFO)
        request_log.propagate = False
    app.before_request(_start)
    app.after_request(_finish)
    csrf.exempt(bp)
    app.register_blueprint(bp)


def _start() -> None:
    g.request_started = time.perf_counter()
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    # A proxy's id is kept so one request can be followed through both logs; anything odd
    # is replaced, so a client cannot write into the log.
    g.request_id = incoming if _REQUEST_ID_RE.match(incoming) else secrets.token_hex(8)


def _user_id() -> int | None:
    """The signed-in user's id, read from the identity map: logging never asks the database
    (after a commit the user's attributes are expired, and the database may be gone)."""
    user = g.get("api_user") or g.get("_login_user")
    if user is None:
        return None
    try:
        identity = sa.inspect(user).identity
    except sa.exc.NoInspectionAvailable:
        return None  # the anonymous user
    return identity[0] if identity else None


def _finish(response: Response) -> Response:
    started = g.get("request_started")
    duration = time.perf_counter() - started if started is not None else 0.0
    request_id = g.get("request_id") or secrets.token_hex(8)
    response.headers[REQUEST_ID_HEADER] = request_id
    route = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
    REQUESTS.labels(request.method, route, str(response.status_code)).inc()
    LATENCY.labels(request.method, route).observe(duration)
    if current_app.config["REGISTRY_REQUEST_LOG"]:
        request_log.info(
            json.dumps(
                {
                    "request_id": request_id,
                    "method": request.method,
                    "route": route,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                    "user_id": _user_id(),
                    "remote_addr": request.remote_addr,
                },
                ensure_ascii=False,
            )
        )
    return response


# -- readiness --------------------------------------------------------------------------------


def _database_problem() -> str | None:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        current_app.logger.warning("readiness: database unreachable: %s", error)
        return _("không kết nối được cơ sở dữ liệu")
    finally:
        try:
            db.session.rollback()
        except sa.exc.SQLAlchemyError:
            db.session.invalidate()
    return None


def _store_problem() -> str | None:
    store = current_app.extensions["registry_store"]
    if isinstance(store, LocalStore):
        for area in store.areas:
            path = store.root / store.bucket(area)
            while not path.exists() and path != path.parent:
                path = path.parent  # not created yet: its first write will create it here
            if not path.is_dir() or not os.access(path, os.W_OK | os.X_OK):
                return _("thư mục kho lưu trữ %(path)s không ghi được", path=str(path))
        return None
    try:
        store.stat("uploads", READINESS_PROBE_KEY)
    except ObjectNotFound:
        return None  # the server answered
    except StorageError as error:
        current_app.logger.warning("readiness: object store unreachable: %s", error)
        return _("không kết nối được kho lưu trữ")
    return None


def _queue_problem() -> str | None:
    from registry.tasks.queue import get_huey

    try:
        get_huey(current_app).pending_count()
    except Exception as error:  # noqa: BLE001  (any failure of the queue's storage)
        current_app.logger.warning("readiness: task queue unreachable: %s", error)
        return _("không kết nối được hàng đợi công việc")
    return None


def readiness_checks() -> dict[str, str | None]:
    """What /readyz checks (database, store, queue), each with its problem or None; the
    admin's home page shows the same."""
    return {
        "database": _database_problem(),
        "store": _store_problem(),
        "queue": _queue_problem(),
    }


@bp.route("/readyz")
def readyz():
    """Readiness for load balancers: the database, the store and the queue answer."""
    checks = readiness_checks()
    problems = {name: problem for name, problem in checks.items() if problem}
    body = {
        "status": "unavailable" if problems else "ok",
        "checks": {name: problem or "ok" for name, problem in checks.items()},
    }
    response = jsonify(body)
    if problems:
        response.status_code = 503
        response.headers["Retry-After"] = "10"
    response.headers["Cache-Control"] = "no-store"
    return response


# -- metrics ----------------------------------------------------------------------------------


def _metrics_allowed() -> bool:
    token = current_app.config["REGISTRY_METRICS_TOKEN"]
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)
    if request.headers.get("X-Forwarded-For") or not request.remote_addr:
        return False
    try:
        return ipaddress.ip_address(request.remote_addr).is_loopback
    except ValueError:
        return False


@bp.route("/metrics")
def metrics():
    """Prometheus metrics: requests and latencies by route, stored objects and bytes."""
    if not _metrics_allowed():
        # Not found rather than forbidden: the public is not told the endpoint exists.
        return jsonify(error={"code": "not_found", "message": _("Không tìm thấy.")}), 404
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    output = generate_latest(registry) + generate_latest(_stored_registry())
    return Response(output, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def _stored_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(StoredObjectsCollector())
    registry.register(JobsCollector())
    return registry
