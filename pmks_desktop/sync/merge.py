"""The merge: applying other installs' operations (the same code at the hub and at offices).

Rules (shared SYNC.md, "Merge"; the version order and conflicts are in sync/history.py):
- An operation is known by (origin, epoch, seq). One already in received_op changes nothing, so
  importing a bundle twice, or two overlapping bundles, is harmless.
- Each record converges to its highest-ranked version whatever the arrival order; a delete is a
  tombstone ranked just above the version it deleted, so a delete concurrent with a newer edit
  keeps the record.
- Versions made without seeing each other are conflicts: the winner is applied and every loser
  is kept in sync_conflict for a person. Nothing is dropped silently, and the open conflicts are
  the same at every install once the same operations have arrived.
- A record whose parent (foreign key) is not here yet is parked and applied when it arrives.

Receiving an operation moves this install's hybrid logical clock past the operation's clock, so
a later local edit always ranks above the version it was made from, even with a slow PC clock.

Rows are written raw (storage shape: sync/apply_rows.py), so nothing here adds change_log rows.
Everything runs inside the caller's write transaction: all of an import is kept, or none.
Operations are merged one after the other, in chunks: what a chunk's operations will read
(received keys, stored versions, parents) is read for the whole chunk first (sync/prefetch.py),
and the bookkeeping is written after each chunk, so an import streams in bounded memory.
"""
from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Iterable

from pmks_desktop.storage.changelog import canonical_json
from pmks_desktop.storage.database import raw_cursor
from pmks_desktop.sync.apply_rows import (RowDataError, TableInfo, db_now, row_exists,
                                          table_info)
from pmks_desktop.sync.history import Lineage, RowHistory, Version, saw
from pmks_desktop.sync.ops import (MAX_INT64, Key, OpFormatError, op_from_line, op_key, op_problem,
                                   op_to_line, read_lines)
from pmks_desktop.sync.prefetch import CHUNK, ChunkReads
from pmks_desktop.sync.purge import (ERASED_TABLE, PURGE, PURGED, Erasure, erase,
                                     erased_keys, erasure_of)
from pmks_desktop.sync.vector import Gap, find_gaps, gap_report, received_vector

__all__ = ["BARU", "DIPERBARUI", "TIDAK_BERUBAH", "KONFLIK", "MENUNGGU", "DITOLAK", "DIHAPUS",
           "OUTCOMES",
           "MergeResult", "apply_ops", "apply_lines", "retry_parked",
           # the version vector lives in sync/vector.py; offered here with the merge API
           "received_vector", "find_gaps", "gap_report", "Gap"]

BARU = "baru"
DIPERBARUI = "diperbarui"
TIDAK_BERUBAH = "tidak berubah"
KONFLIK = "konflik"
MENUNGGU = "menunggu"
DITOLAK = "ditolak"
DIHAPUS = "dihapus permanen"  # an erasure, or a change to data erased here (sync/purge.py)
OUTCOMES = (BARU, DIPERBARUI, TIDAK_BERUBAH, KONFLIK, MENUNGGU, DITOLAK, DIHAPUS)
# received_op.outcome holds short codes (column of 10 characters).
STORED_OUTCOME = {BARU: "new", DIPERBARUI: "updated", TIDAK_BERUBAH: "unchanged",
                  KONFLIK: "conflict", DITOLAK: "rejected", DIHAPUS: "erased"}

