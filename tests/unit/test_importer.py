"""Excel/CSV import: template, broken files, mapping, the dry run's verdicts, all-or-nothing commit.

The register forms are built here with form_from_dict, so these tests do not depend on the
files in forms/registers.
"""
from __future__ import annotations

import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import func, select

from conftest import ADMIN, office_setup
from pmks_desktop.domain.forms import form_from_dict
from pmks_desktop.services.errors import PermissionDenied, ServiceError, StaleRecord
from pmks_desktop.services.exports import OperationCancelled
from pmks_desktop.services.importer import PERSONS, ImportFileError, ImportService
from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.services.registers import MemberInput
from pmks_desktop.services.users import NewUser
from pmks_desktop.storage.models import (AuditEntry, ChangeLog, Person, RegisterEntry,
                                         RegisterMember)

DESA = "36.04.05.2001"  # Kramatwatu
SITI, BUDI, AHMAD = "3604055205800001", "3604051508750003", "3604051205800002"
KAKEK, NENEK = "3604050101500004", "3604054303550005"
PERSON_HEADER = ["NIK", "Nama", "Jenis Kelamin (L/P)", "Tanggal Lahir", "Desa", "Alamat",
                 "Telepon"]

LANSIA = {
    "id": "uji_lansia", "version": 1, "title": "Uji Lansia Terlantar", "short_title": "Lansia",
    "bidang": "resos", "unit": "person", "title_field": "person", "person_field": "person",
    "desa_field": "desa", "date_field": "recorded_on", "status_field": "status",
    "list_columns": ["person", "desa", "status"],
    "fields": [
        {"name": "person", "label": "Orang", "type": "person", "required": True},
        {"name": "desa", "label": "Desa", "type": "desa", "required": True},
        {"name": "recorded_on", "label": "Tanggal pendataan", "type": "date", "required": True},
        {"name": "status", "label": "Status", "type": "choice", "required": True,
         "default": "aktif", "choices": [{"value": "aktif", "label": "Aktif"},
                                         {"value": "nonaktif", "label": "Nonaktif"}]},
        {"name": "aid", "label": "Nilai bantuan", "type": "money", "min": 0},
        {"name": "notes", "label": "Catatan", "type": "textarea"},
    ],
    "rules": [{"kind": "person_age", "min": 60}],
}
KELOMPOK = {
    "id": "uji_kelompok", "version": 1, "title": "Uji Kelompok Usaha", "short_title": "Kelompok",
    "bidang": "fakir_miskin", "unit": "group", "title_field": "group_name",
    "desa_field": "desa", "date_field": "proposed_on",
    "members": {"label": "Anggota", "roles": [{"value": "ketua", "label": "Ketua"},
                                              {"value": "anggota", "label": "Anggota"}],
                "unique_roles": ["ketua"]},
    "fields": [
        {"name": "group_name", "label": "Nama kelompok", "type": "text", "required": True},
        {"name": "desa", "label": "Desa", "type": "desa", "required": True},
        {"name": "year", "label": "Tahun", "type": "integer", "min": 2000, "max": 2100},
        {"name": "aid_value", "label": "Nilai bantuan", "type": "money", "min": 0},
        {"name": "proposed_on", "label": "Tanggal usulan", "type": "date"},
    ],
    "rules": [{"kind": "members_count", "min": 2, "max": 5}],
}


@pytest.fixture
def app(db, regions, catalogue):
    from pmks_desktop.services.container import build_services

    forms = {"uji_lansia": form_from_dict(LANSIA), "uji_kelompok": form_from_dict(KELOMPOK)}
    services = build_services(db, catalogue, forms=forms)
    services.office.set_up(office_setup(regions), NewUser(ADMIN[0], "Admin", "administrator",
                                                          ADMIN[1], True))
    services.users.authenticate(*ADMIN)
    services.importer = ImportService(services.db, services.session, services.persons,
                                      services.registers, services.forms, services.settings)
    return services


def xlsx(path, rows, sheet_title="Data"):
    book = Workbook()
    book.active.title = sheet_title
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path


def person(app, name, nik, sex="P", born=date(1980, 5, 12), **more):
    return app.persons.register(PersonInput(name=name, sex=sex, desa_code=DESA, nik=nik,
                                            birth_date=born, **more), allow_duplicate=True)


