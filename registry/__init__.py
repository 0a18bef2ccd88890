"""The visual-propaganda artwork registry."""

from __future__ import annotations

from pathlib import Path

from flask import Flask


def create_app(overrides: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints and commands."""
    app = Flask(
        __name__,
        instance_path=str(Path(__file__).resolve().parent.parent / "instance"),
        instance_relative_config=True,
    )
    from registry.config import load_config

    load_config(app, overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from registry import models  # noqa: F401  (every table registered before Alembic looks)
    from registry.extensions import api, csrf, db, login_manager, migrate

    db.init_app(app)
    from registry.db import render_migration_item

    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).resolve().parent.parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    api.init_app(app)

    from registry import auth, errors, security, template_helpers, web
    from registry.storage import service as storage_service
    from registry.storage.spool import RegistryRequest

    app.request_class = RegistryRequest

    security.init_app(app)
    errors.init_app(app)
    storage_service.init_app(app)
    auth.init_app(app)
    template_helpers.init_app(app)
    web.register_blueprints(app)

    from registry.cli import registry_cli

    app.cli.add_command(registry_cli)
    return app
