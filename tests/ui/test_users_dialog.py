"""Pengguna dialog and password dialogs, driven as a user would (offscreen)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QDialogButtonBox, QLabel,
                               QLineEdit, QPushButton, QTableView)

from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.users import NewUser
from pmks_desktop.ui.password_dialog import ChangePasswordDialog
from pmks_desktop.ui.users_dialog import EditUserDialog, UsersDialog, role_summary
from pmks_desktop.ui.users_model import UserTableModel, login_time

# tests/conftest.py's ADMIN: the services fixture signs in with it. conftest itself cannot be
# imported under --import-mode=importlib, so the pair is repeated here.
ADMIN = ("admin", "rahasia-admin-1")
OPERATOR = ("budi", "sandi-budi-01")


def open_users(qtbot, services) -> UsersDialog:
    dialog = UsersDialog(services.users)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def run_modal(button, interact) -> dict:
    """Click a button that opens a modal form; interact(form, seen) runs while it is open.

    Whatever the form shows is copied into `seen` before the form is closed (and deleted).
    """
    seen: dict = {}

    def step():
        form = QApplication.activeModalWidget()
        seen["form_type"] = type(form)
        try:
            interact(form, seen)
        finally:
            if form.isVisible():
                seen["stayed_open"] = True
                form.reject()

    QTimer.singleShot(0, step)
    button.click()
    return seen


def fill(form, **values) -> None:
    for name, value in values.items():
        widget = form.findChild(QLineEdit, name) or form.findChild(QCheckBox, name) \
            or form.findChild(QComboBox, name)
        if isinstance(widget, QLineEdit):
            widget.setText(value)
        elif isinstance(widget, QCheckBox):
            widget.setChecked(value)
        else:
            widget.setCurrentIndex(widget.findData(value))


def press_ok(form) -> None:
    form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def error_of(form, name: str) -> str:
    label = form.findChild(QLabel, f"{name}_error")
    return label.text() if label.isVisible() else ""


def usernames(services) -> list[str]:
    return [u.username for u in services.users.list_users()]


def add_operator(services) -> None:
    services.users.create(NewUser(OPERATOR[0], "Budi Santoso", "operator", OPERATOR[1]))


# ------------------------------------------------------------------ tests


def test_model_rows_and_login_format(qtmodeltester, services):
    add_operator(services)
    model = UserTableModel()
    model.set_users(services.users.list_users())
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Nama pengguna", "Nama lengkap", "Peran", "Data sensitif", "Status", "Terakhir masuk"]
    budi = model.row_of("budi")
    assert [model.index(budi, c).data() for c in range(6)] == [
        "budi", "Budi Santoso", "Operator", "Tidak", "Aktif", "Belum pernah"]
    moment = datetime(2024, 7, 27, 7, 5, tzinfo=timezone.utc)
    assert login_time(moment) == moment.astimezone().strftime("%d-%m-%Y %H:%M")
    assert len(login_time(moment)) == len("27-07-2024 14:05")


def test_role_summary_reads_the_permission_table():
    assert role_summary("pimpinan") == "Boleh melihat data, mencetak, dan melihat jejak audit."
    assert "mengelola akun pengguna" in role_summary("administrator")


def test_add_operator_through_the_dialog(qtbot, services):
    dialog = open_users(qtbot, services)

    def interact(form, seen):
        fill(form, username="Siti.A", full_name="Siti Aminah", role="operator",
             can_view_sensitive=True, password="rahasia-siti", confirm="rahasia-siti")
        press_ok(form)

    seen = run_modal(dialog.findChild(QPushButton, "add_button"), interact)
    assert "stayed_open" not in seen
    siti = next(u for u in services.users.list_users() if u.username == "siti.a")
    assert (siti.full_name, siti.role, siti.can_view_sensitive, siti.active) == (
        "Siti Aminah", "operator", True, True)
    assert dialog.selected_user().username == "siti.a"  # the list reloaded and selected her
    assert "siti.a" in dialog.findChild(QLabel, "status").text()
    actor = services.users.authenticate("siti.a", "rahasia-siti")
    assert actor.role == "operator"


def test_confirmation_mismatch_is_shown_inline_and_writes_nothing(qtbot, services):
    dialog = open_users(qtbot, services)
    before = usernames(services)

    def interact(form, seen):
        fill(form, username="siti", full_name="Siti Aminah", password="rahasia-siti",
             confirm="rahasia-sit")
        press_ok(form)
        seen["confirm"] = error_of(form, "confirm")
        seen["password"] = error_of(form, "password")

    seen = run_modal(dialog.findChild(QPushButton, "add_button"), interact)
    assert seen["stayed_open"]
    assert "tidak sama" in seen["confirm"]
    assert seen["password"] == ""
    assert usernames(services) == before


def test_service_issues_land_under_their_fields(qtbot, services):
    dialog = open_users(qtbot, services)

    def interact(form, seen):
        fill(form, username="admin", full_name="Orang Lain", password="rahasia-lain",
             confirm="rahasia-lain")
        press_ok(form)  # passes the local checks; the service says the name is taken
        seen["username"] = error_of(form, "username")

    seen = run_modal(dialog.findChild(QPushButton, "add_button"), interact)
    assert seen["username"] == "Nama pengguna 'admin' sudah dipakai."


def test_deactivating_the_only_administrator_shows_the_refusal(qtbot, services):
    dialog = open_users(qtbot, services)
    assert dialog.selected_user().username == ADMIN[0]

    def interact(form, seen):
        fill(form, active=False)
        press_ok(form)
        seen["general"] = error_of(form, "general")

    seen = run_modal(dialog.findChild(QPushButton, "edit_button"), interact)
    assert seen["stayed_open"]
    assert seen["general"] == "Harus tetap ada sedikitnya satu administrator yang aktif."
    assert all(u.active for u in services.users.list_users())


def test_double_click_opens_the_edit_form(qtbot, services):
    add_operator(services)
    dialog = open_users(qtbot, services)
    table = dialog.findChild(QTableView, "users_table")
    row = dialog.model.row_of("budi")
    rect = table.visualRect(dialog.model.index(row, 0))
    seen: dict = {}

    def step():
        form = QApplication.activeModalWidget()
        seen["form"] = type(form)
        fill(form, active=False)
        press_ok(form)

    # QTest's double-click alone does not reach the view: a real one starts with a click.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTimer.singleShot(0, step)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen["form"] is EditUserDialog
    budi = next(u for u in services.users.list_users() if u.username == "budi")
    assert not budi.active
    assert dialog.model.index(row, 4).data() == "Nonaktif"


def test_reset_password_of_another_user(qtbot, services):
    add_operator(services)
    dialog = open_users(qtbot, services)
    dialog.reload(select="budi")

    def interact(form, seen):
        fill(form, password="sandi-baru-99", confirm="sandi-baru-99")
        press_ok(form)

    seen = run_modal(dialog.findChild(QPushButton, "reset_button"), interact)
    assert "stayed_open" not in seen
    services.users.authenticate("budi", "sandi-baru-99")
    with pytest.raises(ServiceError):
        services.users.authenticate("budi", OPERATOR[1])


def test_change_own_password(qtbot, services, monkeypatch):
    told = []
    monkeypatch.setattr("pmks_desktop.ui.password_dialog.show_info",
                        lambda parent, text, *a: told.append(text))
    form = ChangePasswordDialog(services.users)
    qtbot.addWidget(form)
    form.show()
    fill(form, old="salah-sekali", password="sandi-admin-baru", confirm="sandi-admin-baru")
    press_ok(form)
    assert error_of(form, "old") == "Kata sandi lama salah."
    assert form.isVisible()

    fill(form, old=ADMIN[1])
    press_ok(form)
    assert not form.isVisible() and told
    services.users.authenticate(ADMIN[0], "sandi-admin-baru")
    with pytest.raises(ServiceError):
        services.users.authenticate(*ADMIN)


def test_change_password_mismatch_is_inline(qtbot, services):
    form = ChangePasswordDialog(services.users)
    qtbot.addWidget(form)
    form.show()
    fill(form, old=ADMIN[1], password="sandi-admin-baru", confirm="sandi-admin-bar")
    press_ok(form)
    assert "tidak sama" in error_of(form, "confirm")
    assert form.isVisible()
    services.users.authenticate(*ADMIN)  # unchanged


def test_operator_sees_the_refusal_instead_of_the_list(qtbot, services):
    add_operator(services)
    services.users.authenticate(*OPERATOR)
    dialog = open_users(qtbot, services)
    refusal = dialog.findChild(QLabel, "refusal")
    assert refusal.isVisible()
    assert "tidak berwenang mengelola akun pengguna" in refusal.text()
    assert not dialog.findChild(QTableView, "users_table").isVisible()
    assert not dialog.findChild(QPushButton, "add_button").isVisible()
    assert dialog.model.rowCount() == 0


def test_enter_on_a_row_opens_the_edit_form(qtbot, services):
    add_operator(services)
    dialog = open_users(qtbot, services)
    dialog.reload(select="budi")
    table = dialog.findChild(QTableView, "users_table")
    seen = {}

    def step():
        form = QApplication.activeModalWidget()
        seen["form"] = type(form)
        seen["intro"] = "budi" in " ".join(label.text() for label in form.findChildren(QLabel))
        form.reject()

    QTimer.singleShot(0, step)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert seen == {"form": EditUserDialog, "intro": True}
