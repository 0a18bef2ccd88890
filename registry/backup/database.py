"""The database half of a backup: SQLite through its online backup API, PostgreSQL through
`pg_dump -Fc` of one exported snapshot (rows counted in that same snapshot)."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from registry.backup.errors import BackupError

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
PG_ROOT = Path("/usr/lib/postgresql")
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class DatabaseDump:
    """What a dump holds: its file, the schema revision and the rows of every table."""

    file: str
    dialect: str
    revision: str | None
    tables: dict[str, int]
    server_version: str | None = None
    tool: str | None = None


def table_counts(connection: sa.Connection) -> dict[str, int]:
    """Rows of every table the database holds (not only the models': queue tables too)."""
    names = sa.inspect(connection).get_table_names()
    return {
        name: connection.scalar(sa.select(sa.func.count()).select_from(sa.table(name))) or 0
        for name in sorted(names)
    }


def schema_revision(connection: sa.Connection) -> str | None:
    """The Alembic revision the database is at, or None if it was never migrated."""
    if not sa.inspect(connection).has_table(VERSION_TABLE):
        return None
    version_num = sa.column("version_num")
    rows = connection.execute(sa.select(version_num).select_from(sa.table(VERSION_TABLE)))
    rows = rows.scalars()
    revisions = sorted(rows)
    if len(revisions) > 1:
        raise BackupError(f"Cơ sở dữ liệu có nhiều phiên bản lược đồ cùng lúc: {revisions}.")
    return revisions[0] if revisions else None


def filled_tables(engine: sa.Engine) -> dict[str, int]:
    """Tables holding rows, besides Alembic's own version mark."""
    with engine.connect() as connection:
        counts = table_counts(connection)
    return {name: n for name, n in counts.items() if n and name != VERSION_TABLE}


def dump_database(engine: sa.Engine, folder: Path) -> DatabaseDump:
    """Write a consistent copy of the database into folder, taken while the app runs."""
    if engine.dialect.name == "sqlite":
        return _dump_sqlite(engine, folder / SQLITE_FILE)
    if engine.dialect.name == "postgresql":
        return _dump_postgres(engine, folder / POSTGRES_FILE)
    raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {engine.dialect.name}.")


def restore_database(engine: sa.Engine, path: Path, dump: dict) -> None:
    """Load a dump into an empty database; its tables are replaced by the dump's."""
    if dump["dialect"] != engine.dialect.name:
        raise BackupError(
            f"Bản sao lưu là của {dump['dialect']}, còn cơ sở dữ liệu đích là "
            f"{engine.dialect.name}: hãy khôi phục vào cùng loại cơ sở dữ liệu."
        )
    if engine.dialect.name == "sqlite":
        _restore_sqlite(engine, path)
    else:
        _restore_postgres(engine, path, dump)
    engine.dispose()
    with engine.connect() as connection:
        counts = table_counts(connection)
    wrong = {
        name: (n, counts.get(name)) for name, n in dump["tables"].items() if counts.get(name) != n
    }
    if wrong:
        details = ", ".join(f"{t}: {got} thay vì {n}" for t, (n, got) in sorted(wrong.items()))
        raise BackupError(f"Số dòng sau khi khôi phục không khớp với bản sao lưu ({details}).")


# -- SQLite ----------------------------------------------------------------------------------


def _dump_sqlite(engine: sa.Engine, path: Path) -> DatabaseDump:
    target = sqlite3.connect(path)
    try:
        with engine.connect() as connection:
            # One step (pages=-1): the copy is a single consistent read, however busy the app.
            connection.connection.driver_connection.backup(target)
    finally:
        target.close()
    copy = sa.create_engine(f"sqlite:///{path}")
    try:
        with copy.connect() as connection:
            revision, counts = schema_revision(connection), table_counts(connection)
    finally:
        copy.dispose()
    return DatabaseDump(path.name, "sqlite", revision, counts, sqlite3.sqlite_version, "sqlite3")


def _restore_sqlite(engine: sa.Engine, path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        with engine.connect() as connection:
            # The backup API overwrites every page of the target: its old schema goes too.
            source.backup(connection.connection.driver_connection)
    finally:
        source.close()


# -- PostgreSQL ------------------------------------------------------------------------------


def _libpq(engine: sa.Engine) -> tuple[str, dict[str, str]]:
    """The connection string for pg_dump/pg_restore, the password kept in the environment."""
    url = engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    dsn = url.set(drivername="postgresql", password=None)
    return dsn.render_as_string(hide_password=False), env


def _server_major(connection: sa.Connection) -> int:
    return int(connection.scalar(sa.text("SHOW server_version_num"))) // 10000


def _tool_major(path: Path) -> int | None:
    try:
        # The path is one of PostgreSQL's own tools, found above, with fixed arguments.
        out = subprocess.run(  # noqa: S603
            [str(path), "--version"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else None


def pg_tool(name: str, major: int) -> Path:
    """pg_dump or pg_restore of the server's major version (else the nearest newer one)."""
    configured = current_app.config.get("REGISTRY_PG_BINDIR")
    candidates = [Path(configured) / name] if configured else []
    candidates.append(PG_ROOT / str(major) / "bin" / name)
    candidates.extend(sorted(PG_ROOT.glob(f"*/bin/{name}"), key=lambda p: p.parent.parent.name))
    if found := shutil.which(name):
        candidates.append(Path(found))
    for path in candidates:
        if os.access(path, os.X_OK) and (_tool_major(path) or 0) >= major:
            return path
    raise BackupError(
        f"Không tìm thấy {name} phiên bản {major} trở lên (máy chủ PostgreSQL là bản {major}). "
        f"Hãy cài gói postgresql-client-{major} (hoặc postgresql) của Debian, "
        "hoặc đặt REGISTRY_PG_BINDIR là thư mục chứa nó."
    )


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    # A list of arguments, no shell: the tool's path and our own options and file names.
    result = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{what} thất bại (mã {result.returncode}): {result.stderr.strip()}")


def _dump_postgres(engine: sa.Engine, path: Path) -> DatabaseDump:
    dsn, env = _libpq(engine)
    with engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            # pg_dump reads the very snapshot this transaction holds, so the counts and the
            # revision below describe exactly what the dump contains.
            snapshot = connection.scalar(sa.text("SELECT pg_export_snapshot()"))
            revision, counts = schema_revision(connection), table_counts(connection)
            major = _server_major(connection)
            version = connection.scalar(sa.text("SHOW server_version"))
            tool = pg_tool("pg_dump", major)
            command = [str(tool), "--format=custom", f"--snapshot={snapshot}", "--no-sync"]
            _run([*command, f"--file={path}", f"--dbname={dsn}"], env, "pg_dump")
    return DatabaseDump(path.name, "postgresql", revision, counts, version, f"pg_dump {major}")


def _restore_postgres(engine: sa.Engine, path: Path, dump: dict) -> None:
    dsn, env = _libpq(engine)
    with engine.connect() as connection:
        major = _server_major(connection)
    made_by = re.search(r"(\d+)", dump.get("tool") or "")
    tool = pg_tool("pg_restore", max(major, int(made_by.group(1)) if made_by else 0))
    # Empty tables a previous `db upgrade` (or a queue) created would clash with the dump's.
    existing = sa.MetaData()
    existing.reflect(engine)
    existing.drop_all(engine)
    command = [str(tool), "--no-owner", "--no-privileges", "--exit-on-error"]
    _run([*command, "--single-transaction", f"--dbname={dsn}", str(path)], env, "pg_restore")
