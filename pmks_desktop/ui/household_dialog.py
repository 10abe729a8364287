"""Families (Kartu Keluarga): the dialog that records one, the picker that chooses one, and the
table of persons with a role that both family members and register members are edited in.

HouseholdService judges what is valid (a readable No. KK, exactly one Kepala Keluarga, known
persons); the dialog only shows its words under the field they are about.
"""
from __future__ import annotations


from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from pmks_desktop.services.errors import Issue, ServiceError, ValidationFailed
from pmks_desktop.services.households import SHDK, HouseholdInput, HouseholdService
from pmks_desktop.services.persons import PersonService
from pmks_desktop.services.record_forms import record_form
from pmks_desktop.storage.models import Desa, Household, Person
from pmks_desktop.ui.form_fields import (
    HINT_STYLE, IssueNote, add_row, group_box, row, save_cancel_row,
    three_lines, with_note,
)
from pmks_desktop.ui.messages import show_error
from pmks_desktop.ui.person_form import _NUMBER_CHARS, _desa_combo, field_label

from pmks_desktop.ui.person_roles import PersonRoleTable, pick_person
RESULT_LIMIT = 30
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_SUMMARY_STYLE = ("QLabel { border: 1px solid #b8c4d6; border-radius: 4px; padding: 6px;"
                  " background: #f3f6fa; }")


# ------------------------------------------------------------------ persons with a role

def household_form_spec():
    """forms/household.yaml: the household form's labels, placeholders and version."""
    return record_form("household")


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
        spec = household_form_spec()
        tip = lambda name: spec.field(name).placeholder  # noqa: E731
        self.no_kk_edit = self._line(24, tip("no_kk"), numbers=True)
        self.desa_combo = _desa_combo(self._desa)
        self.address_edit = self._line(200, tip("address"))
        self.rt_edit, self.rw_edit = self._line(3, tip("rt"), True), self._line(3, tip("rw"), True)
        for edit in (self.rt_edit, self.rw_edit):
            edit.setFixedWidth(self.fontMetrics().horizontalAdvance("00000") + 16)
        self.notes_edit = QPlainTextEdit(placeholderText=tip("notes"))
        self.notes_edit.setTabChangesFocus(True)
        three_lines(self.notes_edit)
        self.members_table = PersonRoleTable(list(SHDK), "Hubungan")
        self.add_button = QPushButton("&Tambah Anggota…")
        self.remove_button = QPushButton("&Hapus dari Keluarga")
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self.members_table.remove_selected)
        self._notes = {key: IssueNote() for key in ("no_kk", "desa_code", "members", "other")}
        form = QFormLayout()
        label = lambda name: field_label(spec, name)  # noqa: E731
        add_row(form, label("no_kk"), self.no_kk_edit,
                with_note(self.no_kk_edit, self._notes["no_kk"]))
        add_row(form, label("desa_code"), self.desa_combo,
                with_note(self.desa_combo, self._notes["desa_code"]))
        add_row(form, label("address"), self.address_edit, self.address_edit)
        add_row(form, f"{label('rt')} / {label('rw')}", self.rt_edit,
                row(self.rt_edit, "/", self.rw_edit))
        add_row(form, label("notes"), self.notes_edit, self.notes_edit)
        members = QVBoxLayout()
        members.addWidget(self.members_table)
        members.addWidget(QLabel("Anggota pertama menjadi Kepala Keluarga; ubah hubungan "
                                 "keluarga lewat kolom Hubungan.", styleSheet=HINT_STYLE))
        members.addWidget(self._notes["members"])
        members.addWidget(row(self.add_button, self.remove_button))
        columns = QHBoxLayout()
        columns.addWidget(group_box(spec.field("no_kk").section, form), 2)
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

