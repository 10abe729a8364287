"""Models of the conflict review: the open conflicts, and the two versions side by side.

Open conflicts are few (each is a record two places edited at once), so the list model holds
the rows the service returns. The comparison model also keeps, for "Gabungkan Pilihan", which
version each differing field takes: a check mark in the chosen cell, like a pair of radio
buttons (checking one side unchecks the other).
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from pmks_desktop.services.conflict_fields import EMPTY_TEXT
from pmks_desktop.services.conflicts import ConflictDetail, ConflictView, FieldDiff

CURRENT, OTHER = "current", "other"
COLUMNS = ("Kolom", "Versi sekarang", "Versi lain")
DIFFERS_BACKGROUND = QColor("#fff1c2")  # a soft amber: readable, and not the red of an error
EMPTY_FOREGROUND = QColor("#80868b")
_SIDES = {1: CURRENT, 2: OTHER}


def moment(view: ConflictView) -> str:
    """Local time of the PC, as the office reads its clock."""
    return view.detected_at.astimezone().strftime("%d-%m-%Y %H:%M")


class ConflictListModel(QAbstractListModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[ConflictView] = []

    def set_rows(self, rows: list[ConflictView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ConflictView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        view = self.row_at(index.row()) if index.isValid() else None
        if view is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (f"{view.title}\n{view.table_label} · {view.kind_label}\n"
                    f"{view.office} · {moment(view)}")
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{view.table_label}: {view.title}\nJenis konflik: {view.kind_label}\n"
                    f"Melibatkan: {view.office}\nTerdeteksi: {moment(view)}")
        return None


class DiffTableModel(QAbstractTableModel):
    """Kolom | Versi sekarang | Versi lain; rows that differ are tinted and can be chosen."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._detail: ConflictDetail | None = None
        self._rows: list[FieldDiff] = []
        self._choices: dict[str, str] = {}

    def set_detail(self, detail: ConflictDetail | None) -> None:
        self.beginResetModel()
        self._detail = detail
        self._rows = list(detail.fields) if detail else []
        self._choices = {f.name: CURRENT for f in self._rows if f.differs}
        self.endResetModel()

    def row_at(self, row: int) -> FieldDiff | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # ------------------------------------------------------------- choices

    def choices(self) -> dict[str, str]:
        return dict(self._choices)

    def set_choices(self, choices: dict[str, str]) -> None:
        """Choose per differing field; fields left out keep their choice."""
        for name, side in choices.items():
            if name in self._choices and side in (CURRENT, OTHER):
                self._choices[name] = side
        if self._rows:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._rows) - 1, 2))

    def combined_values(self) -> dict:
        """What resolve(..., "combined", ...) takes: each differing field's chosen value."""
        return {f.name: f.other_value if self._choices[f.name] == OTHER else f.current_value
                for f in self._rows if f.differs}

    # ------------------------------------------------------------- Qt

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and self._detail and section:
            return self._detail.current_source if section == 1 else self._detail.other_source
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        field = self.row_at(index.row())
        if field is not None and field.differs and index.column() in _SIDES:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        field = self.row_at(index.row()) if index.isValid() else None
        if field is None or not 0 <= index.column() < len(COLUMNS):
            return None
        column = index.column()
        text = (field.label, field.current_value_text, field.other_value_text)[column]
        chosen = field.differs and self._choices.get(field.name) == _SIDES.get(column)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.BackgroundRole and field.differs:
            return DIFFERS_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and text == EMPTY_TEXT:
            return EMPTY_FOREGROUND
        if role == Qt.ItemDataRole.FontRole and (chosen or (field.differs and column == 0)):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.CheckStateRole and field.differs and column in _SIDES:
            return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        return None

    def setData(self, index: QModelIndex, value,  # noqa: N802 (Qt's name)
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        field = self.row_at(index.row()) if index.isValid() else None
        if role != Qt.ItemDataRole.CheckStateRole or field is None or not field.differs or \
                index.column() not in _SIDES:
            return False
        if Qt.CheckState(value) != Qt.CheckState.Checked:
            return False  # like a radio button: choose the other side to change it
        self._choices[field.name] = _SIDES[index.column()]
        self.dataChanged.emit(self.index(index.row(), 1), self.index(index.row(), 2))
        return True
