"""Buat Surat: a letter started from one record. The operator picks a template, fills the few
facts the record does not hold (addressee, basis, purpose), looks at a draft, then issues it:
only then is a number taken from the buku agenda, and the letter opens for printing."""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox,
                               QFormLayout, QGroupBox, QLabel, QLineEdit, QPlainTextEdit,
                               QVBoxLayout, QWidget)

from pmks_desktop.services.errors import ServiceError, ValidationFailed
from pmks_desktop.services.letters import LetterRequest
from pmks_desktop.ui.messages import show_error

DATE_FORMAT = "dd-MM-yyyy"


def suggested_pdf_name(number: str) -> str:
    safe = "".join(c if c.isalnum() or c in ".-" else "-" for c in number)
    return f"Surat-{safe}.pdf"


class InputField:
    """One operator input, whatever its widget."""

    def __init__(self, spec):
        self.spec = spec
        if spec.kind == "multiline":
            self.widget = QPlainTextEdit(spec.default)
            self.widget.setTabChangesFocus(True)
            self.widget.setFixedHeight(70)
        elif spec.kind == "date":
            self.widget = QLineEdit()
            self.widget.setPlaceholderText("dd-mm-yyyy (kosongkan bila tidak ada)")
        else:
            self.widget = QLineEdit(spec.default)
        if spec.help:
            self.widget.setToolTip(spec.help)

    def value(self) -> str:
        if isinstance(self.widget, QPlainTextEdit):
            return self.widget.toPlainText().strip()
        text = self.widget.text().strip()
        if self.spec.kind == "date" and text:
            day = QDate.fromString(text, DATE_FORMAT)
            return day.toPython().isoformat() if day.isValid() else text
        return text


class LetterDialog(QDialog):
    def __init__(self, letters, letter_settings, subject_type: str, subject_id: str,
                 subject_title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._letters, self._type, self._id = letters, subject_type, subject_id
        self._config = letter_settings.current()
        self.issued = None  # IssuedLetter once issued
        self.preview_dialog = None  # the last PdfPreviewDialog opened (tests look at it)
        self.setWindowTitle("Buat Surat")
        self.templates = letters.templates_for(subject_type)
        self.template_combo = QComboBox()
        for template in self.templates:
            self.template_combo.addItem(template.label, template.id)
        self.inputs_box = QGroupBox("Isian surat")
        self.inputs_form = QFormLayout(self.inputs_box)
        self.fields: list[InputField] = []
        self._build(subject_title)
        self.template_combo.currentIndexChanged.connect(self._template_changed)
        self._template_changed()
        self.resize(620, self.sizeHint().height())

    def _build(self, subject_title: str) -> None:
        layout = QVBoxLayout(self)
        about = QLabel(f"Surat untuk: <b>{subject_title}</b>")
        about.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(about)
        top = QFormLayout()
        top.addRow("&Jenis surat:", self.template_combo)
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setDisplayFormat(DATE_FORMAT)
        self.date_edit.setCalendarPopup(True)
        top.addRow("&Tanggal surat:", self.date_edit)
        self.paper = QComboBox()
        self.paper.addItem("A4 (210 × 297 mm)", "A4")
        self.paper.addItem("F4 / Folio (215 × 330 mm)", "F4")
        self.paper.setCurrentIndex(self.paper.findData(self._config.paper))
        top.addRow("&Kertas:", self.paper)
        self.on_behalf = QCheckBox(f"Ditandatangani a.n. Camat oleh {self._config.an_title}"
                                   + (f" ({self._config.an_name})" if self._config.an_name
                                      else " (nama belum diatur di Pengaturan Surat)"))
        self.on_behalf.setEnabled(bool(self._config.an_name))
        top.addRow("", self.on_behalf)
        layout.addLayout(top)
        layout.addWidget(self.inputs_box)
        note = QLabel("Nomor surat baru diberikan saat surat diterbitkan; pratinjau draf tidak "
                      "memakai nomor.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6368;")
        layout.addWidget(note)
        buttons = QDialogButtonBox()
        self.preview_button = buttons.addButton("&Pratinjau Draf",
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.issue_button = buttons.addButton("&Terbitkan dan Cetak…",
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Batal", QDialogButtonBox.ButtonRole.RejectRole)
        self.issue_button.setDefault(True)
        self.preview_button.clicked.connect(self.preview)
        buttons.accepted.connect(self.issue)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _template_changed(self) -> None:
        while self.inputs_form.rowCount():
            self.inputs_form.removeRow(0)
        template = self.current_template()
        self.fields = [InputField(spec) for spec in (template.inputs if template else ())]
        for field in self.fields:
            label = field.spec.label + (" *" if field.spec.required else "") + ":"
            self.inputs_form.addRow(label, field.widget)
        self.inputs_box.setVisible(bool(self.fields))
        has_template = template is not None
        self.preview_button.setEnabled(has_template)
        self.issue_button.setEnabled(has_template)

    def current_template(self):
        index = self.template_combo.currentIndex()
        return self.templates[index] if index >= 0 else None

    def request(self) -> LetterRequest:
        return LetterRequest(
            self.current_template().id, self._type, self._id,
            {f.spec.name: f.value() for f in self.fields}, self.date_edit.date().toPython(),
            self.paper.currentData(), self.on_behalf.isChecked())

    def _call(self, work):
        try:
            return work()
        except ValidationFailed as exc:
            labels = {f.spec.name: f.spec.label for f in self.fields}
            show_error(self, "Surat belum dapat dibuat:\n" + "\n".join(
                f"- {i.message}" if i.field not in labels or labels[i.field] in i.message
                else f"- {labels[i.field]}: {i.message}" for i in exc.issues))
        except ServiceError as exc:
            show_error(self, exc)
        return None

    def preview(self) -> None:
        pdf = self._call(lambda: self._letters.preview(self.request()))
        if pdf is not None:
            self._show(pdf, "Pratinjau draf surat", "Draf-surat.pdf")

    def issue(self) -> None:
        issued = self._call(lambda: self._letters.issue(self.request()))
        if issued is None:
            return
        self.issued = issued
        self._show(issued.pdf, f"Surat {issued.number}", suggested_pdf_name(issued.number))
        self.accept()

    def _show(self, pdf: bytes, title: str, name: str) -> None:
        from pmks_desktop.ui.pdf_preview import PdfPreviewDialog

        self.preview_dialog = PdfPreviewDialog(pdf, title=title, suggested_name=name,
                                               parent=self.parentWidget() or self)
        self.preview_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview_dialog.show()

