"""Sign-in at start-up. The service checks the password and writes login / login_failed."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout)

from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.session import Actor
from pmks_desktop.services.users import UserService
from pmks_desktop.ui.form_fields import ERROR_STYLE

APP_NAME = "PMKS Desktop"


class LoginDialog(QDialog):
    def __init__(self, users: UserService, office_title: str, parent=None):
        super().__init__(parent)
        self._users = users
        self.actor: Actor | None = None
        self.setWindowTitle(f"Masuk \u2013 {APP_NAME}")
        self.setMinimumWidth(420)
        heading = QLabel(APP_NAME)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        office = QLabel(office_title, wordWrap=True)
        self.username = QLineEdit()
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Nama pengguna:", self.username)
        form.addRow("&Kata sandi:", self.password)
        buttons = QDialogButtonBox()
        self.sign_in_button = buttons.addButton("&Masuk", QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = buttons.addButton("Kelua&r", QDialogButtonBox.ButtonRole.RejectRole)
        self.sign_in_button.setDefault(True)  # Enter in either field signs in
        buttons.accepted.connect(self.sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(office)
        layout.addSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addSpacing(6)
        layout.addWidget(buttons)
        self.username.setFocus()

    def sign_in(self) -> None:
        if not self.username.text().strip():
            self._refuse("Isi nama pengguna terlebih dahulu.", self.username)
            return
        if not self.password.text():
            self._refuse("Isi kata sandi terlebih dahulu.", self.password)
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # Argon2 takes a moment
        try:
            self.actor = self._users.authenticate(self.username.text(), self.password.text())
        except ServiceError as exc:
            self._refuse(exc.message, self.password)
            self.password.clear()
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.accept()

    def _refuse(self, message: str, focus: QLineEdit) -> None:
        self.error.setText(message)
        self.error.show()
        focus.setFocus()
