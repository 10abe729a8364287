"""The filter bar above a case list: search as you type, desa, type and status."""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from pmks_desktop.domain.catalogue import Catalogue, PmksType
from pmks_desktop.services.case_queries import CaseQuery
from pmks_desktop.storage.models import Desa

SEARCH_DELAY_MS = 250  # wait for a pause in typing before querying


def _combo(all_label: str, items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    combo.addItem(all_label, None)
    for value, label in items:
        combo.addItem(label, value)
    combo.setMaxVisibleItems(20)
    return combo


class CaseFilterBar(QWidget):
    changed = Signal()

    def __init__(self, catalogue: Catalogue, types: list[PmksType], desa: list[Desa],
                 parent=None):
        super().__init__(parent)
        self.search = QLineEdit(placeholderText="Cari nama atau NIK… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        by_kecamatan = bool(desa) and len(desa[0].code) < 13  # the hub filters by kecamatan
        self.desa = _combo("Semua kecamatan" if by_kecamatan else "Semua desa",
                           [(d.code, d.name) for d in desa])
        self.type = _combo("Semua jenis PMKS", [(t.code, t.label) for t in types])
        self.type.setMinimumContentsLength(28)
        self.status = _combo("Semua status", [(s.code, s.label) for s in catalogue.statuses])
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.changed)
        self.search.textChanged.connect(self._timer.start)
        for combo in (self.desa, self.type, self.status):
            combo.currentIndexChanged.connect(self.changed)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)
        self._lay_out()

    def _lay_out(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Cari:")
        label.setBuddy(self.search)
        layout.addWidget(label)
        layout.addWidget(self.search, 2)
        for widget in (self.desa, self.type, self.status):
            layout.addWidget(widget, 1)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def query(self, bidang: str, trash: bool = False) -> CaseQuery:
        return CaseQuery(bidang=bidang, text=self.search.text(),
                         desa_code=self.desa.currentData(), type_code=self.type.currentData(),
                         status=self.status.currentData(), trash=trash)
