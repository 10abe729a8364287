"""Each bidang tab of the real main window takes a record through the UI (offscreen):
Penanganan Fakir Miskin (a KUBE group), Perlindungan dan Jaminan Sosial (a disaster and a
victim under it), Pemberdayaan Sosial (an SLRT intake), Penduduk (a household)."""
from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from sqlmodel import select

from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.storage.models import ChangeLog, Household, RegisterEntry, RegisterMember
from pmks_desktop.ui.entry_dialog import EntryDialog
from pmks_desktop.ui.household_dialog import HouseholdDialog
from pmks_desktop.ui.main_window import MainWindow

DESA = "36.04.05.2001"


def when_modal(kind, fill) -> list:
    """Run `fill(dialog)` once a modal dialog of `kind` is open (exec() blocks the test)."""
    seen = []

    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible() and dialog not in seen:
            seen.append(dialog)
            fill(dialog)
            if dialog.isVisible():  # not saved: close it so the test fails instead of hanging
                seen.append(getattr(dialog, "errors", None))
                dialog.reject()
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def person(services, name, sex, nik, born):
    return services.persons.register(PersonInput(name=name, sex=sex, desa_code=DESA, nik=nik,
                                                 birth_date=born), allow_duplicate=True)


@pytest.fixture
def window(qtbot, services, monkeypatch):
    monkeypatch.setattr("pmks_desktop.ui.case_register_tab.show_info", lambda *a, **k: None)
    main = MainWindow(services)
    qtbot.addWidget(main)
    main.show()
    return main


def entries(services, register):
    with services.db.read() as s:
        return s.exec(select(RegisterEntry).where(RegisterEntry.register_code == register)).all()


def choose_value(combo, value):
    combo.setCurrentIndex(combo.findData(value))


def test_kube_group_through_the_fakir_miskin_tab(qtbot, window, services):
    names = ["Asep", "Siti", "Ujang", "Euis", "Dadang", "Neneng", "Agus", "Imas", "Rudi", "Yeni"]
    members = []
    for i, name in enumerate(names, start=1):
        sex = "L" if i % 2 else "P"
        day = 10 + i + (0 if sex == "L" else 40)
        members.append(person(services, f"{name} Hidayat", sex, f"360405{day:02d}0580{i:04d}",
                              date(1980, 5, 10 + i)))
    tab = window.bidang["fakir_miskin"].registers["kube"]

    def fill(dialog: EntryDialog):
        view = dialog.form_view
        qtbot.keyClicks(view.editor("group_name").edit, "KUBE Mekar Sari")
        view.editor("business_type").combo.setCurrentIndex(1)
        qtbot.keyClicks(view.editor("desa").combo.lineEdit(), "Kramatwatu")
        qtbot.keyClicks(view.editor("proposed_on").edit, "17082024")
        for i, member in enumerate(members):
            dialog.members_editor.add_person(member, "ketua" if i == 0 else "anggota")
        dialog.save_button.click()

    dialogs = when_modal(EntryDialog, fill)
    tab.add.trigger()
    assert dialogs and dialogs[0].saved_entry is not None, dialogs and dialogs[0].errors
    [entry] = entries(services, "kube")
    values = json.loads(entry.data)
    assert entry.title == "KUBE Mekar Sari" and entry.desa_code == DESA
    assert values["aid_value"] == 20_000_000  # the configured default
    with services.db.read() as s:
        assert len(s.exec(select(RegisterMember).where(
            RegisterMember.entry_id == entry.id)).all()) == 10
        assert s.exec(select(ChangeLog).where(ChangeLog.row_id == entry.id)).one().op == "insert"
    assert tab.model.rowCount() == 1 and tab.model.data(tab.model.index(0, 0)) == \
        "KUBE Mekar Sari"