def dry_run(app, path, target=PERSONS, **kw):
    sheet = app.importer.read(path)
    mapping = app.importer.suggest_mapping(target, sheet.headers)
    return app.importer.plan(target, sheet, mapping, **kw)


def by_row(plan):
    return {r.row_number: r for r in plan.rows}


def count(app, model) -> int:
    with app.db.read() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def audits(app, action):
    with app.db.read() as s:
        return s.exec(select(AuditEntry).where(AuditEntry.action == action)).all()


# ------------------------------------------------------------------ template

def test_person_template_has_text_nik_and_a_guide(app, tmp_path):
    path = app.importer.template(PERSONS, tmp_path / "templat.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Data", "Petunjuk"]
    header = [c.value for c in book["Data"][1]]
    assert header[:3] == ["NIK", "Nama *", "Jenis Kelamin (L/P) *"]
    nik = header.index("NIK") + 1
    assert book["Data"].cell(row=2, column=nik).number_format == "@"
    guide = "\n".join(str(c.value) for row in book["Petunjuk"].iter_rows() for c in row
                      if c.value)
    assert "3,60405E+15" in guide and "Petunjuk" in guide
    assert "27-07-2024" in guide and "L (laki-laki) atau P (perempuan)" in guide


def test_register_template_has_person_columns_fields_and_choices(app, tmp_path):
    path = app.importer.template("uji_lansia", tmp_path / "lansia.xlsx")
    book = load_workbook(path)
    header = [c.value for c in book["Data"][1]]
    assert header[:3] == ["NIK *", "Nama", "Jenis Kelamin (L/P)"]
    assert "Desa (Lansia) *" in header and "Status *" in header and "Orang" not in header
    guide = [[c.value for c in row] for row in book["Petunjuk"].iter_rows()]
    status = next(r for r in guide if r[0] == "Status *".rstrip(" *"))
    assert status[1] == "Ya" and "Aktif; Nonaktif" in status[3]
    assert any("A" in str(v.sqref) or v.formula1 for v in
               book["Data"].data_validations.dataValidation)
    # the template reads back as an import with every column recognised
    mapping = app.importer.suggest_mapping("uji_lansia", header)
    assert len(mapping) == len(header)


# ------------------------------------------------------------------ broken files

def test_non_excel_file_renamed_xlsx_is_refused_clearly(app, tmp_path):
    fake = tmp_path / "data.xlsx"
    fake.write_bytes(b"%PDF-1.4 bukan excel")
    with pytest.raises(ImportFileError, match=r"data\.xlsx bukan berkas Excel \(\.xlsx\) yang sah"):
        app.importer.read(fake)
    other_zip = tmp_path / "arsip.xlsx"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("foto.txt", "halo")
    with pytest.raises(ImportFileError, match="bukan berkas Excel"):
        app.importer.read(other_zip)


def test_empty_sheet_and_header_only_sheet(app, tmp_path):
    with pytest.raises(ImportFileError, match="kosong"):
        app.importer.read(xlsx(tmp_path / "kosong.xlsx", []))
    with pytest.raises(ImportFileError, match="hanya berisi judul kolom"):
        app.importer.read(xlsx(tmp_path / "judul.xlsx", [PERSON_HEADER]))


def test_missing_header_row_is_named(app, tmp_path):
    path = xlsx(tmp_path / "tanpa-judul.xlsx",
                [[SITI, "Siti", "P", "12-05-1980", DESA], [BUDI, "Budi", "L", "", DESA]])
    with pytest.raises(ImportFileError, match="baris 1 berisi data"):
        app.importer.read(path)


def test_wrong_columns_refuse_the_dry_run(app, tmp_path):
    path = xlsx(tmp_path / "lain.xlsx", [["Barang", "Harga"], ["Beras", 12000]])
    sheet = app.importer.read(path)
    mapping = app.importer.suggest_mapping(PERSONS, sheet.headers)
    assert mapping == {}
    with pytest.raises(ImportFileError, match="Tidak ada kolom berkas yang cocok"):
        app.importer.plan(PERSONS, sheet, mapping)
    with pytest.raises(ImportFileError, match="NIK wajib dipetakan"):
        app.importer.plan("uji_lansia", sheet, {0: "notes"})


def test_csv_with_semicolons_and_bom(app, tmp_path):
    path = tmp_path / "orang.csv"
    path.write_text("NIK;Nama;Jenis Kelamin;Tanggal Lahir;Desa\n"
                    f"{SITI};Siti Aminah;P;12-05-1980;Kramatwatu\n", encoding="utf-8-sig")
    plan = dry_run(app, path)
    assert [(r.status, r.values["nik"], r.values["desa_code"]) for r in plan.rows] == \
        [("baru", SITI, DESA)]


