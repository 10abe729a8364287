"""Entering one person: the form with live feedback, and the dialog that saves it.

The form never decides what is valid. While the user types it asks PersonService.check()
(debounced) and shows the service's own words under each field: errors in red, warnings in amber.
Issues of fields the user has not reached yet stay hidden until a save is attempted, so a fresh
form does not open covered in red. Labels, placeholders and hints come from forms/person.yaml,
so correcting a label is a change to that file, not to this code.
"""
from __future__ import annotations

from datetime import date
from functools import cache
from html import escape

from PySide6.QtCore import QRegularExpression, Qt, QTimer
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QCompleter, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QRadioButton, QVBoxLayout, QWidget,
)

from pmks_desktop.domain.catalogue import age_in_years
from pmks_desktop.domain.formatting import short_date
from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.services.errors import Issue, ServiceError, ValidationFailed
from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.services.record_forms import record_form
from pmks_desktop.services.persons import DuplicateHint, DuplicateSuspected, PersonService
from pmks_desktop.storage.models import Desa, Person
from pmks_desktop.ui.form_fields import (
    CHECK_DELAY_MS, HINT_STYLE, WARNING_COLOR, DateEdit, IssueNote,
    add_row, grow_to_fit, group_box, row, save_cancel_row, three_lines, with_note,
)
from pmks_desktop.ui.messages import confirm, show_error

NOTICE_STYLE = ("QLabel { border: 1px solid #8ab4f8; border-radius: 4px; padding: 6px;"
                " background: #e8f0fe; color: #0b2e66; }")
_NUMBER_CHARS = QRegularExpression(r"[0-9 .\-]{0,24}")  # people type NIKs with spaces or dots
PERSON_FORM_FILE = "person.yaml"


@cache
def person_form_spec() -> FormSpec:
    """forms/person.yaml: the person form's labels, placeholders, hints and version."""
    return record_form(PERSON_FORM_FILE.removesuffix(".yaml"))


def field_label(form: FormSpec, name: str) -> str:
    """The field's label as the form shows it: with its Alt+letter, and * when required."""
    spec = form.field(name)
    return spec.label + (" *" if spec.required else "")


def hint_line(h: DuplicateHint) -> str:
    born = short_date(h.birth_date) if h.birth_date else "tanggal lahir tidak diisi"
    return f"{h.name} (NIK {h.nik_masked}, lahir {born}, {h.desa_name}): {h.reason}"


def _line_edit(max_length: int, placeholder: str = "", numbers: bool = False) -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(max_length)
    edit.setPlaceholderText(placeholder)
    if numbers:
        edit.setValidator(QRegularExpressionValidator(_NUMBER_CHARS, edit))
    return edit


def _desa_combo(desa: list[Desa], placeholder: str = "ketik nama desa/kelurahan") -> QComboBox:
    """Editable, so a desa is found by typing any part of its name."""
    combo = QComboBox(editable=True, insertPolicy=QComboBox.InsertPolicy.NoInsert)
    for item in desa:
        combo.addItem(item.name, item.code)
    combo.setCurrentIndex(-1)
    combo.lineEdit().setPlaceholderText(placeholder)
    completer = combo.completer()
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    return combo