def test_kube_with_too_few_members_is_refused(qtbot, window, services):
    tab = window.bidang["fakir_miskin"].registers["kube"]
    one = person(services, "Siti Aminah", "P", "3604055205800001", date(1980, 5, 12))

    def fill(dialog: EntryDialog):
        view = dialog.form_view
        qtbot.keyClicks(view.editor("group_name").edit, "KUBE Kecil")
        view.editor("business_type").combo.setCurrentIndex(1)
        qtbot.keyClicks(view.editor("desa").combo.lineEdit(), "Kramatwatu")
        qtbot.keyClicks(view.editor("proposed_on").edit, "17082024")
        dialog.members_editor.add_person(one, "ketua")
        dialog.save_button.click()
        messages = [i.message for i in dialog.errors]
        dialog.reject()
        fill.messages = messages

    when_modal(EntryDialog, fill)
    tab.add.trigger()
    assert any("paling sedikit 10" in m for m in fill.messages)
    assert entries(services, "kube") == []


def test_disaster_and_victim_through_the_linjamsos_tab(qtbot, window, services):
    tab = window.bidang["linjamsos"].registers["bencana"]

    def fill_event(dialog: EntryDialog):
        view = dialog.form_view
        qtbot.keyClicks(view.editor("name").edit, "Banjir Kp. Sukamaju")
        choose_value(view.editor("kind").combo, "alam")
        choose_value(view.editor("sub_kind").combo, "banjir")
        qtbot.keyClicks(view.editor("date").edit, "02012025")
        qtbot.keyClicks(view.editor("desa").combo.lineEdit(), "Kramatwatu")
        choose_value(view.editor("status").combo, "tanggap_darurat")
        dialog.save_button.click()

    when_modal(EntryDialog, fill_event)
    tab.add.trigger()
    [event] = entries(services, "bencana")
    tab.table.selectRow(0)

    def fill_victim(dialog: EntryDialog):
        view = dialog.form_view
        qtbot.keyClicks(view.editor("name").edit, "Keluarga Bapak Darma")
        qtbot.keyClicks(view.editor("desa").combo.lineEdit(), "Kramatwatu")
        qtbot.keyClicks(view.editor("recorded_on").edit, "03012025")
        choose_value(view.editor("pmks_type").combo, "21")
        list(view.editor("criteria").boxes.values())[0].click()
        choose_value(view.editor("victim_status").combo, "mengungsi")
        dialog.save_button.click()

    def in_child_list(dialog: QDialog):
        child = dialog.findChild(type(tab))
        when_modal(EntryDialog, fill_victim)
        child.add.trigger()
        dialog.accept()

    when_modal(QDialog, lambda d: in_child_list(d) if d.findChild(type(tab)) else None)
    tab.child_actions["korban_bencana"].trigger()
    [victim] = entries(services, "korban_bencana")
    assert victim.parent_id == event.id and victim.pmks_type == "21"
    assert victim.status == "mengungsi"


def test_slrt_intake_through_the_pemberdayaan_tab(qtbot, window, services):
    applicant = person(services, "Budi Santoso", "L", "3604051205800001", date(1980, 5, 12))
    tab = window.bidang["dayasos"].registers["slrt"]

    def fill(dialog: EntryDialog):
        view = dialog.form_view
        view.editor("applicant").picker.set_person(applicant)
        qtbot.keyClicks(view.editor("intake_date").edit, "06012025")
        qtbot.keyClicks(view.editor("complaint").edit, "Tidak mampu membayar biaya berobat.")
        choose_value(view.editor("status").combo, "ditolak")
        dialog.save_button.click()  # refused: ditolak needs a reason
        assert dialog.saved_entry is None
        assert any("Alasan penolakan" in i.message for i in dialog.errors)
        qtbot.keyClicks(view.editor("rejection_reason").edit, "Sudah menerima PBI-JK.")
        dialog.save_button.click()

    dialogs = when_modal(EntryDialog, fill)
    tab.add.trigger()
    assert dialogs[0].saved_entry is not None
    [entry] = entries(services, "slrt")
    assert entry.person_id == applicant.id and entry.status == "ditolak"
    assert entry.desa_code == DESA  # taken from the applicant


