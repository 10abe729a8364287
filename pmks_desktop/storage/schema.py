"""Schema revisions this version of the application knows, oldest first.

Kept here as plain data so start-up can tell "up to date", "needs migrating" and "written by a
newer version" without importing Alembic (slow to import). A test checks this list against the
Alembic scripts in storage/migrations/versions.
"""

SCHEMA_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007",
                                     "0008")
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]
