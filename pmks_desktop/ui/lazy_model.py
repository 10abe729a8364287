"""The lazy table model every list uses: it holds the rows fetched so far and asks for the next
keyset page (200 rows) when the view scrolls near the end, so 100,000 rows open like 100."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

PAGE_SIZE = 200

Column = tuple[str, Callable[[Any], str]]  # header, text of a row


class LazyRowsModel(QAbstractTableModel):
    """Rows need a `cursor` attribute: the keyset position the next page starts after."""

    def __init__(self, columns: Sequence[Column], fetch_page: Callable[[Any, int], list],
                 count: Callable[[], int], parent=None, right_aligned: Sequence[int] = (),
                 on_page: Callable[[list], None] | None = None):
        super().__init__(parent)
        self._on_page = on_page  # sees each fetched page first (e.g. to look up sync states)
        self._columns = list(columns)
        self._fetch_page = fetch_page
        self._count = count
        self._right = set(right_aligned)
        self._rows: list = []
        self._total = 0
        self._exhausted = True

    def set_columns(self, columns: Sequence[Column]) -> None:
        self.beginResetModel()
        self._columns = list(columns)
        self.endResetModel()

    def reload(self) -> None:
        self.beginResetModel()
        self._total = self._count()
        self._rows = self._fetch_page(None, PAGE_SIZE)
        if self._on_page is not None:
            self._on_page(self._rows)
        self._exhausted = len(self._rows) < PAGE_SIZE
        self.endResetModel()

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted or not self._rows:
            return
        more = self._fetch_page(self._rows[-1].cursor, PAGE_SIZE)
        if self._on_page is not None:
            self._on_page(more)
        self._exhausted = len(more) < PAGE_SIZE
        if more:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[index.column()][1](self._rows[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return self._columns[section][0] if 0 <= section < len(self._columns) else None

    @property
    def total(self) -> int:
        return self._total

    def row_at(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None
