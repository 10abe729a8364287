"""The merge's reads for a chunk of operations at once.

Merging one operation reads whether it was received before, the current version of its record
and whether its parents are here: up to three queries per operation besides its write. The
merge reads these for a chunk of operations in a few `IN (...)` queries first, then answers
from memory. The answers stay true while the chunk is merged because every row the merge
writes is recorded here as it is written (`wrote`), and received_op only gains keys the merge
also keeps in memory. Anything not read for the chunk is read from the database as before, so
a lookup never depends on what was prefetched, only its speed does.

Only one chunk is held at a time: memory follows the chunk size, not the bundle.
"""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from itertools import repeat
from typing import Iterable

from pmks_desktop.sync.apply_rows import SYNCED_NAMES, table_info
from pmks_desktop.sync.ops import Key

# Operations merged per round of reads. Small on purpose: the chunk's parsed operations stay in
# the CPU caches and in the collector's young generation (1,000 measured ~15% slower overall,
# with several full collections per import); 100 still reads 100 rows per query.
CHUNK = 100
_IN = 500  # values per "IN (...)": below SQLite's limit of host parameters (999 before 3.32)

Stored = tuple[int, str, bool] | None  # (version_hlc, version_origin, deleted) or not here


def _slices(values: list, size: int = _IN) -> Iterable[list]:
    return (values[i:i + size] for i in range(0, len(values), size))


class ChunkReads:
    """Received keys and stored versions for the operations of one chunk."""

    def __init__(self, cur: sqlite3.Cursor):
        self.cur = cur
        self.asked: set[Key] = set()  # keys whose received state was read
        self.received: set[Key] = set()
        self.rows: dict[tuple[str, str], Stored] = {}  # (table, id) -> version, None = absent

    def load(self, ops: list[dict]) -> None:
        """Read what merging `ops` (well-formed operations) will ask. Replaces the last chunk."""
        self.clear()
        seqs: dict[tuple[str, str], list[int]] = defaultdict(list)
        ids: dict[str, set[str]] = defaultdict(set)
        for op in ops:
            seqs[op["origin"], op["epoch"]].append(op["seq"])
            info = table_info(op["table_name"])
            if info is None or op["op"] == "insert":
                continue  # an insert is tried first and reads nothing (merge._insert_new)
            ids[info.name].add(op["row_id"])
            data = op["data"]
            for column, parent in info.parents:
                parent_id = data.get(column)
                # Only text ids of synced tables (they have versions): others are asked as ever.
                if isinstance(parent_id, str) and parent in SYNCED_NAMES:
                    ids[parent].add(parent_id)
        for (origin, epoch), numbers in seqs.items():
            self._load_received(origin, epoch, numbers)
        for table, row_ids in ids.items():
            self._load_rows(table, list(row_ids))

    def _load_received(self, origin: str, epoch: str, numbers: list[int]) -> None:
        self.asked.update(zip(repeat(origin), repeat(epoch), numbers))
        low, high = min(numbers), max(numbers)
        if high - low < 2 * len(numbers):
            # A bundle's operations come in runs of consecutive seqs: one range scan reads
            # at most twice the chunk.
            found = self.cur.execute("SELECT seq FROM received_op WHERE origin = ? AND "
                                     "epoch = ? AND seq BETWEEN ? AND ?",
                                     (origin, epoch, low, high))
            self.received.update((origin, epoch, seq) for (seq,) in found)
            return
        for part in _slices(numbers):
            marks = ", ".join("?" * len(part))
            self.received.update((origin, epoch, seq) for (seq,) in self.cur.execute(
                f"SELECT seq FROM received_op WHERE origin = ? AND epoch = ? AND seq IN ({marks})",
                (origin, epoch, *part)))

    def _load_rows(self, table: str, row_ids: list[str]) -> None:
        rows = self.rows
        rows.update(zip(zip(repeat(table), row_ids), repeat(None)))  # absent unless found
        for part in _slices(row_ids):
            marks = ", ".join("?" * len(part))
            for row_id, hlc, origin, deleted_at in self.cur.execute(
                    f'SELECT id, version_hlc, version_origin, deleted_at FROM "{table}" '
                    f"WHERE id IN ({marks})", part):
                rows[table, row_id] = (hlc, origin, deleted_at is not None)

    def clear(self) -> None:
        self.asked.clear()
        self.received.clear()
        self.rows.clear()

    # ----------------------------------------------------------------- answers

    def received_before(self, key: Key) -> bool:
        if key in self.asked:
            return key in self.received
        return self.cur.execute("SELECT 1 FROM received_op WHERE origin = ? AND epoch = ? "
                                "AND seq = ?", key).fetchone() is not None

    def version(self, table: str, row_id: str) -> Stored:
        """The stored version of a record (as TableInfo.read_version gives it)."""
        try:
            return self.rows[table, row_id]
        except KeyError:
            return table_info(table).read_version(self.cur, row_id)

    def exists(self, table: str, row_id) -> bool:
        """Whether `table` (a referenced table) holds a row with this id."""
        try:
            return self.rows[table, row_id] is not None
        except (KeyError, TypeError):  # not read, or an id that is not even hashable
            pass
        return self.cur.execute(f'SELECT 1 FROM "{table}" WHERE id = ?',
                                (row_id,)).fetchone() is not None

    def wrote(self, table: str, row_id: str, stored: Stored) -> None:
        """A row the merge has just written: answer from it from now on."""
        self.rows[table, row_id] = stored
