"""Cetak Massal: one template for every record of a year (all KUBE handover minutes of 2024,
say), numbered in order into one PDF. Runs as a background job with progress and Batal; a
cancelled batch uses no number at all (the service issues the whole batch in one transaction)."""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
                               QLabel, QSpinBox, QVBoxLayout, QWidget)

from pmks_desktop.services.errors import OperationCancelled, ServiceError
from pmks_desktop.services.letters import LetterRequest
from pmks_desktop.ui.jobs import run_job
from pmks_desktop.ui.letter_dialog import InputField
from pmks_desktop.ui.messages import confirm, show_error, show_info

BATCH_SUBJECTS = (("kube", "KUBE"), ("uep", "UEP"), ("rtlh", "RS-RTLH"),
                  ("slrt", "SLRT (rujukan)"), ("bencana", "Kejadian bencana"))


class BatchLetterDialog(QDialog):
    def __init__(self, letters, parent: QWidget | None = None):
        super().__init__(parent)
        self._letters = letters
        self.subjects: list[tuple[str, str]] = []
        self.fields: list[InputField] = []
        self.job = None
        self.preview_dialog = None
        self.setWindowTitle("Cetak Surat Massal")
        self.kind = QComboBox()
        for code, label in BATCH_SUBJECTS:
            self.kind.addItem(label, code)
        self.template = QComboBox()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(QDate.currentDate().year())
        self.count_label = QLabel()
        self.inputs_box = QGroupBox("Isian yang sama untuk semua surat")
        self.inputs_form = QFormLayout(self.inputs_box)
        self._lay_out()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.template.currentIndexChanged.connect(self._template_changed)
        self.year.valueChanged.connect(self._refresh_count)
        self._kind_changed()
        self.resize(600, self.sizeHint().height())

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("&Data:", self.kind)
        form.addRow("&Tahun:", self.year)
        form.addRow("&Jenis surat:", self.template)
        form.addRow("", self.count_label)
        layout.addLayout(form)
        layout.addWidget(self.inputs_box)
        buttons = QDialogButtonBox()
        self.issue_button = buttons.addButton("&Terbitkan Semua…",
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.ask_and_issue)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _kind_changed(self) -> None:
        self.template.blockSignals(True)
        self.template.clear()
        for template in self._letters.templates_for(self.kind.currentData()):
            self.template.addItem(template.label, template)
        self.template.blockSignals(False)
        self._template_changed()

    def _template_changed(self) -> None:
        while self.inputs_form.rowCount():
            self.inputs_form.removeRow(0)
        template = self.template.currentData()
        self.fields = [InputField(spec) for spec in (template.inputs if template else ())]
        for field in self.fields:
            self.inputs_form.addRow(field.spec.label + (" *" if field.spec.required else "")
                                    + ":", field.widget)
        self.inputs_box.setVisible(bool(self.fields))
        self._refresh_count()

    def _refresh_count(self) -> None:
        try:
            self.subjects = self._letters.batch_subjects(self.kind.currentData(),
                                                         self.year.value())
        except ServiceError as exc:
            self.subjects = []
            self.count_label.setText(exc.message)
        else:
            self.count_label.setText(f"{len(self.subjects)} data tahun {self.year.value()} "
                                     "akan dibuatkan surat.")
        self.issue_button.setEnabled(bool(self.subjects) and self.template.currentData()
                                     is not None)

    def requests(self) -> list[LetterRequest]:
        template, kind = self.template.currentData(), self.kind.currentData()
        inputs = {f.spec.name: f.value() for f in self.fields}
        return [LetterRequest(template.id, kind, sid, dict(inputs)) for sid, _t in self.subjects]

    def ask_and_issue(self) -> None:
        if confirm(self, f"{len(self.subjects)} surat akan diterbitkan dengan nomor berurutan "
                         "di buku agenda. Lanjutkan?", yes="Terbitkan"):
            self.start()

    def start(self):
        reqs = self.requests()

        def work(progress, cancelled):
            return self._letters.issue_batch(
                reqs, cancelled=cancelled,
                progress=lambda d, t: progress(d, t, f"Menyusun surat {d} dari {t}…"))

        self.job = run_job(self, "Menerbitkan surat", work, self._done, self._failed)
        return self.job

    def _done(self, pdf: bytes) -> None:
        from pmks_desktop.ui.pdf_preview import PdfPreviewDialog

        template = self.template.currentData()
        self.preview_dialog = PdfPreviewDialog(
            pdf, title=f"{template.label} — {len(self.subjects)} surat",
            suggested_name=f"{template.id}-{self.year.value()}.pdf", parent=self.parentWidget())
        self.preview_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview_dialog.show()
        self.accept()

    def _failed(self, exc) -> None:
        if isinstance(exc, OperationCancelled):
            show_info(self, exc.message)
        else:
            show_error(self, exc)
