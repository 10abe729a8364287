"""Sign-in dialog: the service decides, the dialog shows its words and records nothing itself."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlmodel import select

from pmks_desktop.services.container import build_services
from pmks_desktop.storage.models import AuditEntry
from pmks_desktop.ui.login_dialog import LoginDialog
from tests.conftest import ADMIN

pytestmark = pytest.mark.timeout(60)

OFFICE_TITLE = "Kecamatan Kramatwatu, Kabupaten Serang"


@pytest.fixture
def signed_out(services, catalogue):
    """Fresh services on the set-up database, with nobody signed in (as at start-up)."""
    return build_services(services.db, catalogue)


@pytest.fixture
def dialog(qtbot, signed_out):
    dlg = LoginDialog(signed_out.users, OFFICE_TITLE)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def login_audit(db) -> list[tuple[str, str]]:
    with db.read() as s:
        rows = s.exec(select(AuditEntry).where(AuditEntry.action.in_(["login", "login_failed"]))
                      .order_by(AuditEntry.id))
        return [(r.action, r.username) for r in rows]


def test_shows_app_name_and_office(dialog):
    texts = [label.text() for label in dialog.findChildren(type(dialog.error))]
    assert "PMKS Desktop" in texts
    assert OFFICE_TITLE in texts
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    assert dialog.sign_in_button.isDefault()


def test_wrong_then_right_password(qtbot, dialog, signed_out, services):
    before = login_audit(services.db)
    qtbot.keyClicks(dialog.username, ADMIN[0])
    qtbot.keyClicks(dialog.password, "kata-sandi-salah")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    assert dialog.isVisible()
    assert dialog.actor is None
    assert not signed_out.session.signed_in
    assert dialog.error.isVisible()
    assert "kata sandi salah" in dialog.error.text()
    assert dialog.password.text() == ""
    assert dialog.focusWidget() is dialog.password

    qtbot.keyClicks(dialog.password, ADMIN[1])
    qtbot.keyClick(dialog.password, Qt.Key.Key_Enter)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.username == ADMIN[0]
    assert signed_out.session.actor == dialog.actor
    assert login_audit(services.db)[len(before):] == [("login_failed", ADMIN[0]),
                                                      ("login", ADMIN[0])]


def test_empty_fields_are_asked_for_without_a_sign_in_attempt(qtbot, dialog, services):
    before = login_audit(services.db)
    dialog.sign_in_button.click()
    assert "nama pengguna" in dialog.error.text()
    assert dialog.focusWidget() is dialog.username
    qtbot.keyClicks(dialog.username, ADMIN[0])
    dialog.sign_in_button.click()
    assert "kata sandi" in dialog.error.text()
    assert login_audit(services.db) == before


def test_keluar_rejects(dialog):
    dialog.quit_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.actor is None
