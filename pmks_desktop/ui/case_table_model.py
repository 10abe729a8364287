"""The case list as a lazy Qt table model.

It holds only the rows fetched so far and asks for the next page (keyset, 200 rows) when the
view scrolls near the end, so a list of 100,000 cases opens as fast as one of 100.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from pmks_desktop.domain.formatting import short_date
from pmks_desktop.services.case_queries import CaseRow

PAGE_SIZE = 200
SEX_LABELS = {"L": "L", "P": "P"}

# (header, value of a row)
COLUMNS: tuple[tuple[str, Callable[[CaseRow], str]], ...] = (
    ("Nama", lambda r: r.person_name),
    ("NIK", lambda r: r.nik_masked),
    ("L/P", lambda r: SEX_LABELS.get(r.sex, r.sex)),
    ("Jenis PMKS", lambda r: f"{r.type_code} - {r.type_name}"),
    ("Desa/Kelurahan", lambda r: r.desa_name),
    ("Tgl. Dicatat", lambda r: short_date(r.recorded_on)),
    ("Status", lambda r: r.status_label),
)
TRASH_COLUMN = ("Alasan Dihapus", lambda r: r.deleted_reason or "")

FetchPage = Callable[[object, int], list[CaseRow]]  # (cursor or None, limit) -> rows


class CaseTableModel(QAbstractTableModel):
    def __init__(self, fetch_page: FetchPage, count: Callable[[], int], parent=None):
        super().__init__(parent)
        self._fetch_page = fetch_page
        self._count = count
        self._rows: list[CaseRow] = []
        self._total = 0
        self._exhausted = True
        self._columns = COLUMNS

    # ------------------------------------------------------------- loading

    def reload(self, fetch_page: FetchPage | None = None, count: Callable[[], int] | None = None,
               trash: bool = False) -> None:
        """Start again (new filters, or data changed): first page only."""
        self.beginResetModel()
        self._fetch_page = fetch_page or self._fetch_page
        self._count = count or self._count
        self._columns = COLUMNS + (TRASH_COLUMN,) if trash else COLUMNS
        self._total = self._count()
        self._rows = self._fetch_page(None, PAGE_SIZE)
        self._exhausted = len(self._rows) < PAGE_SIZE
        self.endResetModel()

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted or not self._rows:
            return
        more = self._fetch_page(self._rows[-1].cursor, PAGE_SIZE)
        self._exhausted = len(more) < PAGE_SIZE
        if more:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    # ------------------------------------------------------------- Qt model API

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[index.column()][1](row)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3:
            return row.type_name
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section][0]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    # ------------------------------------------------------------- helpers

    @property
    def total(self) -> int:
        return self._total

    def row_at(self, row: int) -> CaseRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None
