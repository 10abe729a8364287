"""End to end through the real windows: log in, register a person and a case from the
Rehabilitasi Sosial tab, find it by search, and check the database, change log and audit trail."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from sqlmodel import select

from pmks_desktop.services.container import build_services
from pmks_desktop.services.users import NewUser
from pmks_desktop.storage.models import AuditEntry, ChangeLog, Person, PmksCase
from pmks_desktop.ui.case_dialog import CaseDialog
from pmks_desktop.ui.login_dialog import LoginDialog
from pmks_desktop.ui.main_window import MainWindow
from pmks_desktop.ui.person_form import PersonDialog

from conftest import ADMIN, office_setup

NIK = "3604055205800001"  # a woman born 12-05-1980, issued in Kramatwatu


def set_up_office(db, regions, catalogue):
    services = build_services(db, catalogue)
    services.office.set_up(office_setup(regions), NewUser(ADMIN[0], "Admin Kecamatan",
                                                          "administrator", ADMIN[1]))
    return services


def log_in(qtbot, services) -> None:
    dialog = LoginDialog(services.users, "Kecamatan Kramatwatu")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, ADMIN[0])
    qtbot.keyClicks(dialog.password, ADMIN[1])
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert services.session.actor.username == ADMIN[0]


def when_modal(qtbot, kind, fill) -> list:
    """Run `fill(dialog)` once the modal dialog of `kind` is open (exec() blocks the test)."""
    seen = []

    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            seen.append(dialog)
            fill(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def fill_person(qtbot, dialog: PersonDialog) -> None:
    form = dialog.form
    qtbot.keyClicks(form.nik_edit, NIK)
    qtbot.keyClicks(form.name_edit, "siti aminah")
    qtbot.keyClicks(form.birth_place_edit, "Serang")
    form.birth_date_edit.setFocus()
    form.birth_date_edit.setCursorPosition(0)
    qtbot.keyClicks(form.birth_date_edit, "12051980")
    form.female_radio.click()
    qtbot.keyClicks(form.address_edit, "Kp. Sukamaju No. 3")
    qtbot.keyClicks(form.rt_edit, "3")
    qtbot.keyClicks(form.rw_edit, "1")
    form.desa_combo.setCurrentIndex(form.desa_combo.findText("Kramatwatu"))
    dialog.save_button.click()


def fill_case(qtbot, dialog: CaseDialog) -> None:
    qtbot.keyClicks(dialog.picker.search_edit, "aminah")
    qtbot.waitUntil(lambda: dialog.picker.model.rowCount() == 1, timeout=3000)
    qtbot.keyClick(dialog.picker.search_edit, Qt.Key.Key_Return)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("23"))
    dialog.criteria_list.check_boxes()[0].click()
    dialog.save_button.click()


def test_register_person_and_case_then_find_it(qtbot, db, regions, catalogue, monkeypatch):
    monkeypatch.setattr("pmks_desktop.ui.case_register_tab.show_info", lambda *a, **k: None)
    services = set_up_office(db, regions, catalogue)
    log_in(qtbot, services)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    assert [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())] == \
        ["Beranda", "Penduduk", "Penanganan Fakir Miskin", "Rehabilitasi Sosial",
         "Perlindungan dan Jaminan Sosial", "Pemberdayaan Sosial"]
    window.tabs.setCurrentIndex(3)
    tab = window.resos

    person_dialogs = when_modal(qtbot, PersonDialog, lambda d: fill_person(qtbot, d))
    tab.new_person.trigger()
    assert person_dialogs and person_dialogs[0].saved_person is not None

    case_dialogs = when_modal(qtbot, CaseDialog, lambda d: fill_case(qtbot, d))
    tab.new_case.trigger()
    assert case_dialogs and case_dialogs[0].saved_case is not None

    # Found by search as you type, with the NIK masked on screen.
    qtbot.keyClicks(tab.filters.search, "siti")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1 and "1 kasus" in tab.count_label.text(),
                    timeout=3000)
    row = tab.model.row_at(0)
    assert row.person_name == "Siti Aminah" and row.nik_masked == "3604**********01"
    assert tab.model.data(tab.model.index(0, 3)).startswith("23 - Perempuan Rawan")
    tab.filters.search.clear()
    qtbot.keyClicks(tab.filters.search, "budi")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=3000)

    # The Beranda counts followed.
    window.tabs.setCurrentWidget(window.home)
    assert window.home.count_for_type("23") == 1
    assert window.home.cards["persons"].text() == "1"

    with services.db.read() as s:
        person = s.exec(select(Person)).one()
        case = s.exec(select(PmksCase)).one()
        changes = s.exec(select(ChangeLog).order_by(ChangeLog.seq)).all()
        audit = s.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert (person.name, person.nik, person.sex, person.rt) == ("Siti Aminah", NIK, "P", "003")
    assert (case.person_id, case.type_code, case.status) == (person.id, "23", "baru")
    assert [(c.table_name, c.op) for c in changes] == [("person", "insert"),
                                                       ("pmks_case", "insert")]
    assert all(c.user_id == services.session.actor.user_id for c in changes)
    actions = [(a.action, a.entity, a.entity_id) for a in audit]
    assert ("login", "user_account", services.session.actor.user_id) in actions
    assert ("create", "person", person.id) in actions
    assert ("create", "pmks_case", case.id) in actions


def test_status_change_and_trash_from_the_tab(qtbot, services, monkeypatch):
    from datetime import date

    from pmks_desktop.services.cases import CaseInput
    from pmks_desktop.services.person_input import PersonInput
    from pmks_desktop.ui.status_dialog import StatusDialog

    person = services.persons.register(PersonInput(
        name="Siti Aminah", sex="P", desa_code="36.04.05.2001", nik=NIK,
        birth_date=date(1980, 5, 12)))
    criterion = services.catalogue.type("23").criteria[0].id
    services.cases.record(CaseInput(person.id, "23", date.today(), [criterion]))
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    tab = window.resos
    tab.table.selectRow(0)

    def choose_verified(dialog: StatusDialog):
        dialog.choice.setCurrentIndex(dialog.choice.findData("terverifikasi"))
        dialog.save_button.click()

    when_modal(qtbot, StatusDialog, choose_verified)
    tab.set_status.trigger()
    assert tab.model.row_at(0).status_label == "Terverifikasi"

    monkeypatch.setattr("pmks_desktop.ui.messages.ask_text",
                        lambda *a, **k: ("data ganda", True))
    tab.table.selectRow(0)
    tab.to_trash.trigger()
    assert tab.model.rowCount() == 0 and tab.count_label.text() == "0 kasus"
    tab.show_trash.trigger()
    assert tab.model.row_at(0).deleted_reason == "data ganda"
    tab.table.selectRow(0)
    tab.restore.trigger()
    tab.show_trash.trigger()
    assert tab.model.rowCount() == 1


def test_case_model_passes_qt_model_tester(qtmodeltester, services):
    from pmks_desktop.services.case_queries import CaseQuery
    from pmks_desktop.ui.case_table_model import CaseTableModel

    model = CaseTableModel(lambda after, limit: services.case_queries.page(CaseQuery(), after,
                                                                          limit),
                           lambda: services.case_queries.count(CaseQuery()))
    model.reload()
    qtmodeltester.check(model)
