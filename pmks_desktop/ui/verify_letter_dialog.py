"""Periksa Keaslian Surat: check a letter's QR code offline, and trade public keys with other
offices so their letters can be checked too.

A USB QR scanner is a keyboard to the computer: it types the code into the focused box and ends
with Enter, which presses "Periksa" (the dialog's default button). After each check the code is
selected, so the next scan replaces it. The signature check and every refusal are the
services' (LetterRegister.verify, KeyExchange); this window only shows their answer.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (QDialog, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QVBoxLayout)

from pmks_desktop.domain.roles import MANAGE_OFFICE
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.sync.keys import grouped
from pmks_desktop.ui.form_fields import HINT_STYLE, grow_to_fit
from pmks_desktop.ui.messages import call_service, confirm, show_error, show_info
from pmks_desktop.ui.verify_result import VerifyResultPanel

INTRO = ("Arahkan pemindai QR (scanner USB) ke kode QR pada surat: kodenya terketik sendiri di "
         "kotak <b>Kode verifikasi</b> dan langsung diperiksa. Tanpa pemindai, salin teks "
         "kodenya, tempelkan di kotak itu (Ctrl+V), lalu tekan Enter.")
MATCH_NOTE = ("Isi NIK dan nama untuk mencocokkan dengan surat yang dipegang (boleh "
              "dikosongkan).")
KEYS_NOTE = ("Surat dari kantor lain hanya dapat diperiksa setelah kunci publik kantor itu "
             "diimpor. Berikan berkas kunci publik kantor ini, beserta lembar cetak sidik "
             "kuncinya, kepada kantor yang perlu memeriksa surat Anda.")
PURPOSES = {"sign": "tanda tangan surat", "box": "penyandian kiriman data"}
NO_RIGHT = "Hanya peran yang berwenang mengubah pengaturan kantor (Administrator)."


def fingerprint_lines(keys: list[dict]) -> str:
    """One key a line, '9F2A 11C0 …  (tanda tangan surat)', as the other office prints it."""
    return "\n".join(f"{grouped(k['key_id'])}  ({PURPOSES.get(k['purpose'], k['purpose'])}"
                     f"{'; tidak dipakai lagi' if k.get('retired') else ''})" for k in keys)


class VerifyLetterDialog(QDialog):
    def __init__(self, services, parent=None):
        super().__init__(parent)
        self._register = services.letter_register
        self._exchange = services.key_exchange
        self._keyring = services.keyring
        self._may_manage = services.session.allows(MANAGE_OFFICE)
        self.setWindowTitle("Periksa Keaslian Surat")
        self.setMinimumWidth(640)
        self.result_panel = VerifyResultPanel(self)
        # Room for the longest answer from the start: a window that grows with each scan
        # would push the buttons away from under the mouse.
        self.result_panel.setMinimumHeight(self.fontMetrics().lineSpacing() * 13)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(INTRO, wordWrap=True))
        layout.addLayout(self._build_inputs())
        layout.addWidget(self.result_panel, 1)
        layout.addWidget(self._build_keys())
        layout.addLayout(self._build_bottom())
        self.code.setFocus()

    # ------------------------------------------------------------- building

    def _build_inputs(self) -> QFormLayout:
        self.code = QLineEdit(objectName="code", clearButtonEnabled=True,
                              placeholderText="Pindai kode QR atau tempel teksnya di sini")
        # Spaces allowed (a NIK is often written 3604 0552 …); they are dropped before checking.
        self.nik = QLineEdit(objectName="nik", maxLength=19, placeholderText="16 angka")
        self.nik.setValidator(QRegularExpressionValidator(r"[0-9 ]{0,19}", self.nik))
        self.name = QLineEdit(objectName="name", placeholderText="Nama seperti tertulis di surat")
        self.check_button = QPushButton("&Periksa", objectName="check_button")
        self.check_button.setDefault(True)  # a scanner's closing Enter presses it
        self.check_button.clicked.connect(lambda: self.verify(self.code.text(), self.nik.text(),
                                                              self.name.text()))
        code_row = QHBoxLayout()
        code_row.addWidget(self.code, 1)
        code_row.addWidget(self.check_button)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, widget in (("&Kode verifikasi:", self.code), ("&NIK:", self.nik),
                             ("N&ama:", self.name)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, code_row if widget is self.code else widget)
        form.addRow("", QLabel(MATCH_NOTE, styleSheet=HINT_STYLE, wordWrap=True))
        return form

    def _build_keys(self) -> QGroupBox:
        group = QGroupBox("Kunci publik")
        self.own_keys = QLabel(objectName="own_keys")
        self.own_keys.setStyleSheet("font-family: monospace;")
        self.own_keys.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._show_own_keys()
        self.export_button = QPushButton("Ekspor Kunci Publik Kantor &Ini…",
                                         objectName="export_key_button", autoDefault=False)
        self.import_button = QPushButton("I&mpor Kunci Publik Kantor Lain…",
                                         objectName="import_key_button", autoDefault=False)
        self.export_button.clicked.connect(self.export_dialog)
        self.import_button.clicked.connect(self.import_dialog)
        for button in (self.export_button, self.import_button):
            button.setEnabled(self._may_manage)
            button.setToolTip("" if self._may_manage else NO_RIGHT)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        box = QVBoxLayout(group)
        box.addWidget(QLabel(KEYS_NOTE, wordWrap=True, styleSheet=HINT_STYLE))
        box.addWidget(QLabel("Sidik kunci kantor ini:"))
        box.addWidget(self.own_keys)
        box.addLayout(buttons)
        return group

    def _build_bottom(self) -> QHBoxLayout:
        close = QPushButton("Tutup", objectName="close_button", autoDefault=False)
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        return row

    def _show_own_keys(self) -> None:
        try:
            # All of them, retired ones too: the exported file carries every one, and the
            # other office compares each fingerprint in it with this list.
            keys = [{"key_id": k.key_id, "purpose": k.purpose, "retired": bool(k.retired_at)}
                    for k in self._keyring.own_keys()]
        except ServiceError as exc:
            self.own_keys.setText(exc.message)
            return
        self.own_keys.setText(fingerprint_lines(keys) or "Kantor ini belum memiliki kunci.")

    def showEvent(self, event) -> None:
        super().showEvent(event)
        grow_to_fit(self)  # Qt sizes the window before asking wrapped labels how tall they are

    # ------------------------------------------------------------- verifying

    def verify(self, code: str, nik: str = "", name: str = ""):
        """Check one code and show the answer; returns the service's Verification."""
        code = code.strip()
        if not code:
            self.result_panel.show_hint("Kode verifikasi masih kosong. Pindai kode QR pada "
                                        "surat atau tempel teksnya.")
            self.code.setFocus()
            return None
        nik, name = nik.replace(" ", ""), name.strip()
        result = self._register.verify(code, nik, name)
        self.result_panel.show_result(result, bool(nik), bool(name))
        grow_to_fit(self)
        self.code.setFocus()
        # Selected, so the next scan replaces this code instead of appending to it; selected
        # backwards, so the box shows the start of the code (office and number), not its end.
        self.code.setSelection(len(self.code.text()), -len(self.code.text()))
        return result

    # ------------------------------------------------------------- keys

    def _documents(self) -> str:
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

    def import_dialog(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Impor Kunci Publik Kantor Lain",
                                                self._documents(),
                                                "Berkas kunci publik (*.json)")
        if chosen:
            self.import_key_file(Path(chosen), confirmed=None)

    def import_key_file(self, path: Path, confirmed: bool | None = None) -> list[str] | None:
        """Show whose keys the file holds; trust them once the user compared the fingerprints.

        confirmed=None asks; True means the user already compared them (tests, callers that
        asked themselves); False only reads the file. Returns the imported fingerprints.
        """
        try:
            data = self._exchange.read(Path(path))
        except ServiceError as exc:
            show_error(self, exc, "Impor kunci publik")
            return None
        office = data.get("office_name") or data["office_code"]
        if confirmed is None:
            confirmed = confirm(
                self, f"Berkas ini berisi kunci publik <b>{escape(office)}</b> "
                      f"({escape(data['office_code'])}).<br><br>Cocokkan sidik kunci berikut "
                      "dengan lembar dari kantor tersebut:"
                      f"<pre>{escape(fingerprint_lines(data['keys']))}</pre>"
                      "Percayai kunci ini hanya bila semuanya sama persis.",
                "Impor Kunci Publik", yes="Sama, Percayai Kunci Ini", no="Batal")
        if not confirmed:
            return None
        imported: list[list[str]] = []
        if not call_service(self, lambda: imported.append(self._exchange.import_public(
                Path(path)))):
            return None
        show_info(self, f"Kunci publik {office} sudah diimpor. Surat dari kantor tersebut "
                        "kini dapat diperiksa di komputer ini.", "Impor kunci publik")
        if self.code.text().strip():  # the code that needed this key can be judged now
            self.verify(self.code.text(), self.nik.text(), self.name.text())
        return imported[0]

    def export_dialog(self) -> None:
        default = Path(self._documents()) / "kunci-publik-pmks.json"
        chosen, _ = QFileDialog.getSaveFileName(self, "Ekspor Kunci Publik Kantor Ini",
                                                str(default), "Berkas kunci publik (*.json)")
        if chosen:
            path = Path(chosen)
            self.export_key_file(path if path.suffix.lower() == ".json"
                                 else path.with_name(path.name + ".json"))

    def export_key_file(self, path: Path) -> Path | None:
        try:
            written = self._exchange.export_public(Path(path))
        except ServiceError as exc:
            show_error(self, exc, "Ekspor kunci publik")
            return None
        except OSError as exc:
            show_error(self, f"Berkas {path} tidak dapat ditulis ({exc.strerror or exc}).",
                       "Ekspor kunci publik")
            return None
        show_info(self, f"Kunci publik kantor ini sudah disimpan ke:\n{path}\n\nSerahkan "
                        "berkas ini bersama lembar cetak sidik kunci berikut, agar kantor "
                        f"penerima dapat mencocokkannya:\n{self.own_keys.text()}",
                  "Ekspor kunci publik")
        return written
