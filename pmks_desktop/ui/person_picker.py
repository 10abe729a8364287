"""Choosing the person a case is about: search by name or NIK as you type, or register someone.

Results show the NIK masked (DOMAIN 8: full NIK only where needed); the search itself runs in
PersonService.find(), limited to a few dozen rows, so the list never holds the whole register.
"""
from __future__ import annotations

import re
from datetime import date
from html import escape

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

from pmks_desktop.domain.catalogue import age_in_years
from pmks_desktop.domain.formatting import short_date
from pmks_desktop.domain.identity import mask_nik
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.persons import PersonService
from pmks_desktop.storage.models import Desa, Person
from pmks_desktop.ui.form_fields import CHECK_DELAY_MS, HINT_STYLE
from pmks_desktop.ui.person_form import PersonDialog

RESULT_LIMIT = 30
VISIBLE_ROWS = 6
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_SEX_WORDS = {"L": "Laki-laki", "P": "Perempuan"}


class PersonResults(QAbstractTableModel):
    """Search results: name, masked NIK, birth date, desa."""

    HEADERS = ("Nama", "NIK", "Tgl. lahir", "Desa/Kel.")

    def __init__(self, desa_names: dict[str, str], parent: QObject | None = None):
        super().__init__(parent)
        self._desa_names = desa_names
        self._persons: list[Person] = []

    def set_persons(self, persons: list[Person]) -> None:
        self.beginResetModel()
        self._persons = list(persons)
        self.endResetModel()

    def person(self, row: int) -> Person:
        return self._persons[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._persons)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        p = self._persons[index.row()]
        return (p.name, mask_nik(p.nik) if p.nik else "-",
                short_date(p.birth_date) if p.birth_date else "-",
                self._desa_names.get(p.desa_code, p.desa_code))[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


def person_summary(person: Person, desa_name: str) -> str:
    """Two lines of rich text that tell the chosen person apart from namesakes."""
    nik = f"NIK {mask_nik(person.nik)}" if person.nik else "tanpa NIK"
    if person.birth_date:
        age = age_in_years(person.birth_date, max(person.birth_date, date.today()))
        born = f"lahir {short_date(person.birth_date)} (umur {age} tahun)"
    else:
        born = "tanggal lahir belum diisi"
    if person.birth_place:
        born = f"{born}, di {person.birth_place}"
    rt_rw = f"RT {person.rt or '-'}/RW {person.rw or '-'}, " if person.rt or person.rw else ""
    return (f"<b>{escape(person.name)}</b> · {_SEX_WORDS.get(person.sex, '-')} · {nik}<br>"
            f"{escape(born)} · {escape(rt_rw)}{escape(desa_name)}")


class PersonPicker(QWidget):
    """Search box, result list, "Daftarkan Orang Baru…" and the chosen person's summary."""

    person_changed = Signal(object)  # the chosen Person

    def __init__(self, persons: PersonService, desa: list[Desa], parent: QWidget | None = None):
        super().__init__(parent)
        self._persons = persons
        self._desa = desa
        self._desa_names = {d.code: d.name for d in desa}
        self._person: Person | None = None
        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self.search)
        self._build()
        self.search_edit.textEdited.connect(lambda _text: self._timer.start())
        self.results_view.doubleClicked.connect(lambda index: self.pick(index.row()))
        self.new_button.clicked.connect(self.register_new)
        self.edit_button.clicked.connect(self.edit_person)
        for watched in (self.search_edit, self.results_view):
            watched.installEventFilter(self)

    def _build(self) -> None:
        self.search_edit = QLineEdit(clearButtonEnabled=True)
        self.search_edit.setPlaceholderText("Cari nama atau NIK, lalu pilih dengan Enter")
        self.model = PersonResults(self._desa_names, self)
        self.results_view = self._results_view()
        self.status_label = QLabel(wordWrap=True, styleSheet=HINT_STYLE)
        self.new_button = QPushButton("Daftarkan Orang &Baru…")
        self.edit_button = QPushButton("&Ubah Data Orang…", enabled=False)
        self.summary_label = QLabel("Belum ada orang yang dipilih.", wordWrap=True)
        self.summary_label.setStyleSheet(
            "QLabel { border: 1px solid #b8c4d6; border-radius: 4px; padding: 6px;"
            " background: #f3f6fa; }")
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.search_edit, self.results_view, self.status_label):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(self.summary_label)
        self._set_status("Ketik sebagian nama atau beberapa angka NIK.")

    def _results_view(self) -> QTableView:
        view = QTableView()
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setTabKeyNavigation(False)  # Tab moves on through the form, not across cells
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)  # long names are elided: rows keep one height
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths, so the columns do not jump about with every keystroke.
        metrics = view.fontMetrics()
        for column, sample in ((1, "3604**********01"), (2, "00-00-0000"),
                               (3, "Teluk Terate")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            view.setColumnWidth(column, metrics.horizontalAdvance(sample) + 20)
        row_height = view.verticalHeader().defaultSectionSize()
        view.setFixedHeight(header.sizeHint().height() + row_height * VISIBLE_ROWS + 4)
        return view

    # ------------------------------------------------------------- choosing

    def person(self) -> Person | None:
        return self._person

    def set_person(self, person: Person | None) -> None:
        self._person = person
        self.edit_button.setEnabled(person is not None)
        self.summary_label.setText(
            person_summary(person, self._desa_names.get(person.desa_code, person.desa_code))
            if person else "Belum ada orang yang dipilih.")
        if person is not None:
            self._set_status("Untuk mengganti orang, cari nama lain di sini.")
        self.person_changed.emit(person)

    def search(self) -> None:
        self._timer.stop()
        text = self.search_edit.text().strip()
        if not text:
            self.model.set_persons([])
            self._set_status("Ketik sebagian nama atau beberapa angka NIK.")
            return
        try:
            found = self._persons.find(text, limit=RESULT_LIMIT)
        except ServiceError as exc:
            self.model.set_persons([])
            self._set_status(exc.message)
            return
        self.model.set_persons(found)
        if found:
            self.results_view.selectRow(0)
        self._set_status(self._status_for(text, len(found)))

    @staticmethod
    def _status_for(text: str, count: int) -> str:
        if count == 0:
            return (f"Tidak ada yang cocok dengan “{text}”. Periksa ejaannya, atau daftarkan "
                    "sebagai orang baru.")
        if count >= RESULT_LIMIT:
            return (f"Menampilkan {RESULT_LIMIT} orang pertama; ketik lebih lengkap untuk "
                    "mempersempit.")
        return f"{count} orang ditemukan. Pilih dengan Enter atau klik dua kali."

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)

    def pick(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.set_person(self.model.person(row))
            self.search_edit.clear()
            self.model.set_persons([])

    def register_new(self) -> None:
        dialog = PersonDialog(self._persons, self._desa, parent=self)
        text = self.search_edit.text().strip()
        # Whatever was searched for is most likely the new person's name or NIK.
        if re.fullmatch(r"[\d\s.]+", text):
            dialog.form.prefill(nik=text)
        elif text:
            dialog.form.prefill(name=text)
        if dialog.exec() and dialog.saved_person is not None:
            self.search_edit.clear()
            self.model.set_persons([])
            self.set_person(dialog.saved_person)

    def edit_person(self) -> None:
        """Fix the chosen person (say, a missing birth date an age rule needs) without leaving."""
        if self._person is None:
            return
        dialog = PersonDialog(self._persons, self._desa, person=self._person, parent=self)
        if dialog.exec() and dialog.saved_person is not None:
            self.set_person(dialog.saved_person)

    # ------------------------------------------------------------- keyboard

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
            if self._timer.isActive():  # Enter typed before the pause: search first
                self.search()
            current = self.results_view.currentIndex()
            if not self.model.rowCount():
                return False  # nothing to pick: let the dialog have the Enter
            self.pick(current.row() if current.isValid() else 0)
            return True
        if key in _ENTER and watched is self.results_view:
            self.pick(self.results_view.currentIndex().row())
            return True
        return super().eventFilter(watched, event)