# ------------------------------------------------------------------ NIK, dates, duplicates

def test_bad_niks_are_rejected_with_clear_reasons(app, tmp_path):
    path = xlsx(tmp_path / "nik.xlsx", [
        PERSON_HEADER,
        [3604055205800001, "Siti Angka", "P", "12-05-1980", "Kramatwatu"],
        ["3.60405E+15", "Siti Ilmiah", "P", "12-05-1980", "Kramatwatu"],
        ["12345", "Siti Pendek", "P", "12-05-1980", "Kramatwatu"],
        ["3604053205800001", "Siti Hari", "P", "12-05-1980", "Kramatwatu"],
        [SITI, "Siti Benar", "P", "12-05-1980", "Kramatwatu"],
    ])
    rows = by_row(dry_run(app, path))
    assert rows[2].status == rows[3].status == "ditolak"
    assert "notasi ilmiah" in rows[2].reasons[0] and "Teks" in rows[2].reasons[0]
    assert "notasi ilmiah" in rows[3].reasons[0]
    assert rows[4].reasons == ["NIK harus 16 angka; yang diisi 5 angka."]
    assert "angka hari 32" in rows[5].reasons[0]
    assert rows[6].status == "baru" and rows[6].reasons == []


def test_dates_in_every_accepted_form(app, tmp_path):
    born = date(1980, 5, 12)
    serial = (born - date(1899, 12, 30)).days
    niks = ["3604055205800001", "3604055205800002", "3604055205800003", "3604055205800004",
            "3604055205800005"]
    path = xlsx(tmp_path / "tanggal.xlsx", [
        PERSON_HEADER,
        [niks[0], "Ani", "P", "12-05-1980", "Kramatwatu"],
        [niks[1], "Ina", "P", "1980-05-12", "Kramatwatu"],
        [niks[2], "Una", "P", datetime(1980, 5, 12), "Kramatwatu"],
        [niks[3], "Eni", "P", serial, "Kramatwatu"],
        [niks[4], "Oni", "P", "31-02-1980", "Kramatwatu"],
        ["", "Ati", "P", "kemarin", "Kramatwatu"],
    ])
    rows = by_row(dry_run(app, path))
    assert [rows[n].values["birth_date"] for n in (2, 3, 4, 5)] == [born] * 4
    assert rows[6].status == "ditolak" and "tidak ada di kalender" in rows[6].reasons[0]
    assert rows[7].status == "ditolak" and "tidak dikenali" in rows[7].reasons[0]
    assert rows[7].reasons[0].startswith("Tanggal Lahir:")


def test_same_nik_twice_in_file_names_the_first_row(app, tmp_path):
    path = xlsx(tmp_path / "ganda.xlsx", [
        PERSON_HEADER,
        [SITI, "Siti Aminah", "P", "12-05-1980", "Kramatwatu"],
        [BUDI, "Budi", "L", "15-08-1975", "Kramatwatu"],
        [SITI, "Siti Lagi", "P", "12-05-1980", "Kramatwatu"],
    ])
    rows = by_row(dry_run(app, path))
    assert rows[2].status == "baru" and rows[3].status == "baru"
    assert rows[4].status == "ditolak"
    assert rows[4].reasons == [f"NIK {SITI} sudah ada pada baris 2 berkas ini."]


def test_nik_already_in_db_updates_and_twice_in_db_is_refused(app, tmp_path):
    person(app, "Siti Aminah", SITI)
    person(app, "Ahmad", AHMAD, sex="L")
    person(app, "Ahmad Kembar", AHMAD, sex="L")
    path = xlsx(tmp_path / "ada.xlsx", [
        PERSON_HEADER,
        [SITI, "Siti Aminah", "P", "12-05-1980", "Kramatwatu", "Kp. Baru No. 1"],
        [AHMAD, "Ahmad", "L", "12-05-1980", "Kramatwatu"],
    ])
    rows = by_row(dry_run(app, path))
    assert rows[2].status == "diperbarui" and rows[2].action.values == {
        "address": "Kp. Baru No. 1"}
    assert rows[3].status == "ditolak" and "tercatat pada 2 orang" in rows[3].reasons[0]


# ------------------------------------------------------------------ plan and commit

