"""The form engine driven through its widgets (offscreen): every form file renders, fills and
round-trips; EntryDialog checks, saves and edits; HouseholdDialog keeps one head per family."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel
from sqlmodel import select

from pmks_desktop.domain.forms import FieldSpec, FormSpec, form_from_dict, load_form
from pmks_desktop.services.cases import CaseInput, CaseService
from pmks_desktop.services.households import HouseholdInput
from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.storage.models import ChangeLog, Household, RegisterEntry, RegisterMember
from pmks_desktop.ui.entry_dialog import EntryDialog
from pmks_desktop.ui.form_engine import FormView, MembersEditor, member_limits
from pmks_desktop.ui.household_dialog import HouseholdDialog

from conftest import ADMIN, REPO, office_setup

FORM_FILES = sorted(p.stem for p in (REPO / "forms" / "registers").glob("*.yaml"))
# The person and PMKS case forms: declarative files too, shown by their own dialogs.
OWN_FORMS = {spec.id: spec for spec in (load_form(REPO / "forms" / "person.yaml"),
                                        load_form(REPO / "forms" / "household.yaml"),
                                        load_form(REPO / "forms" / "pmks_case.yaml"))}
KK = "3604051203150001"
TEXT_SAMPLES = ("08:30", "3604051203150002", "1234567890", "12", "Uji coba")

ALL_TYPES = form_from_dict({
    "id": "semua_tipe", "version": 1, "title": "Semua Tipe", "bidang": "fakir_miskin",
    "unit": "group", "title_field": "name",
    "members": {"roles": [{"value": "ketua", "label": "Ketua"},
                          {"value": "anggota", "label": "Anggota"}]},
    "fields": [
        {"name": "name", "label": "Nama", "type": "text", "required": True, "max_length": 60,
         "section": "Umum", "help": "Nama lengkap"},
        {"name": "story", "label": "Uraian", "type": "textarea", "section": "Umum"},
        {"name": "count", "label": "Jumlah", "type": "integer", "min": 0, "section": "Umum"},
        {"name": "area", "label": "Luas", "type": "decimal", "section": "Umum"},
        {"name": "aid", "label": "Nilai", "type": "money", "section": "Umum"},
        {"name": "day", "label": "Tanggal", "type": "date", "section": "Umum"},
        {"name": "kind", "label": "Jenis", "type": "choice", "required": True,
         "choices": [{"value": "a", "label": "Satu"}, {"value": "b", "label": "Dua"}]},
        {"name": "job", "label": "Pekerjaan", "type": "choice", "allow_other": True,
         "choices": [{"value": "tani", "label": "Petani"}, {"value": "lain", "label": "Nelayan"}]},
        {"name": "needs", "label": "Kebutuhan", "type": "multichoice", "allow_other": True,
         "choices": ["Makanan", "Air", "Obat"]},
        {"name": "agree", "label": "Bersedia", "type": "bool"},
        {"name": "nik", "label": "NIK", "type": "nik", "section": "Identitas"},
        {"name": "kk", "label": "No. KK", "type": "kk", "section": "Identitas"},
        {"name": "phone", "label": "Telepon", "type": "phone", "section": "Identitas"},
        {"name": "desa", "label": "Desa", "type": "desa", "section": "Identitas"},
        {"name": "person", "label": "Orang", "type": "person", "section": "Tautan"},
        {"name": "household", "label": "Keluarga", "type": "household", "section": "Tautan"},
        {"name": "photos", "label": "Foto", "type": "photos", "section": "Tautan"},
        {"name": "items", "label": "Barang", "type": "items", "section": "Tautan",
         "columns": [{"name": "item", "label": "Barang", "type": "text", "required": True},
                     {"name": "qty", "label": "Jumlah", "type": "integer"},
                     {"name": "price", "label": "Harga", "type": "money"}]},
    ],
})

UJI = {
    "id": "uji", "version": 1, "title": "Register Uji", "short_title": "Uji",
    "bidang": "fakir_miskin", "unit": "group", "title_field": "group_name",
    "desa_field": "desa", "date_field": "held_on", "status_field": "status",
    "members": {"label": "Anggota", "roles": [{"value": "ketua", "label": "Ketua"},
                                              {"value": "anggota", "label": "Anggota"}],
                "unique_roles": ["ketua"]},
    "fields": [
        {"name": "group_name", "label": "Nama kelompok", "type": "text", "required": True,
         "max_length": 100},
        {"name": "status", "label": "Status", "type": "choice", "required": True,
         "choices": [{"value": "diusulkan", "label": "Diusulkan"},
                     {"value": "disetujui", "label": "Disetujui"}]},
        {"name": "aid_value", "label": "Nilai bantuan", "type": "money", "required": True,
         "min": 0},
        {"name": "held_on", "label": "Tanggal", "type": "date", "required": True},
        {"name": "desa", "label": "Desa", "type": "desa", "required": True},
    ],
    "rules": [{"kind": "members_count", "min": 2}],
}


# ------------------------------------------------------------------ fixtures and helpers

@pytest.fixture
def desa(services):
    return services.office.desa_list()


def add_people(app, desa) -> dict:
    def add(name, sex, nik, born):
        return app.persons.register(PersonInput(name=name, sex=sex, desa_code=desa[0].code,
                                                nik=nik, birth_date=born, no_kk=KK))

    return {"siti": add("Siti Aminah", "P", "3604055205800001", date(1980, 5, 12)),
            "budi": add("Budi Santoso", "L", "3604051205800001", date(1980, 5, 12)),
            "ani": add("Ani Rahayu", "P", "3604054101900002", date(1990, 1, 1))}


@pytest.fixture
def people(services, desa):
    return add_people(services, desa)


@pytest.fixture
def household(services, desa, people):
    return services.households.save(HouseholdInput(
        desa_code=desa[0].code, no_kk=KK, address="Kp. Sukajadi",
        members=[(people["budi"].id, "kepala"), (people["siti"].id, "istri")]))


@pytest.fixture
def photo(tmp_path) -> Path:
    path = tmp_path / "rumah.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#a0522d"))
    assert image.save(str(path))
    return path


def text_sample(spec: FieldSpec) -> str:
    if not spec.pattern:
        return f"Isian {spec.label}"[:spec.max_length or 100]
    for sample in TEXT_SAMPLES:
        if re.fullmatch(spec.pattern, sample):
            return sample
    pytest.fail(f"no sample text matches the pattern of {spec.name}: {spec.pattern}")


def number_sample(spec: FieldSpec) -> str:
    low = spec.min if spec.min is not None else 1
    value = low + 1 if spec.max is None or low + 1 <= spec.max else low
    if spec.type == "money":
        return f"{int(value) * 150_000:,}".replace(",", ".")
    if spec.type == "decimal":
        return f"{int(value) + 24},5" if spec.max is None or value + 25 <= spec.max \
            else str(int(value))
    return str(int(value))


def cell_sample(spec: FieldSpec) -> str:
    return number_sample(spec) if spec.type in ("integer", "decimal", "money") \
        else text_sample(spec)


def pick_in(qtbot, picker, text: str) -> None:
    """Type in a picker's search box, wait for results, choose the first with Enter."""
    qtbot.keyClicks(picker.search_edit, text)
    qtbot.waitUntil(lambda: picker.model.rowCount() > 0, timeout=3000)
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)


