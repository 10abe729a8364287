"""Legal erasure (UU PDP): a person's records removed for good, at every install, for ever.

Moving to the trash is a delete that syncs and can be undone. An erasure is not: the person and
every row that is that person's data are deleted, the images of them in the change log are
emptied, and the ids are remembered in `purge_record` so that no late bundle, re-sent stick or
parked operation can bring them back (SYNC.md: "a legal purge ... can never be undone by a late
bundle").

What goes, for person P:
- the person row; P's PMKS cases; P's memberships of families (household_member) and of groups
  (register_member); register entries about P and the entries below them, with their members;
  the hub's duplicate decisions and the merges that name P;
- every change-log image of those rows (the row stays, as an empty "purged" operation, so the
  sequence has no gap and the hub still acknowledges it);
- kept conflict versions, parked operations and the hub's duplicate notices about them.
A family whose head was P keeps its other members and has no head until someone sets one.

What stays, on purpose: the letter register (issued letters are the office's archive and keep
their number, name and subject as printed) and the audit trail (who did what, with ids and field
names, never values). The erasure dialog says so before anyone confirms.

The same function runs where the erasure is made and wherever its "purge" operation arrives,
inside that transaction, on the raw connection (as the merge does: no change capture).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from pmks_desktop.storage.changelog import canonical_json

PURGE = "purge"  # the operation that erases a person (data: who, when, why)
PURGED = "purged"  # a change-log image emptied by an erasure
ERASED_TABLE = "person"  # what an erasure names; its dependents follow


_PERSONS = """
WITH RECURSIVE merged(id) AS (
    SELECT :person UNION SELECT p.id FROM person p JOIN merged m ON p.merged_into_id = m.id)
SELECT id FROM merged"""
# Entries about the persons and every entry below them; parents are listed before children.
_ENTRY_TREE = """
WITH RECURSIVE tree(id, depth) AS (
    SELECT id, 0 FROM register_entry WHERE person_id IN ({persons})
    UNION SELECT e.id, t.depth + 1 FROM register_entry e JOIN tree t ON e.parent_id = t.id)
SELECT id FROM tree GROUP BY id ORDER BY MAX(depth), id"""


@dataclass(frozen=True)
class Erasure:
    person_id: str
    purged_at: str  # ISO time at the install that erased
    origin: str  # that install
    by: str  # username there
    reason: str

    def data(self) -> dict:
        """The purge operation's data: who, when and why, nothing about the person."""
        return {"id": self.person_id, "purged_at": self.purged_at, "purged_by": self.by,
                "reason": self.reason}


def erasure_of(op: dict) -> Erasure | str:
    """The erasure a received purge operation asks for, or why it cannot be applied."""
    if op["table_name"] != ERASED_TABLE:
        return "penghapusan permanen hanya berlaku untuk data orang"
    data = op["data"]
    if not all(isinstance(data.get(k), str) for k in ("purged_at", "purged_by", "reason")):
        return "data penghapusan permanen tidak lengkap"
    return Erasure(op["row_id"], data["purged_at"], op["origin"], data["purged_by"],
                   data["reason"])


def rows_of(cur: sqlite3.Cursor, person_id: str) -> dict[str, list[str]]:
    """The ids of every row that erasing `person_id` removes, per table: the person, the
    records merged into it (the same human, entered twice) and everything that is theirs."""
    persons = [r[0] for r in cur.execute(_PERSONS, {"person": person_id})]
    marks = ", ".join("?" * len(persons))

    def ids(sql: str, values: list[str] = persons, times: int = 1) -> list[str]:
        if not values:
            return []
        return sorted({r[0] for r in cur.execute(sql.format(marks=", ".join(
            "?" * len(values))), values * times)})

    entries = [r[0] for r in cur.execute(_ENTRY_TREE.format(persons=marks), persons)]
    return {
        "person": persons,
        "pmks_case": ids("SELECT id FROM pmks_case WHERE person_id IN ({marks})"),
        "household_member": ids("SELECT id FROM household_member WHERE person_id IN ({marks})"),
        "register_member": sorted(set(ids(
            "SELECT id FROM register_member WHERE person_id IN ({marks})")) | set(ids(
                "SELECT id FROM register_member WHERE entry_id IN ({marks})", entries))),
        "register_entry": entries,
        "person_merge": ids("SELECT id FROM person_merge WHERE merged_person_id IN ({marks}) "
                            "OR kept_person_id IN ({marks})", persons, 2),
        "person_link": ids("SELECT id FROM person_link WHERE person_a_id IN ({marks}) "
                           "OR person_b_id IN ({marks})", persons, 2),
    }


# Delete order: rows that reference others first; entries deepest first.
_DELETE_ORDER = ("person_link", "person_merge", "register_member", "register_entry",
                 "household_member", "pmks_case", "person")


def erase(cur: sqlite3.Cursor, erasure: Erasure) -> dict[str, int]:
    """Remove the person's rows and every copy of their data this install keeps; remember the
    ids. Returns the number of rows removed per table (none when nothing was here)."""
    cur.execute("PRAGMA secure_delete = ON")  # freed space is zeroed, not left readable
    found = rows_of(cur, erasure.person_id)
    if erasure.person_id not in found["person"]:  # remembered even if it never arrived here
        found["person"].append(erasure.person_id)
    persons = found["person"]
    for person_id in persons:
        cur.execute("UPDATE household SET head_person_id = NULL WHERE head_person_id = ?",
                    (person_id,))
        cur.execute("DELETE FROM link_notice WHERE person_id = ? OR other_person_id = ?",
                    (person_id, person_id))
    removed = {}
    for table in _DELETE_ORDER:
        ids = found[table][::-1] if table == "register_entry" else found[table]
        removed[table] = sum(cur.execute(f'DELETE FROM "{table}" WHERE id = ?', (i,)).rowcount
                             for i in ids)
    keys = [(table, row_id) for table, ids in found.items() for row_id in ids]
    _forget_copies(cur, keys)
    cur.executemany(
        "INSERT OR IGNORE INTO purge_record (table_name, row_id, person_id, purged_at, origin, "
        "purged_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(table, row_id, erasure.person_id, erasure.purged_at, erasure.origin, erasure.by,
          erasure.reason) for table, row_id in keys])
    return {table: n for table, n in removed.items() if n}


def _forget_copies(cur: sqlite3.Cursor, keys: list[tuple[str, str]]) -> None:
    """Empty the change-log images; drop kept conflict versions and parked operations."""
    for table, row_id in keys:
        cur.execute("UPDATE change_log SET op = ?, data = ?, also_seen = NULL "
                    "WHERE table_name = ? AND row_id = ? AND op != ?",
                    (PURGED, canonical_json({"id": row_id}), table, row_id, PURGE))
        cur.execute("DELETE FROM sync_conflict WHERE table_name = ? AND row_id = ?",
                    (table, row_id))
        cur.execute("DELETE FROM parked_op WHERE waiting_for = ? OR (json_extract(op, "
                    "'$.table_name') = ? AND json_extract(op, '$.row_id') = ?)",
                    (f"{table}:{row_id}", table, row_id))


def erased_keys(cur: sqlite3.Cursor, person_id: str | None = None) -> set[tuple[str, str]]:
    """(table, row id) of the rows erased here (of one person's erasure, if given): operations
    for them are obsolete."""
    if person_id is None:
        rows = cur.execute("SELECT table_name, row_id FROM purge_record")
    else:
        rows = cur.execute("SELECT table_name, row_id FROM purge_record WHERE person_id = ?",
                           (person_id,))
    return {(t, r) for t, r in rows}
