"""Families (Kartu Keluarga): the dialog that records one, the picker that chooses one, and the
table of persons with a role that both family members and register members are edited in.

HouseholdService judges what is valid (a readable No. KK, exactly one Kepala Keluarga, known
persons); the dialog only shows its words under the field they are about.
"""
from __future__ import annotations

import re
from datetime import date
from html import escape

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTableView, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from pmks_desktop.domain.catalogue import age_in_years
from pmks_desktop.domain.identity import mask_nik
from pmks_desktop.services.errors import Issue, ServiceError, ValidationFailed
from pmks_desktop.services.households import SHDK, HouseholdInput, HouseholdService
from pmks_desktop.services.persons import PersonService
from pmks_desktop.storage.models import Desa, Household, Person
from pmks_desktop.ui.form_fields import (
    CHECK_DELAY_MS, HINT_STYLE, IssueNote, add_row, group_box, row, save_cancel_row,
    three_lines, with_note,
)
from pmks_desktop.ui.messages import show_error
from pmks_desktop.ui.person_form import _NUMBER_CHARS, _desa_combo
from pmks_desktop.ui.person_picker import PersonPicker

RESULT_LIMIT = 30
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_SUMMARY_STYLE = ("QLabel { border: 1px solid #b8c4d6; border-radius: 4px; padding: 6px;"
                  " background: #f3f6fa; }")


# ------------------------------------------------------------------ persons with a role

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

