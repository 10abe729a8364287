"""Versions of one record: which one wins, which ones saw which, and the open conflicts.

A version is (hlc, origin), plus whether its image is a tombstone and the version it was made
from (its base). Two questions, kept apart:

- **Who wins** is a total order, `Version.rank()`, so every install ends with the same row in
  any import order. A live version ranks at its own clock value. A tombstone ranks just above
  its base: it beats everything its author had seen, and loses to an edit its author had not
  seen that is newer than what was deleted (SYNC.md: "a delete concurrent with an edit keeps the
  record"). A rule like "a live version beats a concurrent delete" would not be transitive and
  would make installs diverge.
- **What is a conflict** comes from causality. Version b *saw* a when b's base is a, when a is
  among b's `also_seen` (a person resolving a conflict saw its loser as well as the current
  version), or when both come from one origin and epoch and b is later (an install's own
  versions are ordered). Across epochs the order says nothing: a database restored from a backup
  continues under a new epoch without the versions made after the backup, so only its bases
  tell what it saw, and an edit lost with the backup becomes a conflict, not a silent loss. A version some
  received version saw is *dominated*. The open conflicts of a record are exactly its versions
  that nothing dominates (its heads) other than the winner: that set does not depend on arrival
  order either, so a person sees the same conflicts at every install. Conflicts a person has
  already resolved are never raised again.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Version:
    hlc: int
    origin: str
    deleted: bool
    base: tuple[int, str] | None = None  # the version it was made from; None = none/unknown
    also_seen: tuple[tuple[int, str], ...] = ()  # other versions it saw (resolved losers)
    epoch: str | None = None  # of its origin; None = not looked up (taken as the same)

    @property
    def stamp(self) -> tuple[int, str]:
        return self.hlc, self.origin

    def rank(self) -> tuple:
        if self.deleted:
            base_hlc, base_origin = self.base or (0, "")
            return base_hlc, base_origin, 1, self.hlc, self.origin
        return self.hlc, self.origin, 0, self.hlc, self.origin


def saw(later: Version, earlier: Version) -> bool:
    """Whether `later` was made by an install that had `earlier`."""
    return later.base == earlier.stamp or earlier.stamp in later.also_seen or (
        later.origin == earlier.origin and later.hlc > earlier.hlc
        and (later.epoch is None or earlier.epoch is None or later.epoch == earlier.epoch))


def parse_also_seen(text: str | None) -> tuple[tuple[int, str], ...]:
    """ChangeLog/ReceivedOp.also_seen (JSON [[hlc, origin], ...]) as stamps."""
    return tuple((hlc, origin) for hlc, origin in json.loads(text)) if text else ()


# (base, also_seen, epoch) of a version
Lineage = tuple[tuple[int, str] | None, tuple[tuple[int, str], ...], str | None]


def conflict_kind(winner_deleted: bool, loser_deleted: bool) -> str:
    return "delete_edit" if winner_deleted != loser_deleted else "edit"


_OPEN = "table_name = ? AND row_id = ? AND resolved_at IS NULL"
_INSERT = ("INSERT INTO sync_conflict (table_name, row_id, office_code, winner_hlc, "
           "winner_origin, loser_hlc, loser_origin, loser_data, kind, detected_at) "
           "VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?)")


class RowHistory:
    """Reads received_op and change_log (every version of a record this install has) and keeps
    sync_conflict equal to the heads of each record other than its winner."""

    def __init__(self, cur: sqlite3.Cursor, now: str):
        self.cur, self.now = cur, now

    def lineage_of(self, table: str, row_id: str, version: Version) -> Lineage:
        """The base, also_seen and epoch of a version received here, or made here."""
        row = self.cur.execute(
            "SELECT base_hlc, base_origin, also_seen, epoch FROM received_op WHERE "
            "table_name = ? AND row_id = ? AND origin = ? AND hlc = ? AND outcome != 'rejected'",
            (table, row_id, version.origin, version.hlc)).fetchone()
        if row is None:
            row = self.cur.execute(
                "SELECT base_hlc, base_origin, also_seen, epoch FROM change_log WHERE "
                "table_name = ? AND row_id = ? AND origin = ? AND hlc = ?",
                (table, row_id, version.origin, version.hlc)).fetchone()
        if row is None:
            return None, (), None
        return ((row[0], row[1]) if row[0] is not None else None), parse_also_seen(row[2]), \
            row[3]

    def has_open(self, table: str, row_id: str) -> bool:
        return self.cur.execute(f"SELECT 1 FROM sync_conflict WHERE {_OPEN} LIMIT 1",
                                (table, row_id)).fetchone() is not None

    def dominated(self, table: str, row_id: str, version: Version) -> bool:
        """Whether a version of this record received or made here saw `version`."""
        args = (table, row_id, version.hlc, version.origin, version.origin, version.hlc,
                version.epoch, version.epoch, version.hlc, version.origin)
        where = ("table_name = ? AND row_id = ? AND ((base_hlc = ? AND base_origin = ?) "
                 "OR (origin = ? AND hlc > ? AND (? IS NULL OR epoch = ?)) "
                 "OR (also_seen IS NOT NULL AND EXISTS ("
                 "SELECT 1 FROM json_each(also_seen) WHERE json_extract(value, '$[0]') = ? AND "
                 "json_extract(value, '$[1]') = ?)))")
        return any(self.cur.execute(sql + where + " LIMIT 1", args).fetchone() for sql in (
            "SELECT 1 FROM received_op WHERE outcome != 'rejected' AND ",
            "SELECT 1 FROM change_log WHERE "))

    def retract_seen_by(self, table: str, row_id: str, version: Version) -> None:
        """Close open conflicts whose loser `version` saw: that loser is no longer a head."""
        for hlc, origin in ((version.base or (None, None)), *version.also_seen):
            self.cur.execute(f"DELETE FROM sync_conflict WHERE {_OPEN} AND loser_hlc = ? AND "
                             "loser_origin = ?", (table, row_id, hlc, origin))
        # An earlier version of the same origin, unless it is known to be of another epoch.
        self.cur.execute(
            f"DELETE FROM sync_conflict WHERE {_OPEN} AND loser_origin = ? AND loser_hlc < ? "
            "AND NOT EXISTS (SELECT 1 FROM received_op r WHERE r.origin = loser_origin AND "
            "r.hlc = loser_hlc AND r.epoch != ?) AND NOT EXISTS (SELECT 1 FROM change_log c "
            "WHERE c.origin = loser_origin AND c.hlc = loser_hlc AND c.epoch != ?)",
            (table, row_id, version.origin, version.hlc, version.epoch, version.epoch))

    def add(self, table: str, row_id: str, winner: Version, loser: Version,
            loser_data: str) -> bool:
        """Keep `loser` for a person, unless it is already kept (open or resolved)."""
        if self.cur.execute(
                "SELECT 1 FROM sync_conflict WHERE table_name = ? AND row_id = ? AND "
                "loser_hlc = ? AND loser_origin = ?",
                (table, row_id, loser.hlc, loser.origin)).fetchone():
            return False
        self.cur.execute(_INSERT, (table, row_id, winner.hlc, winner.origin, loser.hlc,
                                   loser.origin, loser_data,
                                   conflict_kind(winner.deleted, loser.deleted), self.now))
        return True

    def rewin(self, table: str, row_id: str, winner: Version) -> None:
        """Point the record's open conflicts at its new winner."""
        rows = self.cur.execute(f"SELECT id, loser_data FROM sync_conflict WHERE {_OPEN}",
                                (table, row_id)).fetchall()
        for conflict_id, loser_data in rows:
            loser_deleted = json.loads(loser_data).get("deleted_at") is not None
            self.cur.execute(
                "UPDATE sync_conflict SET winner_hlc = ?, winner_origin = ?, kind = ? "
                "WHERE id = ?", (winner.hlc, winner.origin,
                                 conflict_kind(winner.deleted, loser_deleted), conflict_id))
