"""Beranda: the office's real counts at a glance (per type, per desa, per status)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from pmks_desktop.domain.catalogue import Catalogue
from pmks_desktop.domain.formatting import long_date_with_day, number_id
from pmks_desktop.services.dashboard import DashboardService, Totals
from pmks_desktop.services.lookup import find_type


def _card(title: str) -> tuple[QFrame, QLabel]:
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setStyleSheet("QFrame { background: palette(base); border-radius: 6px; }")
    value = QLabel("0")
    value.setStyleSheet("font-size: 22pt; font-weight: bold; color: #1f5f8b; border: none;")
    caption = QLabel(title)
    caption.setStyleSheet("color: #4a4a4a; border: none;")
    layout = QVBoxLayout(frame)
    layout.addWidget(value)
    layout.addWidget(caption)
    return frame, value


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, int]]) -> None:
    table.setRowCount(len(rows))
    for r, (label, count) in enumerate(rows):
        table.setItem(r, 0, QTableWidgetItem(label))
        item = QTableWidgetItem(number_id(count))
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        table.setItem(r, 1, item)


class HomeTab(QWidget):
    def __init__(self, dashboard: DashboardService, catalogue: Catalogue, office_title: str,
                 parent=None):
        super().__init__(parent)
        self._dashboard = dashboard
        self._catalogue = catalogue
        heading = QLabel(f"<h2>{office_title}</h2>")
        self.date_label = QLabel()
        refresh = QPushButton("Muat &Ulang")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.date_label)
        top.addWidget(refresh)
        cards = QGridLayout()
        self.cards: dict[str, QLabel] = {}
        for column, (key, title) in enumerate((("persons", "orang terdaftar"),
                                               ("cases", "kasus PMKS aktif"),
                                               ("baru", "menunggu verifikasi"),
                                               ("dalam_penanganan", "dalam penanganan"))):
            frame, self.cards[key] = _card(title)
            cards.addWidget(frame, 0, column)
        self.by_type = _table(["Jenis PMKS", "Jumlah"])
        self.by_desa = _table(["Desa/Kelurahan", "Jumlah"])
        self.by_status = _table(["Status", "Jumlah"])
        tables = QHBoxLayout()
        for title, table, stretch in (("Per jenis PMKS", self.by_type, 3),
                                      ("Per desa/kelurahan", self.by_desa, 2),
                                      ("Per status", self.by_status, 1)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(table)
            tables.addWidget(box, stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(cards)
        layout.addLayout(tables, 1)
        self._stale = True

    def mark_stale(self) -> None:
        """Data changed elsewhere: recount when the tab is next shown (counting 100,000 cases
        takes a noticeable fraction of a second, so not after every save in another tab)."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        from datetime import date

        self._stale = False
        totals = self._dashboard.totals()
        self.date_label.setText(long_date_with_day(date.today()))
        self._show(totals)

    def _show(self, totals: Totals) -> None:
        status_counts = dict(totals.by_status)
        self.cards["persons"].setText(number_id(totals.persons))
        self.cards["cases"].setText(number_id(totals.cases))
        for key in ("baru", "dalam_penanganan"):
            self.cards[key].setText(number_id(status_counts.get(key, 0)))
        _fill(self.by_type, [(self._type_label(code), n) for code, n in totals.by_type])
        _fill(self.by_desa, [(name, n) for _code, name, n in totals.by_desa])
        _fill(self.by_status, [(s.label, status_counts.get(s.code, 0))
                               for s in self._catalogue.statuses])

    def _type_label(self, code: str) -> str:
        pmks_type = find_type(self._catalogue, code)
        return pmks_type.label if pmks_type else code

    def count_for_type(self, code: str) -> int:
        """The count shown for a type (0 when absent): used by tests and the status bar."""
        label = self._type_label(code)
        for r in range(self.by_type.rowCount()):
            if self.by_type.item(r, 0).text() == label:
                return int(self.by_type.item(r, 1).text().replace(".", ""))
        return 0
