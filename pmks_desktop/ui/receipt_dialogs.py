"""Receipts: the Dinas Sosial writes one per office PC (WriteReceiptsDialog); the office imports
its own (ReceiptImportDialog). The office's first receipt is also how it learns the Dinas
Sosial's key, so it is trusted only after a person compared the fingerprint with the paper."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QApplication, QCheckBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget)

from pmks_desktop.domain.formatting import number_id
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.link_notices import applied_text
from pmks_desktop.services.sync_status import SyncStatus
from pmks_desktop.ui.export_wizard import error_text
from pmks_desktop.ui.jobs import Job
from pmks_desktop.ui.sync_widgets import (DriveChooser, RowsModel, escape, fingerprint_label,
                                          first_folder, grow_to_fit, note, set_note,
                                          table_view, written_text)

CONFIRM_TEXT = "Sidik kunci &sama dengan lembar dari Dinas Sosial"


def _refusal(exc: ServiceError) -> str:
    where = getattr(exc, "quarantined", None)
    return exc.message + (f"\n\nBerkas disalin ke karantina: {where}" if where else "")


class ReceiptImportDialog(QDialog):
    """At a kecamatan office: read a receipt, confirm the Dinas key the first time, apply."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self._s = services
        self._status = SyncStatus(services.db, services.session)
        self.path: Path | None = None
        self.receipt: dict | None = None
        self.fingerprint = ""
        self.first = False
        self.setWindowTitle("Terima Tanda Terima Dinas")
        self.file_label = QLabel("Belum ada berkas yang dipilih.", wordWrap=True)
        self.summary = QLabel(wordWrap=True)
        self.trust_note = note(kind="warning")
        self.fingerprint_shown = fingerprint_label()
        self.confirmed = QCheckBox(CONFIRM_TEXT)
        self.confirmed.toggled.connect(self._update_button)
        self.result = note()
        self._lay_out()
        self._show_trust(False)
        self.resize(640, 300)

    def _lay_out(self) -> None:
        choose = QPushButton("&Pilih Berkas Tanda Terima…")
        choose.clicked.connect(self.choose_file)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("&Terapkan Tanda Terima",
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        self.apply_button.setEnabled(False)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note("Tanda terima dari Dinas Sosial mencatat kiriman mana yang sudah "
                              "diterima. Kiriman yang diakui tidak dikirim lagi; yang belum "
                              "diakui ikut terkirim pada pengiriman berikutnya."))
        layout.addWidget(choose, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.file_label)
        layout.addWidget(self.summary)
        layout.addWidget(self.trust_note)
        layout.addWidget(self.fingerprint_shown, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.confirmed)
        layout.addWidget(self.result)
        layout.addStretch()
        layout.addWidget(buttons)
        choose.setFocus()

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Pilih Tanda Terima", first_folder(),
                                              "Tanda terima PMKS (*.pmksb);;Semua berkas (*)")
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> bool:
        """Opens and checks the receipt; True when it can be applied."""
        self.path, self.receipt = Path(path), None
        self.file_label.setText(f"Berkas: {self.path.name}")
        set_note(self.result, "")
        try:
            self.receipt, self.fingerprint = self._s.sync_receipts.read_receipt(self.path)
        except ServiceError as exc:
            self.summary.setText("")
            self._show_trust(False)
            set_note(self.result, f"Tanda terima ditolak.\n{_refusal(exc)}", "error")
            self._update_button()
            grow_to_fit(self)
            return False
        self.first = not any(p.role == "hub" for p in self._s.enrolment.peers())
        hub = self.receipt["hub"]["office_name"]
        acks = self.receipt.get("acks", [])
        upto = ", ".join(number_id(a["contiguous"]) for a in acks) or "belum ada"
        self.summary.setText(f"<b>Dari: {escape(hub)}</b><br>Perubahan yang diterima Dinas "
                             f"sampai nomor urut: {upto}.")
        self._show_trust(self.first)
        self._update_button()
        grow_to_fit(self)
        return True

    def _show_trust(self, first: bool) -> None:
        hub = self.receipt["hub"]["office_name"] if self.receipt else ""
        set_note(self.trust_note, (
            f"Ini tanda terima pertama dari {hub}. Sebelum komputer ini mempercayai Dinas "
            "Sosial, cocokkan sidik kunci di bawah ini, kelompok demi kelompok, dengan lembar "
            "enrolmen yang ditandatangani Kepala Dinas Sosial. Jika ada yang berbeda, jangan "
            "lanjutkan dan hubungi Dinas Sosial.") if first else "", "warning")
        self.fingerprint_shown.setText(self.fingerprint)
        self.fingerprint_shown.setVisible(first)
        self.confirmed.setVisible(first)
        self.confirmed.setChecked(False)

    def _update_button(self) -> None:
        ready = self.receipt is not None and (not self.first or self.confirmed.isChecked())
        self.apply_button.setEnabled(ready)

    def apply(self) -> bool:
        if self.receipt is None:
            return False
        before = self._acknowledged()
        confirmed = self.fingerprint if self.first and self.confirmed.isChecked() else None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            receipt = self._s.sync_receipts.import_receipt(self.path,
                                                           confirmed_fingerprint=confirmed)
        except ServiceError as exc:
            set_note(self.result, _refusal(exc), "error")
            grow_to_fit(self)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._show_applied(receipt, self._acknowledged() - before)
        return True

    def _acknowledged(self) -> int:
        return sum(1 for b in self._status.sent_bundles() if b.status == "diakui")

    def _show_applied(self, receipt: dict, acknowledged: int) -> None:
        waiting = sum(1 for b in self._status.sent_bundles() if b.status == "terkirim")
        lines = [f"{number_id(acknowledged)} kiriman diakui Dinas Sosial."]
        if self.first:
            lines.insert(0, f"{receipt['hub']['office_name']} sekarang dikenal komputer ini; "
                            "data dapat dikirim lewat Sinkron → Kirim Data ke Dinas Sosial.")
        if waiting:
            lines.append(f"{number_id(waiting)} kiriman masih menunggu tanda terima.")
        notices = applied_text(receipt.get("applied", {}).get("link_notices"))
        if notices:
            lines.append(notices)
        rejected = receipt.get("rejected", [])
        if rejected:
            lines.append(f"Dinas Sosial menolak {number_id(len(rejected))} perubahan:")
            lines += [f"  • perubahan {r['seq']}: {r['reason']}" for r in rejected[:10]]
        set_note(self.result, "\n".join(lines), "warning" if rejected else "ok")
        self.first = False
        self._show_trust(False)
        self.apply_button.setEnabled(False)
        grow_to_fit(self)


