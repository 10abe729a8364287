"""One editor per field type of a declarative form (see domain/forms.py FIELD_TYPES).

Every editor is a `FieldEditor`: `value()` gives what the user entered (None when blank; numbers
as typed, for the service parses Indonesian formats itself), `set_value()` shows a stored value,
and `changed` fires on the user's edits. The service, not the editor, decides what is valid.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QGridLayout, QHBoxLayout,
    QLabel, QLineEdit, QPlainTextEdit,
    QVBoxLayout, QWidget,
)

from pmks_desktop.domain.errors import DomainError
from pmks_desktop.domain.form_validation import parse_number
from pmks_desktop.domain.formatting import number_id, parse_date
from pmks_desktop.domain.forms import FieldSpec
from pmks_desktop.storage.models import Desa
from pmks_desktop.ui.form_fields import HINT_STYLE, DateEdit, three_lines
from pmks_desktop.ui.person_form import _NUMBER_CHARS, _desa_combo

NUMBER_TYPES = ("integer", "decimal", "money")
_NUMBER_TEXT = QRegularExpression(r"(?i)(r(p\.?)?)?[0-9 .,]{0,24}(,-)?")
_PHONE_CHARS = QRegularExpression(r"\+?[0-9 .\-()]{0,24}")
_IDENTITY_HINTS = {"nik": "16 angka, sesuai KTP", "kk": "16 angka, sesuai Kartu Keluarga",
                   "phone": "mis. 0812 3456 7890"}
THUMBNAIL = 96


def format_number(value, kind: str) -> str:
    """A stored number as people read it: 20.000.000 (money), 24,5 (decimal), 2024 (integer)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    if kind == "integer" and value == int(value):
        return str(int(value))  # no dots: integers are often years
    return number_id(value)


class FieldEditor(QWidget):
    """The editor of one field; `focus_widget` takes the focus (labels point at it).

    Each subclass provides value() and set_value(value) for its field type."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.box = QHBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)

    def _hold(self, widget: QWidget, *, stretch: bool = False) -> None:
        """Make `widget` the one that takes focus; a stretch keeps a narrow one narrow."""
        self.focus_widget = widget
        self.box.addWidget(widget)
        self.setFocusProxy(widget)
        if stretch:
            self.box.addStretch(1)



class TextEditor(FieldEditor):
    """text, nik, kk, phone: one line; identity numbers accept the digits people type."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        edit = self.edit = QLineEdit(placeholderText=spec.placeholder or
                                     _IDENTITY_HINTS.get(spec.type, ""))
        if spec.max_length:
            edit.setMaxLength(spec.max_length)
        if spec.type in ("nik", "kk", "phone"):
            chars = _PHONE_CHARS if spec.type == "phone" else _NUMBER_CHARS
            edit.setValidator(QRegularExpressionValidator(chars, edit))
            edit.setMaxLength(24)
            edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("0" * 22) + 16)
        edit.textEdited.connect(lambda _t: self.changed.emit())
        self._hold(edit, stretch=spec.type != "text")

    def value(self):
        return self.edit.text().strip() or None

    def set_value(self, value) -> None:
        self.edit.setText("" if value is None else str(value))


class TextAreaEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.edit = QPlainTextEdit(placeholderText=spec.placeholder)
        self.edit.setTabChangesFocus(True)  # Tab leaves the box, as in every other field
        three_lines(self.edit)
        self.edit.textChanged.connect(self.changed.emit)
        self._hold(self.edit)

    def value(self):
        return self.edit.toPlainText().strip() or None

    def set_value(self, value) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class NumberEditor(FieldEditor):
    """integer, decimal, money: right-aligned; money is regrouped (20.000.000) on leaving."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        edit = self.edit = QLineEdit(placeholderText=spec.placeholder)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        edit.setValidator(QRegularExpressionValidator(_NUMBER_TEXT, edit))
        sample = {"money": "000.000.000.000", "decimal": "000.000,00"}.get(spec.type, "0000000")
        edit.setFixedWidth(edit.fontMetrics().horizontalAdvance(sample) + 20)
        edit.textEdited.connect(lambda _t: self.changed.emit())
        edit.editingFinished.connect(self._regroup)
        if spec.type == "money":
            self.box.addWidget(QLabel("Rp"))
        self._hold(edit, stretch=True)

    def _regroup(self) -> None:
        if self.spec.type == "integer":
            return
        try:
            self.edit.setText(format_number(parse_number(self.edit.text(), self.spec),
                                            self.spec.type))
        except (ValueError, TypeError):
            pass  # left as typed: the service names the problem

    def value(self):
        return self.edit.text().strip() or None

    def set_value(self, value) -> None:
        self.edit.setText(format_number(value, self.spec.type))


class DateEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.edit = DateEdit()
        self.edit.textEdited.connect(lambda _t: self.changed.emit())
        self._hold(self.edit)
        self.box.addWidget(QLabel("hari-bulan-tahun", styleSheet=HINT_STYLE))
        self.box.addStretch(1)

    def problem(self) -> str | None:
        return self.edit.problem()

    def value(self):
        # A half-typed date is handed on as text, so "wajib diisi" does not hide what is wrong.
        return self.edit.date_value() or (None if self.edit.is_empty() else self.edit.text())

    def set_value(self, value) -> None:
        if isinstance(value, str) and value.strip():
            try:
                value = parse_date(value)
            except DomainError:
                self.edit.setText(value)
                return
        self.edit.set_date(value if isinstance(value, date) else None)


def _searchable(combo: QComboBox) -> None:
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)


class ChoiceEditor(FieldEditor):
    """A combo of the choices; editable (pick or type) when the form allows other answers."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        combo = self.combo = QComboBox(editable=spec.allow_other)
        # Long labels must not widen the whole form; the open list still shows them in full.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(18)
        if not spec.required:
            combo.addItem("", None)
        for choice in spec.choices:
            combo.addItem(choice.label, choice.value)
        combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
        if spec.allow_other:
            _searchable(combo)
            combo.lineEdit().setPlaceholderText("pilih, atau ketik bila tidak ada")
            combo.lineEdit().textEdited.connect(lambda _t: self.changed.emit())
        else:
            combo.setPlaceholderText("Pilih…")
        combo.setCurrentIndex(-1 if spec.required else 0)
        # FormView ignores the programmatic changes (loading, defaults).
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self._hold(combo)

    def value(self):
        if not self.spec.allow_other:
            return self.combo.currentData()
        text = self.combo.currentText().strip()
        index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString) if text else -1
        return (self.combo.itemData(index) if index >= 0 else text) or None

    def set_value(self, value) -> None:
        if value is None or value == "":
            self.combo.setCurrentIndex(-1 if self.spec.required else 0)
            return
        index = self.combo.findData(value)
        if index < 0 and self.spec.allow_other:
            self.combo.setCurrentIndex(-1)
            self.combo.setEditText(str(value))
            return
        if index < 0:  # a choice since removed from the form still shows as stored
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)