def choose(qtbot, combo, steps: int = 1) -> None:
    for _ in range(steps):
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def fill_field(qtbot, editor, desa, photo: Path) -> None:  # noqa: C901 - one branch per type
    spec = editor.spec
    kind = spec.type
    if kind == "text":
        qtbot.keyClicks(editor.edit, text_sample(spec))
    elif kind == "textarea":
        qtbot.keyClicks(editor.edit, "Catatan uji.")
    elif kind in ("integer", "decimal", "money"):
        qtbot.keyClicks(editor.edit, number_sample(spec))
        editor.edit.editingFinished.emit()  # as when Tab leaves the field
    elif kind == "date":
        qtbot.keyClicks(editor.edit, "17082024")
    elif kind == "choice" and spec.allow_other:
        qtbot.keyClicks(editor.combo.lineEdit(), spec.choices[-1].label)
    elif kind == "choice":
        choose(qtbot, editor.combo, 1 if spec.required else 2)
    elif kind == "multichoice":
        for box in list(editor.boxes.values())[:2]:
            box.click()
        if spec.allow_other:
            qtbot.keyClicks(editor.other_edit, "Sumbangan warga")
    elif kind == "bool":
        editor.check.click()
    elif kind in ("nik", "kk", "phone"):
        sample = {"nik": "3604054101900002", "kk": KK, "phone": "0812 3456 7890"}[kind]
        qtbot.keyClicks(editor.edit, sample)
    elif kind == "desa":
        qtbot.keyClicks(editor.combo.lineEdit(), desa[1].name)
    elif kind == "person":
        pick_in(qtbot, editor.picker, "Siti")
    elif kind == "household":
        pick_in(qtbot, editor.picker, KK[:10])
    elif kind == "photos":
        editor.add_files([str(photo)])
    elif kind == "items":
        for _row in range(2):
            qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
        table = editor.table
        for row_no in range(2):
            for column_no, column in enumerate(spec.columns):
                table.item(row_no, column_no).setText(cell_sample(column))
    else:
        pytest.fail(f"no way to fill a field of type {kind}")