class PersonForm(QWidget):
    """The person fields. value() gives a PersonInput; the service judges it."""

    def __init__(self, persons: PersonService, desa: list[Desa], parent: QWidget | None = None):
        super().__init__(parent)
        self._persons = persons
        self._person_id: str | None = None
        self._touched: set[str] = set()
        self._show_all = False
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self._spec = person_form_spec()
        self._build_fields(desa)
        self._build_layout()
        self._connect()
        self._update_age()

    # ------------------------------------------------------------- building

    def _build_fields(self, desa: list[Desa]) -> None:
        spec = self._spec

        def hint(name: str) -> str:
            return spec.field(name).placeholder

        self.nik_edit = _line_edit(24, hint("nik"), numbers=True)
        self.no_kk_edit = _line_edit(24, hint("no_kk"), numbers=True)
        self.name_edit = _line_edit(120, hint("name"))
        self.birth_place_edit = _line_edit(80, hint("birth_place"))
        self.birth_date_edit = DateEdit()
        self.age_label = QLabel(styleSheet=HINT_STYLE)
        sex = spec.field("sex")  # the radio buttons carry the choices' labels and Alt+letters
        self.male_radio = QRadioButton("&" + sex.choice_label("L"))
        self.female_radio = QRadioButton("&" + sex.choice_label("P"))
        self.sex_group = QButtonGroup(self)
        self.sex_group.addButton(self.male_radio)
        self.sex_group.addButton(self.female_radio)
        self.address_edit = _line_edit(200, hint("address"))
        self.rt_edit = _line_edit(3, hint("rt"), numbers=True)
        self.rw_edit = _line_edit(3, hint("rw"), numbers=True)
        for edit in (self.rt_edit, self.rw_edit):
            edit.setFixedWidth(self.fontMetrics().horizontalAdvance("00000") + 16)
        self.desa_combo = _desa_combo(desa, hint("desa_code"))
        self.phone_edit = _line_edit(20, hint("phone"))
        self.notes_edit = QPlainTextEdit(placeholderText=hint("notes"))
        self.notes_edit.setTabChangesFocus(True)  # Tab leaves the box, as in every other field
        three_lines(self.notes_edit)
        # In the order of the form: a failed save puts the focus on the first field in error.
        self._widgets = {
            "nik": self.nik_edit, "no_kk": self.no_kk_edit, "name": self.name_edit,
            "birth_place": self.birth_place_edit, "birth_date": self.birth_date_edit,
            "sex": self.male_radio, "address": self.address_edit, "rt": self.rt_edit,
            "rw": self.rw_edit, "desa_code": self.desa_combo, "phone": self.phone_edit,
            "notes": self.notes_edit}
        for name, widget in self._widgets.items():
            if name != "birth_date" and spec.field(name).help:  # the date's hint is age_label's
                widget.setToolTip(spec.field(name).help)
        self._notes = {name: IssueNote() for name in (*self._widgets, "rt_rw", "other")
                       if name not in ("rt", "rw")}
        self.duplicate_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.duplicate_label.setStyleSheet(
            f"QLabel {{ border: 1px solid {WARNING_COLOR}; border-radius: 4px; padding: 6px;"
            " background: #fff8e6; color: #3d2a00; }")
        self.duplicate_label.hide()
        # The Dinas Sosial's decision about this record and one at another office (or this
        # one), from its receipts: shown first, so whoever edits the record sees it.
        self.notice_label = QLabel(wordWrap=True, objectName="hub_notice",
                                   textFormat=Qt.TextFormat.PlainText)  # the hub's words, as is
        self.notice_label.setStyleSheet(NOTICE_STYLE)
        self.notice_label.hide()

    # The rows of each box, in order; the boxes' titles are the fields' sections in the file.
    _SECTIONS = (("nik", "no_kk", "name", "birth_place", "birth_date", "sex"),
                 ("address", "rt_rw", "desa_code", "phone", "notes"))

    def _row_label(self, key: str) -> str:
        if key == "rt_rw":  # one row for both: "&RT / RW"
            return f"{self._spec.field('rt').label} / {field_label(self._spec, 'rw')}"
        return field_label(self._spec, key)

    def _build_layout(self) -> None:
        cells = {"birth_date": row(self.birth_date_edit, self.age_label),
                 "sex": row(self.male_radio, self.female_radio),
                 "rt_rw": row(self.rt_edit, "/", self.rw_edit)}
        columns = QHBoxLayout()
        for keys in self._SECTIONS:
            form = QFormLayout()
            for key in keys:
                add_row(form, self._row_label(key), self._widgets.get(key, self.rt_edit),
                        with_note(cells.get(key) or self._widgets[key], self._notes[key]))
            columns.addWidget(group_box(self._spec.field(keys[0]).section, form), 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.notice_label)
        outer.addLayout(columns)
        outer.addWidget(self._notes["other"])
        outer.addWidget(self.duplicate_label)
        outer.addWidget(QLabel("Kolom bertanda * wajib diisi.", styleSheet=HINT_STYLE))

    def _connect(self) -> None:
        for name, widget in self._widgets.items():
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(lambda _text, name=name: self._edited(name))
        self.sex_group.buttonToggled.connect(lambda *_: self._edited("sex"))
        self.desa_combo.currentTextChanged.connect(lambda _t: self._edited("desa_code"))
        self.notes_edit.textChanged.connect(lambda: self._edited("notes"))

    # ------------------------------------------------------------- values

    def value(self) -> PersonInput:
        sex = "L" if self.male_radio.isChecked() else "P" if self.female_radio.isChecked() else ""
        return PersonInput(
            name=self.name_edit.text(), sex=sex, desa_code=self._desa_code(),
            nik=self.nik_edit.text(), no_kk=self.no_kk_edit.text(),
            birth_place=self.birth_place_edit.text(),
            birth_date=self.birth_date_edit.date_value(), address=self.address_edit.text(),
            rt=self.rt_edit.text(), rw=self.rw_edit.text(), phone=self.phone_edit.text(),
            notes=self.notes_edit.toPlainText())

    def _desa_code(self) -> str:
        # The combo is editable: what counts is the typed text matching a desa on the list.
        index = self.desa_combo.findText(self.desa_combo.currentText().strip(),
                                         Qt.MatchFlag.MatchFixedString)
        return self.desa_combo.itemData(index) if index >= 0 else ""

    def set_person(self, person: Person) -> None:
        """Fill the form from a stored person; everything is shown as checked from the start."""
        self._person_id = person.id
        for key in ("nik", "no_kk", "name", "birth_place", "address", "rt", "rw", "phone"):
            self._widgets[key].setText(getattr(person, key) or "")
        self.birth_date_edit.set_date(person.birth_date)
        self.male_radio.setChecked(person.sex == "L")
        self.female_radio.setChecked(person.sex == "P")
        index = self.desa_combo.findData(person.desa_code)
        if index < 0:  # a desa no longer active stays visible rather than silently changing
            self.desa_combo.addItem(person.desa_code, person.desa_code)
            index = self.desa_combo.count() - 1
        self.desa_combo.setCurrentIndex(index)
        self.notes_edit.setPlainText(person.notes or "")
        notices = self._persons.hub_notices(person.id)
        self.notice_label.setText("\n".join(n.text for n in notices))
        self.notice_label.setVisible(bool(notices))
        self._show_all = True
        self.refresh()

    def prefill(self, *, name: str = "", nik: str = "") -> None:
        """Start a new person from what was typed in a search box."""
        self.name_edit.setText(name)
        self.nik_edit.setText(nik)
        self._touched.update(f for f, v in (("name", name), ("nik", nik)) if v)
        self._timer.start()

    def focus_first(self) -> None:
        self.nik_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------- feedback

    def _edited(self, name: str) -> None:
        self._touched.add(name)
        if name == "birth_date":
            self._update_age()
        self._timer.start()

    def _update_age(self) -> None:
        born = self.birth_date_edit.date_value()
        if born is None or born > date.today():
            self.age_label.setText(self._spec.field("birth_date").help
                                   if self.birth_date_edit.is_empty() else "")
        else:
            self.age_label.setText(f"umur {age_in_years(born, date.today())} tahun")

    def refresh(self) -> None:
        """Check now (the timer calls this after a pause in typing; saving calls it at once)."""
        self._timer.stop()
        self._update_age()
        inp = self.value()
        checked = self._persons.check(inp)
        local = self._local_errors()
        local_fields = {issue.field for issue in local}
        self.errors = local + [i for i in checked.errors if i.field not in local_fields]
        self.warnings = [i for i in checked.warnings if i.field not in local_fields]
        self._show(self.errors, self.warnings)
        self._show_hints(self._persons.duplicate_hints(inp, exclude_id=self._person_id))

    def _local_errors(self) -> list[Issue]:
        # Only the form knows a half-typed date: value() hands the service None for it.
        problem = self.birth_date_edit.problem()
        return [Issue("birth_date", problem)] if problem else []

    def _note_for(self, field: str) -> IssueNote:
        key = "rt_rw" if field in ("rt", "rw") else field
        return self._notes.get(key, self._notes["other"])

    def _show(self, errors: list[Issue], warnings: list[Issue]) -> None:
        def messages(issues: list[Issue], note: IssueNote) -> list[str]:
            return [i.message for i in issues if self._note_for(i.field) is note
                    and (self._show_all or i.field in self._touched)]

        for note in self._notes.values():
            note.show_issues(messages(errors, note), messages(warnings, note))
        grow_to_fit(self.window())

    def _show_hints(self, hints: list[DuplicateHint]) -> None:
        items = "".join(f"<li>{escape(hint_line(h), quote=False)}</li>" for h in hints)
        self.duplicate_label.setText(f"<b>Kemungkinan sudah terdaftar:</b><ul "
                                     f'style="margin:0">{items}</ul>' if hints else "")
        self.duplicate_label.setVisible(bool(hints))
        grow_to_fit(self.window())

    def show_issues(self, issues: list[Issue]) -> None:
        """Show errors the service raised on saving (the form may have missed a late change)."""
        self.errors = list(issues)
        self._show_all = True
        self._show(self.errors, self.warnings)
        self.focus_first_problem()

    def validate_now(self) -> bool:
        """Check at once and reveal every issue; False (and focus on it) if anything blocks."""
        self._show_all = True
        self.refresh()
        if self.errors:
            self.focus_first_problem()
        return not self.errors

    def focus_first_problem(self) -> None:
        fields = {issue.field for issue in self.errors}
        for name, widget in self._widgets.items():
            if name in fields:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def note(self, field: str) -> IssueNote:
        """The note label under a field (tests and the dialog read what it says)."""
        return self._note_for(field)


