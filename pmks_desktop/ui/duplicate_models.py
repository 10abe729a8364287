"""Table models and small helpers of the duplicate review dialog (pairs and merge history)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QTableView)

from pmks_desktop.domain.formatting import short_date
from pmks_desktop.services.duplicates import (REASON_NAME, REASON_NIK, DuplicatePair,
                                              MergeRecord, PersonFacts)


TITLE = "Tinjau Data Ganda"
NO_RIGHT = ("Penggabungan hanya dapat dilakukan oleh administrator atau verifikator; "
            "Anda dapat melihat daftar ini.")
SEX = {"L": "Laki-laki", "P": "Perempuan"}
# The list shows the reason short (the full one is in the tooltip and above the comparison).
SHORT_REASONS = {REASON_NIK: "NIK sama", REASON_NAME: "Nama mirip"}
RELATED_TIP = "Jumlah data terkait: kasus PMKS, entri register, keanggotaan kelompok, dan KK."


def _day(d: date | None) -> str:
    return short_date(d) if d else "-"


def _who(name: str, nik_masked: str) -> str:
    return name if nik_masked == "-" else f"{name} ({nik_masked})"


def _moment(moment: datetime | None) -> str:
    """Local time of the PC, as the office reads its clock."""
    return moment.astimezone().strftime("%d-%m-%Y %H:%M") if moment else "-"


# (header, value) of the pair list: each side's facts, then why the pair is listed.
PAIR_COLUMNS: tuple[tuple[str, Callable[[DuplicatePair], str]], ...] = (
    ("Alasan", lambda p: SHORT_REASONS.get(p.reason, p.reason)),
    ("Orang A", lambda p: p.a.name),
    ("NIK A", lambda p: p.a.nik_masked),
    ("Tgl. lahir A", lambda p: _day(p.a.birth_date)),
    ("Desa A", lambda p: p.a.desa_name),
    ("Data A", lambda p: str(p.a.related)),
    ("Orang B", lambda p: p.b.name),
    ("NIK B", lambda p: p.b.nik_masked),
    ("Tgl. lahir B", lambda p: _day(p.b.birth_date)),
    ("Desa B", lambda p: p.b.desa_name),
    ("Data B", lambda p: str(p.b.related)),
)
HEADER_TIPS = {"Data A": RELATED_TIP, "Data B": RELATED_TIP}
HISTORY_COLUMNS: tuple[tuple[str, Callable[[MergeRecord], str]], ...] = (
    ("Waktu", lambda m: _moment(m.merged_at)),
    ("Dipertahankan", lambda m: _who(m.kept_name, m.kept_nik_masked)),
    ("Digabungkan", lambda m: _who(m.merged_name, m.merged_nik_masked)),
    ("Data dipindah", lambda m: str(m.moved)),
    ("Oleh", lambda m: m.merged_by),
    ("Status", lambda m: f"Dibatalkan {_moment(m.undone_at)}" if m.undone else "Berlaku"),
    ("Alasan", lambda m: m.reason),
)
# (label, value) of the side-by-side detail.
DETAIL_ROWS: tuple[tuple[str, Callable[[PersonFacts], str]], ...] = (
    ("Nama", lambda f: f.name),
    ("NIK", lambda f: f.nik_masked),
    ("No. KK", lambda f: f.kk_masked),
    ("Jenis kelamin", lambda f: SEX.get(f.sex, f.sex)),
    ("Tempat, tgl. lahir", lambda f: f"{f.birth_place}, {_day(f.birth_date)}"),
    ("Alamat", lambda f: f.address),
    ("RT/RW", lambda f: f.rt_rw),
    ("Desa/kelurahan", lambda f: f.desa_name),
    ("Telepon", lambda f: f.phone_masked),
    ("Dicatat pada", lambda f: _moment(f.created_at)),
    ("Kasus PMKS", lambda f: str(f.cases)),
    ("Entri register", lambda f: str(f.entries)),
    ("Anggota kelompok", lambda f: str(f.memberships)),
    ("Keluarga (KK)", lambda f: str(f.households)),
)


def stretch_columns(columns) -> tuple[int, ...]:
    """The two name columns take the spare width, wherever they are."""
    return tuple(i for i, (header, _v) in enumerate(columns) if header in ("Orang A", "Orang B"))


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of dataclass rows and (header, value) columns."""

    def __init__(self, columns, parent=None):
        super().__init__(parent)
        self._columns = columns
        self._rows: list = []

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(row, DuplicatePair) \
                and index.column() == 0:
            return row.reason
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._columns[index.column()][1](row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        horizontal = orientation == Qt.Orientation.Horizontal and \
            0 <= section < len(self._columns)
        if role == Qt.ItemDataRole.ToolTipRole and horizontal:
            return HEADER_TIPS.get(self._columns[section][0])
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if horizontal:
            return self._columns[section][0]
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None


class PairTableModel(RowsModel):
    def __init__(self, parent=None, columns=PAIR_COLUMNS):
        super().__init__(columns, parent)


class MergeHistoryModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__(HISTORY_COLUMNS, parent)


def _table(name: str, model: QAbstractTableModel, stretch: tuple[int, ...]) -> QTableView:
    table = QTableView(objectName=name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)  # Tab moves on to the buttons
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return table


def _select_row(table: QTableView, row: int) -> None:
    model = table.model()
    if model.rowCount():
        row = min(max(row, 0), model.rowCount() - 1)
        table.selectionModel().setCurrentIndex(
            model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
