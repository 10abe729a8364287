"""CaseDialog driven through its real widgets (offscreen): picking, rules, what is stored."""
from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QDialog, QWidget
from sqlmodel import select

from pmks_desktop.services.cases import CaseInput
from pmks_desktop.services.errors import PermissionDenied
from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.services.users import NewUser
from pmks_desktop.storage.models import ChangeLog, PmksCase
from pmks_desktop.ui.case_dialog import CaseDialog, describe_type
from pmks_desktop.ui.person_picker import PersonResults

OPERATOR = ("operator1", "sandi-operator-1")


@pytest.fixture
def desa(services):
    return services.office.desa_list()


@pytest.fixture
def people(services, desa):
    def add(name, sex, nik, born):
        return services.persons.register(PersonInput(
            name=name, sex=sex, desa_code=desa[0].code, nik=nik, birth_date=born))

    return {
        "budi": add("Budi Santoso", "L", "3604051205800001", date(1980, 5, 12)),
        "siti": add("Siti Aminah", "P", "3604055205800001", date(1980, 5, 12)),
    }


def open_dialog(qtbot, services, desa, *, sensitive=True, **kwargs) -> CaseDialog:
    dialog = CaseDialog(services.cases, services.persons, services.catalogue, desa,
                        can_view_sensitive=sensitive, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def pick_person(qtbot, dialog: CaseDialog, text: str) -> None:
    """Type in the search box, wait for the result list, choose the first row with Enter."""
    picker = dialog.picker
    qtbot.keyClicks(picker.search_edit, text)
    qtbot.waitUntil(lambda: picker.model.rowCount() > 0, timeout=2000)
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)
    assert picker.person() is not None


def choose_type(dialog: CaseDialog, code: str) -> None:
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(code))


def stored_cases(services) -> list[PmksCase]:
    with services.db.read() as s:
        return list(s.exec(select(PmksCase)))


def combo_codes(dialog: CaseDialog) -> list[str]:
    return [dialog.type_combo.itemData(i) for i in range(dialog.type_combo.count())]


def test_new_dialog_starts_in_the_search_box_with_today(qtbot, services, desa):
    dialog = open_dialog(qtbot, services, desa)
    assert dialog.windowTitle() == "Catat Kasus PMKS"
    assert dialog.focusWidget() is dialog.picker.search_edit
    assert dialog.recorded_on_edit.date_value() == date.today()
    assert dialog.type_combo.itemText(0).startswith("01 - ")


def test_search_lists_masked_nik_and_enter_picks(qtbot, services, desa, people):
    dialog = open_dialog(qtbot, services, desa)
    qtbot.keyClicks(dialog.picker.search_edit, "siti")
    qtbot.waitUntil(lambda: dialog.picker.model.rowCount() == 1, timeout=2000)
    model = dialog.picker.model
    assert model.index(0, 0).data() == "Siti Aminah"
    assert model.index(0, 1).data() == "3604**********01"
    assert model.index(0, 2).data() == "12-05-1980"
    qtbot.keyClick(dialog.picker.search_edit, Qt.Key.Key_Return)
    assert dialog.picker.person().id == people["siti"].id
    assert "Siti Aminah" in dialog.picker.summary_label.text()
    assert dialog.focusWidget() is dialog.type_combo
    assert dialog.isVisible()  # Enter in the search box picks; it does not save


