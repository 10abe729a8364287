"""The merge: applying other installs' operations (the same code at the hub and at offices).

Rules (shared SYNC.md, "Merge"):
- An operation is known by (origin, epoch, seq). One already in received_op changes nothing, so
  importing a bundle twice, or two overlapping bundles, is harmless.
- Every record converges to the version with the largest *rank* (below), whatever the order the
  operations arrive in: the rank is a total order, and each row keeps its maximum.
- Whether two versions conflict is decided from causality: the incoming version was made from
  the current one (its base), or the current from the incoming, or both come from one origin
  (one origin's versions are totally ordered). Anything else is concurrent: the winner is
  applied and the loser is kept in sync_conflict for a person to resolve. Nothing is dropped
  silently.
- A delete is a tombstone image (deleted_at set) and is ranked just above the version it was
  made from, not at its own clock value. So a delete wins over everything its author had seen,
  and loses to an edit its author had not seen that is newer than what it deleted: "a delete
  concurrent with an edit keeps the record" (conflict kind delete_edit), while staying a total
  order (a plain "live beats concurrent delete" rule is not transitive and diverges).
- A record whose parent (foreign key) is not here yet is parked and applied when it arrives.

Receiving an operation moves this install's hybrid logical clock past the operation's clock, so
a later local edit always ranks above the version it was made from, even with a slow PC clock.

Rows are written raw (storage shape: sync/apply_rows.py), so nothing here adds change_log rows.
Everything runs inside the caller's write transaction: all of an import is kept, or none.
"""
from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Iterable

from pmks_desktop.storage.changelog import canonical_json
from pmks_desktop.sync.apply_rows import (RowDataError, TableInfo, db_now, row_exists,
                                          table_info)
from pmks_desktop.sync.ops import (MAX_INT64, Key, OpFormatError, op_from_line, op_key, op_problem,
                                   op_to_line)
from pmks_desktop.sync.vector import Gap, find_gaps, gap_report, received_vector  # noqa: F401

BARU = "baru"
DIPERBARUI = "diperbarui"
TIDAK_BERUBAH = "tidak berubah"
KONFLIK = "konflik"
MENUNGGU = "menunggu"
DITOLAK = "ditolak"
OUTCOMES = (BARU, DIPERBARUI, TIDAK_BERUBAH, KONFLIK, MENUNGGU, DITOLAK)
# received_op.outcome holds short codes (column of 10 characters).
STORED_OUTCOME = {BARU: "new", DIPERBARUI: "updated", TIDAK_BERUBAH: "unchanged",
                  KONFLIK: "conflict", DITOLAK: "rejected"}

_INSERT_RECEIVED = (
    "INSERT OR IGNORE INTO received_op (origin, epoch, seq, bundle_id, outcome, received_at, "
    "hlc, base_hlc, base_origin, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_INSERT_CONFLICT = (
    "INSERT INTO sync_conflict (table_name, row_id, office_code, winner_hlc, winner_origin, "
    "loser_hlc, loser_origin, loser_data, kind, detected_at) VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?)")
_PARK = (
    "INSERT INTO parked_op (origin, epoch, seq, bundle_id, op, waiting_for, parked_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(origin, epoch, seq) DO UPDATE SET "
    "waiting_for = excluded.waiting_for")
_UNPARK = "DELETE FROM parked_op WHERE origin = ? AND epoch = ? AND seq = ?"


@dataclass
class MergeResult:
    """What an import did: counts per (table_name, outcome) and the rejected operations with
    their reason (origin, epoch, seq, reason); seq 0 when the line was unreadable."""

    counts: Counter = field(default_factory=Counter)
    rejected: list[tuple[str, str, int, str]] = field(default_factory=list)

    def total(self, outcome: str) -> int:
        return sum(n for (_table, o), n in self.counts.items() if o == outcome)


@dataclass(frozen=True)
class Version:
    hlc: int
    origin: str
    deleted: bool
    base: tuple[int, str] | None = None  # the version it was made from; None = none/unknown

    @property
    def stamp(self) -> tuple[int, str]:
        return self.hlc, self.origin

    def rank(self) -> tuple:
        """The total order that picks a winner (see the module docstring for tombstones)."""
        if self.deleted:
            base_hlc, base_origin = self.base or (0, "")
            return base_hlc, base_origin, 1, self.hlc, self.origin
        return self.hlc, self.origin, 0, self.hlc, self.origin


def decide(current: Version, incoming: Version) -> tuple[bool, str | None]:
    """(does the incoming version win, conflict kind or None when one saw the other)."""
    incoming_wins = incoming.rank() > current.rank()
    same_origin = incoming.origin == current.origin
    newer, older = (incoming, current) if incoming_wins else (current, incoming)
    # The winner must have seen the loser; if rank and causality ever disagree (a sender that
    # did not advance its clock) that is reported as a conflict too, never lost silently.
    if newer.base == older.stamp or (same_origin and newer.hlc > older.hlc):
        return incoming_wins, None
    return incoming_wins, "delete_edit" if incoming.deleted != current.deleted else "edit"


