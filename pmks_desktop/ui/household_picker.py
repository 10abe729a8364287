"""Choosing a household (Kartu Keluarga) on a form: search by No. KK or the head's name."""
from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.households import HouseholdService
from pmks_desktop.services.persons import PersonService
from pmks_desktop.storage.models import Desa, Household, Person
from pmks_desktop.ui.form_fields import (
    CHECK_DELAY_MS, HINT_STYLE, row,
)
from pmks_desktop.ui.household_dialog import (_ENTER, _SUMMARY_STYLE, RESULT_LIMIT,
                                             HouseholdDialog)


class HouseholdResults(QAbstractTableModel):
    """Search results: No. KK, head of the family, address, desa."""

    HEADERS = ("No. KK", "Kepala keluarga", "Alamat", "Desa/Kel.")

    def __init__(self, desa_names: dict[str, str], parent: QObject | None = None):
        super().__init__(parent)
        self._desa_names = desa_names
        self._rows: list[tuple[Household, Person | None]] = []

    def set_rows(self, rows: list[tuple[Household, Person | None]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row_no: int) -> tuple[Household, Person | None]:
        return self._rows[row_no]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        household, head = self._rows[index.row()]
        return (household.no_kk or "-", head.name if head else "-", household.address or "-",
                self._desa_names.get(household.desa_code, household.desa_code))[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


def household_summary(household: Household, head: Person | None, desa_name: str) -> str:
    head_text = escape(head.name) if head else "kepala keluarga belum ditandai"
    rt_rw = f"RT {household.rt or '-'}/RW {household.rw or '-'}, " \
        if household.rt or household.rw else ""
    place = escape(f"{household.address + ', ' if household.address else ''}{rt_rw}{desa_name}")
    return f"<b>KK {escape(household.no_kk or 'tanpa nomor')}</b> · {head_text}<br>{place}"


class HouseholdPicker(QWidget):
    """Search by No. KK or the head's name, pick with Enter, or register a new family."""

    household_changed = Signal(object)  # the chosen Household, or None

    def __init__(self, households: HouseholdService, persons: PersonService, desa: list[Desa],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._households, self._persons, self._desa = households, persons, desa
        self._desa_names = {d.code: d.name for d in desa}
        self._household: Household | None = None
        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self.search)
        self._build()
        self.search_edit.textEdited.connect(lambda _t: self._timer.start())
        self.results_view.doubleClicked.connect(lambda index: self.pick(index.row()))
        self.new_button.clicked.connect(self.register_new)
        self.edit_button.clicked.connect(self.edit_household)
        for watched in (self.search_edit, self.results_view):
            watched.installEventFilter(self)

    def _build(self) -> None:
        self.search_edit = QLineEdit(clearButtonEnabled=True)
        self.search_edit.setPlaceholderText("Cari No. KK atau nama kepala keluarga, pilih "
                                            "dengan Enter")
        self.model = HouseholdResults(self._desa_names, self)
        view = self.results_view = QTableView()
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setTabKeyNavigation(False)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.status_label = QLabel(wordWrap=True, styleSheet=HINT_STYLE)
        self.new_button = QPushButton("Daftarkan Keluarga &Baru…")
        self.edit_button = QPushButton("Ubah Data &Keluarga…", enabled=False)
        self.summary_label = QLabel("Belum ada keluarga yang dipilih.", wordWrap=True,
                                    styleSheet=_SUMMARY_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.search_edit, view, self.status_label,
                       row(self.new_button, self.edit_button), self.summary_label):
            layout.addWidget(widget)
        view.hide()
        self.status_label.setText("Ketik beberapa angka No. KK atau sebagian nama kepala keluarga.")

    def household(self) -> Household | None:
        return self._household

    def set_household(self, household: Household | None, head: Person | None = None) -> None:
        self._household = household
        self.edit_button.setEnabled(household is not None)
        self.summary_label.setText(household_summary(
            household, head, self._desa_names.get(household.desa_code, household.desa_code))
            if household else "Belum ada keluarga yang dipilih.")
        self.household_changed.emit(household)

    def set_household_id(self, household_id: str | None) -> None:
        if not household_id:
            self.set_household(None)
            return
        try:
            view = self._households.get(household_id)
        except ServiceError as exc:
            self.set_household(None)
            self.status_label.setText(exc.message)
            return
        head = next((p for m, p in view.members if m.relation == "kepala"), None)
        self.set_household(view.household, head)

    def search(self) -> None:
        self._timer.stop()
        text = self.search_edit.text().strip()
        try:
            found = self._households.find(text, limit=RESULT_LIMIT) if text else []
        except ServiceError as exc:
            found = []
            self.status_label.setText(exc.message)
        self.model.set_rows(found)
        view = self.results_view
        view.setFixedHeight(view.horizontalHeader().sizeHint().height() + 4 +
                            view.verticalHeader().defaultSectionSize() * min(len(found), 5))
        view.setVisible(bool(found))  # an empty list would only take room
        if found:
            self.results_view.selectRow(0)
        if not text:
            self.status_label.setText("Ketik beberapa angka No. KK atau sebagian nama.")
        elif not found:
            self.status_label.setText(f"Tidak ada keluarga yang cocok dengan “{text}”. "
                                      "Periksa ketikan, atau daftarkan keluarga baru.")
        else:
            self.status_label.setText(f"{len(found)} keluarga ditemukan. Pilih dengan Enter "
                                      "atau klik dua kali.")

    def pick(self, row_no: int) -> None:
        if 0 <= row_no < self.model.rowCount():
            self.set_household(*self.model.row_at(row_no))
            self.search_edit.clear()
            self.search()

    def register_new(self) -> None:
        dialog = HouseholdDialog(self._households, self._persons, self._desa, parent=self)
        text = self.search_edit.text().strip()
        if re.fullmatch(r"[\d\s.]+", text):  # what was searched for is likely the new No. KK
            dialog.prefill(no_kk=text)
        if dialog.exec() and dialog.saved_household is not None:
            self.search_edit.clear()
            self.search()
            self.set_household_id(dialog.saved_household.id)

    def edit_household(self) -> None:
        if self._household is None:
            return
        dialog = HouseholdDialog(self._households, self._persons, self._desa,
                                 household_id=self._household.id, parent=self)
        if dialog.exec() and dialog.saved_household is not None:
            self.set_household_id(dialog.saved_household.id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.search_edit and key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            if self.model.rowCount():
                self.results_view.setFocus(Qt.FocusReason.OtherFocusReason)
                self.results_view.selectRow(0)
            return True
        if key in _ENTER and watched is self.search_edit:
            if self._timer.isActive():
                self.search()
            if not self.model.rowCount():
                return False  # nothing to pick: the dialog may have the Enter
            current = self.results_view.currentIndex()
            self.pick(current.row() if current.isValid() else 0)
            return True
        if key in _ENTER and watched is self.results_view:
            self.pick(self.results_view.currentIndex().row())
            return True
        return super().eventFilter(watched, event)
