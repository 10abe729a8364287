"""Choosing the next status of a case (only the moves the workflow allows)."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QPlainTextEdit, QVBoxLayout)

from pmks_desktop.domain.catalogue import Catalogue


class StatusDialog(QDialog):
    def __init__(self, catalogue: Catalogue, current: str, person_name: str,
                 can_verify: bool, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Ubah Status Penanganan")
        self.setMinimumWidth(420)
        current_status = catalogue.status(current)
        self.choice = QComboBox()
        for code in catalogue.allowed_transitions(current):
            if catalogue.transition_needs_verify(current, code) and not can_verify:
                continue  # the service would refuse it; do not offer it
            self.choice.addItem(catalogue.status(code).label, code)
        self.note = QPlainTextEdit(placeholderText="Keterangan (tidak wajib), mis. nomor surat "
                                                   "rujukan atau hasil verifikasi")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        form = QFormLayout()
        form.addRow("Nama:", QLabel(f"<b>{person_name}</b>"))
        form.addRow("Status sekarang:", QLabel(current_status.label))
        form.addRow("Status &baru:", self.choice)
        form.addRow("&Keterangan:", self.note)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Simpan", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Batal", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if self.choice.count() == 0:
            self.save_button.setEnabled(False)
            layout.addWidget(QLabel("Tidak ada perubahan status yang dapat Anda lakukan."))
        layout.addWidget(buttons)

    def selected(self) -> tuple[str, str]:
        return self.choice.currentData(), self.note.toPlainText()