class _Merger:
    """One pass over operations inside one transaction; bookkeeping is written at finish()."""

    def __init__(self, session, bundle_id: str):
        session.flush()  # pending ORM changes first, so raw reads below see them
        self.cur: sqlite3.Cursor = session.connection().connection.driver_connection.cursor()
        self.bundle_id = bundle_id
        self.result = MergeResult()
        self.now = db_now()
        self.received: list[tuple] = []
        self.seen: set[Key] = set()
        self.bases: dict[tuple[int, str], tuple[int, str] | None] = {}
        self.parked_before = {tuple(r) for r in self.cur.execute(
            "SELECT origin, epoch, seq FROM parked_op")}
        self.parked_now: set[Key] = set()
        self.unparked: list[Key] = []
        self.max_hlc = 0

    # ----------------------------------------------------------------- one operation

    def handle(self, op) -> str:
        if not isinstance(op, dict):
            return self.reject(None, "", "perubahan bukan objek JSON")
        table = op.get("table_name") if isinstance(op.get("table_name"), str) else ""
        problem = op_problem(op)
        if problem:
            return self.reject(op_key(op), table, problem, op)
        key = op_key(op)
        if key in self.seen or key in self.parked_now or self._received_before(key):
            return self._count(table, TIDAK_BERUBAH)
        info = table_info(table)
        if info is None:
            return self.reject(key, table, f"tabel {table} tidak dikenal", op)
        try:
            params = info.params(op["data"], op["hlc"], op["origin"])
        except RowDataError as exc:
            return self.reject(key, table, str(exc), op)
        self.max_hlc = max(self.max_hlc, op["hlc"])
        waiting = info.missing_parent(self.cur, op["data"], op["row_id"])
        if waiting:
            return self._park(key, op, waiting)
        try:
            outcome = self._merge_row(info, op, params)
        except sqlite3.IntegrityError as exc:  # e.g. a unique letter number taken by another row
            return self.reject(key, table, f"melanggar aturan basis data ({exc})", op)
        self._record(key, op, outcome)
        return self._count(table, outcome)

    def _merge_row(self, info: TableInfo, op: dict, params: tuple) -> str:
        base = (op["base_hlc"], op["base_origin"]) if op["base_hlc"] is not None else None
        incoming = Version(op["hlc"], op["origin"], op["data"].get("deleted_at") is not None,
                           base)
        self.bases[incoming.stamp] = base
        stored = info.read_version(self.cur, op["row_id"])
        if stored is None:
            info.write(self.cur, params)
            return BARU
        current = Version(*stored)
        if current.stamp == incoming.stamp:
            return TIDAK_BERUBAH
        if current.deleted or (incoming.origin != current.origin
                               and (incoming.stamp < current.stamp or incoming.deleted)):
            current = replace(current, base=self._base_of(info.name, op["row_id"], current))
        incoming_wins, kind = decide(current, incoming)
        loser_image = None
        if kind and incoming_wins:  # read the current row before it is overwritten
            loser_image = canonical_json(info.read_image(self.cur, op["row_id"]))
        if incoming_wins:
            info.write(self.cur, params)
        if kind:
            winner, loser = (incoming, current) if incoming_wins else (current, incoming)
            self._conflict(info.name, op["row_id"], winner, loser, kind,
                           loser_image or canonical_json(op["data"]))
            return KONFLIK
        return DIPERBARUI if incoming_wins else TIDAK_BERUBAH

    # ----------------------------------------------------------------- bookkeeping

    def _received_before(self, key: Key) -> bool:
        return self.cur.execute("SELECT 1 FROM received_op WHERE origin = ? AND epoch = ? "
                                "AND seq = ?", key).fetchone() is not None

    def _base_of(self, table: str, row_id: str, version: Version) -> tuple[int, str] | None:
        """The version the row's current version was made from: received here, or made here."""
        if version.stamp in self.bases:
            return self.bases[version.stamp]
        row = self.cur.execute(
            "SELECT base_hlc, base_origin FROM received_op WHERE origin = ? AND hlc = ? "
            "AND outcome != 'rejected' LIMIT 1", (version.origin, version.hlc)).fetchone()
        if row is None:
            row = self.cur.execute(
                "SELECT base_hlc, base_origin FROM change_log WHERE table_name = ? AND "
                "row_id = ? AND hlc = ? AND origin = ?",
                (table, row_id, version.hlc, version.origin)).fetchone()
        return (row[0], row[1]) if row and row[0] is not None else None

    def _conflict(self, table: str, row_id: str, winner: Version, loser: Version, kind: str,
                  loser_data: str) -> None:
        if self.cur.execute(
                "SELECT 1 FROM sync_conflict WHERE table_name = ? AND row_id = ? AND "
                "loser_hlc = ? AND loser_origin = ?",
                (table, row_id, loser.hlc, loser.origin)).fetchone():
            return  # the same loser already waits for a person
        self.cur.execute(_INSERT_CONFLICT, (table, row_id, winner.hlc, winner.origin,
                                            loser.hlc, loser.origin, loser_data, kind, self.now))

    def _park(self, key: Key, op: dict, waiting: str) -> str:
        self.cur.execute(_PARK, (*key, self.bundle_id, op_to_line(op).decode("utf-8"), waiting,
                                 self.now))
        self.parked_now.add(key)
        return self._count(op["table_name"], MENUNGGU)

    def _record(self, key: Key, op: dict, outcome: str, reason: str | None = None) -> None:
        self.seen.add(key)
        self.received.append((*key, self.bundle_id, STORED_OUTCOME[outcome], self.now,
                              op["hlc"], op["base_hlc"], op["base_origin"], reason))
        if key in self.parked_before:  # re-sent while parked, and now applied
            self.unparked.append(key)

    def reject(self, key: Key | None, table: str, reason: str, op: dict | None = None) -> str:
        origin, epoch, seq = key or ("", "", 0)
        self.result.rejected.append((origin, epoch, seq, reason))
        if key is not None and key not in self.seen:
            # Acknowledged as handled (with its reason) so the sender stops re-sending it.
            hlc = op.get("hlc") if op and type(op.get("hlc")) is int else 0
            hlc = hlc if 0 <= hlc <= MAX_INT64 else 0  # a wild value must not break the insert
            self.seen.add(key)
            self.received.append((*key, self.bundle_id, STORED_OUTCOME[DITOLAK], self.now,
                                  hlc, None, None, reason))
        return self._count(table, DITOLAK)

    def _count(self, table: str, outcome: str) -> str:
        self.result.counts[(table, outcome)] += 1
        return outcome

    # ----------------------------------------------------------------- parked operations

    def retry_parked(self) -> None:
        """Apply parked operations whose parent is here now, until a round changes nothing
        (a grandchild waits for its parent, which waited for the grandparent)."""
        progress = True
        while progress:
            progress = False
            rows = self.cur.execute("SELECT origin, epoch, seq, op, waiting_for FROM parked_op "
                                    "ORDER BY origin, epoch, seq").fetchall()
            for origin, epoch, seq, line, waiting in rows:
                if row_exists(self.cur, waiting):
                    self._unpark((origin, epoch, seq), line)
                    progress = True

    def _unpark(self, key: Key, line: str) -> None:
        self.cur.execute(_UNPARK, key)
        self.parked_before.discard(key)
        try:
            op = op_from_line(line)
        except OpFormatError as exc:  # stored by an older version of this code
            self.reject(key, "", exc.reason)
            return
        if key in self.parked_now:  # parked earlier in this same import: count it once
            self.parked_now.discard(key)
            self.result.counts[(op["table_name"], MENUNGGU)] -= 1
        self.handle(op)

    def finish(self) -> MergeResult:
        if self.received:
            self.cur.executemany(_INSERT_RECEIVED, self.received)
        if self.unparked:
            self.cur.executemany(_UNPARK, self.unparked)
        if self.max_hlc:
            self.cur.execute("UPDATE node_state SET hlc = ? WHERE id = 1 AND hlc < ?",
                             (self.max_hlc, self.max_hlc))
        self.result.counts = +self.result.counts  # drop the zeros left by unparking
        return self.result


def apply_ops(session, ops: Iterable[dict], *, bundle_id: str) -> MergeResult:
    """Merge operations (dicts as exported) into the database of `session`'s transaction."""
    merger = _Merger(session, bundle_id)
    for op in ops:
        merger.handle(op)
    merger.retry_parked()
    return merger.finish()


def apply_lines(session, lines: Iterable[bytes], *, bundle_id: str) -> MergeResult:
    """apply_ops over JSON lines from a bundle; an unreadable line is rejected with its reason
    and the import goes on."""
    merger = _Merger(session, bundle_id)
    for line in lines:
        if not line.strip():
            continue
        try:
            op = op_from_line(line)
        except OpFormatError as exc:
            merger.reject(exc.key, "", exc.reason)
            continue
        merger.handle(op)
    merger.retry_parked()
    return merger.finish()


def retry_parked(session, *, bundle_id: str) -> MergeResult:
    """Apply parked operations whose parent has arrived; they are recorded under `bundle_id`
    (the import that completed them)."""
    merger = _Merger(session, bundle_id)
    merger.retry_parked()
    return merger.finish()
