"""The visual-propaganda artwork registry."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from registry import (
    auth,
    documents,
    errors,
    i18n,
    json_depth,
    models,  # noqa: F401  (every table registered before Alembic looks)
    observability,
    outages,
    ratelimit,
    refcache,
    search,
    security,
    tasks,
    template_helpers,
    web,
)
from registry.cli import registry_cli
from registry.config import load_config
from registry.db import render_migration_item
from registry.extensions import api, csrf, db, login_manager, migrate
from registry.integers import IdConverter
from registry.storage import service as storage_service
from registry.storage.spool import RegistryRequest

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints and commands."""
    app = Flask(__name__, instance_path=str(ROOT / "instance"), instance_relative_config=True)
    # Before any blueprint: every <int:…> of every route is bounded to what the database holds.
    app.url_map.converters["int"] = IdConverter
    load_config(app, overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    api.init_app(app)

    app.request_class = RegistryRequest
    hops = int(app.config["REGISTRY_PROXY_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    security.init_app(app)
    ratelimit.init_app(app)
    errors.init_app(app)
    json_depth.init_app(app)
    storage_service.init_app(app)
    documents.init_app(app)
    tasks.init_app(app)
    refcache.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    search.init_search()
    template_helpers.init_app(app)
    web.register_blueprints(app)
    observability.init_app(app)
    outages.init_app(app)
    app.cli.add_command(registry_cli)
    return app