_INSERT_RECEIVED = (
    "INSERT OR IGNORE INTO received_op (origin, epoch, seq, bundle_id, outcome, received_at, "
    "table_name, row_id, hlc, base_hlc, base_origin, also_seen, reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
# The same for the usual row (no base, no reason), with the NULLs written in the statement:
# sqlite3 binds a None parameter through its adapter lookup, which costs several times a value.
_INSERT_RECEIVED_PLAIN = (
    "INSERT OR IGNORE INTO received_op (origin, epoch, seq, bundle_id, outcome, received_at, "
    "table_name, row_id, hlc, base_hlc, base_origin, also_seen, reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL)")
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
    erasures: list[Erasure] = field(default_factory=list)  # persons erased by this import

    def total(self, outcome: str) -> int:
        return sum(n for (_table, o), n in self.counts.items() if o == outcome)


class _Merger:
    """One pass over operations inside one transaction; bookkeeping is written at finish()."""

    def __init__(self, session, bundle_id: str):
        session.flush()  # pending ORM changes first, so raw reads below see them
        self.cur: sqlite3.Cursor = raw_cursor(session)
        self.bundle_id = bundle_id
        self.result = MergeResult()
        self.now = db_now()
        self.received: list[tuple] = []  # rows of _INSERT_RECEIVED
        self.received_plain: list[tuple] = []  # rows of _INSERT_RECEIVED_PLAIN
        self.seen: set[Key] = set()
        self.lineages: dict[tuple[int, str], Lineage] = {}  # of versions applied so far
        self.history = RowHistory(self.cur, self.now)
        self.reads = ChunkReads(self.cur)
        self.parked_before = {tuple(r) for r in self.cur.execute(
            "SELECT origin, epoch, seq FROM parked_op")}
        self.parked_now: set[Key] = set()
        self.unparked: list[Key] = []
        self.max_hlc = 0
        self.erased = erased_keys(self.cur)

    # ----------------------------------------------------------------- one operation

    def handle(self, op, checked: bool = False) -> str:
        """Merge one operation; `checked` when op_from_line already validated its shape."""
        if not isinstance(op, dict):
            return self.reject(None, "", "perubahan bukan objek JSON")
        if checked:
            table = op["table_name"]
        else:
            table = op.get("table_name") if isinstance(op.get("table_name"), str) else ""
            problem = op_problem(op)
            if problem:
                return self.reject(op_key(op), table, problem, op)
        key = (op["origin"], op["epoch"], op["seq"])
        if key in self.seen or key in self.parked_now or self.reads.received_before(key):
            return self._count(table, TIDAK_BERUBAH)
        info = table_info(table)
        if info is None:
            return self.reject(key, table, f"tabel {table} tidak dikenal", op)
        kind = op["op"]
        if kind == PURGE or kind == PURGED or (
                self.erased and (table, op["row_id"]) in self.erased):
            return self._erasure(key, op)
        try:
            params = info.params(op["data"], op["hlc"], op["origin"])
        except RowDataError as exc:
            return self.reject(key, table, str(exc), op)
        if op["hlc"] > self.max_hlc:
            self.max_hlc = op["hlc"]
        if self.erased and table == ERASED_TABLE and \
                ("person", op["data"].get("merged_into_id")) in self.erased:
            return self._settle(key, op, DIHAPUS)  # the same human as an erased person
        if kind == "insert" and (table, op["row_id"]) not in self.reads.rows:
            outcome = self._insert_new(key, op, info, params)
            if outcome is not None:
                return outcome
        waiting = info.missing_parent(self.reads.exists, op["data"], op["row_id"]) \
            if info.parents else None
        if waiting:
            if tuple(waiting.split(":", 1)) in self.erased:  # its parent was erased here
                return self._settle(key, op, DIHAPUS)
            return self._park(key, op, waiting)
        try:
            outcome = self._merge_row(info, op, params)
        except sqlite3.IntegrityError as exc:  # e.g. a unique letter number taken by another row
            return self.reject(key, table, f"melanggar aturan basis data ({exc})", op)
        self._record(key, op, outcome)
        return self._count(table, outcome)

    def _merge_row(self, info: TableInfo, op: dict, params: tuple) -> str:
        base = (op["base_hlc"], op["base_origin"]) if op["base_hlc"] is not None else None
        also_seen = tuple(map(tuple, op.get("also_seen", ())))
        self.lineages[op["hlc"], op["origin"]] = base, also_seen, op["epoch"]
        table, row_id = info.name, op["row_id"]
        stored = self.reads.version(table, row_id)
        if stored is None:  # no version of it here (parked and rejected ones are not versions)
            self._write(info, row_id, params)
            return BARU
        incoming = Version(op["hlc"], op["origin"], op["data"].get("deleted_at") is not None,
                           base, also_seen, op["epoch"])
        current = Version(*stored)
        if current.stamp == incoming.stamp:
            return TIDAK_BERUBAH
        if current.deleted or (incoming.origin != current.origin
                               and (incoming.stamp < current.stamp or incoming.deleted)) or (
                incoming.origin == current.origin and incoming.base != current.stamp):
            # What the current version saw, and its epoch, decide; the usual update (based on
            # the current version) needs neither.
            base, also_seen, epoch = self._lineage_of(table, row_id, current)
            current = replace(current, base=base, also_seen=also_seen, epoch=epoch)
        incoming_wins = incoming.rank() > current.rank()
        newer, older = (incoming, current) if incoming_wins else (current, incoming)
        if saw(newer, older) and not self.history.has_open(table, row_id):
            # The usual case: one version follows the other and nothing else is open.
            if incoming_wins:
                self._write(info, row_id, params)
                return DIPERBARUI
            return TIDAK_BERUBAH
        return self._merge_open(info, op, params, current, incoming, incoming_wins)

    def _merge_open(self, info: TableInfo, op: dict, params: tuple, current: Version,
                    incoming: Version, incoming_wins: bool) -> str:
        """Concurrent versions, or a record with open conflicts: keep sync_conflict equal to
        the record's heads other than the winner (see sync/history.py)."""
        self._flush_received()  # every version received so far must be visible below
        table, row_id, history = info.name, op["row_id"], self.history
        if incoming_wins:  # written first: if the row is refused, no conflict row has changed
            loser_image = canonical_json(info.read_image(self.cur, row_id))
            self._write(info, row_id, params)
        history.retract_seen_by(table, row_id, incoming)
        if incoming_wins:
            added = not saw(incoming, current) and not history.dominated(table, row_id, current) \
                and history.add(table, row_id, incoming, current, loser_image)
            history.rewin(table, row_id, incoming)
            return KONFLIK if added else DIPERBARUI
        added = not history.dominated(table, row_id, incoming) and \
            history.add(table, row_id, current, incoming, canonical_json(op["data"]))
        return KONFLIK if added else TIDAK_BERUBAH

    def _insert_new(self, key: Key, op: dict, info: TableInfo, params: tuple) -> str | None:
        """The usual operation of an import: a record created at the office, not here yet.
        One statement; the database itself says whether the id is taken (then None: merged
        the full way) and whether a parent is missing (None: the full way parks it)."""
        try:
            if not info.insert_new(self.cur, params):
                return None
        except sqlite3.IntegrityError as exc:
            if "FOREIGN KEY" in str(exc):
                return None
            return self.reject(key, info.name, f"melanggar aturan basis data ({exc})", op)
        # Every new record passes here: the steps of _write and _settle, written out.
        self.lineages[op["hlc"], op["origin"]] = None, (), op["epoch"]
        self.reads.rows[info.name, op["row_id"]] = info.stored_version(params)
        self._record(key, op, BARU)
        self.result.counts[(info.name, BARU)] += 1
        return BARU

    def _erasure(self, key: Key, op: dict) -> str:
        """A purge operation, an emptied image, or a change to a row erased here."""
        if op["op"] != PURGE:  # nothing to apply: the purge operation does the erasing
            return self._settle(key, op, DIHAPUS)
        erasure = erasure_of(op)
        if isinstance(erasure, str):
            return self.reject(key, op["table_name"], erasure, op)
        erase(self.cur, erasure)
        self.result.erasures.append(erasure)
        self.erased |= erased_keys(self.cur, op["row_id"])
        self.reads.clear()  # versions read for this chunk may name rows that are gone
        self.max_hlc = max(self.max_hlc, op["hlc"])
        return self._settle(key, op, DIHAPUS)

    def _settle(self, key: Key, op: dict, outcome: str) -> str:
        self._record(key, op, outcome)
        return self._count(op["table_name"], outcome)

    def _write(self, info: TableInfo, row_id: str, params: tuple) -> None:
        info.write(self.cur, params)
        self.reads.wrote(info.name, row_id, info.stored_version(params))

    # ----------------------------------------------------------------- chunks

    def merge_all(self, items: Iterable) -> None:
        """Merge in order, a chunk at a time: well-formed operations (dicts), OpFormatErrors
        (lines that could not be read) and _Unchecked wrappers."""
        chunk: list = []
        for item in items:
            chunk.append(item)
            if len(chunk) == CHUNK:
                self._merge_chunk(chunk)
                chunk = []
        if chunk:
            self._merge_chunk(chunk)

    def _merge_chunk(self, chunk: list) -> None:
        self.reads.load([item for item in chunk if isinstance(item, dict)])
        for item in chunk:
            if isinstance(item, dict):
                self.handle(item, checked=True)
            elif isinstance(item, OpFormatError):
                self.reject(item.key, "", item.reason)
            else:
                self.handle(item.op)
        self.reads.clear()  # parked operations, retried at the end, read the database
        self._flush_received()

    # ----------------------------------------------------------------- bookkeeping

    def _lineage_of(self, table: str, row_id: str, version: Version) -> Lineage:
        if version.stamp in self.lineages:  # applied earlier in this import, not yet written
            return self.lineages[version.stamp]
        return self.history.lineage_of(table, row_id, version)

    def _park(self, key: Key, op: dict, waiting: str) -> str:
        self.cur.execute(_PARK, (*key, self.bundle_id, op_to_line(op).decode("utf-8"), waiting,
                                 self.now))
        self.parked_now.add(key)
        return self._count(op["table_name"], MENUNGGU)

    def _record(self, key: Key, op: dict, outcome: str) -> None:
        self.seen.add(key)
        row = (*key, self.bundle_id, STORED_OUTCOME[outcome], self.now, op["table_name"],
               op["row_id"], op["hlc"])
        also_seen = op.get("also_seen")
        if op["base_hlc"] is None and op["base_origin"] is None and not also_seen:
            self.received_plain.append(row)
        else:
            self.received.append((*row, op["base_hlc"], op["base_origin"],
                                  canonical_json(also_seen) if also_seen else None, None))
        if key in self.parked_before:  # re-sent while parked, and now applied
            self.unparked.append(key)

    def _flush_received(self) -> None:
        # Each key is added once per import (self.seen), so the two lists never share one and
        # their order does not matter.
        for sql, rows in ((_INSERT_RECEIVED, self.received),
                          (_INSERT_RECEIVED_PLAIN, self.received_plain)):
            if rows:
                self.cur.executemany(sql, rows)
                rows.clear()

    def reject(self, key: Key | None, table: str, reason: str, op: dict | None = None) -> str:
        origin, epoch, seq = key or ("", "", 0)
        self.result.rejected.append((origin, epoch, seq, reason))
        if key is not None and key not in self.seen:
            # Acknowledged as handled (with its reason) so the sender stops re-sending it.
            op = op or {}
            hlc = op.get("hlc") if type(op.get("hlc")) is int else 0
            hlc = hlc if 0 <= hlc <= MAX_INT64 else 0  # a wild value must not break the insert
            row_id = op.get("row_id") if isinstance(op.get("row_id"), str) else ""
            self.seen.add(key)
            self.received.append((*key, self.bundle_id, STORED_OUTCOME[DITOLAK], self.now,
                                  table[:40], row_id[:36], hlc, None, None, None, reason))
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
        self.handle(op, checked=True)

    def finish(self) -> MergeResult:
        self._flush_received()
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
    merger.merge_all(op if isinstance(op, dict) and op_problem(op) is None else _Unchecked(op)
                     for op in ops)
    merger.retry_parked()
    return merger.finish()


def apply_lines(session, lines: Iterable[bytes], *, bundle_id: str) -> MergeResult:
    """apply_ops over JSON lines from a bundle; an unreadable line is rejected with its reason
    and the import goes on."""
    merger = _Merger(session, bundle_id)
    merger.merge_all(read_lines(lines))
    merger.retry_parked()
    return merger.finish()


@dataclass(frozen=True)
class _Unchecked:
    """An operation given to apply_ops that is not well formed: handle() rejects it with its
    reason, in its place in the order."""

    op: object


def retry_parked(session, *, bundle_id: str) -> MergeResult:
    """Apply parked operations whose parent has arrived; they are recorded under `bundle_id`
    (the import that completed them)."""
    merger = _Merger(session, bundle_id)
    merger.retry_parked()
    return merger.finish()