def make_view(qtbot, services, form: FormSpec, desa) -> FormView:
    view = FormView(form, registers=services.registers, persons=services.persons,
                    households=services.households, desa=desa)
    qtbot.addWidget(view)
    view.show()
    return view


# ------------------------------------------------------------------ (a) every form round-trips

@pytest.mark.parametrize("form_id", [*FORM_FILES, *OWN_FORMS, ALL_TYPES.id])
def test_every_form_renders_fills_and_round_trips(qtbot, services, desa, people, household,
                                                   photo, form_id):
    form = ALL_TYPES if form_id == ALL_TYPES.id else OWN_FORMS.get(form_id) \
        or services.forms[form_id]
    view = make_view(qtbot, services, form, desa)
    assert set(view.editors) == {f.name for f in form.fields}
    for spec in form.fields:
        if spec.type == "desa" and view.editor(spec.name).value():
            continue  # already brought along by the chosen person or family
        fill_field(qtbot, view.editor(spec.name), desa, photo)

    values = view.values()
    assert set(values) == {f.name for f in form.fields}, "every field holds a value"
    if form_id in services.forms:  # the service accepts what the widgets give
        checked = services.registers.check(form.id, values)
        assert [i for i in checked.errors if i.field in values] == []
    if form_id == "person":  # the field names are PersonInput's; the service accepts the values
        checked = services.persons.check(PersonInput(**values))
        assert checked.errors == []

    fresh = make_view(qtbot, services, form, desa)
    fresh.set_values(values)
    assert fresh.values() == values


def test_case_form_lists_the_catalogue_types_and_disability_kinds(services):
    form = OWN_FORMS["pmks_case"]
    assert [(c.value, c.label) for c in form.field("type_code").choices] == \
        [(t.code, t.label) for t in services.catalogue.types]
    assert [(c.value, c.label) for c in form.field("disability_kind").choices] == \
        [(k.value, k.label) for k in services.catalogue.disability_kinds]
    assert {f.name for f in form.fields} <= set(CaseInput.__dataclass_fields__)


def test_recorded_case_keeps_the_version_of_the_case_form(services, people):
    criterion = services.catalogue.type("23").criteria[0].id
    inp = CaseInput(people["siti"].id, "23", date.today(), [criterion])
    case = services.cases.record(inp)
    assert case.form_version == OWN_FORMS["pmks_case"].version == services.cases.form.version

    # A new version of the file is what the next case keeps; the older case keeps its own.
    newer = form_from_dict(_raw_case_form(version=7), "pmks_case")
    later = CaseService(services.db, services.session, services.catalogue, newer).record(
        CaseInput(people["ani"].id, "23", date.today(), [criterion]))
    assert later.form_version == 7
    assert services.cases.get(case.id)[0].form_version == OWN_FORMS["pmks_case"].version


def _raw_case_form(version: int) -> dict:
    import yaml

    raw = yaml.safe_load((REPO / "forms" / "pmks_case.yaml").read_text(encoding="utf-8"))
    return {**raw, "version": version}


def test_all_types_values_are_typed_for_the_service(qtbot, services, desa, people, household,
                                                    photo):
    view = make_view(qtbot, services, ALL_TYPES, desa)
    for spec in ALL_TYPES.fields:
        fill_field(qtbot, view.editor(spec.name), desa, photo)
    values = view.values()
    assert values["aid"] == "300.000"
    assert values["area"] == "26,5"
    assert values["day"] == date(2024, 8, 17)
    assert values["kind"] == "a"
    assert values["job"] == "lain"  # the label typed in an editable combo gives its value
    assert values["needs"] == ["Makanan", "Air", "Sumbangan warga"]
    assert values["agree"] is True
    assert values["desa"] == desa[1].code
    assert values["person"] == people["siti"].id
    assert values["household"] == household.id
    assert services.registers.photo_path(values["photos"][0]).exists()
    assert values["items"][0] == {"item": "Isian Barang", "qty": "2", "price": "300.000"}


