"""Password dialogs, and the small form base that shows validation messages inline.

A message box that lists what is wrong disappears as soon as the user starts fixing it; a red
line under the field stays where the eye is, so every account form here builds on InlineForm.
"""
from __future__ import annotations

from html import escape
from typing import Callable

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from pmks_desktop.services.errors import Issue, ServiceError, ValidationFailed
from pmks_desktop.services.users import MIN_PASSWORD_LENGTH, UserService, password_issues
from pmks_desktop.ui.form_fields import ERROR_STYLE
from pmks_desktop.ui.messages import show_info

FORM_MIN_WIDTH = 460
MISMATCH = "Konfirmasi kata sandi tidak sama dengan kata sandi yang diketik di atasnya."
PASSWORD_NOTE = f"Minimal {MIN_PASSWORD_LENGTH} karakter."


def note_label(text: str) -> QLabel:
    """A quiet explanatory line under a field."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class InlineForm(QDialog):
    """A form dialog: fields with their error line, a line for refusals, Simpan/Batal.

    Subclasses add fields with add_field() and implement submit(), returning True when the
    work is done; the dialog then closes. Fields and error lines carry object names (the
    field name, and the field name + '_error'), which the tests use to find them.
    """

    def __init__(self, title: str, parent=None, ok_text: str = "Simpan"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(FORM_MIN_WIDTH)
        self._fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._notes: dict[str, QLabel] = {}
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._general = self._error_label("general_error")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Batal")
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        layout.addWidget(self._general)
        layout.addStretch(1)
        layout.addSpacing(6)
        layout.addWidget(buttons)

    def add_intro(self, text: str) -> None:
        label = QLabel(text)
        label.setWordWrap(True)
        self._form.addRow(label)

    def add_field(self, name: str, label: str, widget: QWidget, note: str | None = None,
                  note_widget: QLabel | None = None) -> QWidget:
        """One row: the widget, an optional explanation under it, then its error line."""
        widget.setObjectName(name)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if note_widget is None and note:
            note_widget = note_label(note)
        if note_widget is not None:
            column.addWidget(note_widget)
            self._notes[name] = note_widget
        self._errors[name] = self._error_label(f"{name}_error")
        column.addWidget(self._errors[name])
        box.setFocusProxy(widget)  # so the label's Alt+letter lands in the field itself
        self._form.addRow(label, box)
        self._fields[name] = widget
        return widget

    def _error_label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet(ERROR_STYLE)
        label.hide()
        return label

    # ------------------------------------------------------------- messages

    def clear_errors(self) -> None:
        for label in (*self._errors.values(), self._general):
            label.clear()
            label.hide()
        for note in self._notes.values():
            note.show()

    def show_issues(self, issues: list[Issue]) -> None:
        """Each message under its field (unknown fields in the general line); focus the first."""
        first = None
        for issue in issues:
            label = self._errors.get(issue.field, self._general)
            text = label.text()
            label.setText(f"{text}\n{issue.message}" if text else issue.message)
            label.show()
            if note := self._notes.get(issue.field):
                note.hide()  # the error restates the rule; showing both reads as a stutter
            first = first or self._fields.get(issue.field)
        self.fit_height()
        if first is not None:
            first.setFocus()

    def fit_height(self) -> None:
        """Grow to fit the wrapped notes and errors at the current width.

        Qt sizes a new window from its width hint, but caps that width (to 2/3 of a small
        screen) without asking the wrapped labels how tall they then become, so they overlap.
        """
        layout = self.layout()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() \
            else layout.totalSizeHint().height()
        if needed > self.height():
            self.resize(self.width(), needed)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit_height()

    def show_refusal(self, message: str, field: str | None = None) -> None:
        self.show_issues([Issue(field or "", message)])

    def attempt(self, action: Callable[[], object], refusal_field: str | None = None) -> bool:
        """Run a service call; its refusal becomes an inline message instead of an exception."""
        try:
            action()
        except ValidationFailed as exc:
            self.show_issues(exc.issues)
            return False
        except ServiceError as exc:
            self.show_refusal(exc.message, refusal_field)
            return False
        return True

    def _on_ok(self) -> None:
        self.clear_errors()
        if self.submit():
            self.accept()



def new_password_issues(password: str, confirmation: str) -> list[Issue]:
    """Checks before anything is sent: the service's length rule and a matching confirmation."""
    issues = password_issues(password)
    if password != confirmation:
        issues.append(Issue("confirm", MISMATCH))
    return issues


class ChangePasswordDialog(InlineForm):
    """The signed-in user changes their own password (old one required)."""

    def __init__(self, users: UserService, parent=None):
        super().__init__("Ganti Kata Sandi", parent)
        self._users = users
        self._old = self.add_field("old", "Kata sandi &lama:", password_edit())
        self._new = self.add_field("password", "Kata sandi &baru:", password_edit(),
                                   PASSWORD_NOTE)
        self._confirm = self.add_field("confirm", "&Ulangi kata sandi baru:", password_edit())

    def submit(self) -> bool:
        old, new = self._old.text(), self._new.text()
        if issues := new_password_issues(new, self._confirm.text()):
            self.show_issues(issues)
            return False
        if not self.attempt(lambda: self._users.change_own_password(old, new),
                            refusal_field="old"):
            return False
        show_info(self, "Kata sandi Anda sudah diganti. Gunakan kata sandi baru saat masuk "
                        "berikutnya.")
        return True


class ResetPasswordDialog(InlineForm):
    """An administrator sets a new password for someone who forgot theirs."""

    def __init__(self, users: UserService, username: str, full_name: str, parent=None):
        super().__init__("Atur Ulang Kata Sandi", parent)
        self._users = users
        self._username = username
        who = f"<b>{escape(full_name)}</b> ({escape(username)})"
        self.add_intro(f"Kata sandi baru untuk {who}. "
                       "Sampaikan langsung kepada yang bersangkutan, lalu mintalah ia "
                       "menggantinya setelah masuk.")
        self._new = self.add_field("password", "Kata sandi &baru:", password_edit(),
                                   PASSWORD_NOTE)
        self._confirm = self.add_field("confirm", "&Ulangi kata sandi baru:", password_edit())

    def submit(self) -> bool:
        new = self._new.text()
        if issues := new_password_issues(new, self._confirm.text()):
            self.show_issues(issues)
            return False
        return self.attempt(lambda: self._users.update(self._username, password=new))

