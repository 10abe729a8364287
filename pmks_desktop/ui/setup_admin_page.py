"""The set-up wizard's last input page: the first administrator account."""
from __future__ import annotations


from PySide6.QtWidgets import (QGroupBox, QLineEdit, QVBoxLayout)

from pmks_desktop.services.errors import Issue
from pmks_desktop.services.users import MIN_PASSWORD_LENGTH, NewUser, validate_new_user
from pmks_desktop.ui.setup_pages import SetupPage, error_label, form_layout, hint_label


class AdminPage(SetupPage):
    fields = ("username", "full_name", "role", "password", "password_confirm")

    def __init__(self):
        super().__init__("Akun Administrator",
                         "Akun pertama untuk masuk ke aplikasi. Administrator dapat membuat akun "
                         "operator dan mengubah pengaturan kantor.")
        self.username = QLineEdit("admin")
        self.full_name = QLineEdit(placeholderText="Nama petugas pemegang akun")
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(f"Minimal {MIN_PASSWORD_LENGTH} karakter")
        self.confirm = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.mismatch = error_label()
        self.password.textChanged.connect(self._check_confirm)
        self.confirm.textChanged.connect(self._check_confirm)
        box = QGroupBox("Akun administrator")
        form = form_layout(box)
        form.addRow("&Nama pengguna:", self.username)
        form.addRow("", hint_label("Huruf kecil, angka, titik, garis bawah atau tanda hubung."))
        form.addRow("Nama lengka&p:", self.full_name)
        form.addRow("Kata s&andi:", self.password)
        form.addRow("&Ulangi kata sandi:", self.confirm)
        form.addRow("", self.mismatch)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch()
        layout.addWidget(self.errors)
        self.focus_for = {"username": self.username, "full_name": self.full_name,
                          "password": self.password, "password_confirm": self.confirm}

    def validatePage(self) -> bool:
        # A mismatch is already shown under the second password field; do not repeat it below.
        issues = self.issues()
        self._check_confirm()
        self.show_messages([i.message for i in issues if i.field != "password_confirm"])
        if issues:
            self.focus_for[issues[0].field].setFocus()
        return not issues

    def new_user(self) -> NewUser:
        # Sign-in lower-cases the name, so the account is stored that way too.
        return NewUser(self.username.text().strip().lower(), self.full_name.text(),
                       "administrator", self.password.text(), True)

    def issues(self) -> list[Issue]:
        issues = validate_new_user(self.new_user())
        if self.password.text() != self.confirm.text():
            issues.append(Issue("password_confirm", self._mismatch_text()))
        return issues

    def _mismatch_text(self) -> str:
        return "Ulangan kata sandi belum sama dengan kata sandi."

    def _check_confirm(self) -> None:
        wrong = bool(self.confirm.text()) and self.confirm.text() != self.password.text()
        self.mismatch.setText(self._mismatch_text() if wrong else "")
        self.mismatch.setVisible(wrong)