def test_blank_form_has_no_values_and_defaults_fill_in(qtbot, services, desa):
    form = form_from_dict({**UJI, "fields": [
        *UJI["fields"][:2],
        {"name": "aid_value", "label": "Nilai", "type": "money", "default_setting": "kube.aid_value"},
        {"name": "held_on", "label": "Tanggal", "type": "date", "default": "today"},
        {"name": "desa", "label": "Desa", "type": "desa"}]})
    view = make_view(qtbot, services, form, desa)
    assert view.values() == {}
    view.apply_defaults(services.settings.all())
    assert view.values() == {"aid_value": "20.000.000", "held_on": date.today()}


def test_issues_go_under_their_field_and_the_rest_in_the_general_note(qtbot, services, desa):
    from pmks_desktop.services.errors import Issue

    view = make_view(qtbot, services, form_from_dict(UJI), desa)
    view.show_issues([Issue("group_name", "Nama kelompok wajib diisi."),
                      Issue("parent", "Pilih data induk.")],
                     [Issue("aid_value", "Nilai besar sekali.")])
    assert view.note("group_name").text().count("wajib diisi") == 1
    assert "Perhatian: Nilai besar sekali." in view.note("aid_value").text()
    assert "Pilih data induk." in view.general_note.text()
    assert view.note("desa").isHidden()


def test_member_limits_come_from_rules_and_settings(services):
    kube = form_from_dict({**UJI, "rules": [{"kind": "members_count", "min_setting": "x.min",
                                             "max": 10}]})
    assert member_limits(kube) == (None, 10)  # the setting may differ: unknown
    assert member_limits(kube, {"x.min": 4}) == (4, 10)
    assert member_limits(form_from_dict(UJI)) == (2, None)


# ------------------------------------------------------------------ (b) EntryDialog

@pytest.fixture
def uji(db, regions, catalogue):
    """Services with only the test's own form, on a set-up office, administrator signed in."""
    from pmks_desktop.services.container import build_services
    from pmks_desktop.services.users import NewUser

    app = build_services(db, catalogue, forms={"uji": form_from_dict(UJI)})
    app.office.set_up(office_setup(regions), NewUser(ADMIN[0], "Admin Kecamatan",
                                                     "administrator", ADMIN[1], True))
    app.users.authenticate(*ADMIN)
    app.people = add_people(app, app.office.desa_list())
    return app


def open_entry(qtbot, app, **kwargs) -> EntryDialog:
    dialog = EntryDialog(app.registers, app.persons, app.households, app.forms["uji"],
                         app.office.desa_list(), **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def entries(app) -> list[RegisterEntry]:
    with app.db.read() as s:
        return list(s.exec(select(RegisterEntry)))


def test_simpan_with_missing_fields_shows_why_and_writes_nothing(qtbot, uji):
    dialog = open_entry(qtbot, uji)
    assert dialog.windowTitle() == "Tambah Uji"
    assert dialog.form_view.note("group_name").isHidden()  # a fresh form is not covered in red
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible() and dialog.saved_entry is None
    assert "Nama kelompok wajib diisi." in dialog.form_view.note("group_name").text()
    assert "Desa wajib diisi." in dialog.form_view.note("desa").text()
    assert "paling sedikit 2" in dialog.members_editor.note.text()
    assert dialog.focusWidget() is dialog.form_view.editor("group_name").edit
    assert entries(uji) == []


def test_live_check_shows_only_touched_fields(qtbot, uji):
    dialog = open_entry(qtbot, uji, parent_title="Banjir Kramatwatu 2025")
    assert any("Banjir Kramatwatu 2025" in label.text()
               for label in dialog.findChildren(QLabel))
    edit = dialog.form_view.editor("group_name").edit
    qtbot.keyClicks(edit, "K")
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: "wajib diisi" in dialog.form_view.note("group_name").text(),
                    timeout=2000)
    assert dialog.form_view.note("desa").isHidden()
    assert dialog.members_editor.note.isHidden()


