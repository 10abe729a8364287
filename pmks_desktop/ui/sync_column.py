"""The "Status kirim" column of a list: states looked up page by page as the list loads."""
from __future__ import annotations

from typing import Callable

StatesLookup = Callable[[str, list[str]], dict[str, str]]  # (table, row ids) -> state text

HEADER = "Status kirim"


class SyncColumn:
    def __init__(self, lookup: StatesLookup, table: str):
        self._lookup, self._table = lookup, table
        self._states: dict[str, str] = {}

    def on_page(self, rows: list) -> None:
        if rows:
            self._states.update(self._lookup(self._table, [r.id for r in rows]))

    def column(self):
        return HEADER, lambda row: self._states.get(row.id, "")


def sync_column(lookup: StatesLookup | None, table: str) -> SyncColumn | None:
    return SyncColumn(lookup, table) if lookup is not None else None