def test_prse_for_a_man_shows_the_rule_and_writes_nothing(qtbot, services, desa, people):
    dialog = open_dialog(qtbot, services, desa)
    pick_person(qtbot, dialog, "budi")
    choose_type(dialog, "23")
    assert "khusus perempuan" in dialog.rule_label.text()
    assert "18–59 tahun" in dialog.rule_label.text()
    qtbot.waitUntil(lambda: "hanya untuk perempuan" in dialog.note("person").text(),
                    timeout=2000)
    qtbot.mouseClick(dialog.criteria_list.check_boxes()[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible() and dialog.saved_case is None
    assert "Perempuan Rawan Sosial Ekonomi hanya untuk perempuan" in \
        dialog.note("person").text()
    assert stored_cases(services) == []


def test_valid_case_saves_the_ticked_criteria(qtbot, services, desa, people):
    dialog = open_dialog(qtbot, services, desa)
    pick_person(qtbot, dialog, "siti")
    choose_type(dialog, "23")
    prse = services.catalogue.type("23")
    wanted = [prse.criteria[0].id, prse.criteria[2].id]
    for criterion_id in wanted:
        qtbot.mouseClick(dialog.criteria_list.box_for(criterion_id), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.notes_edit, "Ditinggal suami sejak 2022.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    [case] = stored_cases(services)
    assert case.person_id == people["siti"].id and case.type_code == "23"
    assert json.loads(case.criteria) == sorted(wanted)
    assert case.recorded_on == date.today()
    assert case.notes == "Ditinggal suami sejak 2022."
    assert dialog.saved_case.id == case.id
    with services.db.read() as s:
        assert s.exec(select(ChangeLog).where(ChangeLog.row_id == case.id)).first()


def test_no_criteria_ticked_is_refused_with_the_message(qtbot, services, desa, people):
    dialog = open_dialog(qtbot, services, desa, person=people["siti"])
    assert dialog.focusWidget() is dialog.type_combo
    choose_type(dialog, "23")
    qtbot.keyClick(dialog.type_combo, Qt.Key.Key_Return)  # Enter tries to save
    assert "Pilih sedikitnya 1 kriteria" in dialog.note("criteria").text()
    assert dialog.focusWidget() is dialog.criteria_list.check_boxes()[0]
    assert stored_cases(services) == []


def test_criteria_checklist_follows_the_type(qtbot, services, desa, people):
    dialog = open_dialog(qtbot, services, desa, person=people["siti"])
    for code in ("23", "12", "07"):
        choose_type(dialog, code)
        texts = [b.accessibleName() for b in dialog.criteria_list.check_boxes()]
        assert texts == [c.text for c in services.catalogue.type(code).criteria]


def test_disability_kind_only_for_types_05_and_09(qtbot, services, desa, people):
    dialog = open_dialog(qtbot, services, desa, person=people["siti"])
    assert not dialog.disability_combo.isVisibleTo(dialog)
    shown = set()
    for code in combo_codes(dialog):
        choose_type(dialog, code)
        if dialog.disability_combo.isVisibleTo(dialog):
            shown.add(code)
            assert "jenis disabilitas wajib dipilih" in dialog.rule_label.text()
    assert shown == {"05", "09"}


def test_disability_case_saves_the_kind(qtbot, services, desa, people):
    dialog = open_dialog(qtbot, services, desa, person=people["budi"])
    choose_type(dialog, "09")
    qtbot.mouseClick(dialog.criteria_list.check_boxes()[1], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Jenis disabilitas wajib diisi" in dialog.note("disability_kind").text()
    dialog.disability_combo.setCurrentIndex(dialog.disability_combo.findData("netra"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [case] = stored_cases(services)
    assert case.disability_kind == "netra"


def test_operator_without_permission_is_not_offered_sensitive_types(qtbot, services, desa):
    services.users.create(NewUser(OPERATOR[0], "Operator Desa", "operator", OPERATOR[1]))
    services.users.authenticate(*OPERATOR)
    actor = services.session.actor
    assert not actor.can_view_sensitive
    dialog = open_dialog(qtbot, services, desa, sensitive=actor.can_view_sensitive)
    codes = combo_codes(dialog)
    assert "16" not in codes and "03" not in codes
    assert "23" in codes and "09" in codes
    with pytest.raises(PermissionDenied):  # the service refuses anyway
        services.cases.record(CaseInput("no-such-person", "16", date.today()))


def test_sensitive_types_offered_with_permission(qtbot, services, desa):
    dialog = open_dialog(qtbot, services, desa, sensitive=True)
    assert "16" in combo_codes(dialog)
    choose_type(dialog, "16")
    assert "data pribadi spesifik" in dialog.rule_label.text()


def test_edit_case_loads_and_updates(qtbot, services, desa, people):
    prse = services.catalogue.type("23")
    case = services.cases.record(CaseInput(people["siti"].id, "23", date.today(),
                                           [prse.criteria[0].id]))
    dialog = open_dialog(qtbot, services, desa, case=case)
    assert dialog.windowTitle() == "Ubah Kasus PMKS"
    assert dialog.picker.person().id == people["siti"].id
    assert dialog.criteria_list.checked_ids() == [prse.criteria[0].id]
    qtbot.mouseClick(dialog.criteria_list.box_for(prse.criteria[1].id),
                     Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    [stored] = stored_cases(services)
    assert json.loads(stored.criteria) == sorted([prse.criteria[0].id, prse.criteria[1].id])


def test_rule_text_for_age_and_optional_nik(catalogue):
    assert describe_type(catalogue.type("08")).startswith("Umur sedikitnya 60 tahun")
    assert "NIK boleh kosong" in describe_type(catalogue.type("11"))


def test_results_model_is_a_proper_qt_model(qtmodeltester, services, desa, people):
    model = PersonResults({d.code: d.name for d in desa})
    model.set_persons(services.persons.find("a"))
    qtmodeltester.check(model)


def test_recording_date_before_birth_is_an_error_not_a_crash(qtbot, services, desa, people):
    dialog = open_dialog(qtbot, services, desa, person=people["siti"])
    choose_type(dialog, "23")
    dialog.recorded_on_edit.selectAll()
    qtbot.keyClicks(dialog.recorded_on_edit, "01011970")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    shown = dialog.note("recorded_on").text() + dialog.note("person").text()
    assert "tanggal lahir" in shown.lower()
    assert dialog.isVisible() and stored_cases(services) == []


def test_tab_follows_the_form_through_rebuilt_criteria(qtbot, services, desa, people):
    dialog = open_dialog(qtbot, services, desa, person=people["budi"])
    choose_type(dialog, "09")
    boxes = dialog.criteria_list.check_boxes()
    qtbot.waitUntil(lambda: all(box.isVisible() for box in boxes), timeout=2000)
    dialog.type_combo.setFocus()
    seen = []
    for _ in range(7):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        seen.append(dialog.focusWidget())
    assert seen == [dialog.recorded_on_edit, *boxes, dialog.disability_combo,
                    dialog.notes_edit, dialog.save_button]


def test_register_new_person_from_the_search_text(qtbot, services, desa, monkeypatch):
    from pmks_desktop.ui import person_picker

    class FilledDialog(person_picker.PersonDialog):
        """Stands in for the user at the modal dialog: finish the form, press Simpan."""

        def exec(self):
            self.show()
            assert self.form.name_edit.text() == "Rohmah"  # carried over from the search
            qtbot.keyClicks(self.form.birth_date_edit, "05081990")
            qtbot.mouseClick(self.form.female_radio, Qt.MouseButton.LeftButton)
            qtbot.keyClicks(self.form.desa_combo.lineEdit(), desa[0].name)
            self.save()
            return self.result()

    monkeypatch.setattr(person_picker, "PersonDialog", FilledDialog)
    dialog = open_dialog(qtbot, services, desa)
    qtbot.keyClicks(dialog.picker.search_edit, "Rohmah")
    qtbot.mouseClick(dialog.picker.new_button, Qt.MouseButton.LeftButton)
    chosen = dialog.picker.person()
    assert chosen is not None and chosen.name == "Rohmah"
    assert chosen.birth_date == date(1990, 8, 5)
    assert "Rohmah" in dialog.picker.summary_label.text()


def test_rows_of_the_previous_type_disappear_at_once(qtbot, services, desa):
    """The dialog is built inside the main window's event loop and then runs its own exec()
    loop; rows deleted with deleteLater() at the outer level would stay drawn meanwhile."""
    seen = []

    def inside_main_loop():
        dialog = open_dialog(qtbot, services, desa)
        choose_type(dialog, "01")
        choose_type(dialog, "13")
        modal = QEventLoop()  # stands for dialog.exec()
        QTimer.singleShot(50, modal.quit)
        modal.exec()
        rows = dialog.criteria_list.findChildren(
            QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        seen.extend(r.criterion_id for r in rows
                    if hasattr(r, "criterion_id") and not r.isHidden())
        main_loop.quit()

    main_loop = QEventLoop()
    QTimer.singleShot(0, inside_main_loop)
    main_loop.exec()
    assert seen == [c.id for c in services.catalogue.type("13").criteria]
