"""The form engine: one widget renders every register form (forms/registers/*.yaml).

FormView lays a FormSpec out as data says: one editor per field by type (form_widgets.py), fields
grouped by `section` into boxes, two columns when the form is long, `help` as a grey hint, a
note under each field for the service's findings. It never validates: the dialog around it asks
RegisterService.check() and hands the issues back through show_issues().
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from pmks_desktop.domain.errors import Issue
from pmks_desktop.domain.form_validation import EntryContext, default_for
from pmks_desktop.domain.forms import FieldSpec, FormSpec, MemberSpec
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.registers import MemberInput
from pmks_desktop.storage.models import Desa, Person
from pmks_desktop.ui.form_fields import HINT_STYLE, IssueNote, add_row, group_box, row, with_note
from pmks_desktop.ui.form_collections import ItemsEditor, PhotosEditor
from pmks_desktop.ui.form_widgets import (
    BoolEditor, ChoiceEditor, DateEditor, DesaEditor, FieldEditor, MultiChoiceEditor,
    NumberEditor, TextAreaEditor, TextEditor,
)
from pmks_desktop.ui.household_picker import HouseholdPicker
from pmks_desktop.ui.person_roles import PersonRoleTable, pick_person
from pmks_desktop.ui.person_picker import PersonPicker

# Rough heights in form rows, to balance the two columns of a long form.
_WEIGHTS = {"person": 5, "household": 5, "items": 5, "photos": 4, "textarea": 2}
LONG_FORM = 14
MEMBERS_WEIGHT = 8
BOOL_INDENT = 22
# Editors too wide for the field column of a two-column form: their label goes above them.
_WIDE = ("person", "household", "items", "photos", "multichoice")


class PersonEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, persons, desa: list[Desa], parent: QWidget | None = None):
        super().__init__(spec, parent)
        self._persons = persons
        self.picker = PersonPicker(persons, desa)
        self.picker.person_changed.connect(lambda _p: self.changed.emit())
        # An empty result list would take six rows of a long form: shown only with results.
        view, model = self.picker.results_view, self.picker.model
        model.modelReset.connect(lambda: view.setVisible(model.rowCount() > 0))
        view.hide()
        self._hold(self.picker)
        self.setFocusProxy(self.picker.search_edit)

    def value(self):
        person = self.picker.person()
        return person.id if person else None

    def set_value(self, value) -> None:
        try:
            self.picker.set_person(self._persons.get(value) if value else None)
        except ServiceError as exc:
            self.picker.set_person(None)
            self.picker.status_label.setText(exc.message)

    def desa_code(self) -> str | None:
        person = self.picker.person()
        return person.desa_code if person else None


class HouseholdEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, households, persons, desa: list[Desa],
                 parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.picker = HouseholdPicker(households, persons, desa)
        self.picker.household_changed.connect(lambda _h: self.changed.emit())
        self._hold(self.picker)
        self.setFocusProxy(self.picker.search_edit)

    def value(self):
        household = self.picker.household()
        return household.id if household else None

    def set_value(self, value) -> None:
        self.picker.set_household_id(value or None)

    def desa_code(self) -> str | None:
        household = self.picker.household()
        return household.desa_code if household else None


def make_editor(spec: FieldSpec, *, registers=None, persons=None, households=None,
                desa: list[Desa] = ()) -> FieldEditor:
    kind = spec.type
    if kind in ("text", "nik", "kk", "phone"):
        return TextEditor(spec)
    simple = {"textarea": TextAreaEditor, "integer": NumberEditor, "decimal": NumberEditor,
              "money": NumberEditor, "date": DateEditor, "choice": ChoiceEditor,
              "multichoice": MultiChoiceEditor, "bool": BoolEditor, "items": ItemsEditor}
    if kind in simple:
        return simple[kind](spec)
    if kind == "desa":
        return DesaEditor(spec, list(desa))
    if kind == "person":
        return PersonEditor(spec, persons, list(desa))
    if kind == "household":
        return HouseholdEditor(spec, households, persons, list(desa))
    if kind == "photos":
        return PhotosEditor(spec, registers)
    raise ValueError(f"tipe isian tidak dikenal: {kind}")


def _blank(value) -> bool:
    return value is None or value == "" or value == []


def _weight(spec: FieldSpec) -> int:
    if spec.type == "multichoice":
        return 1 + len(spec.choices) // 2
    return _WEIGHTS.get(spec.type, 1) + (1 if spec.help else 0)


def _best_split(weights: list[int]) -> int:
    """Where to start the second column so the two columns are about as tall."""
    return min(range(1, len(weights)),
               key=lambda k: max(sum(weights[:k]), sum(weights[k:])))


class FormView(QWidget):
    """The fields of one form. `changed(name)` fires on the user's edits, not on loading."""

    changed = Signal(str)

    def __init__(self, form: FormSpec, *, registers=None, persons=None, households=None,
                 desa: list[Desa] = (), members_editor: "MembersEditor | None" = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.form = form
        self._members_editor = members_editor  # laid out as the last section when given
        self._services = dict(registers=registers, persons=persons, households=households,
                              desa=list(desa))
        self.editors: dict[str, FieldEditor] = {}
        self.notes: dict[str, IssueNote] = {}
        # Issues of no single field (members, parent). A host with a scroll area may move this
        # note outside it, so it stays in sight.
        self.general_note = IssueNote()
        self._loading = False
        self._build()

    # ------------------------------------------------------------- building

    def _sections(self) -> list[tuple[str, list[FieldSpec]]]:
        sections: dict[str, list[FieldSpec]] = {}
        for spec in self.form.fields:
            sections.setdefault(spec.section, []).append(spec)
        return list(sections.items())

    def _build(self) -> None:
        sections = self._sections()
        weights = [sum(_weight(s) for s in specs) for _title, specs in sections]
        boxes = [self._section_box(title, specs) for title, specs in sections]
        if self._members_editor is not None:
            boxes.append(self._members_box())
            weights.append(MEMBERS_WEIGHT)
        split = _best_split(weights) if len(boxes) > 1 and sum(weights) > LONG_FORM \
            else len(boxes)
        self.two_columns = split < len(boxes)
        columns = QHBoxLayout()
        columns.setContentsMargins(0, 0, 0, 0)
        for part in (boxes[:split], boxes[split:]):
            if not part:
                continue
            column = QVBoxLayout()
            for box in part:
                column.addWidget(box)
            column.addStretch(1)
            columns.addLayout(column, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(columns)
        outer.addWidget(self.general_note)
        outer.addWidget(QLabel("Isian bertanda * wajib diisi.", styleSheet=HINT_STYLE))

    def _members_box(self):
        editor = self._members_editor
        inner = QVBoxLayout()
        inner.addWidget(editor)
        return group_box(editor.spec.label + (" *" if editor.limits()[0] else ""), inner)

    def _section_box(self, title: str, specs: list[FieldSpec]):
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in specs:
            editor = self.editors[spec.name] = make_editor(spec, **self._services)
            note = self.notes[spec.name] = IssueNote()
            parts = [editor]
            if spec.help:
                hint = QLabel(spec.help, wordWrap=True, styleSheet=HINT_STYLE)
                if spec.type == "bool":  # under the box's text, not under the box
                    hint.setContentsMargins(BOOL_INDENT, 0, 0, 0)
                parts.append(hint)
            cell = with_note(*parts, note)
            # As in every form file, "&" before a letter marks its Alt shortcut ("&&" is a literal).
            label = spec.label + (" *" if spec.required else "")
            if spec.type == "bool":  # the check box carries the label
                form.addRow(cell)
            elif spec.type in _WIDE:
                heading = QLabel(label)
                heading.setBuddy(editor.focus_widget)
                form.addRow(with_note(heading, cell))
            else:
                add_row(form, label, editor.focus_widget, cell)
            editor.changed.connect(lambda name=spec.name: self._edited(name))
        return group_box(title or self.form.short_title, form)

    # ------------------------------------------------------------- values

    def editor(self, name: str) -> FieldEditor:
        return self.editors[name]

    def values(self) -> dict:
        """The non-blank values: ids for persons and households, dates as date, numbers as
        typed (RegisterService parses Indonesian formats), lists for multichoice, photos and
        items."""
        out = {}
        for name, editor in self.editors.items():
            value = editor.value()
            if not _blank(value):
                out[name] = value
        return out

    def set_values(self, values: dict) -> None:
        """Show stored values; fields missing from `values` are cleared."""
        self._load({name: values.get(name) for name in self.editors})

    def apply_defaults(self, settings: dict | None = None, today: date | None = None) -> None:
        """Fill the form's defaults (today, this year, a value from Pengaturan) of a new entry."""
        ctx = EntryContext(today=today or date.today(), settings=dict(settings or {}))
        self._load({spec.name: value for spec in self.form.fields
                    if (value := default_for(spec, ctx)) is not None})

    def _load(self, values: dict) -> None:
        self._loading = True
        try:
            for name, value in values.items():
                self.editors[name].set_value(value)
        finally:
            self._loading = False

    def _edited(self, name: str) -> None:
        if self._loading:
            return
        self._fill_desa(name)
        self.changed.emit(name)

    def _fill_desa(self, name: str) -> None:
        """A chosen person or family brings its desa along, unless one is already chosen."""
        form = self.form
        if not form.desa_field or name not in (form.person_field, form.household_field):
            return
        code = getattr(self.editors[name], "desa_code", lambda: None)()
        if code and self.editors[form.desa_field].value() is None:
            self._load({form.desa_field: code})

    # ------------------------------------------------------------- feedback

    def local_issues(self) -> list[Issue]:
        """What only the widgets can see: half-typed dates."""
        return [Issue(name, f"{editor.spec.label}: {editor.problem()}")
                for name, editor in self.editors.items()
                if isinstance(editor, DateEditor) and editor.problem()]

    def show_issues(self, errors: list[Issue], warnings: list[Issue] = ()) -> None:
        """Errors (red) and warnings (amber) under their fields; the rest in the general note."""
        found = {name: ([], []) for name in (*self.notes, "")}
        for slot, issues in ((0, errors), (1, warnings)):
            for issue in issues:
                found[issue.field if issue.field in self.notes else ""][slot].append(
                    issue.message)
        for name, note in self.notes.items():
            note.show_issues(*found[name])
        self.general_note.show_issues(*found[""])

    def note(self, name: str) -> IssueNote:
        return self.notes[name] if name in self.notes else self.general_note

    def first_editor(self, names: set[str]) -> FieldEditor | None:
        """The first editor, in form order, among `names` (to put the focus on a problem)."""
        return next((e for n, e in self.editors.items() if n in names), None)


# ------------------------------------------------------------------ members of a group

def member_limits(form: FormSpec, settings: dict | None = None) -> tuple[int | None, int | None]:
    """The member count the form requires, as far as it is known without the settings."""
    low = high = None
    if form.members:
        low, high = form.members.min, form.members.max
    for rule in form.rules:
        if rule.kind != "members_count":
            continue
        for key in ("min", "max"):
            setting = rule.get(f"{key}_setting")
            if setting and settings is None:
                continue  # the office may have changed it: unknown here
            value = settings[setting] if setting and setting in settings else rule.get(key)
            if value is not None and key == "min":
                low = int(value)
            elif value is not None:
                high = int(value)
    return low, high


class MembersEditor(QWidget):
    """The members of a group: who, with which role; the count against the form's rule."""

    changed = Signal()

    def __init__(self, spec: MemberSpec, persons, desa: list[Desa], *,
                 limits: tuple[int | None, int | None] = (None, None),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self._persons, self._desa = persons, list(desa)
        self._limits = limits
        roles = [(c.value, c.label) for c in spec.roles]
        self._default_role = "anggota" if any(v == "anggota" for v, _l in roles) else roles[-1][0]
        self.table = PersonRoleTable(roles, "Peran")
        self.add_button = QPushButton(f"Tambah {spec.label}…")
        self.remove_button = QPushButton("Hapus")
        self.count_label = QLabel(styleSheet=HINT_STYLE)
        self.note = IssueNote()
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self.table.remove_selected)
        self.table.changed.connect(self._table_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(row(self.add_button, self.remove_button, self.count_label))
        layout.addWidget(self.note)
        self._update_count()

    def _add_clicked(self) -> None:
        person = pick_person(self._persons, self._desa, self, f"Tambah {self.spec.label}")
        if person is not None:
            self.add_person(person)

    def add_person(self, person: Person, role: str | None = None) -> bool:
        added = self.table.add_person(person, role or self._default_role)
        if not added:
            self.note.show_issues([f"{person.name} sudah ada dalam daftar."])
        return added

    def members(self) -> list[MemberInput]:
        return [MemberInput(pid, role or self._default_role) for pid, role in self.table.rows()]

    def set_members(self, rows: list[tuple]) -> None:
        """Rows of (RegisterMember, Person), as RegisterService.get() gives them."""
        self.table.blockSignals(True)
        self.table.clear_rows()
        for member, person in rows:
            self.table.add_person(person, member.role)
        self.table.blockSignals(False)
        self._update_count()

    def limits(self) -> tuple[int | None, int | None]:
        return self._limits

    def set_limits(self, low: int | None, high: int | None) -> None:
        self._limits = (low, high)
        self._update_count()

    def _table_changed(self) -> None:
        self._update_count()
        self.changed.emit()

    def _update_count(self) -> None:
        low, high = self._limits
        rule = ("" if low is None and high is None else
                f"{low} orang" if low == high else
                f"{low}–{high} orang" if low is not None and high is not None else
                f"paling sedikit {low}" if low is not None else f"paling banyak {high}")
        text = f"Jumlah: {self.table.rowCount()} orang"
        self.count_label.setText(f"{text} (syarat: {rule})" if rule else text)

    def show_issues(self, errors: list[str], warnings: list[str] = ()) -> None:
        self.note.show_issues(errors, warnings)
