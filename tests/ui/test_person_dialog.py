"""PersonDialog driven through its real widgets (offscreen): what the user sees, what is stored."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from sqlmodel import select

from pmks_desktop.domain.forms import load_form
from pmks_desktop.paths import forms_dir
from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.storage.models import ChangeLog, Person
from pmks_desktop.ui import person_form
from pmks_desktop.ui.person_form import PersonDialog

# NIK = region 360405 + DD (+40 for women) MM YY + serial.
BUDI_NIK = "3604051205800001"  # a man born 12-05-1980
SITI_NIK = "3604055205800001"  # a woman born 12-05-1980


@pytest.fixture
def desa(services):
    return services.office.desa_list()


@pytest.fixture
def dialog(qtbot, services, desa):
    dlg = PersonDialog(services.persons, desa)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def type_person(qtbot, form, *, nik="", name="", born="", sex="L", desa="Kramatwatu") -> None:
    """Fill the form as a user would: key by key, a click on the radio button."""
    if nik:
        qtbot.keyClicks(form.nik_edit, nik)
    qtbot.keyClicks(form.name_edit, name)
    if born:
        qtbot.keyClicks(form.birth_date_edit, born)
    radio = form.male_radio if sex == "L" else form.female_radio
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.desa_combo.lineEdit(), desa)


def stored_persons(services) -> list[Person]:
    with services.db.read() as s:
        return list(s.exec(select(Person)))


def test_first_field_is_nik_and_title_names_the_purpose(dialog):
    assert dialog.windowTitle() == "Daftarkan Orang"
    assert dialog.focusWidget() is dialog.form.nik_edit
    assert [dialog.save_button.text(), dialog.cancel_button.text()] == ["Simpan", "Batal"]


def test_valid_person_is_saved_with_change_log(qtbot, services, dialog):
    type_person(qtbot, dialog.form, nik=BUDI_NIK, name="budi SANTOSO", born="12051980")
    qtbot.keyClicks(dialog.form.rt_edit, "3")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    [person] = stored_persons(services)
    assert person.name == "Budi Santoso"
    assert person.nik == BUDI_NIK
    assert person.birth_date == date(1980, 5, 12)
    assert person.sex == "L" and person.rt == "003"
    assert dialog.saved_person.id == person.id
    with services.db.read() as s:
        logged = s.exec(select(ChangeLog).where(ChangeLog.table_name == "person",
                                                ChangeLog.row_id == person.id)).all()
    assert [row.op for row in logged] == ["insert"]


def test_enter_saves_when_the_form_is_valid(qtbot, services, dialog):
    type_person(qtbot, dialog.form, nik=BUDI_NIK, name="Budi Santoso", born="12051980")
    qtbot.keyClick(dialog.form.desa_combo.lineEdit(), Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(stored_persons(services)) == 1


def test_bad_nik_shows_the_message_and_writes_nothing(qtbot, services, dialog):
    form = dialog.form
    type_person(qtbot, form, nik="3604053205800001", name="Budi Santoso", born="12051980")
    # Live feedback, after the pause in typing.
    qtbot.waitUntil(lambda: "tidak masuk akal" in form.note("nik").text(), timeout=2000)
    assert form.note("nik").isVisible()

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert "angka hari 32" in form.note("nik").text()
    assert dialog.focusWidget() is form.nik_edit
    assert stored_persons(services) == []


def test_missing_name_and_desa_are_named_on_save(qtbot, services, dialog):
    qtbot.keyClick(dialog.form.nik_edit, Qt.Key.Key_Return)
    assert "Nama lengkap wajib diisi" in dialog.form.note("name").text()
    assert "Pilih desa/kelurahan" in dialog.form.note("desa_code").text()
    assert "Pilih jenis kelamin" in dialog.form.note("sex").text()
    assert stored_persons(services) == []


def test_untouched_fields_stay_quiet_while_typing(qtbot, dialog):
    form = dialog.form
    qtbot.keyClicks(form.nik_edit, "360405")
    qtbot.waitUntil(lambda: "harus 16 angka" in form.note("nik").text(), timeout=2000)
    assert form.note("name").isHidden()


def test_nik_sex_and_date_mismatch_is_a_warning_not_a_block(qtbot, services, dialog):
    form = dialog.form
    type_person(qtbot, form, nik=SITI_NIK, name="Budi Santoso", born="13051980", sex="L")
    qtbot.waitUntil(lambda: "Jenis kelamin pada NIK" in form.note("nik").text(), timeout=2000)
    assert "Perhatian" in form.note("nik").text()
    assert "berbeda dengan tanggal lahir" in form.note("nik").text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_half_typed_birth_date_blocks_saving(qtbot, services, dialog):
    type_person(qtbot, dialog.form, name="Budi Santoso", born="120519")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Tanggal belum lengkap" in dialog.form.note("birth_date").text()
    assert stored_persons(services) == []


def register_siti(services, desa) -> Person:
    return services.persons.register(PersonInput(
        name="Siti Aminah", sex="P", desa_code=desa[0].code, nik=SITI_NIK,
        birth_date=date(1980, 5, 12)))


def test_duplicate_nik_is_hinted_and_cancel_writes_nothing(qtbot, services, desa, dialog,
                                                           monkeypatch):
    register_siti(services, desa)
    asked = []

    def fake_confirm(parent, text, title="", yes="Ya", no="Batal"):
        asked.append((text, yes, no))
        return False  # the user presses "Batal"

    monkeypatch.setattr(person_form, "confirm", fake_confirm)
    form = dialog.form
    type_person(qtbot, form, nik=SITI_NIK, name="Sity Aminah", born="12051980", sex="P")
    qtbot.waitUntil(lambda: form.duplicate_label.isVisible(), timeout=2000)
    assert "Kemungkinan sudah terdaftar" in form.duplicate_label.text()
    assert "NIK sama" in form.duplicate_label.text()

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [(text, yes, no)] = asked
    assert "Siti Aminah" in text and "3604**********01" in text
    assert (yes, no) == ("Tetap Simpan", "Batal")
    assert dialog.isVisible() and dialog.saved_person is None
    assert len(stored_persons(services)) == 1


def test_duplicate_saved_anyway_after_confirm(qtbot, services, desa, dialog, monkeypatch):
    register_siti(services, desa)
    monkeypatch.setattr(person_form, "confirm", lambda *args, **kwargs: True)
    type_person(qtbot, dialog.form, nik=SITI_NIK, name="Siti Aminah", born="12051980", sex="P")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(stored_persons(services)) == 2


def test_edit_person_updates_the_stored_row(qtbot, services, desa):
    siti = register_siti(services, desa)
    dlg = PersonDialog(services.persons, desa, person=services.persons.get(siti.id))
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.windowTitle() == "Ubah Data Orang"
    assert dlg.form.nik_edit.text() == SITI_NIK
    assert dlg.form.birth_date_edit.text() == "12-05-1980"
    assert dlg.form.female_radio.isChecked()
    qtbot.keyClicks(dlg.form.phone_edit, "0812 3456 7890")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    [person] = stored_persons(services)
    assert person.phone == "081234567890"


def test_escape_cancels(qtbot, services, dialog):
    qtbot.keyClicks(dialog.form.name_edit, "Budi")
    qtbot.keyClick(dialog.form.name_edit, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()
    assert stored_persons(services) == []


def test_alt_letters_jump_to_the_fields(qtbot, dialog):
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    for key, widget in ((Qt.Key.Key_N, dialog.form.name_edit),
                        (Qt.Key.Key_G, dialog.form.birth_date_edit),
                        (Qt.Key.Key_R, dialog.form.rt_edit),
                        (Qt.Key.Key_D, dialog.form.desa_combo)):
        qtbot.keyClick(dialog.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
        assert dialog.focusWidget() in (widget, widget.focusProxy())


def test_tab_follows_the_form(qtbot, dialog):
    form = dialog.form
    qtbot.mouseClick(form.female_radio, Qt.MouseButton.LeftButton)
    form.nik_edit.setFocus()
    seen = [form.nik_edit]
    for _ in range(11):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        seen.append(dialog.focusWidget())
    assert seen == [form.nik_edit, form.no_kk_edit, form.name_edit, form.birth_place_edit,
                    form.birth_date_edit, form.female_radio, form.address_edit, form.rt_edit,
                    form.rw_edit, form.desa_combo, form.phone_edit, form.notes_edit]


def label_of(form, widget) -> str:
    [label] = [w for w in form.findChildren(QLabel) if w.buddy() is widget]
    return label.text()


def test_labels_and_placeholders_come_from_the_form_file(dialog):
    spec = load_form(forms_dir() / "person.yaml")
    form = dialog.form
    assert label_of(form, form.name_edit) == spec.field("name").label + " *"
    assert label_of(form, form.nik_edit) == spec.field("nik").label
    assert label_of(form, form.rt_edit) == "&RT / RW"
    assert form.nik_edit.placeholderText() == spec.field("nik").placeholder
    assert form.desa_combo.lineEdit().placeholderText() == spec.field("desa_code").placeholder
    assert form.male_radio.text() == "&Laki-laki"


def test_a_changed_label_in_the_file_needs_no_code_change(qtbot, services, desa, tmp_path,
                                                          monkeypatch):
    text = (forms_dir() / "person.yaml").read_text(encoding="utf-8")
    text = text.replace('label: "&Nama lengkap"', 'label: "&Nama sesuai KTP"')
    text = text.replace("placeholder: kota atau kabupaten", "placeholder: mis. Serang")
    text = text.replace("label: Perempuan", "label: Wanita")
    copy = tmp_path / "person.yaml"
    copy.write_text(text, encoding="utf-8")
    monkeypatch.setattr(person_form, "person_form_spec", lambda: load_form(copy))

    dlg = PersonDialog(services.persons, desa)
    qtbot.addWidget(dlg)
    dlg.show()
    assert label_of(dlg.form, dlg.form.name_edit) == "&Nama sesuai KTP *"
    assert dlg.form.birth_place_edit.placeholderText() == "mis. Serang"
    assert dlg.form.female_radio.text() == "&Wanita"
