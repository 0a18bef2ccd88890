"""The Alembic history builds exactly the models' schema, on SQLite and on PostgreSQL: nothing
for autogenerate to add, and every index the models declare, by name."""

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


def _empty_postgresql():
    """A new, empty PostgreSQL database: its URL, and a function that drops it."""
    base_url = require_services(DATABASE_KEY)[DATABASE_KEY]
    name = f"registry_migrate_{secrets.token_hex(4)}"
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()

    url = sa.engine.make_url(base_url).set(database=name)
    return url.render_as_string(hide_password=False), drop


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def migrated(request, tmp_path_factory):
    """An app over an empty database that `flask db upgrade` has brought to the head."""
    tmp = tmp_path_factory.mktemp("migrated")
    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp / 'fresh.sqlite3'}", lambda: None
    else:
        url, drop = _empty_postgresql()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "x",
            "REGISTRY_LOCAL_STORAGE_PATH": str(tmp / "store"),
        }
    )
    try:
        with app.app_context():
            upgrade()
            yield app
            db.engine.dispose()
    finally:
        drop()


def test_upgrade_on_an_empty_database_leaves_autogenerate_nothing_to_add(migrated):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_item": render_migration_item}
        )
        assert compare_metadata(context, db.metadata) == []


def migrated_indexes() -> dict[str, set[str]]:
    """The indexes of every table of the migrated database, by name (not those that only
    back a unique constraint)."""
    inspector = sa.inspect(db.engine)
    return {
        table: {
            index["name"]
            for index in inspector.get_indexes(table)
            if not index.get("duplicates_constraint")
        }
        for table in db.metadata.tables
    }


def model_indexes() -> dict[str, set[str]]:
    return {
        table.name: {index.name for index in table.indexes} for table in db.metadata.tables.values()
    }


def test_the_migrated_schema_has_every_index_of_the_models_by_name(migrated):
    migrated_, models = migrated_indexes(), model_indexes()
    missing = {
        t: sorted(names - migrated_[t]) for t, names in models.items() if names - migrated_[t]
    }
    extra = {t: sorted(names - models[t]) for t, names in migrated_.items() if names - models[t]}
    assert missing == {}, "indexes of the models that no migration creates"
    assert extra == {}, "indexes the migrations create that no model declares"
