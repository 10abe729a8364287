"""Rekapitulasi: choose a recap and its month, look at it in the preview window, then print or
save it as PDF, or save the same figures as an Excel workbook."""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QFileDialog, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget)

from pmks_desktop.domain.formatting import month_name
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.recap_queries import Period
from pmks_desktop.services.recaps import PROGRAMS
from pmks_desktop.ui.messages import show_error, show_info

KINDS = (("pmks", "Rekapitulasi data PMKS (per desa dan jenis)"),
         ("bidang", "Rekapitulasi per bidang"),
         ("program", "Rekap program (KUBE, UEP, Sembako, RS-RTLH)"),
         ("bencana", "Rekap bencana per kejadian"),
         ("bulanan", "Laporan bulanan"))


class RecapDialog(QDialog):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self._s = services
        self.preview_dialog = None
        self.setWindowTitle("Rekapitulasi")
        self.kind = QComboBox()
        for code, label in KINDS:
            self.kind.addItem(label, code)
        self.choice = QComboBox()  # bidang, program or event, as the kind needs
        self.choice_label = QLabel()
        self.month = QComboBox()
        for number in range(1, 13):
            self.month.addItem(month_name(number), number)
        today = QDate.currentDate()
        self.month.setCurrentIndex(today.month() - 1)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year())
        self.paper = QComboBox()
        self.paper.addItem("A4 (mendatar)", "A4")
        self.paper.addItem("F4 / Folio (mendatar)", "F4")
        self.paper.setCurrentIndex(self.paper.findData(services.letter_settings.current().paper))
        self.only_with_data = QCheckBox("Hanya jenis PMKS yang ada datanya")
        self._lay_out()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow("&Rekap:", self.kind)
        form.addRow(self.choice_label, self.choice)
        self.month_label = QLabel("&Bulan:")
        self.month_label.setBuddy(self.month)
        form.addRow(self.month_label, self.month)
        form.addRow("&Tahun:", self.year)
        form.addRow("&Kertas:", self.paper)
        form.addRow("", self.only_with_data)
        note = QLabel("Rekap hanya memuat angka (tanpa nama dan NIK). Rekap bulan tertentu "
                      "memuat data yang dicatat sampai akhir bulan itu.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6368;")
        buttons = QDialogButtonBox()
        self.preview_button = buttons.addButton("&Pratinjau dan Cetak…",
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.excel_button = buttons.addButton("Simpan &Excel…",
                                              QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        self.preview_button.setDefault(True)
        buttons.accepted.connect(self.preview)
        self.excel_button.clicked.connect(self.save_excel_dialog)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.choice.clear()
        if kind == "bidang":
            for bidang in self._s.catalogue.bidang:
                self.choice.addItem(bidang.name, bidang.code)
        elif kind == "program":
            for code, title in PROGRAMS.items():
                self.choice.addItem(title.title(), code)
        elif kind == "bencana":
            for event in self._events():
                when = f" ({event.day:%d-%m-%Y})" if event.day else ""
                self.choice.addItem(event.title + when, event.id)
        labels = {"bidang": "B&idang:", "program": "Pro&gram:", "bencana": "K&ejadian:"}
        self.choice_label.setText(labels.get(kind, ""))
        self.choice.setVisible(kind in labels)
        self.choice_label.setVisible(kind in labels)
        self.month.setEnabled(kind != "bencana")
        self.year.setEnabled(kind != "bencana")
        self.only_with_data.setVisible(kind in ("pmks", "bidang"))
        ready = kind not in labels or self.choice.count() > 0
        self.preview_button.setEnabled(ready)
        self.excel_button.setEnabled(ready)

    def _events(self):
        try:
            return self._s.recaps.events()
        except ServiceError as exc:
            show_error(self, exc)
            return []

    def sheet(self):
        """The chosen recap, computed now (a fraction of a second even at 100,000 cases)."""
        recaps, kind, choice = self._s.recaps, self.kind.currentData(), self.choice.currentData()
        period = Period(self.year.value(), self.month.currentData())
        tksk = self._s.letter_settings.current().tksk_name or None
        with_data = self.only_with_data.isChecked()
        if kind == "pmks":
            return recaps.main_recap(period, only_with_data=with_data, tksk=tksk)
        if kind == "bidang":
            return recaps.bidang_recap(choice, period, only_with_data=with_data, tksk=tksk)
        if kind == "program":
            return recaps.program_recap(choice, period, tksk=tksk)
        if kind == "bencana":
            return recaps.disaster_recap(choice, tksk=tksk)
        return recaps.monthly_report(period, tksk=tksk)

    def _busy(self, work):
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return work()
        except ServiceError as exc:
            show_error(self, exc)
            return None
        finally:
            QApplication.restoreOverrideCursor()

    def pdf_bytes(self, sheet) -> bytes:
        with tempfile.TemporaryDirectory(prefix="pmks-rekap-") as folder:
            path = self._s.recaps.write(sheet, Path(folder) / "rekap.pdf", "pdf",
                                        self.paper.currentData())
            return path.read_bytes()

    def preview(self) -> None:
        from pmks_desktop.ui.pdf_preview import PdfPreviewDialog

        sheet = self._busy(self.sheet)
        pdf = sheet and self._busy(lambda: self.pdf_bytes(sheet))
        if not pdf:
            return
        self.preview_dialog = PdfPreviewDialog(
            pdf, title=" ".join(sheet.title_lines[:1]) + f" — {sheet.period_label}",
            suggested_name=f"{sheet.file_stem}.pdf", parent=self,
            actions=[("Simpan Excel…", lambda: self.save_excel_dialog(sheet))])
        self.preview_dialog.show()

    def save_excel_dialog(self, sheet=None) -> None:
        sheet = sheet or self._busy(self.sheet)
        if sheet is None:
            return
        start = Path.home() / f"{sheet.file_stem}.xlsx"
        name, _ = QFileDialog.getSaveFileName(self, "Simpan Rekap ke Excel", str(start),
                                              "Buku kerja Excel (*.xlsx)")
        if name:
            self.save_excel(sheet, Path(name if name.endswith(".xlsx") else name + ".xlsx"))

    def save_excel(self, sheet, path: Path) -> Path | None:
        saved = self._busy(lambda: self._s.recaps.write(sheet, path, "xlsx"))
        if saved is not None:
            show_info(self, f"Rekap disimpan ke {saved}.")
        return saved
