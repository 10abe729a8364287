"""A table of persons with a role each (household members, group members) and a picker."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QHeaderView, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from pmks_desktop.domain.catalogue import age_in_years
from pmks_desktop.domain.identity import mask_nik
from pmks_desktop.services.persons import PersonService
from pmks_desktop.storage.models import Desa, Person
from pmks_desktop.ui.person_picker import PersonPicker


class PickPersonDialog(QDialog):
    """A PersonPicker alone: choosing (or registering) someone closes it at once."""

    def __init__(self, persons: PersonService, desa: list[Desa], title: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.picker = PersonPicker(persons, desa, self)
        self.picker.person_changed.connect(lambda p: p is not None and self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Batal")
        cancel.setAutoDefault(False)  # Enter in the search box picks; it must not cancel
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker)
        layout.addWidget(buttons)
        self.resize(720, self.sizeHint().height())
        self.picker.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)


def pick_person(persons: PersonService, desa: list[Desa], parent: QWidget,
                title: str = "Tambah Anggota") -> Person | None:
    dialog = PickPersonDialog(persons, desa, title, parent)
    return dialog.picker.person() if dialog.exec() else None


class PersonRoleTable(QTableWidget):
    """Persons (name, masked NIK, sex, age) each with a role chosen in a combo box.

    A handful of rows edited in place, so a QTableWidget rather than a lazy model.
    """

    changed = Signal()
    HEADERS = ("Nama", "NIK", "L/P", "Umur")

    def __init__(self, roles: list[tuple[str, str]], role_header: str,
                 parent: QWidget | None = None):
        super().__init__(0, len(self.HEADERS) + 1, parent)
        self._roles = list(roles)
        self._person_ids: list[str] = []
        self._names: list[str] = []
        self.setHorizontalHeaderLabels([*self.HEADERS, role_header])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        # Rows as tall as the role combo boxes in them.
        self.verticalHeader().setDefaultSectionSize(QComboBox().sizeHint().height() + 4)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        widest_role = max((metrics.horizontalAdvance(label) for _v, label in roles), default=60)
        for column, width in ((1, metrics.horizontalAdvance("3604**********01") + 16),
                              (2, metrics.horizontalAdvance("L/P") + 16),
                              (3, metrics.horizontalAdvance("Umur") + 16),
                              (4, widest_role + 48)):
            self.setColumnWidth(column, width)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """As tall as the rows (3 to 10 of them): an empty list should not fill the form."""
        shown = min(max(self.rowCount() + 1, 3), 10)
        self.setFixedHeight(self.horizontalHeader().sizeHint().height() + 4 +
                            self.verticalHeader().defaultSectionSize() * shown)

    def add_person(self, person: Person, role: str = "") -> bool:
        """Append a row; False when the person is already listed."""
        if person.id in self._person_ids:
            return False
        row_no = self.rowCount()
        self.insertRow(row_no)
        age = str(age_in_years(person.birth_date, max(person.birth_date, date.today()))) \
            if person.birth_date else "-"
        cells = (person.name, mask_nik(person.nik) if person.nik else "-", person.sex or "-", age)
        for column, text in enumerate(cells):
            self.setItem(row_no, column, QTableWidgetItem(text))
        combo = QComboBox()
        combo.setPlaceholderText("Pilih…")
        for value, label in self._roles:
            combo.addItem(label, value)
        combo.setCurrentIndex(combo.findData(role))
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.setCellWidget(row_no, len(self.HEADERS), combo)
        self._person_ids.append(person.id)
        self._names.append(person.name)
        self._fit_rows()
        self.changed.emit()
        return True

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Delete:  # the keyboard way to "Hapus"
            self.remove_selected()
            return
        super().keyPressEvent(event)

    def role_combo(self, row_no: int) -> QComboBox:
        return self.cellWidget(row_no, len(self.HEADERS))

    def set_role(self, row_no: int, role: str) -> None:
        self.role_combo(row_no).setCurrentIndex(self.role_combo(row_no).findData(role))

    def remove_selected(self) -> None:
        row_no = self.currentRow()
        if 0 <= row_no < self.rowCount():
            self.removeRow(row_no)
            del self._person_ids[row_no], self._names[row_no]
            self._fit_rows()
            self.changed.emit()

    def clear_rows(self) -> None:
        self.setRowCount(0)
        self._person_ids, self._names = [], []
        self._fit_rows()

    def rows(self) -> list[tuple[str, str]]:
        """(person id, role code); the role is "" where none is chosen yet."""
        return [(pid, self.role_combo(i).currentData() or "")
                for i, pid in enumerate(self._person_ids)]

    def names_without_role(self) -> list[str]:
        return [self._names[i] for i, (_pid, role) in enumerate(self.rows()) if not role]


# ------------------------------------------------------------------ the household dialog
