"""Recording or editing one PMKS case: who, which type, when, which criteria.

Like the person form, the dialog asks CaseService.check() while the user works (debounced) and
shows the service's words where they belong: age and sex rules under the person, criteria rules
under the checklist. The rules themselves live in the catalogue, never here; the labels,
placeholders and hints of the fields live in forms/pmks_case.yaml (CaseService.form).
"""
from __future__ import annotations

import json
from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget,
)

from pmks_desktop.domain.catalogue import Catalogue, PmksType
from pmks_desktop.domain.errors import DomainError
from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.services.cases import CaseInput, CaseService
from pmks_desktop.services.errors import Issue, ServiceError, ValidationFailed
from pmks_desktop.services.persons import PersonService
from pmks_desktop.storage.models import Desa, Person, PmksCase
from pmks_desktop.ui.criteria_list import CriteriaList
from pmks_desktop.ui.messages import show_error
from pmks_desktop.ui.form_fields import (
    CHECK_DELAY_MS, HINT_STYLE, DateEdit, IssueNote, add_row, group_box, grow_to_fit, row,
    save_cancel_row, three_lines, with_note,
)
from pmks_desktop.ui.person_picker import PersonPicker

# Where each issue field of CaseService.check() is shown. Person facts (age, sex, NIK) are
# shown under the person: that is where the user fixes them, by choosing or editing the person.
_SECTION = {"person_id": "person", "birth_date": "person", "sex": "person", "nik": "person",
            "type_code": "type", "pmks_type": "type", "event": "type",
            "recorded_on": "recorded_on", "criteria": "criteria",
            "disability_kind": "disability_kind", "notes": "notes"}
_UNITS = {"household": "dicatat per keluarga (KK)", "community": "dicatat per komunitas",
          "person_or_household": "dicatat per orang atau per keluarga"}


def describe_type(t: PmksType) -> str:
    """The type's rules in one line, e.g. `Umur 18–59 tahun · khusus perempuan · NIK wajib`."""
    parts = [f"umur {t.age.describe()}"] if t.age else []
    if t.sex:
        parts.append("khusus perempuan" if t.sex == "P" else "khusus laki-laki")
    parts.append("NIK wajib" if t.nik_required else "NIK boleh kosong")
    if t.requires_disability_kind:
        parts.append("jenis disabilitas wajib dipilih")
    if t.unit in _UNITS:
        parts.append(_UNITS[t.unit])
    if t.min_criteria:
        parts.append(f"centang sedikitnya {t.min_criteria} kriteria")
    if t.sensitive:
        parts.append("data pribadi spesifik (hanya untuk pengguna berizin)")
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


