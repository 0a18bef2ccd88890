"""The Alembic history builds exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from registry import create_app
from registry.db import render_migration_item
from registry.extensions import db
from tests.services import DATABASE_KEY, require_services


def test_migration_history_has_a_single_head(app):
    config = Config()
    config.set_main_option("script_location", app.extensions["migrate"].directory)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def _drift_after_upgrade(url: str, tmp_path) -> list:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "x",
            "REGISTRY_LOCAL_STORAGE_PATH": str(tmp_path / "store"),
        }
    )
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_item": render_migration_item}
            )
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    return diff


def test_upgrade_on_empty_sqlite_leaves_autogenerate_nothing_to_add(tmp_path):
    assert _drift_after_upgrade(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", tmp_path) == []


def test_upgrade_on_empty_postgresql_leaves_autogenerate_nothing_to_add(tmp_path):
    base_url = require_services(DATABASE_KEY)[DATABASE_KEY]
    name = f"registry_migrate_{secrets.token_hex(4)}"
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        url = sa.engine.make_url(base_url).set(database=name)
        assert _drift_after_upgrade(url.render_as_string(hide_password=False), tmp_path) == []
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.parametrize("table", ["submissions", "approved_assets", "audit_events"])
def test_the_lists_users_wait_on_have_their_indexes(app, table):
    with app.app_context():
        indexes = {i["name"] for i in sa.inspect(db.engine).get_indexes(table)}
    assert indexes, f"{table} has no index"
