"""Pengaturan Surat: the number pattern and codes, paper, rupiah style, the official who signs
"a.n. Camat", and the TKSK's name. One field per LetterConfig field, named after it.

The number preview under the pattern is computed with the service's own format_number and
config_issues while the user types, so what it shows is what the next letter will carry.
"""
from __future__ import annotations

from dataclasses import fields
from datetime import date
from html import escape

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout,
                               QWidget)

from pmks_desktop.domain.roles import MANAGE_OFFICE
from pmks_desktop.services.errors import Issue, ServiceError, ValidationFailed
from pmks_desktop.services.letter_settings import (PATTERN_FIELDS, RUPIAH_STYLES, LetterConfig,
                                                   config_issues, format_number)
from pmks_desktop.ui.form_fields import (ERROR_COLOR, HINT_STYLE, IssueNote, add_row,
                                         grow_to_fit, with_note)
from pmks_desktop.ui.messages import show_error

PAPERS = (("A4", "A4 (210 × 297 mm)"), ("F4", "F4 (215 × 330 mm)"))
RUPIAH_NAMES = {"puebi": "sesuai PUEBI", "kantor": "kebiasaan kantor"}
UNIT_NOTE = ("Setiap komputer kantor memberi nomor urutnya sendiri. Bila kantor memakai dua "
             "komputer, beri komputer kedua kode unit yang berbeda (mis. tambahkan -2 di "
             "belakangnya) agar tidak ada dua surat bernomor sama.")
AN_NOTE = ("Dipakai bila surat ditandatangani pejabat lain atas nama Camat (dipilih saat "
           "membuat surat).")
NO_RIGHT = ("Anda dapat melihat pengaturan ini, tetapi hanya peran yang berwenang mengubah "
            "pengaturan kantor (Administrator) yang dapat menyimpannya.")


def pattern_help() -> str:
    return "Penanda yang tersedia: " + "; ".join(
        f"{{{name}}} {text}" for name, text in PATTERN_FIELDS.items()) + "."


def preview_text(config: LetterConfig, today: date | None = None) -> tuple[str, bool]:
    """('Contoh nomor: …', True) or (the first problem with the pattern, False)."""
    today = today or date.today()
    if issues := [i for i in config_issues(config) if i.field in ("pattern", "serial_digits")]:
        return issues[0].message, False
    try:
        number = format_number(config, serial=1, month=today.month, year=today.year)
    except (ValueError, IndexError, KeyError) as exc:  # e.g. a format spec like {nomor:x}
        return f"Pola nomor surat tidak dapat dipakai ({exc}).", False
    return f"Contoh nomor: {number}", True