class MultiChoiceEditor(FieldEditor):
    """Check boxes in a compact grid: three columns for short labels, one for sentences; a
    "Lainnya" line (answers separated by commas) when the form allows other answers."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.boxes: dict[str, QCheckBox] = {}
        holder = QWidget()
        self.grid = QGridLayout(holder)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setVerticalSpacing(2)
        longest = max(len(c.label) for c in spec.choices)
        self._columns = 1 if longest > 34 else 2 if longest > 16 else 3
        for choice in spec.choices:
            self._add_box(choice.value, choice.label)
        column = QVBoxLayout()
        column.addWidget(holder)
        self.other_edit = QLineEdit(placeholderText="lainnya, pisahkan dengan koma")
        self.other_edit.textEdited.connect(lambda _t: self.changed.emit())
        if spec.allow_other:
            column.addWidget(self.other_edit)
        self.box.addLayout(column)
        self.focus_widget = next(iter(self.boxes.values()))
        self.setFocusProxy(self.focus_widget)

    def _add_box(self, value: str, label: str) -> QCheckBox:
        box = QCheckBox(label.replace("&", "&&"))
        box.toggled.connect(lambda _on: self.changed.emit())
        index = len(self.boxes)
        self.grid.addWidget(box, index // self._columns, index % self._columns)
        self.boxes[value] = box
        return box

    def value(self):
        others = [t.strip() for t in self.other_edit.text().split(",") if t.strip()]
        return [value for value, box in self.boxes.items() if box.isChecked()] + others or None

    def set_value(self, value) -> None:
        wanted = list(value) if isinstance(value, (list, tuple)) else \
            ([] if value in (None, "") else [str(value)])
        unknown = [item for item in wanted if item not in self.boxes]
        if self.spec.allow_other:
            self.other_edit.setText(", ".join(unknown))
        else:
            for item in unknown:  # a stored answer no longer offered stays visible
                self._add_box(item, item)
        for item, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(item in wanted)
            box.blockSignals(False)


class BoolEditor(FieldEditor):
    """A check box carrying the label itself (long statements read better beside the box)."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.check = QCheckBox(spec.label.replace("&", "&&") + (" *" if spec.required else ""))
        self.check.toggled.connect(lambda _on: self.changed.emit())
        self._hold(self.check, stretch=True)

    def value(self):
        return self.check.isChecked()

    def set_value(self, value) -> None:
        if isinstance(value, str):
            value = value.strip().lower() in ("ya", "y", "1", "true", "benar")
        self.check.setChecked(bool(value))


class DesaEditor(FieldEditor):
    """The office's desa, found by typing any part of the name."""

    def __init__(self, spec: FieldSpec, desa: list[Desa], parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.combo = _desa_combo(desa)
        self.combo.setMinimumContentsLength(26)
        self.combo.lineEdit().textEdited.connect(lambda _t: self.changed.emit())
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self._hold(self.combo, stretch=True)

    def value(self):
        text = self.combo.currentText().strip()
        index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString) if text else -1
        # A name not on the list goes to the service as typed, which says so.
        return (self.combo.itemData(index) if index >= 0 else text) or None

    def set_value(self, value) -> None:
        if not value:
            self.combo.setCurrentIndex(-1)
            return
        index = self.combo.findData(value)
        if index < 0:  # a desa no longer active stays visible rather than silently changing
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)


