"""Pengguna: the administrator's list of accounts, and the forms to add and change them.

Every decision (who may manage accounts, the last active administrator) is the service's; this
module only shows its answer. A user without the right sees the refusal in place of the list.
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog,
                               QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QTableView, QVBoxLayout)

from pmks_desktop.domain.roles import (MANAGE_OFFICE, MANAGE_USERS, PERMISSION_LABELS,
                                       ROLE_LABELS, ROLE_PERMISSIONS)
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.users import NewUser, UserService, validate_new_user
from pmks_desktop.ui.password_dialog import (PASSWORD_NOTE, InlineForm, ResetPasswordDialog,
                                             new_password_issues, note_label, password_edit)
from pmks_desktop.ui.users_model import UserTableModel

if TYPE_CHECKING:  # rows come from UserService; the UI never queries storage itself
    from pmks_desktop.storage.models import User

SENSITIVE_NOTE = (
    "Mencakup jenis PMKS yang paling sensitif, misalnya orang dengan HIV/AIDS, korban "
    "kekerasan atau perdagangan orang, dan anak yang berhadapan dengan hukum. Menurut UU "
    "No. 27 Tahun 2022 tentang Pelindungan Data Pribadi, data ini termasuk data pribadi yang "
    "bersifat spesifik; berikan izin ini hanya kepada petugas yang memerlukannya.")
ACTIVE_NOTE = "Akun nonaktif tidak dapat masuk; riwayat dan data yang dicatatnya tetap tersimpan."


def _join(items: list[str]) -> str:
    """'a, b, dan c' (PUEBI: a comma before 'dan' in a list of three or more)."""
    if len(items) < 3:
        return " dan ".join(items)
    return ", ".join(items[:-1]) + ", dan " + items[-1]


def role_summary(role: str) -> str:
    """What a role may do, in one sentence, read from the same table the services check."""
    allowed = ROLE_PERMISSIONS.get(role, frozenset())
    if allowed >= set(PERMISSION_LABELS):
        # Listing all eleven rights hides the point: this role can do everything.
        extras = [PERMISSION_LABELS[MANAGE_USERS], PERMISSION_LABELS[MANAGE_OFFICE]]
        return f"Boleh melakukan semua hal, termasuk {_join(extras)}."
    labels = [label for perm, label in PERMISSION_LABELS.items() if perm in allowed]
    return f"Boleh {_join(labels)}." if labels else "Tidak memiliki hak apa pun."


def role_combo(current: str | None = None) -> QComboBox:
    combo = QComboBox()
    for code, label in ROLE_LABELS.items():
        combo.addItem(label, code)
        combo.setItemData(combo.count() - 1, role_summary(code), Qt.ItemDataRole.ToolTipRole)
    if current is not None and (index := combo.findData(current)) >= 0:
        combo.setCurrentIndex(index)
    return combo


def role_note(combo: QComboBox) -> QLabel:
    """The line under the role picker, kept in step with the choice."""
    label = note_label(role_summary(combo.currentData()))
    combo.currentIndexChanged.connect(lambda _i: label.setText(role_summary(combo.currentData())))
    return label


class AddUserDialog(InlineForm):
    def __init__(self, users: UserService, parent=None):
        super().__init__("Tambah Pengguna", parent, ok_text="Tambah")
        self._users = users
        self.username = ""  # set once the account exists, so the list can select it
        self._name = self.add_field("username", "&Nama pengguna:", QLineEdit(),
                                    "Untuk masuk: huruf kecil, angka, titik, garis bawah atau "
                                    "tanda hubung; tanpa spasi.")
        self._name.setPlaceholderText("mis. budi.santoso")
        self._full = self.add_field("full_name", "Nama &lengkap:", QLineEdit())
        role = role_combo("operator")
        self._role = self.add_field("role", "&Peran:", role, note_widget=role_note(role))
        self._sensitive = self.add_field(
            "can_view_sensitive", "Data sensitif:",
            QCheckBox("B&oleh melihat data sensitif"), SENSITIVE_NOTE)
        self._password = self.add_field("password", "&Kata sandi:", password_edit(),
                                        PASSWORD_NOTE)
        self._confirm = self.add_field("confirm", "&Ulangi kata sandi:", password_edit())

    def submit(self) -> bool:
        new = NewUser(username=self._name.text().strip().lower(),
                      full_name=self._full.text().strip(), role=self._role.currentData(),
                      password=self._password.text(),
                      can_view_sensitive=self._sensitive.isChecked())
        # Check everything at once before sending, so the user fixes all fields in one pass;
        # the service checks again (and whether the name is taken) when it writes.
        issues = validate_new_user(new)
        issues += [i for i in new_password_issues(new.password, self._confirm.text())
                   if i.field == "confirm"]
        if issues:
            self.show_issues(issues)
            return False
        if not self.attempt(lambda: self._users.create(new)):
            return False
        self.username = new.username
        return True


class EditUserDialog(InlineForm):
    """Role, sensitive-data permission and active status of one account."""

    def __init__(self, users: UserService, user: User, parent=None):
        super().__init__("Ubah Pengguna", parent)
        self._users = users
        self._user = user
        self.add_intro(f"Akun <b>{escape(user.full_name)}</b> ({escape(user.username)}).")
        role = role_combo(user.role)
        self._role = self.add_field("role", "&Peran:", role, note_widget=role_note(role))
        self._sensitive = self.add_field(
            "can_view_sensitive", "Data sensitif:",
            QCheckBox("B&oleh melihat data sensitif"), SENSITIVE_NOTE)
        self._sensitive.setChecked(user.can_view_sensitive)
        self._active = self.add_field("active", "Status:",
                                      QCheckBox("Akun &aktif (boleh masuk)"), ACTIVE_NOTE)
        self._active.setChecked(user.active)

    def changes(self) -> dict:
        """Only what the user changed, so the audit records real changes and nothing else."""
        wanted = {"role": self._role.currentData(),
                  "can_view_sensitive": self._sensitive.isChecked(),
                  "active": self._active.isChecked()}
        return {k: v for k, v in wanted.items() if getattr(self._user, k) != v}

    def submit(self) -> bool:
        changes = self.changes()
        if not changes:
            return True
        return self.attempt(lambda: self._users.update(self._user.username, **changes))


class UsersDialog(QDialog):
    def __init__(self, users: UserService, parent=None):
        super().__init__(parent)
        self._users = users
        self.setWindowTitle("Pengguna")
        self.resize(820, 420)
        self._model = UserTableModel(self)
        self._table = self._build_table()
        self._refusal = QLabel(objectName="refusal", wordWrap=True)
        self._refusal.hide()
        self._status = QLabel(objectName="status", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._refusal, 1)
        layout.addWidget(self._status)
        layout.addLayout(self._build_buttons())
        self.reload()

    @property
    def model(self) -> UserTableModel:
        return self._model

    def _build_table(self) -> QTableView:
        table = QTableView(objectName="users_table")
        table.setModel(self._model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)  # Tab moves on to the buttons, as in any form
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.doubleClicked.connect(lambda _index: self.edit_selected())
        table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        return table

    def _build_buttons(self) -> QHBoxLayout:
        self._add = QPushButton("&Tambah Pengguna…", objectName="add_button")
        self._edit = QPushButton("&Ubah…", objectName="edit_button")
        self._reset = QPushButton("Atur Ulang &Kata Sandi…", objectName="reset_button")
        self._add.clicked.connect(self.add_user)
        self._edit.clicked.connect(self.edit_selected)
        self._reset.clicked.connect(self.reset_selected)
        self._edit.setDefault(True)  # Enter on a selected row opens it, like a double-click
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self._close = close.button(QDialogButtonBox.StandardButton.Close)
        self._close.setText("Tutup")
        self._close.setAutoDefault(False)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self._add, self._edit, self._reset):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        return row

    # ------------------------------------------------------------- loading

    def reload(self, select: str | None = None) -> None:
        """Fetch the accounts again and keep (or move) the selection."""
        current = select or self._selected_username()
        try:
            users = self._users.list_users()
        except ServiceError as exc:  # PermissionDenied above all: show why, not an empty list
            self._show_refusal(exc.message)
            return
        self._model.set_users(users)
        row = max(self._model.row_of(current), 0) if current else 0
        if self._model.rowCount():
            self._table.selectionModel().setCurrentIndex(
                self._model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self._update_buttons()

    def _show_refusal(self, message: str) -> None:
        self._model.set_users([])
        self._table.hide()
        self._refusal.setText(message)
        self._refusal.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._refusal.show()
        for button in (self._add, self._edit, self._reset):
            button.hide()
        self._close.setDefault(True)  # the only thing left to do; Enter or Esc closes
        self._close.setFocus()
        self.resize(560, 200)  # a sentence needs no room sized for a table

    def _selected_username(self) -> str | None:
        user = self.selected_user()
        return user.username if user else None

    def selected_user(self) -> User | None:
        rows = self._table.selectionModel().selectedRows()
        return self._model.user_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected_user() is not None
        self._edit.setEnabled(chosen)
        self._reset.setEnabled(chosen)

    # ------------------------------------------------------------- actions

    def add_user(self) -> None:
        form = AddUserDialog(self._users, self)
        if self._run(form):
            self._say(f"Pengguna {form.username} sudah ditambahkan.")
            self.reload(select=form.username)

    def edit_selected(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        form = EditUserDialog(self._users, user, self)
        if self._run(form):
            self._say(f"Perubahan pada akun {user.username} sudah disimpan.")
            self.reload(select=user.username)

    def reset_selected(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        form = ResetPasswordDialog(self._users, user.username, user.full_name, self)
        if self._run(form):
            self._say(f"Kata sandi akun {user.username} sudah diatur ulang.")

    @staticmethod
    def _run(form: QDialog) -> bool:
        try:
            return form.exec() == QDialog.DialogCode.Accepted
        finally:
            form.deleteLater()  # the list outlives many forms; do not keep them all

    def _say(self, text: str) -> None:
        """Success is told in the status line: a box to click away after each user would nag."""
        self._status.setText(text)