class CaseDialog(QDialog):
    """`saved_case` holds the stored case after Simpan."""

    def __init__(self, cases: CaseService, persons: PersonService, catalogue: Catalogue,
                 desa: list[Desa], *, bidang: str = "rehsos", can_view_sensitive: bool,
                 case: PmksCase | None = None, person: Person | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._cases = cases
        self._catalogue = catalogue
        self._spec: FormSpec = cases.form
        self._case = case
        self.saved_case: PmksCase | None = None
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self._touched: set[str] = set()
        self._show_all = case is not None
        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.setWindowTitle("Ubah Kasus PMKS" if case else "Catat Kasus PMKS")
        self.picker = PersonPicker(persons, desa, self)
        self._build_case_fields(catalogue, bidang, can_view_sensitive)
        self._build_layout()
        self._connect()
        if case is not None and person is None:
            person = persons.get(case.person_id)
        if person is not None:
            self.picker.set_person(person)
        if case is not None:
            self._load_case(case)
        self._type_changed()
        self._fix_tab_order()
        first = self.type_combo if person is not None else self.picker.search_edit
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------- building

    def _label(self, name: str, required: bool | None = None) -> str:
        """A field's label from the form file, with * when required."""
        spec = self._spec.field(name)
        return spec.label + (" *" if (spec.required if required is None else required) else "")

    def _build_case_fields(self, catalogue: Catalogue, bidang: str, sensitive: bool) -> None:
        spec = self._spec.field
        self.type_combo = QComboBox()
        self.type_combo.setPlaceholderText(spec("type_code").placeholder)
        for t in catalogue.types_for_bidang(bidang):
            # The service refuses these types anyway; offering them would only lead to a refusal.
            if sensitive or not t.sensitive:
                self.type_combo.addItem(t.label, t.code)
        self.type_combo.setCurrentIndex(-1)
        self.rule_label = QLabel(wordWrap=True, styleSheet=HINT_STYLE)
        self.recorded_on_edit = DateEdit()
        self.recorded_on_edit.set_date(date.today())
        self.criteria_list = CriteriaList()
        self.disability_combo = QComboBox()
        self.disability_combo.setPlaceholderText(spec("disability_kind").placeholder)
        for kind in catalogue.disability_kinds:
            self.disability_combo.addItem(kind.label, kind.value)
        self.disability_combo.setCurrentIndex(-1)
        self.notes_edit = QPlainTextEdit(placeholderText=spec("notes").placeholder)
        self.notes_edit.setTabChangesFocus(True)
        three_lines(self.notes_edit)
        self._notes = {name: IssueNote() for name in
                       ("person", "type", "recorded_on", "criteria", "disability_kind", "notes",
                        "other")}

    def _build_layout(self) -> None:
        n = self._notes
        who = QVBoxLayout()
        who.addWidget(self.picker)
        who.addWidget(n["person"])
        form = self.case_form = QFormLayout()
        add_row(form, self._label("type_code"), self.type_combo,
                with_note(self.type_combo, self.rule_label, n["type"]))
        add_row(form, self._label("recorded_on"), self.recorded_on_edit,
                with_note(row(self.recorded_on_edit, self._spec.field("recorded_on").help),
                          n["recorded_on"]))
        # The checklist follows the chosen type: its items come from the catalogue.
        form.addRow("Kriteria *", with_note(self.criteria_list, n["criteria"]))
        self._disability_row = with_note(self.disability_combo, n["disability_kind"])
        # Shown only for the types that require a kind, so always marked required here.
        add_row(form, self._label("disability_kind", required=True), self.disability_combo,
                self._disability_row)
        add_row(form, self._label("notes"), self.notes_edit,
                with_note(self.notes_edit, n["notes"]))
        for name, widget in (("type_code", self.type_combo), ("notes", self.notes_edit)):
            if self._spec.field(name).help:
                widget.setToolTip(self._spec.field(name).help)
        columns = QHBoxLayout()
        columns.addWidget(group_box(self._spec.field("person_id").section, who), 1)
        columns.addWidget(group_box(self._spec.field("type_code").section, form), 1)
        bottom, self.save_button, self.cancel_button = save_cancel_row(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(n["other"])
        layout.addLayout(bottom)
        self.resize(1080, 560)

    def _connect(self) -> None:
        self.picker.person_changed.connect(self._person_changed)
        self.type_combo.currentIndexChanged.connect(lambda _i: self._type_changed(touched=True))
        self.recorded_on_edit.textEdited.connect(lambda _t: self._edited("recorded_on"))
        self.criteria_list.changed.connect(lambda: self._edited("criteria"))
        self.disability_combo.currentIndexChanged.connect(
            lambda _i: self._edited("disability_kind"))
        self.notes_edit.textChanged.connect(lambda: self._edited("notes"))

    def _fix_tab_order(self) -> None:
        # The check boxes are rebuilt with each type, so they join the tab chain late.
        chain = [self.picker.search_edit, self.picker.results_view, self.picker.new_button,
                 self.picker.edit_button, self.type_combo, self.recorded_on_edit,
                 *self.criteria_list.check_boxes(), self.disability_combo, self.notes_edit,
                 self.save_button, self.cancel_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def _load_case(self, case: PmksCase) -> None:
        index = self.type_combo.findData(case.type_code)
        if index < 0:  # a type no longer offered (retired, other bidang) still shows as stored
            self.type_combo.addItem(case.type_code, case.type_code)
            index = self.type_combo.count() - 1
        self.type_combo.setCurrentIndex(index)
        self.recorded_on_edit.set_date(case.recorded_on)
        self.criteria_list.set_checked(json.loads(case.criteria or "[]"))
        self.disability_combo.setCurrentIndex(self.disability_combo.findData(case.disability_kind))
        self.notes_edit.setPlainText(case.notes or "")

    # ------------------------------------------------------------- reacting

    def selected_type(self) -> PmksType | None:
        code = self.type_combo.currentData()
        try:
            return self._catalogue.type(code) if code else None
        except DomainError:
            return None

    def _type_changed(self, touched: bool = False) -> None:
        pmks_type = self.selected_type()
        self.rule_label.setText(describe_type(pmks_type) if pmks_type else "")
        self.rule_label.setToolTip(pmks_type.age.note if pmks_type and pmks_type.age else "")
        self.rule_label.setVisible(pmks_type is not None)
        kept = self.criteria_list.checked_ids()
        self.criteria_list.set_criteria(pmks_type.criteria if pmks_type else (), kept)
        self.case_form.setRowVisible(self._disability_row,
                                     bool(pmks_type and pmks_type.requires_disability_kind))
        self._fix_tab_order()
        if touched:
            self._touched.discard("criteria")  # a fresh checklist: do not nag before a tick
            self._edited("type")

    def _person_changed(self, person: Person | None) -> None:
        self._edited("person")
        if person is not None:
            self.type_combo.setFocus(Qt.FocusReason.OtherFocusReason)

    def _edited(self, section: str) -> None:
        self._touched.add(section)
        self._timer.start()

    # ------------------------------------------------------------- values and feedback

    def value(self) -> CaseInput:
        person = self.picker.person()
        pmks_type = self.selected_type()
        needs_kind = bool(pmks_type and pmks_type.requires_disability_kind)
        return CaseInput(
            person_id=person.id if person else "", type_code=self.type_combo.currentData() or "",
            recorded_on=self.recorded_on_edit.date_value(),
            criteria=self.criteria_list.checked_ids(),
            disability_kind=(self.disability_combo.currentData() or "") if needs_kind else "",
            notes=self.notes_edit.toPlainText())

    def refresh(self) -> None:
        """Check now (the timer calls this after a pause; saving calls it at once)."""
        self._timer.stop()
        errors, warnings = [], []
        problem = self.recorded_on_edit.problem()
        if problem:  # a half-typed date only the form can see
            errors.append(Issue("recorded_on", problem))
        try:
            checked = self._cases.check(self.value(), self.picker.person())
            errors += [i for i in checked.errors if not (problem and i.field == "recorded_on")]
            warnings += checked.warnings
        except DomainError as exc:  # a rule that raises rather than reports (birth after date)
            errors.append(Issue(exc.field, exc.message))
        self.errors, self.warnings = errors, warnings
        self._show()

    def _show(self) -> None:
        def messages(issues: list[Issue], key: str) -> list[str]:
            return [i.message for i in issues if _SECTION.get(i.field, "other") == key
                    and (self._show_all or key in self._touched)]

        for key, note in self._notes.items():
            note.show_issues(messages(self.errors, key), messages(self.warnings, key))
        grow_to_fit(self)

    def note(self, section: str) -> IssueNote:
        """The note under a section: person, type, recorded_on, criteria, disability_kind."""
        return self._notes[section]

    def _focus_first_problem(self) -> None:
        targets = {"person": self.picker.search_edit, "type": self.type_combo,
                   "recorded_on": self.recorded_on_edit, "disability_kind": self.disability_combo,
                   "notes": self.notes_edit}
        boxes = self.criteria_list.check_boxes()
        if boxes:
            targets["criteria"] = boxes[0]
        sections = {_SECTION.get(i.field, "other") for i in self.errors}
        for key, widget in targets.items():
            if key in sections:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    # ------------------------------------------------------------- saving

    def save(self) -> None:
        self._show_all = True
        self.refresh()
        if self.errors:
            self._focus_first_problem()
            return
        inp = self.value()
        try:
            if self._case is None:
                case = self._cases.record(inp)
            else:
                case = self._cases.update(self._case.id, inp,
                                          expected_version=self._case.version_hlc)
        except ValidationFailed as exc:
            self.errors = exc.issues
            self._show()
            self._focus_first_problem()
            return
        except ServiceError as exc:
            show_error(self, exc)
            return
        self.saved_case = case
        self.accept()