def test_dry_run_writes_nothing_then_commit_writes_all_and_audits(app, tmp_path):
    siti = person(app, "Siti Aminah", SITI, phone="081234567890", address="Kp. Lama")
    person(app, "Ahmad", AHMAD, sex="L")
    before = count(app, ChangeLog)
    path = xlsx(tmp_path / "orang.xlsx", [
        PERSON_HEADER,
        [SITI, "siti aminah", "P", "12-05-1980", "kramatwatu", "Kp. Baru"],
        [AHMAD, "Ahmad", "L", "12-05-1980", "Kramatwatu"],
        [BUDI, "budi santoso", "L", "15-08-1975", "Margasana", None, "0812 1111 2222"],
    ])
    plan = dry_run(app, path)
    assert plan.counts() == {"baru": 1, "diperbarui": 1, "tidak berubah": 1, "ditolak": 0}
    assert count(app, ChangeLog) == before and count(app, Person) == 2
    result = app.importer.commit(plan)
    assert result.counts == plan.counts() and result.written == 2
    with app.db.read() as s:
        stored = s.get(Person, siti.id)
        budi = s.exec(select(Person).where(Person.nik == BUDI)).one()
    assert (stored.address, stored.phone) == ("Kp. Baru", "081234567890")
    assert (budi.name, budi.desa_code, budi.phone) == ("Budi Santoso", "36.04.05.2002",
                                                       "081211112222")
    [entry] = audits(app, "import")
    assert "orang.xlsx" in entry.detail and '"baru":1' in entry.detail
    assert count(app, ChangeLog) == before + 2  # one insert, one update: sync sees both


def test_blank_cells_never_erase_stored_values(app, tmp_path):
    siti = person(app, "Siti Aminah", SITI, phone="081234567890", address="Kp. Lama",
                  rt="3", rw="1")
    path = xlsx(tmp_path / "kosong.xlsx", [
        ["NIK", "Nama", "Alamat", "Telepon", "RT", "RW", "Tanggal Lahir"],
        [SITI, "", "Kp. Baru", None, " ", None, None],
    ])
    plan = dry_run(app, path)
    assert plan.rows[0].status == "diperbarui"
    assert plan.rows[0].action.values == {"address": "Kp. Baru"}
    app.importer.commit(plan)
    with app.db.read() as s:
        stored = s.get(Person, siti.id)
    assert (stored.name, stored.phone, stored.rt, stored.rw, stored.birth_date) == \
        ("Siti Aminah", "081234567890", "003", "001", date(1980, 5, 12))


def test_same_file_twice_is_all_unchanged_the_second_time(app, tmp_path):
    path = xlsx(tmp_path / "dua-kali.xlsx", [
        PERSON_HEADER,
        [SITI, "Siti Aminah", "P", "12-05-1980", "Kramatwatu", "Kp. Baru", "081234567890"],
        [BUDI, "Budi", "L", "15-08-1975", "Margasana"],
        ["", "Gelandangan Tanpa NIK", "L", "", "Pejaten"],
    ])
    first = dry_run(app, path)
    app.importer.commit(first)
    second = dry_run(app, path)
    assert [r.status for r in second.rows[:2]] == ["tidak berubah"] * 2
    # a person without NIK cannot be matched: new again, with a hint that may be a duplicate
    assert second.rows[2].status == "baru"


def test_rejected_rows_block_commit_unless_skipped(app, tmp_path):
    path = xlsx(tmp_path / "campur.xlsx", [
        PERSON_HEADER,
        [SITI, "Siti Aminah", "P", "12-05-1980", "Kramatwatu"],
        [BUDI, "Budi", "X", "15-08-1975", "Kramatwatu"],
        [AHMAD, "Ahmad", "L", "12-05-1980", "Desa Antah"],
    ])
    plan = dry_run(app, path)
    rows = by_row(plan)
    assert rows[3].reasons == ["Pilih jenis kelamin: laki-laki atau perempuan."]
    assert rows[4].reasons == ["Desa: desa 'Desa Antah' tidak ada dalam daftar desa kantor ini."]
    with pytest.raises(ServiceError, match=r"2 baris ditolak \(baris 3, 4\)"):
        app.importer.commit(plan)
    assert count(app, Person) == 0 and audits(app, "import") == []
    result = app.importer.commit(plan, skip_rejected=True)
    assert result.counts["baru"] == 1 and result.counts["ditolak"] == 2
    assert count(app, Person) == 1