def test_household_through_the_penduduk_tab(qtbot, window, services):
    head = person(services, "Budi Santoso", "L", "3604051205800001", date(1980, 5, 12))
    wife = person(services, "Siti Aminah", "P", "3604055205820001", date(1982, 5, 12))

    def fill(dialog: HouseholdDialog):
        qtbot.keyClicks(dialog.no_kk_edit, "3604050101100001")
        dialog.add_member(head, "kepala")
        dialog.add_member(wife, "istri")
        dialog.save_button.click()

    dialogs = when_modal(HouseholdDialog, fill)
    window.people.new_household()
    assert dialogs and dialogs[0].saved_household is not None
    with services.db.read() as s:
        household = s.exec(select(Household)).one()
    assert household.head_person_id == head.id and household.no_kk == "3604050101100001"
    assert window.people.households.model.rowCount() == 1


def test_export_from_a_register_tab_applies_the_filter(qtbot, window, services, tmp_path,
                                                       monkeypatch):
    from openpyxl import load_workbook

    from pmks_desktop.ui import export_action

    for name, desa in (("Banjir Kp. Sukamaju", DESA), ("Longsor Kp. Cibodas", "36.04.05.2002")):
        services.registers.save("bencana", {"name": name, "kind": "alam", "sub_kind": "banjir",
                                            "date": date(2025, 1, 2), "desa": desa,
                                            "status": "dilaporkan"})
    tab = window.bidang["linjamsos"].registers["bencana"]
    tab.reload()
    tab.combos["desa"].setCurrentIndex(tab.combos["desa"].findData(DESA))
    target = tmp_path / "bencana.xlsx"
    monkeypatch.setattr(export_action, "ask_path", lambda *a: target)
    monkeypatch.setattr(export_action, "show_info", lambda *a, **k: None)
    tab.export.trigger()
    qtbot.waitUntil(lambda: target.exists(), timeout=5000)
    sheet = load_workbook(target).active
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "Banjir Kp. Sukamaju" in texts and "Longsor Kp. Cibodas" not in texts


def test_export_persons_from_the_penduduk_tab(qtbot, window, services, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from pmks_desktop.ui import export_action

    person(services, "Budi Santoso", "L", "3604051205800001", date(1980, 5, 12))
    person(services, "Siti Aminah", "P", "3604055205820001", date(1982, 5, 12))
    page = window.people.persons
    page.reload()
    qtbot.keyClicks(page.search, "siti")
    target = tmp_path / "orang.xlsx"
    monkeypatch.setattr(export_action, "ask_path", lambda *a: target)
    monkeypatch.setattr(export_action, "show_info", lambda *a, **k: None)
    [button] = [b for b in page.findChildren(type(page.add_button("x", lambda: None)))
                if b.text() == "Ekspor ke Excel…"]
    button.click()
    qtbot.waitUntil(lambda: target.exists(), timeout=5000)
    texts = [str(c.value) for row in load_workbook(target).active.iter_rows() for c in row
             if c.value]
    assert "Siti Aminah" in texts and "Budi Santoso" not in texts
    assert "3604055205820001" not in texts  # NIK leaves the PC masked


def test_persons_and_households_keep_their_form_version(qtbot, window, services):
    from pmks_desktop.services.record_forms import record_form
    from pmks_desktop.storage.models import Person

    test_household_through_the_penduduk_tab(qtbot, window, services)
    with services.db.read() as s:
        versions = {p.form_version for p in s.exec(select(Person))}
        household = s.exec(select(Household)).one()
    assert versions == {record_form("person").version}
    assert household.form_version == record_form("household").version
    from PySide6.QtWidgets import QLabel

    dialog = HouseholdDialog(services.households, services.persons, services.office.desa_list())
    qtbot.addWidget(dialog)
    texts = {label.text() for label in dialog.findChildren(QLabel)}
    assert record_form("household").field("no_kk").label in texts  # "No. &KK" from the file
