"""Hapus Permanen (UU PDP): what an erasure removes and keeps, its legal basis, and a typed
confirmation. Only administrators see the button that opens it (services/erasure.py)."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from pmks_desktop.domain.formatting import number_id
from pmks_desktop.domain.identity import mask_nik
from pmks_desktop.services.erasure import CONFIRMATION, ErasurePlan
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.ui.messages import show_error, show_info
from pmks_desktop.ui.sync_widgets import note

WHY = ("Penghapusan permanen memenuhi hak subjek data untuk meminta datanya dihapus (UU No. 27 "
       "Tahun 2022 tentang Pelindungan Data Pribadi). Data yang dihapus tidak dapat dipulihkan: "
       "tidak dari sampah, dan tidak juga dari kiriman flashdisk yang datang terlambat.")
SPREADS = {False: "Dinas Sosial menghapus data yang sama saat menerima kiriman berikutnya "
                  "dari kantor ini.",
           True: "Kantor kecamatan pemilik data menghapusnya saat menerima tanda terima "
                 "berikutnya dari Dinas Sosial."}


def _items(lines: list[str]) -> str:
    return "<ul style='margin: 0'>" + "".join(f"<li>{escape(t)}</li>" for t in lines) + "</ul>"


class ErasureDialog(QDialog):
    def __init__(self, service, plan: ErasurePlan, at_hub: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self._service, self._plan = service, plan
        self.setWindowTitle("Hapus Permanen Data Orang (UU PDP)")
        self.setMinimumWidth(560)
        who = plan.name + (f" \u2014 NIK {mask_nik(plan.nik)}" if plan.nik else "")
        heading = QLabel(f"<b>{escape(who)}</b>")
        gone = ["data orang ini"] + [f"{number_id(n)} {label[0].lower()}{label[1:]}"
                                     for label, n in plan.rows]
        if plan.merged:
            gone.append(f"{number_id(plan.merged)} data ganda yang sudah digabungkan ke data ini")
        kept = ["jejak audit (siapa melakukan apa, tanpa isi data)"]
        if plan.letters:
            kept.insert(0, f"{number_id(plan.letters)} surat yang sudah terbit, sebagai arsip "
                           "buku agenda surat keluar")
        kept += [f"keluarga KK {kk}, tanpa kepala keluarga sampai ditetapkan yang baru"
                 for kk in plan.families_headed]
        if plan.backups:
            kept.append(f"{number_id(plan.backups)} berkas cadangan basis data di folder "
                        "backup (dibuat sebelum pembaruan aplikasi); hapus sesuai aturan "
                        "retensi kantor")
        self.summary = note(f"<b>Yang dihapus:</b>{_items(gone)}<b>Yang tetap disimpan:</b>"
                            f"{_items(kept)}", rich=True)
        self.reason = QPlainTextEdit()
        # The reason travels with the erasure and stays in the audit trail: no name, no NIK.
        self.reason.setPlaceholderText("mis. surat permohonan penghapusan dari yang bersangkutan "
                                       "tanggal 27 Juli 2024, nomor agenda ... (tanpa nama "
                                       "atau NIK)")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(70)
        self.confirmation = QLineEdit()
        self.confirmation.setPlaceholderText(CONFIRMATION)
        form = QFormLayout()
        form.addRow("&Dasar penghapusan:", self.reason)
        form.addRow(f"Ketik {CONFIRMATION}:", self.confirmation)
        self.buttons = QDialogButtonBox()
        self.erase_button = self.buttons.addButton("&Hapus Permanen",
                                                   QDialogButtonBox.ButtonRole.DestructiveRole)
        cancel = self.buttons.addButton("Batal", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)  # Enter never erases
        self.erase_button.setAutoDefault(False)
        self.erase_button.setEnabled(False)
        self.erase_button.clicked.connect(self.erase)
        self.buttons.rejected.connect(self.reject)
        self.confirmation.textChanged.connect(self._update)
        self.reason.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note(WHY, "warning"))
        layout.addWidget(self.summary)
        layout.addWidget(note(SPREADS[at_hub]))
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    def _update(self) -> None:
        self.erase_button.setEnabled(self.confirmation.text().strip() == CONFIRMATION
                                     and bool(self.reason.toPlainText().strip()))

    def erase(self) -> None:
        try:
            self._service.erase(self._plan.person_id, reason=self.reason.toPlainText(),
                                confirmation=self.confirmation.text())
        except ServiceError as exc:
            show_error(self, exc)
            return
        show_info(self, f"Data {self._plan.name} telah dihapus permanen.")
        self.accept()