def test_a_database_failure_at_commit_leaves_nothing_written(app, tmp_path):
    path = xlsx(tmp_path / "gagal.xlsx", [
        PERSON_HEADER,
        [SITI, "Siti Aminah", "P", "12-05-1980", "Kramatwatu"],
        [BUDI, "Budi", "L", "15-08-1975", "Kramatwatu"],
        [AHMAD, "Ahmad", "L", "12-05-1980", "Kramatwatu"],
    ])
    plan = dry_run(app, path)
    plan.rows[2].action.values["name"] = None  # NOT NULL: the database refuses row 4
    before = count(app, ChangeLog)
    with pytest.raises(ServiceError, match="pada salah satu baris 2–4; tidak ada data yang"):
        app.importer.commit(plan)
    assert count(app, Person) == 0 and count(app, ChangeLog) == before
    assert audits(app, "import") == []


def test_cancel_during_commit_rolls_everything_back(app, tmp_path):
    rows = [PERSON_HEADER] + [[f"36040552058000{i:02d}", f"Orang {chr(65 + i % 26)}{chr(97 + i // 26)}", "P",
                               "12-05-1980", "Kramatwatu"] for i in range(1, 40)]
    plan = dry_run(app, xlsx(tmp_path / "banyak.xlsx", rows))
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 30

    with pytest.raises(OperationCancelled):
        app.importer.commit(plan, cancelled=cancelled)
    assert count(app, Person) == 0


def test_a_record_changed_after_the_dry_run_stops_the_commit(app, tmp_path):
    siti = person(app, "Siti Aminah", SITI)
    path = xlsx(tmp_path / "basi.xlsx", [PERSON_HEADER[:3] + ["Alamat"],
                                         [SITI, "Siti Aminah", "P", "Kp. Baru"],
                                         [BUDI, "Budi", "L", None]])
    plan = dry_run(app, xlsx(path, [PERSON_HEADER[:3] + ["Alamat", "Desa"],
                                    [SITI, "Siti Aminah", "P", "Kp. Baru", "Kramatwatu"],
                                    [BUDI, "Budi", "L", None, "Kramatwatu"]]))
    app.persons.update(siti.id, PersonInput("Siti Aminah", "P", DESA, nik=SITI,
                                            birth_date=date(1980, 5, 12), phone="0811111111"),
                       expected_version=siti.version_hlc, allow_duplicate=True)
    with pytest.raises(StaleRecord, match="Baris 2"):
        app.importer.commit(plan)
    assert count(app, Person) == 1


def test_import_needs_the_edit_permission(app, tmp_path):
    app.users.create(NewUser("vera", "Vera", "verifikator", "kata-sandi-123"))
    path = xlsx(tmp_path / "o.xlsx", [PERSON_HEADER, [SITI, "Siti", "P", "", "Kramatwatu"]])
    sheet = app.importer.read(path)
    app.users.authenticate("vera", "kata-sandi-123")
    with pytest.raises(PermissionDenied):
        app.importer.plan(PERSONS, sheet, app.importer.suggest_mapping(PERSONS, sheet.headers))


# ------------------------------------------------------------------ registers

LANSIA_HEADER = ["NIK", "Nama", "Jenis Kelamin (L/P)", "Tanggal Lahir", "Desa",
                 "Tanggal pendataan", "Status", "Nilai bantuan"]


