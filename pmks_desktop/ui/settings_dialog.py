"""Pengaturan program: the figures DOMAIN marks configurable (group sizes, aid values, indexes)."""
from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel,
                               QSpinBox, QVBoxLayout)

from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.settings import DEFAULTS, SettingsService
from pmks_desktop.ui.messages import show_error

_MONEY_MAX = 1_000_000_000


def _editor(key: str, value: float, minimum: float):
    if isinstance(DEFAULTS[key][0], float):
        box = QDoubleSpinBox(decimals=1, minimum=minimum, maximum=1000, singleStep=0.1)
    else:
        box = QSpinBox(minimum=int(minimum), maximum=_MONEY_MAX, singleStep=1)
        box.setGroupSeparatorShown(True)
        if value >= 10_000:
            box.setPrefix("Rp ")
            box.setSingleStep(50_000)
    box.setValue(value)
    box.setMinimumWidth(180)
    return box


class SettingsDialog(QDialog):
    def __init__(self, settings: SettingsService, parent=None):
        super().__init__(parent)
        self._settings = settings
        self.setWindowTitle("Pengaturan Program")
        current = settings.all()
        form = QFormLayout()
        self.editors = {}
        for key, (_default, label, minimum) in DEFAULTS.items():
            self.editors[key] = _editor(key, current[key], minimum)
            form.addRow(f"{label}:", self.editors[key])
        note = QLabel("Angka ini berbeda menurut tahun dan daerah. Perubahan berlaku untuk data "
                      "yang dimasukkan sesudahnya; data lama tidak diubah.", wordWrap=True)
        note.setStyleSheet("color: #5f6368;")
        buttons = QDialogButtonBox()
        buttons.addButton("Simpan", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Batal", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def save(self) -> None:
        current = self._settings.all()
        changes = {k: e.value() for k, e in self.editors.items() if e.value() != current[k]}
        if changes:
            try:
                self._settings.update(changes)
            except ServiceError as exc:
                show_error(self, exc)
                return
        self.accept()