def fill_uji(qtbot, dialog: EntryDialog, app) -> None:
    view = dialog.form_view
    qtbot.keyClicks(view.editor("group_name").edit, "KUBE Mekar Jaya")
    choose(qtbot, view.editor("status").combo)
    qtbot.keyClicks(view.editor("aid_value").edit, "Rp 20.000.000,-")
    qtbot.keyClicks(view.editor("held_on").edit, "17082024")
    qtbot.keyClicks(view.editor("desa").combo.lineEdit(), app.office.desa_list()[2].name)
    members = dialog.members_editor
    assert members.add_person(app.people["siti"], "ketua")
    assert members.add_person(app.people["budi"])
    assert not members.add_person(app.people["budi"])  # listed once only
    assert "Jumlah: 2 orang (syarat: paling sedikit 2)" == members.count_label.text()


def test_valid_entry_is_saved_with_members_and_change_log(qtbot, uji):
    dialog = open_entry(qtbot, uji)
    fill_uji(qtbot, dialog, uji)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.saved_entry is not None, dialog.errors
    [entry] = entries(uji)
    desa_code = uji.office.desa_list()[2].code
    assert entry.title == "KUBE Mekar Jaya" and entry.desa_code == desa_code
    assert entry.status == "diusulkan" and entry.recorded_on == date(2024, 8, 17)
    assert json.loads(entry.data) == {"group_name": "KUBE Mekar Jaya", "status": "diusulkan",
                                      "aid_value": 20_000_000, "held_on": "2024-08-17",
                                      "desa": desa_code}
    with uji.db.read() as s:
        members = s.exec(select(RegisterMember).where(RegisterMember.entry_id == entry.id)).all()
        logged = {c.row_id for c in s.exec(select(ChangeLog))}
    assert {(m.person_id, m.role) for m in members} == {
        (uji.people["siti"].id, "ketua"), (uji.people["budi"].id, "anggota")}
    assert entry.id in logged and all(m.id in logged for m in members)


def test_editing_an_entry_changes_it(qtbot, uji):
    first = open_entry(qtbot, uji)
    fill_uji(qtbot, first, uji)
    first.save()
    entry = first.saved_entry

    dialog = open_entry(qtbot, uji, entry_id=entry.id)
    view = dialog.form_view
    assert dialog.windowTitle() == "Ubah Uji"
    assert view.editor("aid_value").edit.text() == "20.000.000"
    assert view.editor("held_on").edit.text() == "17-08-2024"
    assert dialog.members_editor.table.rowCount() == 2
    view.editor("group_name").edit.clear()
    qtbot.keyClicks(view.editor("group_name").edit, "KUBE Sejahtera")
    view.editor("aid_value").edit.clear()
    qtbot.keyClicks(view.editor("aid_value").edit, "25000000")
    dialog.members_editor.add_person(uji.people["ani"])
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.saved_entry is not None, dialog.errors
    [stored] = entries(uji)
    assert stored.title == "KUBE Sejahtera" and stored.version_hlc != entry.version_hlc
    assert json.loads(stored.data)["aid_value"] == 25_000_000
    assert len(uji.registers.get(stored.id).members) == 3


def test_stale_edit_is_refused_with_a_message(qtbot, uji, monkeypatch):
    first = open_entry(qtbot, uji)
    fill_uji(qtbot, first, uji)
    first.save()
    dialog = open_entry(qtbot, uji, entry_id=first.saved_entry.id)
    other = open_entry(qtbot, uji, entry_id=first.saved_entry.id)
    qtbot.keyClicks(other.form_view.editor("group_name").edit, " Baru")
    other.save()
    shown = []
    monkeypatch.setattr("pmks_desktop.ui.entry_dialog.show_error",
                        lambda parent, error: shown.append(error.message))
    dialog.save()
    assert dialog.saved_entry is None and "baru saja diubah" in shown[0]


def test_members_editor_counts_against_the_rule(qtbot, uji):
    form = form_from_dict(UJI)
    editor = MembersEditor(form.members, uji.persons, uji.office.desa_list(), limits=(2, 5))
    qtbot.addWidget(editor)
    assert editor.count_label.text() == "Jumlah: 0 orang (syarat: 2–5 orang)"
    editor.add_person(uji.people["ani"])
    editor.table.set_role(0, "ketua")
    assert [(m.person_id, m.role) for m in editor.members()] == [(uji.people["ani"].id, "ketua")]
    editor.table.selectRow(0)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert editor.members() == []