def test_person_register_matches_by_nik_and_creates_missing_persons(app, tmp_path):
    kakek = person(app, "Kakek Sugiono", KAKEK, sex="L", born=date(1950, 1, 1))
    path = xlsx(tmp_path / "lansia.xlsx", [
        LANSIA_HEADER,
        [KAKEK, None, None, None, None, "01-07-2024", "Aktif", 300000],
        [NENEK, "Nenek Imas", "P", "03-03-1955", "Margasana", "2024-07-02", None, "Rp 250.000"],
        [BUDI, None, None, None, None, "01-07-2024", "Aktif", None],
        [SITI, "Siti Muda", "P", "12-05-1980", "Kramatwatu", "01-07-2024", "Aktif", None],
    ])
    plan = dry_run(app, path, "uji_lansia")
    rows = by_row(plan)
    assert rows[2].status == "baru" and rows[2].values["person"] == kakek.id
    assert rows[2].values["desa"] == DESA  # the person's desa when the column is absent
    assert rows[3].status == "baru" and rows[3].values["status"] == "aktif"  # form default
    assert rows[3].values["aid"] == 250000 and rows[3].label == "Nenek Imas"
    assert rows[4].status == "ditolak" and "belum terdaftar" in rows[4].reasons[0]
    assert "Nama, Jenis Kelamin, Desa" in rows[4].reasons[0]
    assert rows[5].status == "ditolak"
    assert len(rows[5].reasons) == 1 and "Siti Muda berumur" in rows[5].reasons[0]
    result = app.importer.commit(plan, skip_rejected=True)
    assert result.counts["baru"] == 2
    with app.db.read() as s:
        nenek = s.exec(select(Person).where(Person.nik == NENEK)).one()
        entries = s.exec(select(RegisterEntry).where(
            RegisterEntry.register_code == "uji_lansia")).all()
    assert nenek.desa_code == "36.04.05.2002"
    assert {e.person_id for e in entries} == {kakek.id, nenek.id}
    assert {e.title for e in entries} == {"Kakek Sugiono", "Nenek Imas"}

    again = by_row(dry_run(app, path, "uji_lansia"))
    assert again[2].status == again[3].status == "tidak berubah"


def test_person_register_update_keeps_blank_cells_and_warns_on_person_differences(app,
                                                                                  tmp_path):
    kakek = person(app, "Kakek Sugiono", KAKEK, sex="L", born=date(1950, 1, 1))
    entry = app.registers.save("uji_lansia", {"person": kakek.id, "desa": DESA,
                                              "recorded_on": date(2024, 7, 1),
                                              "status": "aktif", "aid": 300000,
                                              "notes": "rumah di belakang masjid"})
    path = xlsx(tmp_path / "ubah.xlsx", [
        ["NIK", "Nama", "Status", "Catatan", "Nilai bantuan"],
        [KAKEK, "Kakek Sugiyono", "Nonaktif", None, None],
    ])
    [row] = dry_run(app, path, "uji_lansia").rows
    assert row.status == "diperbarui"
    assert row.values["status"] == "nonaktif" and row.values["aid"] == 300000
    assert row.values["notes"] == "rumah di belakang masjid"
    assert any("berbeda dengan yang tersimpan (Nama)" in w for w in row.warnings)
    assert row.action.entry_id == entry.id


def test_group_register_matches_title_and_desa_with_members(app, tmp_path):
    siti = person(app, "Siti Aminah", SITI)
    budi = person(app, "Budi", BUDI, sex="L", born=date(1975, 8, 15))
    header = ["Nama kelompok", "Desa", "Tahun", "Nilai bantuan", "NIK Anggota"]
    path = xlsx(tmp_path / "kelompok.xlsx", [
        header,
        ["KUBE Mawar", "Kramatwatu", 2024, 20000000, f"{SITI} (Ketua), {BUDI}"],
        ["KUBE Melati", "Margasana", 2024, 20000000, SITI],
        ["kube mawar", "Kramatwatu", 2025, None, None],
        ["KUBE Anggrek", "Pejaten", 2024, None, f"{SITI}; 3604059999990001"],
    ])
    rows = by_row(dry_run(app, path, "uji_kelompok"))
    assert rows[2].status == "baru" and rows[2].action.members == [
        MemberInput(siti.id, "ketua"), MemberInput(budi.id, "anggota")]
    assert rows[3].status == "ditolak" and rows[3].reasons == [
        "Jumlah anggota 1; paling sedikit 2."]
    assert rows[4].status == "ditolak" and "baris 2" in rows[4].reasons[0]
    assert rows[5].status == "ditolak" and "belum terdaftar" in " ".join(rows[5].reasons)
    plan = dry_run(app, path, "uji_kelompok")
    app.importer.commit(plan, skip_rejected=True)
    with app.db.read() as s:
        assert count(app, RegisterMember) == 2
        mawar = s.exec(select(RegisterEntry).where(RegisterEntry.title == "KUBE Mawar")).one()
    update = xlsx(tmp_path / "ubah.xlsx", [header, ["KUBE MAWAR", "Kramatwatu", 2025, None, None]])
    [row] = dry_run(app, update, "uji_kelompok").rows
    assert row.status == "diperbarui" and row.action.entry_id == mawar.id
    assert row.action.members is None and row.values["aid_value"] == 20000000


# ------------------------------------------------------------------ headless: pmks import-xlsx

