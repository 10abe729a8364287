"""Kirim Data ke Dinas Sosial (kantor kecamatan): what will be sent (counts only), where to,
then the export as a background job, and a result page that says when the flashdisk may be
pulled out and prints the cover sheet that travels with it."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton,
                               QStackedWidget, QVBoxLayout, QWidget)

from pmks_desktop.domain.formatting import number_id
from pmks_desktop.services.enrolment import office_identity
from pmks_desktop.services.errors import OperationCancelled, ServiceError
from pmks_desktop.services.sync_sheets import SyncSheets, short_id
from pmks_desktop.ui.jobs import Job
from pmks_desktop.ui.messages import show_error
from pmks_desktop.ui.sync_widgets import (DriveChooser, RowsModel, escape, note, set_note,
                                          show_pdf, table_view, written_text)

NO_HUB = ("Komputer ini belum terhubung dengan Dinas Sosial, jadi data belum dapat dikirim.\n\n"
          "Langkahnya:\n"
          "1. Buka Sinkron → Berkas Enrolmen Komputer Ini…, simpan berkasnya ke flashdisk dan "
          "cetak lembar enrolmennya untuk ditandatangani Camat.\n"
          "2. Bawa keduanya ke Dinas Sosial untuk didaftarkan.\n"
          "3. Impor tanda terima pertama dari Dinas Sosial lewat Sinkron → Terima Tanda "
          "Terima Dinas… (cocokkan sidik kuncinya dengan lembar dari Dinas Sosial).")


def error_text(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"Berkas tidak dapat ditulis: {exc.strerror or exc}. Periksa flashdisk-nya."
    return getattr(exc, "message", None) or str(exc) or exc.__class__.__name__


class ExportWizard(QDialog):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self._s = services
        self._sheets = SyncSheets(services.office, services.letter_settings)
        self.job: Job | None = None
        self.plan = None
        self.sent_counts: Counter = Counter()
        self.written: list = []
        self.preview_dialog = None
        self.setWindowTitle("Kirim Data ke Dinas Sosial")
        self.pages = QStackedWidget()
        self.pages.addWidget(self._summary_page())
        self.pages.addWidget(self._result_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.refresh_plan()
        self.resize(640, 440 if self.send_button.isEnabled() else 300)

    # ------------------------------------------------------------ page 1: what and where

    def _summary_page(self) -> QWidget:
        page = QWidget()
        self.heading = QLabel(wordWrap=True)
        self.counts = RowsModel(("Register", "Perubahan"), numeric=(1,))
        self.counts_view = table_view(self.counts)
        self.drive = DriveChooser()
        form = QFormLayout()
        form.addRow("&Simpan ke:", self.drive)
        self.drive_label = form.labelForField(self.drive)
        self.status = note()
        self.explain = note("Yang dikirim hanya perubahan yang belum diakui Dinas Sosial; "
                            "berkasnya terenkripsi dan hanya dapat dibuka oleh Dinas Sosial. "
                            "Daftar di atas hanya berisi jumlah, tanpa nama atau NIK.")
        buttons = QDialogButtonBox()
        self.send_button = buttons.addButton("&Kirim", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        self.send_button.setDefault(True)
        buttons.accepted.connect(self.send)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(page)
        layout.addWidget(self.heading)
        layout.addWidget(self.counts_view, 1)
        layout.addWidget(self.explain)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch()
        layout.addWidget(buttons)
        return page

    def refresh_plan(self) -> None:
        try:
            self.plan = self._s.sync_export.plan()
        except ServiceError as exc:
            self.plan = None
            self._show_blocked(exc.message)
            return
        if self.plan.hub is None:
            self._show_blocked(NO_HUB)
            return
        ready = self.plan.op_count > 0
        self.heading.setText(
            f"<b>Kepada: {escape(self.plan.hub.office_name)}</b><br>"
            + (f"{number_id(self.plan.op_count)} perubahan akan dikirim dalam "
               f"{number_id(self.plan.parts)} berkas." if ready else
               "Tidak ada perubahan yang perlu dikirim: semua data sudah diakui Dinas Sosial."))
        self.counts.set_rows([(label, number_id(n)) for label, n in
                              sorted(self.plan.by_table.items())])
        for widget in (self.counts_view, self.drive, self.drive_label, self.explain):
            widget.setVisible(ready)
        self.send_button.setEnabled(ready)
        set_note(self.status, "")

    def _show_blocked(self, text: str) -> None:
        self.heading.setText("<b>Data belum dapat dikirim</b>")
        for widget in (self.counts_view, self.drive, self.drive_label, self.explain):
            widget.hide()
        self.send_button.setEnabled(False)
        set_note(self.status, text, "warning")

    # ------------------------------------------------------------ the export job

    def send(self) -> None:
        folder = self.drive.folder()
        if folder is None:
            show_error(self, "Pilih flashdisk atau folder tujuan terlebih dahulu.")
            return
        self.start_export(folder)

    def start_export(self, folder: Path, show_dialog: bool = True) -> Job:
        export = self._s.sync_export

        def work(progress, cancelled):
            counts = export.plan().by_table  # the same moment as the files: printed with them
            progress(0, 1, "Menyiapkan kiriman…")
            written = export.export(folder, cancelled=cancelled, progress=lambda d, t: progress(
                d, t, f"Menulis dan memeriksa berkas {d} dari {t}…"))
            return counts, written

        self.send_button.setEnabled(False)
        set_note(self.status, f"Menulis ke {folder}…")
        self.job = Job(work, "Mengirim data ke Dinas Sosial…", self, show_dialog=show_dialog)
        self.job.done.connect(self._exported)
        self.job.error.connect(self._failed)
        return self.job.start()

    def _exported(self, result) -> None:
        self.job = None
        self.sent_counts, self.written = result
        self._fill_result()
        self.pages.setCurrentIndex(1)
        self.close_button.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.send_button.setEnabled(True)
        head = "Pengiriman dibatalkan." if isinstance(exc, OperationCancelled) else \
            "Pengiriman gagal; tidak ada yang dicatat sebagai terkirim."
        set_note(self.status, f"{head}\n{error_text(exc)}", "error")

    # ------------------------------------------------------------ page 2: the result

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.result_heading = QLabel(wordWrap=True)
        self.files = RowsModel(("Berkas", "Kode kiriman", "Perubahan"), numeric=(2,))
        self.files_view = table_view(self.files)
        self.safe = note()
        self.folder_note = note()
        self.print_button = QPushButton("&Cetak Lembar Pengantar…")
        self.print_button.clicked.connect(self.print_cover_sheet)
        self.close_button = QPushButton("Tutup")
        self.close_button.clicked.connect(self.accept)
        buttons = QDialogButtonBox()
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_heading)
        layout.addWidget(self.files_view, 1)
        layout.addWidget(self.folder_note)
        layout.addWidget(self.safe)
        layout.addWidget(buttons)
        return page

    def _fill_result(self) -> None:
        if not self.written:
            self.result_heading.setText("<b>Tidak ada perubahan baru yang perlu dikirim.</b>")
            self.files_view.hide()
            self.print_button.hide()
            set_note(self.safe, "Tidak ada berkas yang ditulis.")
            return
        total = sum(b.op_count for b in self.written)
        self.result_heading.setText(
            f"<b>Kiriman selesai ditulis.</b> {number_id(total)} perubahan dalam "
            f"{number_id(len(self.written))} berkas:")
        self.files.set_rows([(b.path.name, short_id(b.bundle_id), number_id(b.op_count))
                             for b in self.written])
        set_note(self.folder_note, f"Folder: {self.written[0].path.parent}\nSalinan setiap "
                 "berkas disimpan di komputer ini sampai Dinas Sosial mengirim tanda terima.")
        set_note(self.safe, written_text(self.drive.is_removable(self.written[0].path.parent),
                                         "Dinas Sosial"), "ok", strong=True)
        self.safe.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def cover_sheet_pdf(self) -> bytes:
        office = self._s.office.office()
        doc = self._sheets.cover_sheet(
            office_name=office_identity(office)[2], hub_name=self.plan.hub.office_name,
            by_table=self.sent_counts, bundles=self.written)
        return self._sheets.pdf(doc)

    def print_cover_sheet(self) -> None:
        try:
            pdf = self.cover_sheet_pdf()
        except ServiceError as exc:
            show_error(self, exc)
            return
        name = f"lembar-pengantar-{short_id(self.written[0].bundle_id)}.pdf"
        self.preview_dialog = show_pdf(self, pdf, "Lembar Pengantar Kiriman Data", name)

    def reject(self) -> None:
        if self.job is not None:  # the job's own Batal button stops it; closing must not
            return
        super().reject()