@pytest.mark.skipif("rtlh" not in FORM_FILES, reason="forms/registers/rtlh.yaml not written yet")
def test_rtlh_verdict_panel_follows_the_form(qtbot, services, desa):
    dialog = EntryDialog(services.registers, services.persons, services.households,
                         services.forms["rtlh"], desa)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "muncul setelah" in dialog.verdict_label.text()
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    view = dialog.form_view
    for name in ("roof", "walls", "floor"):
        choose(qtbot, view.editor(name).combo)  # all "layak"
    qtbot.waitUntil(lambda: "Tidak memenuhi syarat" in dialog.verdict_label.text(), timeout=2000)
    assert "Atap dalam kondisi layak." in dialog.verdict_label.text()

    choose(qtbot, view.editor("roof").combo)  # rusak
    choose(qtbot, view.editor("mck").combo)
    choose(qtbot, view.editor("land_status").combo)  # sertifikat
    qtbot.keyClicks(view.editor("floor_area").edit, "36")
    qtbot.keyClicks(view.editor("occupants").edit, "4")
    view.editor("agrees_no_sale").check.click()
    view.editor("registered_poor").check.click()
    qtbot.waitUntil(lambda: dialog.verdict and dialog.verdict["eligible"], timeout=2000)
    assert "<b>Memenuhi syarat</b>" in dialog.verdict_label.text()
    assert "Atap rusak" in dialog.verdict_label.text()


# ------------------------------------------------------------------ (c) HouseholdDialog

def open_household(qtbot, services, desa, **kwargs) -> HouseholdDialog:
    dialog = HouseholdDialog(services.households, services.persons, desa, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def households(services) -> list[Household]:
    with services.db.read() as s:
        return list(s.exec(select(Household)))


def test_household_with_two_members_and_one_head(qtbot, services, desa, people):
    dialog = open_household(qtbot, services, desa)
    dialog.add_member(people["budi"])
    dialog.add_member(people["siti"])
    table = dialog.members_table
    assert table.role_combo(0).currentData() == "kepala"  # the first is the head
    assert table.role_combo(1).currentData() is None  # the others are chosen by the user
    assert dialog.no_kk_edit.text() == KK  # brought along from the person
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Pilih hubungan keluarga untuk Siti Aminah." in dialog.note("members").text()
    assert households(services) == []

    table.set_role(1, "istri")
    qtbot.keyClicks(dialog.address_edit, "Kp. Sukajadi")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = dialog.saved_household
    assert saved is not None
    view = services.households.get(saved.id)
    assert view.household.no_kk == KK and view.household.desa_code == desa[0].code
    assert view.household.head_person_id == people["budi"].id
    assert [(m.relation, p.name) for m, p in view.members] == [
        ("kepala", "Budi Santoso"), ("istri", "Siti Aminah")]

    edit = open_household(qtbot, services, desa, household_id=saved.id)
    assert edit.windowTitle() == "Ubah Data Keluarga" and edit.members_table.rowCount() == 2
    assert edit.address_edit.text() == "Kp. Sukajadi"


def test_household_with_two_heads_is_refused(qtbot, services, desa, people):
    dialog = open_household(qtbot, services, desa)
    dialog.add_member(people["budi"])
    dialog.add_member(people["siti"], "kepala")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.saved_household is None
    assert "tepat satu anggota sebagai Kepala Keluarga" in dialog.note("members").text()
    assert households(services) == []


def test_household_picker_finds_by_head_name(qtbot, services, desa, people, household):
    from pmks_desktop.ui.household_picker import HouseholdPicker

    picker = HouseholdPicker(services.households, services.persons, desa)
    qtbot.addWidget(picker)
    picker.show()
    assert picker.results_view.isHidden()
    pick_in(qtbot, picker, "budi")
    assert picker.household().id == household.id
    assert "Budi Santoso" in picker.summary_label.text()
    assert picker.results_view.isHidden()


def test_every_form_file_in_forms_is_covered():
    """A new form file must be added to the round trip above (or be a register form)."""
    files = {p.stem for p in (REPO / "forms").glob("*.yaml")} - {"pmks_catalogue"}
    assert files == set(OWN_FORMS)