class LetterSettingsDialog(QDialog):
    def __init__(self, services, parent=None):
        super().__init__(parent)
        self._settings = services.letter_settings
        self.setWindowTitle("Pengaturan Surat")
        self.editors: dict[str, QWidget] = {}
        self.notes: dict[str, QLabel] = {}
        config = self._settings.current()
        grid = QGridLayout()
        grid.addWidget(self._number_group(config), 0, 0, 2, 1)
        grid.addWidget(self._signer_group(config), 0, 1)
        grid.addWidget(self._other_group(config), 1, 1)
        grid.setColumnStretch(0, 3)  # the number group carries the long notes
        grid.setColumnStretch(1, 2)
        bottom = self._buttons()
        layout = QVBoxLayout(self)
        if not services.session.allows(MANAGE_OFFICE):
            layout.addWidget(QLabel(NO_RIGHT, objectName="refusal", wordWrap=True,
                                    styleSheet=f"color: {ERROR_COLOR};"))
            self.save_button.setEnabled(False)
        layout.addLayout(grid)
        layout.addLayout(bottom)
        self.update_preview()
        self.resize(980, self.sizeHint().height())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        grow_to_fit(self)  # Qt sizes the window before asking wrapped labels how tall they are

    # ------------------------------------------------------------- building

    def _buttons(self) -> QHBoxLayout:
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Simpan", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Batal", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)  # Enter in any field saves
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(QLabel("Enter: simpan  ·  Esc: batal", styleSheet=HINT_STYLE), 1)
        row.addWidget(buttons)
        return row

    def _field(self, form: QFormLayout, name: str, label: str, editor: QWidget,
               note: str = "") -> QWidget:
        """A row: the editor, a grey note (optional), and the line for its problems."""
        editor.setObjectName(name)
        self.editors[name] = editor
        self.notes[name] = IssueNote()
        self.notes[name].setObjectName(f"{name}_error")
        parts = [editor] + ([QLabel(note, wordWrap=True, styleSheet=HINT_STYLE)] if note else [])
        add_row(form, label, editor, with_note(*parts, self.notes[name]))
        return editor

    @staticmethod
    def _form() -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def _number_group(self, config: LetterConfig) -> QGroupBox:
        form = self._form()
        pattern = self._field(form, "pattern", "&Pola nomor:", QLineEdit(config.pattern),
                              pattern_help())
        # The example sits right under the pattern, full width so a long number stays on one
        # line, and doubles as the pattern's problem line.
        self.preview = QLabel(objectName="preview", wordWrap=True)
        self.preview.setStyleSheet("padding: 6px; background: palette(alternate-base);")
        form.addRow(self.preview)
        digits = QSpinBox(minimum=1, maximum=6, value=config.serial_digits)
        digits.setMaximumWidth(80)
        self._field(form, "serial_digits", "&Digit nomor urut:", digits,
                    "Banyaknya angka nomor urut; 4 berarti 0001, 0002, dan seterusnya.")
        klas = self._field(form, "klasifikasi", "Kode &klasifikasi:",
                           QLineEdit(config.klasifikasi),
                           "Kode klasifikasi arsip (Permendagri No. 83 Tahun 2022); "
                           "400.9 untuk urusan sosial.")
        unit = self._field(form, "unit_code", "Kode &unit:", QLineEdit(config.unit_code),
                           UNIT_NOTE)
        for edit in (pattern, klas, unit):
            edit.textChanged.connect(self.update_preview)
        digits.valueChanged.connect(self.update_preview)
        group = QGroupBox("Nomor surat")
        QVBoxLayout(group).addLayout(form)
        group.layout().addStretch(1)
        return group

    def _signer_group(self, config: LetterConfig) -> QGroupBox:
        form = self._form()
        form.addRow(QLabel(AN_NOTE, wordWrap=True, styleSheet=HINT_STYLE))
        for name, label, placeholder in (
                ("an_title", "&Jabatan:", "mis. Sekretaris Kecamatan"),
                ("an_name", "Na&ma:", "Nama lengkap dengan gelar"),
                ("an_rank", "Pan&gkat/golongan:", "mis. Penata Tingkat I (III/d)"),
                ("an_nip", "NI&P:", "18 angka")):
            self._field(form, name, label, QLineEdit(getattr(config, name),
                                                     placeholderText=placeholder))
        group = QGroupBox("Penandatangan atas nama (a.n.) Camat")
        QVBoxLayout(group).addLayout(form)
        return group

    def _other_group(self, config: LetterConfig) -> QGroupBox:
        form = self._form()
        paper = QComboBox()
        for code, label in PAPERS:
            paper.addItem(label, code)
        paper.setCurrentIndex(max(paper.findData(config.paper), 0))
        self._field(form, "paper", "Ukuran &kertas:", paper)
        rupiah = QComboBox()
        for code, example in RUPIAH_STYLES.items():
            rupiah.addItem(f"{example}  ({RUPIAH_NAMES.get(code, code)})", code)
        rupiah.setCurrentIndex(max(rupiah.findData(config.rupiah_style), 0))
        self._field(form, "rupiah_style", "Penulisan &rupiah:", rupiah)
        self._field(form, "tksk_name", "Nama &TKSK:", QLineEdit(config.tksk_name),
                    "Tenaga Kesejahteraan Sosial Kecamatan, untuk surat yang mencantumkannya.")
        group = QGroupBox("Kertas dan lain-lain")
        QVBoxLayout(group).addLayout(form)
        return group

    # ------------------------------------------------------------- values

    def config(self) -> LetterConfig:
        values = {}
        for f in fields(LetterConfig):
            editor = self.editors[f.name]
            if isinstance(editor, QSpinBox):
                values[f.name] = editor.value()
            elif isinstance(editor, QComboBox):
                values[f.name] = editor.currentData()
            else:
                values[f.name] = editor.text().strip()
        return LetterConfig(**values)

    def update_preview(self) -> None:
        text, ok = preview_text(self.config())
        color = "" if ok else f" style='color:{ERROR_COLOR}'"
        self.preview.setText(f"<b{color}>{escape(text)}</b>")

    def show_issues(self, issues: list[Issue]) -> None:
        """Each problem under its field; the pattern's in the preview line under it."""
        for note in self.notes.values():
            note.show_issues([])
        unplaced = []
        for field, messages in self._by_field(issues).items():
            if field == "pattern":
                self.preview.setText(f"<b style='color:{ERROR_COLOR}'>"
                                     f"{escape(' '.join(messages))}</b>")
            elif field in self.notes:
                self.notes[field].show_issues(messages)
            else:
                unplaced += messages
        first = next((self.editors[i.field] for i in issues if i.field in self.editors), None)
        if first is not None:
            first.setFocus()
        grow_to_fit(self)
        if unplaced:
            show_error(self, "\n".join(unplaced), "Pengaturan Surat")

    @staticmethod
    def _by_field(issues: list[Issue]) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for issue in issues:
            grouped.setdefault(issue.field, []).append(issue.message)
        return grouped

    def save(self) -> bool:
        """Check, then ask the service to store; True (and the dialog closes) when stored."""
        config = self.config()
        text, ok = preview_text(config)
        issues = config_issues(config) or ([] if ok else [Issue("pattern", text)])
        if issues:
            self.show_issues(issues)
            return False
        try:
            self._settings.update(config)
        except ValidationFailed as exc:
            self.show_issues(exc.issues)
            return False
        except ServiceError as exc:  # PermissionDenied: the service's own sentence
            show_error(self, exc, "Pengaturan Surat")
            return False
        self.accept()
        return True
