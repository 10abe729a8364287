"""Enrolment, in person: this computer's enrolment file and signed sheet (OwnEnrolmentDialog, at
an office and at the Dinas Sosial), and at the Dinas Sosial the enrolment of an office PC after
its fingerprints were compared by eye with the sheet the Camat signed (EnrolOfficeDialog)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QLabel, QPushButton, QVBoxLayout, QWidget)

from pmks_desktop.services.enrolment import parse_enrolment
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.sync_sheets import SyncSheets
from pmks_desktop.ui.messages import show_error
from pmks_desktop.ui.sync_widgets import (escape, fingerprint_label, first_folder, grow_to_fit,
                                          moment_text, note, set_note, show_pdf)

OFFICE_STEPS = ("Simpan berkas enrolmen ke flashdisk dan cetak lembar enrolmennya. Lembar itu "
                "ditandatangani Camat, lalu keduanya dibawa ke Dinas Sosial. Petugas Dinas "
                "membandingkan sidik kunci di layarnya dengan lembar ini sebelum mendaftarkan "
                "komputer ini.")
HUB_STEPS = ("Cetak lembar enrolmen Dinas Sosial ini, tanda tangani, dan serahkan ke setiap "
             "kantor kecamatan. Saat kantor mengimpor tanda terima pertama dari Dinas, sidik "
             "kunci tanda tangan di layar kantor dicocokkan dengan lembar ini.")
CONFIRM_TEXT = "Sidik kunci &sama dengan lembar yang ditandatangani Camat"


def _identity_form(form: QFormLayout, enrolment) -> None:
    sign_fp, box_fp = enrolment.fingerprints
    node = QLabel(enrolment.node_id)
    node.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    form.addRow("Kantor:", QLabel(f"<b>{escape(enrolment.office_name)}</b> "
                                  f"(kode wilayah {escape(enrolment.office_code)})"))
    form.addRow("ID komputer:", node)
    for text, fingerprint in (("Sidik kunci tanda tangan:", sign_fp),
                              ("Sidik kunci penyandian:", box_fp)):
        shown = fingerprint_label(fingerprint)
        label = QLabel(text)  # centred on the big fingerprint beside it
        label.setMinimumHeight(shown.sizeHint().height())
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(label, shown)


class OwnEnrolmentDialog(QDialog):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self._s = services
        self._sheets = SyncSheets(services.office, services.letter_settings)
        self.enrolment = services.enrolment.own()
        self.preview_dialog = None
        hub = self.enrolment.role == "hub"
        self.setWindowTitle("Berkas Enrolmen Dinas" if hub else "Berkas Enrolmen Komputer Ini")
        form = QFormLayout()
        _identity_form(form, self.enrolment)
        self.status = note()
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Simpan Berkas Enrolmen…")
        self.print_button = QPushButton("&Cetak Lembar Enrolmen…")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.choose_target)
        self.print_button.clicked.connect(self.print_sheet)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note(HUB_STEPS if hub else OFFICE_STEPS))
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch()
        layout.addWidget(buttons)
        self.save_button.setDefault(True)
        self.save_button.setVisible(not hub)  # the hub's keys travel in its receipts
        self.resize(660, 320)
        grow_to_fit(self)

    def default_name(self) -> str:
        return f"enrolmen-{self.enrolment.office_code}-{self.enrolment.node_id[:8]}.json"

    def choose_target(self) -> None:
        start = str(Path(first_folder()) / self.default_name())
        name, _ = QFileDialog.getSaveFileName(self, "Simpan Berkas Enrolmen", start,
                                              "Berkas enrolmen (*.json)")
        if name:
            self.save_to(Path(name if name.endswith(".json") else name + ".json"))

    def save_to(self, target: Path) -> Path | None:
        try:
            path = self._s.enrolment.export_file(target)
        except (ServiceError, OSError) as exc:
            text = getattr(exc, "message", None) or getattr(exc, "strerror", None) or str(exc)
            set_note(self.status, f"Berkas enrolmen tidak dapat disimpan: {text}", "error")
            grow_to_fit(self)
            return None
        set_note(self.status, f"Berkas enrolmen disimpan ke {path}.", "ok")
        grow_to_fit(self)
        return path

    def enrolment_sheet_pdf(self) -> bytes:
        return self._sheets.pdf(self._sheets.enrolment_sheet(self.enrolment))

    def print_sheet(self) -> None:
        try:
            pdf = self.enrolment_sheet_pdf()
        except ServiceError as exc:
            show_error(self, exc)
            return
        self.preview_dialog = show_pdf(self, pdf, "Lembar Enrolmen Komputer",
                                       self.default_name().replace(".json", ".pdf"))


class EnrolOfficeDialog(QDialog):
    """At the Dinas Sosial: enrol an office PC from its enrolment file."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self._s = services
        self.path: Path | None = None
        self.enrolment = None
        self.enrolled = None
        self.setWindowTitle("Daftarkan Komputer Kantor")
        self.file_label = QLabel("Belum ada berkas yang dipilih.", wordWrap=True)
        self.details = QWidget()
        self.details_form = QFormLayout(self.details)
        self.details_form.setContentsMargins(0, 0, 0, 0)
        self.known = note(kind="warning")
        self.compare = note("Bandingkan kedua sidik kunci di atas, kelompok demi kelompok, "
                            "dengan lembar enrolmen yang ditandatangani Camat. Jika ada satu "
                            "huruf pun yang berbeda, jangan daftarkan komputer ini.", "warning")
        self.confirmed = QCheckBox(CONFIRM_TEXT)
        self.confirmed.toggled.connect(self._update_button)
        self.status = note()
        self._lay_out()
        self._show_details(False)
        self.resize(680, 260)

    def _lay_out(self) -> None:
        choose = QPushButton("&Pilih Berkas Enrolmen…")
        choose.clicked.connect(self.choose_file)
        buttons = QDialogButtonBox()
        self.enrol_button = buttons.addButton("&Daftarkan",
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        self.enrol_button.setEnabled(False)
        buttons.accepted.connect(self.register)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note("Kantor kecamatan membawa berkas enrolmen (di flashdisk) dan "
                              "lembar enrolmen yang ditandatangani Camat."))
        layout.addWidget(choose, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.file_label)
        for widget in (self.details, self.known, self.compare, self.confirmed, self.status):
            layout.addWidget(widget)
        layout.addStretch()
        layout.addWidget(buttons)
        choose.setFocus()

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Pilih Berkas Enrolmen", first_folder(),
                                              "Berkas enrolmen (*.json);;Semua berkas (*)")
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> bool:
        """Shows what the file holds (checked, not trusted yet)."""
        self.path, self.enrolment, self.enrolled = Path(path), None, None
        self.file_label.setText(f"Berkas: {self.path.name}")
        set_note(self.status, "")
        try:
            self.enrolment = parse_enrolment(self.path)
        except ServiceError as exc:
            self._show_details(False)
            set_note(self.status, exc.message, "error")
            grow_to_fit(self)
            return False
        while self.details_form.rowCount():
            self.details_form.removeRow(0)
        _identity_form(self.details_form, self.enrolment)
        self._show_details(True)
        grow_to_fit(self)
        return True

    def _show_details(self, shown: bool) -> None:
        for widget in (self.details, self.compare, self.confirmed):
            widget.setVisible(shown)
        self.confirmed.setChecked(False)
        set_note(self.known, self._known_text() if shown else "", "warning")
        self._update_button()

    def _known_text(self) -> str:
        peer = next((p for p in self._s.enrolment.peers()
                     if p.node_id == self.enrolment.node_id), None)
        if peer is None:
            return ""
        if peer.revoked_at is not None:
            return (f"Komputer ini pernah terdaftar; pendaftarannya dicabut "
                    f"{moment_text(peer.revoked_at)} ({peer.revoked_reason or 'tanpa alasan'}). "
                    "Mendaftarkannya lagi memulihkan pendaftaran itu.")
        return f"Komputer ini sudah terdaftar sejak {moment_text(peer.enrolled_at)}."

    def _update_button(self) -> None:
        self.enrol_button.setEnabled(self.enrolment is not None and self.enrolled is None
                                     and self.confirmed.isChecked())

    def register(self) -> bool:
        if self.enrolment is None:
            return False
        if not self.confirmed.isChecked():
            set_note(self.status, "Cocokkan dulu sidik kunci dengan lembar enrolmen yang "
                     "ditandatangani Camat, lalu centang kotak persetujuannya.", "error")
            grow_to_fit(self)
            return False
        try:
            self.enrolled = self._s.enrolment.enrol(self.path)
        except ServiceError as exc:
            set_note(self.status, exc.message, "error")
            grow_to_fit(self)
            return False
        set_note(self.status, f"{self.enrolled.office_name} terdaftar. Langkah berikutnya: "
                 "tulis tanda terima untuk kantor ini (Sinkron → Tulis Tanda Terima untuk "
                 "Kantor…) dan serahkan bersama lembar enrolmen Dinas Sosial.", "ok")
        self._update_button()
        grow_to_fit(self)
        return True
