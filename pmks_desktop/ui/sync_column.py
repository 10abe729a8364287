"""List columns whose texts are looked up page by page as the list loads: "Status kirim", and
at an office the Dinas Sosial's duplicate-person decisions ("Catatan Dinas")."""
from __future__ import annotations

from collections.abc import Callable

StatesLookup = Callable[[str, list[str]], dict[str, str]]  # (table, row ids) -> state text
TextsLookup = Callable[[list[str]], dict[str, str]]  # row ids -> text (rows without: none)

HEADER = "Status kirim"
NOTICE_HEADER = "Catatan Dinas"


class PageColumn:
    """One extra column of a LazyRowsModel: on_page() sees each fetched page first."""

    def __init__(self, header: str, lookup: TextsLookup):
        self._header, self._lookup = header, lookup
        self._texts: dict[str, str] = {}

    def on_page(self, rows: list) -> None:
        if rows:
            ids = [r.id for r in rows]
            found = self._lookup(ids)
            # Every row of the page is set, so a text that no longer holds (a decision the hub
            # withdrew) is cleared when the list reloads.
            self._texts.update({i: found.get(i, "") for i in ids})

    def column(self):
        return self._header, lambda row: self._texts.get(row.id, "")


def sync_column(lookup: StatesLookup | None, table: str) -> PageColumn | None:
    return PageColumn(HEADER, lambda ids: lookup(table, ids)) if lookup is not None else None


def notice_column(lookup: TextsLookup | None) -> PageColumn | None:
    return PageColumn(NOTICE_HEADER, lookup) if lookup is not None else None