class PersonDialog(QDialog):
    """Register a new person or edit one; `saved_person` holds the stored person after Simpan."""

    def __init__(self, persons: PersonService, desa: list[Desa], person: Person | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._persons = persons
        self._person = person
        self.saved_person: Person | None = None
        self.setWindowTitle("Ubah Data Orang" if person else "Daftarkan Orang")
        self.form = PersonForm(persons, desa, self)
        bottom, self.save_button, self.cancel_button = save_cancel_row(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addLayout(bottom)
        if person is not None:
            self.form.set_person(person)
        self.resize(880, self.sizeHint().height())
        self.form.focus_first()

    def _write(self, allow_duplicate: bool) -> Person:
        inp = self.form.value()
        if self._person is None:
            return self._persons.register(inp, allow_duplicate=allow_duplicate)
        return self._persons.update(self._person.id, inp,
                                    expected_version=self._person.version_hlc,
                                    allow_duplicate=allow_duplicate)

    def save(self) -> None:
        if not self.form.validate_now():
            return
        try:
            try:
                person = self._write(allow_duplicate=False)
            except DuplicateSuspected as exc:
                if not confirm(self, self._duplicate_question(exc.hints),
                               title="Kemungkinan Sudah Terdaftar", yes="Tetap Simpan",
                               no="Batal"):
                    return
                person = self._write(allow_duplicate=True)
        except ValidationFailed as exc:
            self.form.show_issues(exc.issues)
            return
        except ServiceError as exc:
            show_error(self, exc)
            return
        self.saved_person = person
        self.accept()

    def _duplicate_question(self, hints: list[DuplicateHint]) -> str:
        lines = "\n".join(f"- {hint_line(h)}" for h in hints)
        action = ("tetap menyimpan perubahan ini" if self._person is not None
                  else "tetap mendaftarkan orang ini sebagai orang baru")
        return (f"Kemungkinan orang ini sudah terdaftar:\n{lines}\n\n"
                f"Mohon periksa daftar di atas. Apakah Anda {action}?")