class WriteReceiptsDialog(QDialog):
    """At the Dinas Sosial: one receipt per enrolled office PC, written to a flashdisk."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self._s = services
        self.job: Job | None = None
        self.written: list[Path] = []
        self.setWindowTitle("Tulis Tanda Terima untuk Kantor")
        offices = [p for p in services.enrolment.peers()
                   if p.role == "office" and p.revoked_at is None]
        self._names = {p.office_code: p.office_name for p in offices}
        self.drive = DriveChooser()
        self.files = RowsModel(("Berkas", "Untuk"))
        self.files_view = table_view(self.files)
        self.files_view.hide()
        self.status = note()
        buttons = QDialogButtonBox()
        self.write_button = buttons.addButton("&Tulis Tanda Terima",
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.write)
        buttons.rejected.connect(self.reject)
        self.write_button.setEnabled(bool(offices))
        form = QFormLayout()
        form.addRow("&Simpan ke:", self.drive)
        layout = QVBoxLayout(self)
        layout.addWidget(note(
            f"Satu tanda terima untuk setiap komputer kantor yang terdaftar "
            f"({number_id(len(offices))} komputer). Isinya: sampai nomor berapa kiriman "
            "kantor itu sudah diterima, perubahan yang ditolak beserta alasannya, dan kunci "
            "publik Dinas Sosial. Tanda terima tidak memuat data pribadi." if offices else
            "Belum ada komputer kantor yang terdaftar. Daftarkan dulu lewat Sinkron → "
            "Daftarkan Komputer Kantor…"))
        layout.addLayout(form)
        layout.addWidget(self.files_view, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(700, 360)

    def write(self) -> None:
        folder = self.drive.folder()
        if folder is not None:
            self.write_to(folder)

    def write_to(self, folder: Path, show_dialog: bool = True) -> Job:
        receipts = self._s.sync_receipts
        self.write_button.setEnabled(False)
        self.job = Job(lambda progress, cancelled: receipts.write_receipts(folder),
                       "Menulis tanda terima…", self, show_dialog=show_dialog)
        self.job.done.connect(self._written)
        self.job.error.connect(self._failed)
        return self.job.start()

    def _written(self, paths: list[Path]) -> None:
        self.job = None
        self.written = list(paths)
        self.files.set_rows([(p.name, self._office_of(p)) for p in self.written])
        self.files_view.show()
        folder = self.written[0].parent if self.written else None
        set_note(self.status, f"{number_id(len(self.written))} tanda terima ditulis ke "
                 f"{folder or '-'}.\n" + written_text(
                     folder is not None and self.drive.is_removable(folder),
                     "kantor kecamatan"), "ok")
        self.write_button.setEnabled(True)

    def _office_of(self, path: Path) -> str:
        code = path.name.split("-receipt-")[0].removeprefix("pmks-")
        return self._names.get(code, code)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        set_note(self.status, f"Tanda terima gagal ditulis.\n{error_text(exc)}", "error")
        self.write_button.setEnabled(True)

    def reject(self) -> None:
        if self.job is None:
            super().reject()