class HouseholdDialog(QDialog):
    """Record or edit one family; `saved_household` holds the stored household after Simpan."""

    def __init__(self, households: HouseholdService, persons: PersonService, desa: list[Desa],
                 *, household_id: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._households = households
        self._persons = persons
        self._desa = desa
        self._household_id = household_id
        self._version: int | None = None
        self.saved_household: Household | None = None
        self.setWindowTitle("Ubah Data Keluarga" if household_id else "Daftarkan Keluarga")
        self._build()
        if household_id:
            self._load(household_id)
        self.resize(980, max(460, self.sizeHint().height()))
        self.no_kk_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build(self) -> None:
        self.no_kk_edit = self._line(24, "16 angka, sesuai Kartu Keluarga", numbers=True)
        self.desa_combo = _desa_combo(self._desa)
        self.address_edit = self._line(200, "jalan, kampung/dusun, nomor rumah")
        self.rt_edit, self.rw_edit = self._line(3, "001", True), self._line(3, "002", True)
        for edit in (self.rt_edit, self.rw_edit):
            edit.setFixedWidth(self.fontMetrics().horizontalAdvance("00000") + 16)
        self.notes_edit = QPlainTextEdit(placeholderText="keterangan lain bila perlu")
        self.notes_edit.setTabChangesFocus(True)
        three_lines(self.notes_edit)
        self.members_table = PersonRoleTable(list(SHDK), "Hubungan")
        self.add_button = QPushButton("&Tambah Anggota…")
        self.remove_button = QPushButton("&Hapus dari Keluarga")
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self.members_table.remove_selected)
        self._notes = {key: IssueNote() for key in ("no_kk", "desa_code", "members", "other")}
        form = QFormLayout()
        add_row(form, "No. &KK", self.no_kk_edit, with_note(self.no_kk_edit, self._notes["no_kk"]))
        add_row(form, "&Desa/Kelurahan *", self.desa_combo,
                with_note(self.desa_combo, self._notes["desa_code"]))
        add_row(form, "&Alamat", self.address_edit, self.address_edit)
        add_row(form, "&RT / RW", self.rt_edit, row(self.rt_edit, "/", self.rw_edit))
        add_row(form, "&Catatan", self.notes_edit, self.notes_edit)
        members = QVBoxLayout()
        members.addWidget(self.members_table)
        members.addWidget(QLabel("Anggota pertama menjadi Kepala Keluarga; ubah hubungan "
                                 "keluarga lewat kolom Hubungan.", styleSheet=HINT_STYLE))
        members.addWidget(self._notes["members"])
        members.addWidget(row(self.add_button, self.remove_button))
        columns = QHBoxLayout()
        columns.addWidget(group_box("Kartu Keluarga", form), 2)
        columns.addWidget(group_box("Anggota keluarga *", members), 3)
        bottom, self.save_button, self.cancel_button = save_cancel_row(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self._notes["other"])
        layout.addLayout(bottom)

    @staticmethod
    def _line(max_length: int, placeholder: str, numbers: bool = False) -> QLineEdit:
        edit = QLineEdit(placeholderText=placeholder, maxLength=max_length)
        if numbers:
            edit.setValidator(QRegularExpressionValidator(_NUMBER_CHARS, edit))
        return edit

    def _load(self, household_id: str) -> None:
        try:
            view = self._households.get(household_id)
        except ServiceError as exc:
            show_error(self, exc)
            return
        h = view.household
        self._version = h.version_hlc
        self.no_kk_edit.setText(h.no_kk or "")
        self._select_desa(h.desa_code)
        for edit, text in ((self.address_edit, h.address), (self.rt_edit, h.rt),
                           (self.rw_edit, h.rw)):
            edit.setText(text or "")
        self.notes_edit.setPlainText(h.notes or "")
        for member, person in view.members:
            self.members_table.add_person(person, member.relation)

    def _select_desa(self, code: str) -> None:
        index = self.desa_combo.findData(code)
        if index < 0:  # a desa no longer active stays visible rather than silently changing
            self.desa_combo.addItem(code, code)
            index = self.desa_combo.count() - 1
        self.desa_combo.setCurrentIndex(index)

    def prefill(self, *, no_kk: str = "") -> None:
        self.no_kk_edit.setText(no_kk)

    # ------------------------------------------------------------- members

    def _add_clicked(self) -> None:
        person = pick_person(self._persons, self._desa, self, "Tambah Anggota Keluarga")
        if person is not None:
            self.add_member(person)

    def add_member(self, person: Person, relation: str | None = None) -> None:
        """Add a person; the first becomes the head, and fills what the family still lacks."""
        if relation is None:
            relation = "" if any(r == "kepala" for _p, r in self.members_table.rows()) \
                else "kepala"
        if not self.members_table.add_person(person, relation):
            self._notes["members"].show_issues([f"{person.name} sudah ada dalam daftar."])
            return
        self._notes["members"].show_issues([])
        if not self.no_kk_edit.text().strip() and person.no_kk:
            self.no_kk_edit.setText(person.no_kk)
        if self.desa_combo.currentIndex() < 0 and person.desa_code:
            self._select_desa(person.desa_code)
        for edit, text in ((self.address_edit, person.address), (self.rt_edit, person.rt),
                           (self.rw_edit, person.rw)):
            if not edit.text().strip() and text:
                edit.setText(text)

    # ------------------------------------------------------------- saving

    def value(self) -> HouseholdInput:
        index = self.desa_combo.findText(self.desa_combo.currentText().strip(),
                                         Qt.MatchFlag.MatchFixedString)
        return HouseholdInput(
            desa_code=self.desa_combo.itemData(index) if index >= 0 else "",
            no_kk=self.no_kk_edit.text(), address=self.address_edit.text(),
            rt=self.rt_edit.text(), rw=self.rw_edit.text(),
            notes=self.notes_edit.toPlainText(), members=self.members_table.rows())

    def note(self, key: str) -> IssueNote:
        """The note under no_kk, desa_code, members, or the general one (other)."""
        return self._notes[key]

    def show_issues(self, issues: list[Issue]) -> None:
        grouped: dict[str, list[str]] = {key: [] for key in self._notes}
        for issue in issues:
            grouped[issue.field if issue.field in grouped else "other"].append(issue.message)
        for key, note in self._notes.items():
            note.show_issues(grouped[key])
        focus = {"no_kk": self.no_kk_edit, "desa_code": self.desa_combo,
                 "members": self.add_button}
        for key, widget in focus.items():
            if grouped[key]:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                break

    def save(self) -> None:
        missing = self.members_table.names_without_role()
        if missing:  # the service would only say "relation '' unknown"
            self.show_issues([Issue("members", f"Pilih hubungan keluarga untuk {name}.")
                              for name in missing])
            return
        try:
            household = self._households.save(self.value(), household_id=self._household_id,
                                              expected_version=self._version)
        except ValidationFailed as exc:
            self.show_issues(exc.issues)
            return
        except ServiceError as exc:
            show_error(self, exc)
            return
        self.saved_household = household
        self.accept()


# ------------------------------------------------------------------ choosing a household

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
