"""A bidang as a tab of sub-tabs: its PMKS case register (if the catalogue gives it types) and
one tab per declarative register of that bidang, in the forms' order."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.ui.register_tab import EntryDeps, RegisterTab


class BidangTab(QWidget):
    data_changed = Signal()

    def __init__(self, deps: EntryDeps, forms: list[FormSpec], leading: list[tuple[str, QWidget]]
                 = (), parent=None):
        super().__init__(parent)
        self.tabs = QTabWidget()
        self.registers: dict[str, RegisterTab] = {}
        for title, widget in leading:
            self.tabs.addTab(widget, title)
            if hasattr(widget, "data_changed"):
                widget.data_changed.connect(self.data_changed)
        for form in forms:
            tab = RegisterTab(deps, form)
            tab.data_changed.connect(self.data_changed)
            self.registers[form.id] = tab
            self.tabs.addTab(tab, form.short_title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
