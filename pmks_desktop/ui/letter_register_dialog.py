"""Buku Agenda Surat Keluar: browse a year's letters, reprint or void one (with a reason),
export the year to Excel.

Each button first asks (reason, confirmation, file name) and then calls a helper that does the
work without any dialog: reprint_selected(), void_selected(), export_to(). Tests and other
windows call those helpers directly. Every decision (who may, whether a voided letter may be
reprinted, the reason's minimum length) is LetterRegister's; this window shows its answer.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QDialog, QFrame, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout)

from pmks_desktop.domain.roles import EXPORT
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.ui import export_action
from pmks_desktop.ui.letter_dialog import suggested_pdf_name
from pmks_desktop.ui.letter_register_model import LetterRegisterModel, history_html
from pmks_desktop.ui.list_view import make_list_table
from pmks_desktop.ui.messages import ask_text, call_service, confirm, show_error, show_info

SEARCH_DELAY_MS = 250  # wait for a pause in typing before asking the register again
MIN_REASON = 5  # LetterRegister's rule, checked here too so the question can simply be re-asked
REASON_RULE = f"Tuliskan alasannya (paling sedikit {MIN_REASON} huruf):"
STATUS_CHOICES = (("Semua status", ""), ("Terbit", "terbit"), ("Batal", "batal"))
COLUMN_WIDTHS = (70, 220, 130, 200, 220, 170, 64, 70)
HAL_COLUMN = 4  # takes up what the window gives, so Dicetak stays in sight without scrolling


class LetterRegisterDialog(QDialog):
    preview_opened = Signal(object)  # the PdfPreviewDialog of a reprint, just shown

    def __init__(self, services, parent=None):
        super().__init__(parent)
        self._register = services.letter_register
        self._session = services.session
        self.last_preview = None  # the newest reprint preview still open
        self._previews: list = []
        self.setWindowTitle("Buku Agenda Surat Keluar")
        self.resize(1180, 600)
        self.model = LetterRegisterModel(self)
        self.table = make_list_table(self.model, COLUMN_WIDTHS)
        self.table.setObjectName("letters_table")
        self.table.setTabKeyNavigation(False)  # Tab moves on to the buttons, as in any form
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()  # No. Urut is the row number that means something
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(HAL_COLUMN, QHeaderView.ResizeMode.Stretch)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_filters())
        layout.addWidget(self.table, 1)
        layout.addWidget(self._build_history())
        self.status_line = QLabel(objectName="status")
        layout.addWidget(self.status_line)
        layout.addLayout(self._build_buttons())
        self.table.doubleClicked.connect(lambda _index: self.reprint_dialog())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_moved())
        self.search.installEventFilter(self)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)
        self._load_years()
        self.reload()
        self.table.setFocus()

    # ------------------------------------------------------------- building

    def _build_filters(self) -> QHBoxLayout:
        self.year = QComboBox(objectName="year")
        self.search = QLineEdit(objectName="search", clearButtonEnabled=True,
                                placeholderText="Cari nomor, nama, hal, atau jenis surat… "
                                                "(Ctrl+F)")
        self.status_filter = QComboBox(objectName="status_filter")
        for label, code in STATUS_CHOICES:
            self.status_filter.addItem(label, code)
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.textChanged.connect(self._timer.start)
        row = QHBoxLayout()
        for text, widget, stretch in (("&Tahun:", self.year, 0), ("&Cari:", self.search, 1),
                                      ("&Status:", self.status_filter, 0)):
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget, stretch)
            row.addSpacing(8)
        return row

    def _build_history(self) -> QFrame:
        frame = QFrame(frameShape=QFrame.Shape.StyledPanel)
        self.history = QLabel(objectName="history", wordWrap=True,
                              textFormat=Qt.TextFormat.RichText)
        self.history.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Room for issue, a reprint or two and a void without the window jumping per row.
        self.history.setMinimumHeight(self.fontMetrics().lineSpacing() * 5 + 8)
        box = QVBoxLayout(frame)
        box.setContentsMargins(8, 6, 8, 6)
        box.addWidget(self.history)
        return frame

    def _build_buttons(self) -> QHBoxLayout:
        self.reprint_button = QPushButton("Cetak &Ulang…", objectName="reprint_button")
        self.void_button = QPushButton("&Batalkan Surat…", objectName="void_button")
        self.export_button = QPushButton("&Ekspor Excel…", objectName="export_button")
        self.close_button = QPushButton("Tutup", objectName="close_button", autoDefault=False)
        self.reprint_button.setToolTip("Cetak lagi surat terpilih dengan nomor yang sama "
                                       "(Enter atau klik ganda pada baris)")
        self.reprint_button.setDefault(True)  # Enter on a row reprints, like a double-click
        self.reprint_button.clicked.connect(self.reprint_dialog)
        self.void_button.clicked.connect(self.void_dialog)
        self.export_button.clicked.connect(self.export_dialog)
        self.close_button.clicked.connect(self.reject)
        if not self._session.allows(EXPORT):
            self.export_button.setEnabled(False)
            self.export_button.setToolTip("Peran Anda tidak berwenang mengekspor data.")
        row = QHBoxLayout()
        for button in (self.reprint_button, self.void_button, self.export_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        return row

    # ------------------------------------------------------------- loading

    def _load_years(self) -> None:
        try:
            years = self._register.years()
        except ServiceError as exc:
            years = []
            self.status_line.setText(exc.message)
        self.year.blockSignals(True)  # one reload after the list is complete, not one per year
        for year in years:
            self.year.addItem(str(year), year)
        self.year.blockSignals(False)

    def selected_year(self) -> int | None:
        return self.year.currentData()

    def reload(self, select: str | None = None) -> None:
        """Ask the register again with the current filters; keep (or move) the selection."""
        self._timer.stop()
        current = select or getattr(self.selected_letter(), "id", None)
        year = self.selected_year()
        refusal = None
        try:
            letters = [] if year is None else self._register.letters(
                year, self.search.text(), self.status_filter.currentData())
        except ServiceError as exc:  # PermissionDenied above all: say why, not an empty list
            letters, refusal = [], exc.message
        self.model.set_letters(letters)
        self.status_line.setText(refusal or self._count_text())
        if self.model.rowCount():
            row = max(self.model.row_of(current), 0)
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self._selection_moved()

    def _count_text(self) -> str:
        shown = self.model.rowCount()
        filtered = bool(self.search.text().strip() or self.status_filter.currentData())
        if shown == 0:
            return ("Tidak ada surat yang cocok dengan pencarian." if filtered
                    else f"Belum ada surat keluar pada tahun {self.selected_year()}.")
        text = f"{shown} surat" + (" cocok dengan pencarian" if filtered else "")
        voided = self.model.voided_count()
        return text + (f"; {voided} di antaranya dibatalkan." if voided else ".")

    def selected_letter(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.letter_at(rows[0].row()) if rows else None

    def _selection_moved(self) -> None:
        letter = self.selected_letter()
        live = letter is not None and letter.status != "batal"
        self.reprint_button.setEnabled(live)
        self.void_button.setEnabled(live)
        if letter is None:
            self.history.setText("Pilih satu surat untuk melihat riwayatnya.")
            return
        try:
            events = self._register.events(letter.id)
        except ServiceError as exc:
            self.history.setText(exc.message)
            return
        self.history.setText(history_html(letter, events))

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def eventFilter(self, watched, event) -> bool:
        # Enter or Down in the search box goes to the list: Enter there would otherwise press
        # the default button (Cetak Ulang) for a row the user has not looked at yet.
        if watched is self.search and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
            if self._timer.isActive():
                self.reload()
            self.table.setFocus()
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------- reprint

    def ask_reason(self, title: str, intro: str, ok_label: str) -> str | None:
        """The reason, asked again while it is too short; None when the user cancels."""
        label = f"{intro}\n\n{REASON_RULE}"
        while True:
            reason, ok = ask_text(self, title, label, ok_label=ok_label)
            if not ok:
                return None
            if len(reason) >= MIN_REASON:
                return reason
            label = (f"{intro}\n\nAlasan wajib diisi, paling sedikit {MIN_REASON} huruf. "
                     "Tuliskan alasannya:")

    def reprint_dialog(self) -> None:
        letter = self.selected_letter()
        if letter is None or letter.status == "batal":
            return
        reason = self.ask_reason(
            "Cetak Ulang Surat", f"Surat {letter.number} akan dicetak ulang dengan nomor, isi,"
            " dan kode QR yang sama.\nCetak ulang dicatat di buku agenda.", "Cetak Ulang")
        if reason is not None:
            self.reprint_selected(reason)

    def reprint_selected(self, reason: str):
        """Reprint the selected letter; returns the preview window (None if refused)."""
        letter = self.selected_letter()
        if letter is None:
            return None
        result: list[bytes] = []
        if not call_service(self, lambda: result.append(
                self._register.reprint(letter.id, reason))):
            return None
        self.reload(select=letter.id)  # the print count went up
        return self.open_preview(result[0], letter.number)

    def open_preview(self, pdf: bytes, number: str):
        """Show the reprinted letter beside the register; the register stays usable."""
        from pmks_desktop.ui.pdf_preview import PdfPreviewDialog  # QtPdf only when needed

        # A child of this dialog: the register runs modal, so any other parent would be blocked.
        preview = PdfPreviewDialog(pdf, title=f"Cetak Ulang Surat {number}",
                                   suggested_name=suggested_pdf_name(number), parent=self)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.destroyed.connect(lambda *_: self._forget_preview(preview))
        self._previews.append(preview)
        self.last_preview = preview
        preview.show()
        self.preview_opened.emit(preview)
        return preview

    def _forget_preview(self, preview) -> None:
        self._previews = [p for p in self._previews if p is not preview]
        if self.last_preview is preview:
            self.last_preview = None

    def done(self, result: int) -> None:
        # Close the previews through their own done(): one may still be printing, and it must
        # stop its print job before its document goes away with this dialog.
        for preview in list(self._previews):
            preview.reject()
        super().done(result)

    # ------------------------------------------------------------- void

    def void_dialog(self) -> None:
        letter = self.selected_letter()
        if letter is None or letter.status == "batal":
            return
        reason = self.ask_reason(
            "Batalkan Surat", f"Surat {letter.number} akan dibatalkan.\nNomornya tetap "
            "tercatat di buku agenda dan tidak dipakai lagi;\nsurat yang sudah dicetak tidak "
            "berlaku.", "Lanjut")
        if reason is None:
            return
        if confirm(self, f"Batalkan surat {letter.number}?\n\nAlasan: {reason}\n\n"
                         "Pembatalan tidak dapat diurungkan.", "Batalkan Surat",
                   yes="Batalkan Surat", no="Kembali"):
            self.void_selected(reason)

    def void_selected(self, reason: str) -> bool:
        """Void the selected letter; True when the register recorded it."""
        letter = self.selected_letter()
        if letter is None:
            return False
        if not call_service(self, lambda: self._register.void(letter.id, reason)):
            return False
        self.reload(select=letter.id)
        self.status_line.setText(f"Surat {letter.number} sudah dibatalkan.")
        return True

    # ------------------------------------------------------------- export

    def export_dialog(self) -> None:
        year = self.selected_year()
        if year is None:
            return
        path = export_action.ask_path(self, f"Buku Agenda Surat Keluar {year}",
                                      f"Buku-Agenda-Surat-Keluar-{year}.xlsx")
        if path is not None and self.export_to(path) is not None:
            show_info(self, f"Buku agenda surat keluar tahun {year} sudah diekspor ke:\n{path}",
                      "Ekspor selesai")

    def export_to(self, path: Path) -> Path | None:
        """Write the whole year (filters aside: the agenda is a complete record) to `path`."""
        year = self.selected_year()
        if year is None:
            return None
        # A year's letters take well under a second, so no background job: a busy cursor.
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written, problem = self._register.export(year, Path(path)), None
        except ServiceError as exc:
            written, problem = None, exc.message
        except OSError as exc:
            written, problem = None, (f"Berkas {path} tidak dapat ditulis "
                                      f"({exc.strerror or exc}). Periksa apakah foldernya ada "
                                      "dan berkasnya tidak sedang dibuka di Excel.")
        finally:
            QGuiApplication.restoreOverrideCursor()
        if problem:
            show_error(self, problem, "Ekspor gagal")
        return written
