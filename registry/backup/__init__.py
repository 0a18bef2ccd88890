"""`flask registry backup DEST` and `flask registry restore SRC`.

A backup is one folder:

- `manifest.json`: when, the schema revision, rows per table, objects and bytes per area, and
  the SHA-256 of every other file in the folder (written last: a folder without it is not a
  backup);
- `database.sqlite3` (SQLite's online backup API) or `database.pgdump` (`pg_dump -Fc` of one
  snapshot);
- `objects.jsonl`: one line per stored object (area, key, size, SHA-256, type, metadata,
  retention) and `objects/<area>/<key>`: its bytes.

Objects are kept by logical area, not by bucket, so a backup restores into other bucket names
or the other kind of store.
"""

from registry.backup.commands import backup_command, restore_command

__all__ = ["backup_command", "restore_command"]