def run_cli(data_paths, *argv) -> int:
    import argparse

    from pmks_desktop.cli_import import add_import

    parser = argparse.ArgumentParser(prog="pmks")
    add_import(parser.add_subparsers(dest="command"), argparse.ArgumentParser(add_help=False))
    args = parser.parse_args([str(a) for a in argv])
    return args.handler(args, data_paths)


def test_cli_dry_run_commit_and_template(app, data_paths, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PMKS_PASSWORD", ADMIN[1])
    bad = xlsx(tmp_path / "buruk.xlsx", [PERSON_HEADER,
                                         [SITI, "Siti Aminah", "P", "12-05-1980", "Kramatwatu"],
                                         [SITI, "Siti Lagi", "P", "12-05-1980", "Kramatwatu"]])
    code = run_cli(data_paths, "import-xlsx", bad, "--target", "persons", "--as", "admin")
    out = capsys.readouterr().out
    assert code == 1 and "sudah ada pada baris 2" in out and "1 baru" in out
    assert "tidak ada yang disimpan" in out and count(app, Person) == 0
    assert run_cli(data_paths, "import-xlsx", bad, "--target", "persons", "--as", "admin",
                   "--dry-run", "--skip-rejected") == 0
    assert count(app, Person) == 0
    assert run_cli(data_paths, "import-xlsx", bad, "--target", "persons", "--as", "admin",
                   "--skip-rejected") == 0
    assert "Impor selesai: 1 baru" in capsys.readouterr().out and count(app, Person) == 1
    out_file = tmp_path / "templat-orang.xlsx"  # the CLI loads forms/: persons needs none
    assert run_cli(data_paths, "import-xlsx", "--target", "persons", "--template",
                   out_file) == 0
    assert load_workbook(out_file).sheetnames == ["Data", "Petunjuk"]


def test_title_lines_above_the_header_are_skipped(app, tmp_path):
    path = xlsx(tmp_path / "berjudul.xlsx", [
        ["DATA PENDUDUK DESA KRAMATWATU"], ["Diambil 27-07-2024"], [],
        PERSON_HEADER, [SITI, "Siti Aminah", "P", "12-05-1980", "Kramatwatu"]])
    sheet = app.importer.read(path)
    assert sheet.header_row == 4 and sheet.headers[0] == "NIK"
    assert [r.row_number for r in dry_run(app, path).rows] == [5]


def test_import_key_lets_one_person_receive_many_aid_rows(db, regions, catalogue, tmp_path):
    """Aid handed out: the same person twice is two rows, matched again by the receipt."""
    from pmks_desktop.services.container import build_services

    bantuan = dict(LANSIA, id="uji_bantuan", title="Uji Bantuan", import_key="receipt",
                   rules=[], fields=LANSIA["fields"] + [
                       {"name": "receipt", "label": "Nomor tanda terima", "type": "text"}])
    services = build_services(db, catalogue, forms={"uji_bantuan": form_from_dict(bantuan)})
    services.office.set_up(office_setup(regions), NewUser(ADMIN[0], "Admin", "administrator",
                                                          ADMIN[1], True))
    services.users.authenticate(*ADMIN)
    kakek = person(services, "Kakek Sugiono", KAKEK, sex="L", born=date(1950, 1, 1))
    header = LANSIA_HEADER + ["Nomor tanda terima"]
    path = xlsx(tmp_path / "bantuan.xlsx", [
        header,
        [KAKEK, None, None, None, None, "01-07-2024", "Aktif", 300000, "TT-001"],
        [KAKEK, None, None, None, None, "02-07-2024", "Aktif", 150000, "TT-002"],
        [KAKEK, None, None, None, None, "02-07-2024", "Aktif", 150000, "TT-002"],
    ])
    rows = by_row(dry_run(services, path, "uji_bantuan"))
    assert rows[2].status == rows[3].status == "baru", (rows[3].reasons)
    assert rows[4].status == "ditolak" and "baris 3" in rows[4].reasons[0]
    services.importer.commit(dry_run(services, path, "uji_bantuan"), skip_rejected=True)
    with services.db.read() as s:
        stored = s.exec(select(RegisterEntry).where(
            RegisterEntry.register_code == "uji_bantuan")).all()
    assert len(stored) == 2 and {e.person_id for e in stored} == {kakek.id}
    again = by_row(dry_run(services, path, "uji_bantuan"))
    assert again[2].status == again[3].status == "tidak berubah"
