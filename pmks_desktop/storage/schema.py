"""Schema revisions this version of the application knows, oldest first.

Kept here as plain data so start-up can tell "up to date", "needs migrating" and "written by a
newer version" without importing Alembic (slow to import). A test checks this list against the
Alembic scripts in storage/migrations/versions.
"""

SCHEMA_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007",
                                     "0008", "0009", "0010", "0011")
# The database's revision: what start-up migrates to.
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]
# What bundles and their operations are stamped with: the newest revision that changed what a
# bundle carries (a synced table's columns). A revision that only adds a local table (0009:
# link_notice) leaves it alone, so offices and the hub need not upgrade in lock-step: a
# receipt or kiriman from an upgraded PC still imports on one that is not (a newer bundle
# schema is refused whole). tests/unit/test_storage.py fails when a synced table changes
# without moving this. 0010 added an optional "also_seen" to operations: an install that does
# not know it ignores it, and only keeps a resolved conflict open as every version did before.
# 0011 added "purge" and "purged" operations (erasure under UU PDP): an install that does not
# know them must refuse the bundle ("perbarui aplikasi"), not skip an erasure.
BUNDLE_SCHEMA = "0011"
