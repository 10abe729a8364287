"""The import dry run as a table model: Excel row, status (coloured), who/what, reasons."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from pmks_desktop.domain.formatting import number_id

# (background, text) per status: fixed pairs so they read in light and dark themes alike.
STATUS_COLORS = {"baru": ("#d7f0dd", "#14532d"), "diperbarui": ("#dbe8fb", "#1e3a8a"),
                 "tidak berubah": ("#ececec", "#404040"), "ditolak": ("#fbdcdc", "#8b1a1a")}
STATUS_WORDS = {"baru": "Baru", "diperbarui": "Diperbarui", "tidak berubah": "Tidak berubah",
                "ditolak": "Ditolak"}


def status_chips(counts: dict[str, int]) -> str:
    chips = []
    for status, n in counts.items():
        back, fore = STATUS_COLORS[status]
        chips.append(f'<span style="background:{back}; color:{fore};">&nbsp;'
                     f'{STATUS_WORDS[status]}: <b>{number_id(n)}</b>&nbsp;</span>')
    return " &nbsp; ".join(chips)


class PlanModel(QAbstractTableModel):
    """The dry run's rows: Excel row, status, who/what, reasons (and warnings)."""

    HEADERS = ("Baris", "Status", "Nama / judul", "Alasan / catatan")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []
        self._all: list = []

    def set_rows(self, rows: list, only: str | None = None) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._rows = [r for r in self._all if only is None or r.status == only]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def row_plan(self, row: int):
        return self._rows[row]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        plan, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(plan.row_number), STATUS_WORDS[plan.status], plan.label,
                    plan.notes())[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 3 and plan.notes():
            return "\n".join(plan.reasons + plan.warnings)
        if column == 1 and role in (Qt.ItemDataRole.BackgroundRole,
                                    Qt.ItemDataRole.ForegroundRole):
            back, fore = STATUS_COLORS[plan.status]
            return QBrush(QColor(back if role == Qt.ItemDataRole.BackgroundRole else fore))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
