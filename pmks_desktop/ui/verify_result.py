"""The answer panel of Periksa Keaslian Surat: one big verdict a clerk can read at arm's
length, the service's reason, what the code says (number, date, office) and the extra checks.

The verdict is green "SAH" only when nothing speaks against the letter. A genuine signature on a
letter this office voided, or held by someone whose NIK/name do not match, gets an amber verdict
that still says SAH but names the problem: green there would invite accepting the letter.
"""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout

from pmks_desktop.domain.formatting import long_date
from pmks_desktop.services.letter_register import Verification
from pmks_desktop.ui.form_fields import ERROR_COLOR, WARNING_COLOR

OK_COLOR = "#1e7b34"
VALID, INVALID = "✔ SAH", "✘ TIDAK SAH"
VOIDED, MISMATCH = "⚠ SAH, TETAPI DIBATALKAN", "⚠ SAH, TETAPI IDENTITAS TIDAK COCOK"
EMPTY = "Belum ada kode yang diperiksa."


def _line(color: str, text: str) -> str:
    return f'<span style="color:{color}">{escape(text)}</span>'


def _without_verdict(message: str) -> str:
    """The service starts some messages with 'SAH:'/'TIDAK SAH:'; the heading already says it."""
    for prefix in ("TIDAK SAH:", "SAH:"):
        if message.startswith(prefix):
            message = message[len(prefix):].strip()
            return message[:1].upper() + message[1:]
    return message


def verdict(result: Verification) -> tuple[str, str]:
    """(heading, colour) for a verification result."""
    if not result.valid:
        return INVALID, ERROR_COLOR
    if result.on_register is False:
        return VOIDED, WARNING_COLOR
    if result.subject_matches is False:
        return MISMATCH, WARNING_COLOR
    return VALID, OK_COLOR


def check_lines(result: Verification, nik_given: bool, name_given: bool) -> list[str]:
    """The extra checks as coloured lines (rich text)."""
    lines = []
    if result.subject_matches is True:
        lines.append(_line(OK_COLOR, "✔ NIK dan nama yang diisi cocok dengan surat ini."))
    elif result.subject_matches is False:
        lines.append(_line(ERROR_COLOR, "✘ NIK atau nama yang diisi TIDAK COCOK dengan surat "
                                        "ini. Periksa identitas pemegang surat."))
        if nik_given != name_given:
            lines.append(escape("Bila surat memuat NIK, isi NIK dan nama keduanya persis seperti "
                                "tertulis di surat."))
    if result.on_register is False:
        lines.append(_line(ERROR_COLOR, "✘ Surat ini tercatat BATAL di buku agenda kantor ini; "
                                        "surat tidak berlaku lagi."))
    elif result.on_register is True:
        lines.append(_line(OK_COLOR, "✔ Tercatat di buku agenda kantor ini dan tidak "
                                     "dibatalkan."))
    elif result.valid:
        lines.append(escape("Surat kantor lain: status pembatalannya hanya dapat dipastikan "
                            "di buku agenda kantor penerbit."))
    return lines


class VerifyResultPanel(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent, frameShape=QFrame.Shape.StyledPanel)
        self.verdict = QLabel(objectName="verdict")
        font = self.verdict.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.verdict.setFont(font)
        self.message = QLabel(objectName="message", wordWrap=True)
        self.number, self.date, self.office = (QLabel(objectName=n) for n in
                                               ("number", "letter_date", "office"))
        self.checks = QLabel(objectName="checks", wordWrap=True)
        self.details = QFormLayout()
        for text, label in (("Nomor surat:", self.number), ("Tanggal surat:", self.date),
                            ("Kantor penerbit:", self.office)):
            self.details.addRow(text, label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.message)
        layout.addLayout(self.details)
        layout.addWidget(self.checks)
        layout.addStretch(1)
        self.show_hint(EMPTY)

    def _set_details(self, result: Verification | None) -> None:
        values = (result.number, long_date(result.letter_date) if result.letter_date else "",
                  self._office_text(result)) if result else ("", "", "")
        for row, (label, value) in enumerate(zip((self.number, self.date, self.office), values)):
            label.setText(value)
            self.details.setRowVisible(row, bool(value))

    @staticmethod
    def _office_text(result: Verification) -> str:
        name = result.office_name
        if not name and not result.office_code:
            return ""
        if name == "kantor ini":  # the service's word for our own key
            name = "Kantor ini"
        return f"{name} ({result.office_code})" if name and result.office_code else \
            name or result.office_code

    def show_hint(self, text: str) -> None:
        self.verdict.clear()
        self.verdict.hide()
        self.message.setText(text)
        self._set_details(None)
        self.checks.clear()
        self.checks.hide()

    def show_result(self, result: Verification, nik_given: bool = False,
                    name_given: bool = False) -> None:
        heading, color = verdict(result)
        self.verdict.setText(heading)
        self.verdict.setStyleSheet(f"color: {color};")
        self.verdict.show()
        self.message.setText(self._message(result))
        self._set_details(result)
        lines = check_lines(result, nik_given, name_given)
        self.checks.setText("<br>".join(lines))
        self.checks.setVisible(bool(lines))

    @staticmethod
    def _message(result: Verification) -> str:
        if result.valid:
            # Our words, not the service's: its message repeats the number and writes the date
            # as 28-11-2026, while the lines below give both in full.
            return ("Kode verifikasi cocok dengan tanda tangan elektronik kantor penerbit; "
                    "isi kode tidak diubah.")
        return _without_verdict(result.message)
