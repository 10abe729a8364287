"""The shipped register forms (forms/registers/*.yaml): their shape, and their rules as
check_entry applies them."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pmks_desktop.domain.form_validation import (
    EntryContext,
    MemberFacts,
    PersonFacts,
    check_entry,
    default_for,
)
from pmks_desktop.domain.forms import load_forms
from pmks_desktop.paths import forms_dir

TODAY = date(2024, 7, 27)
DESA = "36.04.05.2001"
OTHER_DESA = "36.04.05.2002"
SETTINGS = {
    "kube.group_size_min": 10, "kube.group_size_max": 10, "kube.aid_value": 20_000_000,
    "uep.group_size_min": 5, "uep.group_size_max": 5, "uep.aid_value": 3_500_000,
    "kpm.aid_index": 150_000, "rtlh.min_area_per_person": 7.2,
}
PERSON_ID = "0b7e3c2a-1d4f-4a57-9a43-2f1e5c6d7a80"
HOUSEHOLD_ID = "5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"

EXPECTED = {
    "fakir_miskin": ("fakir_miskin", "household"), "kube": ("fakir_miskin", "group"),
    "uep": ("fakir_miskin", "group"), "kpm": ("fakir_miskin", "household"),
    "rtlh": ("fakir_miskin", "household"), "bencana": ("linjamsos", "event"),
    "korban_bencana": ("linjamsos", "person"), "bantuan_bencana": ("linjamsos", "person"),
    "kegiatan": ("dayasos", "activity"), "lk3": ("dayasos", "person"),
    "slrt": ("dayasos", "person"), "psks": ("dayasos", "person"), "kat": ("dayasos", "community"),
}

ITEMS = [{"item": "Kambing betina", "quantity": "20", "unit": "ekor", "unit_price": "1.500.000"},
         {"item": "Kandang", "quantity": 1, "unit": "unit", "unit_price": 5_000_000}]

VALID = {
    "fakir_miskin": {
        "household": HOUSEHOLD_ID, "desa": DESA, "recorded_on": "27-07-2024",
        "criteria": ["c2"], "head_occupation": "buruh_tani", "monthly_income": "Rp 750.000",
        "dependants": "4", "assets": ["tidak_ada"], "lighting": "listrik_menumpang",
        "water_source": "sumur_tak_terlindung", "cooking_fuel": "kayu_bakar",
        "dtks_status": "belum_terdaftar", "aid_received": ["pbi_jk", "blt"], "status": "didata",
    },
    "kube": {
        "group_name": "KUBE Mekar Jaya", "business_type": "ternak_kambing", "desa": DESA,
        "address": "Kp. Pabuaran RT 002 RW 005", "year": 2024, "aid_value": "20.000.000",
        "aid_items": ITEMS, "bank_name": "BRI", "account_number": "012301000123567",
        "account_holder": "KUBE Mekar Jaya", "status": "diusulkan", "proposed_on": TODAY,
    },
    "uep": {
        "group_name": "UEP Melati", "business_type": "makanan_olahan", "desa": DESA, "year": 2024,
        "aid_per_person": 3_500_000, "status": "diverifikasi", "proposed_on": TODAY,
        "aid_items": [{"item": "Kompor gas", "quantity": 1, "unit": "unit"},
                      {"item": "Tepung terigu", "quantity": 10, "unit": "kg"}],
    },
    "kpm": {
        "pengurus": PERSON_ID, "household": HOUSEHOLD_ID, "mother_name": "Sarinah",
        "desa": DESA, "address": "Kp. Kebon RT 001 RW 003", "kks_number": "6013011234567890",
        "membership_status": "aktif", "pkh": True, "period_start": "01-01-2024",
        "aid_index": 150_000, "e_warong": "e-Warong Berkah",
    },
    "rtlh": {
        "household": HOUSEHOLD_ID, "desa": DESA, "roof": "bahan_mudah_lapuk", "walls": "layak",
        "floor": "tanah", "mck": "tidak_ada", "floor_area": "24,5", "occupants": 5,
        "land_status": "letter_c", "agrees_no_sale": True, "registered_poor": True,
        "photos": ["depan.jpg", "atap.jpg"], "validated_on": TODAY, "validator": "Ahmad Fauzi",
        "status": "divalidasi",
    },
    "bencana": {
        "name": "Banjir Kampung Pabuaran", "kind": "alam", "sub_kind": "banjir",
        "date": "26-07-2024", "time": "21:15", "desa": DESA, "rt": "002", "rw": "005",
        "chronology": "Hujan deras sejak sore; tanggul Kali Pabuaran jebol pukul 21.00.",
        "affected_households": 42, "affected_persons": 150, "status": "tanggap_darurat",
    },
    "korban_bencana": {
        "name": "Sanusi", "household": HOUSEHOLD_ID, "household_size": 4, "desa": DESA,
        "recorded_on": TODAY, "pmks_type": "21", "criteria": ["c2"], "victim_status": "mengungsi",
        "vulnerable": ["balita", "lansia"], "house_damage": "sedang",
        "shelter": "Masjid Al-Ikhlas", "urgent_needs": ["pangan", "selimut_tikar", "popok"],
    },
    "bantuan_bencana": {
        "recipient_name": "Sanusi", "household": HOUSEHOLD_ID, "desa": DESA, "item": "Beras",
        "quantity": "10", "unit": "kg", "date": TODAY, "source": "dinsos",
        "receipt_number": "TT-014/2024",
    },
    "kegiatan": {
        "kind": "penyuluhan_sosial", "name": "Penyuluhan bahaya NAPZA bagi Karang Taruna",
        "date": TODAY, "place": "Aula Kantor Kecamatan", "speakers": "Dinas Sosial, BNN",
        "participant_count": 60, "description": "Materi dan diskusi.", "status": "terlaksana",
    },
    "lk3": {
        "client": PERSON_ID, "companion": "Siti (ibu)", "date": TODAY,
        "problem": "konflik_keluarga",
        "services": ["konsultasi", "konseling"], "status": "baru",
        "session_notes": "Sesi pertama; dijadwalkan konseling lanjutan.",
    },
    "slrt": {
        "applicant": PERSON_ID, "desa": DESA, "intake_date": "22-07-2024",
        "complaint": "Anak sakit, tidak punya BPJS.", "assessment": "Keluarga tidak mampu.",
        "recommendations": ["pbi_jk", "rumah_sakit"], "status": "dirujuk",
        "referral_target": "RSUD dr. Dradjat Prawiranegara", "referral_date": "24-07-2024",
    },
    "psks": {
        "kind": "tksk", "name": "Dedi Supriadi", "person": PERSON_ID, "desa": DESA,
        "phone": "0812-3456-7890", "legal_basis": "SK Mensos No. 12/2023",
        "year_established": 2019, "active": True,
    },
    "kat": {
        "name": "Komunitas Kampung Cibaduy", "desa": DESA, "location": "Kp. Cibaduy",
        "recorded_on": TODAY, "households": 35, "persons": 120, "criteria": ["c3", "c6"],
        "conditions": "Rumah panggung; akses jalan tanah 6 km.",
        "basic_services": ["kesehatan", "listrik"], "status": "persiapan",
    },
}


def _person(name: str, sex: str = "P", born: date = date(1985, 3, 14)) -> PersonFacts:
    return PersonFacts(name=name, sex=sex, birth_date=born)


def kube_members(count: int = 10) -> list[MemberFacts]:
    roles = ["ketua", "sekretaris", "bendahara"] + ["anggota"] * (count - 3)
    return [MemberFacts(_person(f"Anggota {i + 1}", "L" if i % 2 else "P"), role)
            for i, role in enumerate(roles)]


def uep_members(count: int = 5) -> list[MemberFacts]:
    roles = ["ketua"] + ["anggota"] * (count - 1)
    return [MemberFacts(_person(f"Ibu {i + 1}", "P", date(1970 + 5 * i, 1, 2)), role)
            for i, role in enumerate(roles)]


MEMBERS = {"kube": kube_members, "uep": uep_members,
           "kegiatan": lambda: [MemberFacts(_person("Rina"), "peserta"),
                                MemberFacts(_person("Joko", "L"), "narasumber")]}


@pytest.fixture(scope="module")
def forms():
    return load_forms(forms_dir() / "registers")


def ctx(members=None, settings=None, **extra) -> EntryContext:
    return EntryContext(today=TODAY, settings=SETTINGS if settings is None else settings,
                        desa_codes=frozenset({DESA, OTHER_DESA}), members=members or [], **extra)


def errors_of(forms, form_id: str, changes: dict | None = None, members=None, **kw) -> list[str]:
    values = {**VALID[form_id], **(changes or {})}
    values = {k: v for k, v in values.items() if v is not None}
    if members is None and form_id in MEMBERS:
        members = MEMBERS[form_id]()
    return [i.message for i in check_entry(forms[form_id], values, ctx(members, **kw)).errors]


# ---------------------------------------------------------------- shape of every file

def test_every_register_is_shipped(forms):
    assert set(forms) == set(EXPECTED)


@pytest.mark.parametrize("form_id", sorted(EXPECTED))
def test_form_shape(forms, form_id):
    form = forms[form_id]
    assert form.id == form_id and form.version == 1
    assert form.title and form.short_title and len(form.short_title) <= 20
    assert (form.bidang, form.unit) == EXPECTED[form_id]
    assert form.has_field(form.title_field)
    assert 4 <= len(form.list_columns) <= 7
    assert form.title_field in form.list_columns
    assert form.filters
    for name in form.filters:
        spec = form.field(name)
        assert spec.type in ("choice", "desa") or (spec.type == "integer" and "year" in name), name
    for spec in form.fields:
        assert spec.section, f"{form_id}.{spec.name} has no section"
        if spec.type in ("choice", "multichoice"):
            assert len(spec.choices) >= 2, f"{form_id}.{spec.name}"
        if spec.type in ("text", "textarea"):
            assert spec.max_length, f"{form_id}.{spec.name} needs max_length"
    if form.desa_field:
        assert form.field(form.desa_field).type == "desa"
    if form.date_field:
        assert form.field(form.date_field).type == "date"
    if form.person_field:
        assert form.field(form.person_field).type == "person"
    if form.household_field:
        assert form.field(form.household_field).type == "household"


@pytest.mark.parametrize("form_id", sorted(EXPECTED))
def test_status_starts_the_workflow(forms, form_id):
    form = forms[form_id]
    if not form.status_field:
        return
    status = form.field(form.status_field)
    assert status.type == "choice" and status.required and len(status.choices) >= 3
    assert all(len(c.value) <= 30 for c in status.choices)  # register_entry.status column
    if status.default is not None:
        assert status.default == status.choices[0].value


def test_mapping_keys(forms):
    assert forms["fakir_miskin"].pmks_type == "24"
    assert forms["fakir_miskin"].household_field == "household"
    assert forms["kat"].pmks_type == "26"
    assert forms["kpm"].person_field == "pengurus" and forms["kpm"].household_field
    assert forms["korban_bencana"].pmks_type_field == "pmks_type"
    assert forms["korban_bencana"].parent == forms["bantuan_bencana"].parent == "bencana"
    assert forms["lk3"].confidential
    assert not any(f.confidential for k, f in forms.items() if k != "lk3")
    assert forms["rtlh"].verdict == "rtlh"
    for form_id in ("korban_bencana", "bantuan_bencana", "psks"):  # a person link is optional
        form = forms[form_id]
        assert not form.field(form.person_field).required


def test_members(forms):
    kube = forms["kube"].members
    assert [r.value for r in kube.roles] == ["ketua", "sekretaris", "bendahara", "anggota"]
    assert kube.unique_roles == ("ketua", "sekretaris", "bendahara")
    assert forms["kegiatan"].members.label == "Peserta"
    assert {r.value for r in forms["kegiatan"].members.roles} == {"peserta", "narasumber",
                                                                    "panitia"}
    assert not any(r.kind == "members_count" for r in forms["kegiatan"].rules)


def test_setting_keys(forms):
    used = {(f.id, s.name): s.default_setting for f in forms.values() for s in f.fields
            if s.default_setting}
    assert used == {("kube", "aid_value"): "kube.aid_value",
                    ("uep", "aid_per_person"): "uep.aid_value",
                    ("kpm", "aid_index"): "kpm.aid_index"}
    for (form_id, name) in used:
        assert "Pengaturan" in forms[form_id].field(name).help
    counts = {f.id: r for f in forms.values() for r in f.rules if r.kind == "members_count"}
    assert counts["kube"].get("min_setting") == "kube.group_size_min"
    assert counts["kube"].get("max_setting") == "kube.group_size_max"
    assert counts["uep"].get("min_setting") == "uep.group_size_min"
    assert counts["uep"].get("max_setting") == "uep.group_size_max"


def test_defaults_come_from_settings(forms):
    assert default_for(forms["kube"].field("aid_value"), ctx()) == 20_000_000
    assert default_for(forms["kpm"].field("aid_index"), ctx()) == 150_000
    assert default_for(forms["kube"].field("year"), ctx()) == 2024
    assert default_for(forms["kube"].field("proposed_on"), ctx()) == TODAY


@pytest.mark.parametrize("form_id,code", [("fakir_miskin", "24"), ("kat", "26"),
                                          ("korban_bencana", "21"), ("korban_bencana", "22"),
                                          ("korban_bencana", "L1")])
def test_criteria_match_the_catalogue(forms, catalogue, form_id, code):
    spec = forms[form_id].field("criteria")
    assert [(c.value, c.label.lower()) for c in spec.choices] == \
        [(c.id, c.text.lower()) for c in catalogue.type(code).criteria]


def test_pmks_types_exist_in_the_catalogue(forms, catalogue):
    assert catalogue.type("24").unit == "household"
    assert catalogue.type("26").unit == "community"
    for choice in forms["korban_bencana"].field("pmks_type").choices:
        pmks = catalogue.type(choice.value)
        assert pmks.requires_event and pmks.bidang == "linjamsos"
        assert choice.label.endswith(pmks.name)


def test_psks_lists_the_twelve_kinds(forms):
    assert len(forms["psks"].field("kind").choices) == 12


# ---------------------------------------------------------------- a realistic entry passes

@pytest.mark.parametrize("form_id", sorted(EXPECTED))
def test_valid_entry_has_no_errors(forms, form_id):
    assert errors_of(forms, form_id) == []


@pytest.mark.parametrize("form_id", sorted(EXPECTED))
def test_each_required_field_is_reported(forms, form_id):
    form = forms[form_id]
    for spec in (s for s in form.fields if s.required):
        assert f"{spec.label} wajib diisi." in errors_of(forms, form_id, {spec.name: None}), \
            spec.name


def test_values_are_cleaned(forms):
    out = check_entry(forms["kube"], VALID["kube"], ctx(kube_members()))
    assert out.values["aid_value"] == 20_000_000
    assert out.values["aid_items"][0] == {"item": "Kambing betina", "quantity": 20,
                                          "unit": "ekor", "unit_price": 1_500_000}
    rtlh = check_entry(forms["rtlh"], VALID["rtlh"], ctx()).values
    assert rtlh["floor_area"] == 24.5 and rtlh["validated_on"] == TODAY


# ---------------------------------------------------------------- one broken thing at a time

def test_kube_group_size_follows_the_settings(forms):
    assert errors_of(forms, "kube", members=kube_members(9)) == [
        "Jumlah anggota 9; paling sedikit 10."]
    assert errors_of(forms, "kube", members=kube_members(11)) == [
        "Jumlah anggota 11; paling banyak 10."]
    five_to_ten = {**SETTINGS, "kube.group_size_min": 5, "kube.group_size_max": 10}
    assert errors_of(forms, "kube", members=kube_members(7), settings=five_to_ten) == []
    # Without settings the form's own fallback (10) still applies.
    assert errors_of(forms, "kube", members=kube_members(9), settings={}) == [
        "Jumlah anggota 9; paling sedikit 10."]


def test_kube_roles_are_unique(forms):
    members = kube_members()
    members[4] = replace(members[4], role="ketua")
    assert errors_of(forms, "kube", members=members) == [
        "Peran ketua hanya boleh diisi satu orang."]


def test_kube_fields(forms):
    assert errors_of(forms, "kube", {"group_name": "K" * 101}) == [
        "Nama kelompok terlalu panjang (maksimal 100 karakter)."]
    assert errors_of(forms, "kube", {"account_number": "0123-01-000123-56-7"}) == [
        "Nomor rekening hanya boleh berisi angka (6-20 digit), tanpa titik, strip atau spasi."]
    assert errors_of(forms, "kube", {"business_type": "Budidaya lele"}) == []  # allow_other
    assert errors_of(forms, "kube", {"status": "dibatalkan"}) == ["Pilih Status dari daftar."]
    assert errors_of(forms, "kube", {"aid_value": "dua puluh juta"}) == [
        "Nilai bantuan harus berupa bilangan bulat."]
    assert errors_of(forms, "kube", {"desa": "36.04.06.2001"}) == [
        "Pilih Desa dari daftar desa kantor ini."]
    assert errors_of(forms, "kube", {"aid_items": [{"item": "Kambing", "unit": "ekor"}]}) == [
        "Barang bantuan — baris 1: Jumlah wajib diisi."]


def test_uep_is_for_women_of_working_age(forms):
    members = uep_members()
    members[1] = MemberFacts(_person("Budi Santoso", "L"), "anggota")
    assert errors_of(forms, "uep", members=members) == [
        "Budi Santoso: semua anggota harus perempuan."]
    members = uep_members()
    members[2] = MemberFacts(_person("Ibu Rohmah", "P", date(1964, 7, 1)), "anggota")
    assert errors_of(forms, "uep", members=members) == [
        "Ibu Rohmah berumur 60 tahun; yang diterima 18–59 tahun."]
    members[2] = MemberFacts(_person("Nia", "P", date(2006, 8, 1)), "anggota")
    assert errors_of(forms, "uep", members=members) == [
        "Nia berumur 17 tahun; yang diterima 18–59 tahun."]
    assert errors_of(forms, "uep", members=uep_members(4)) == [
        "Jumlah anggota 4; paling sedikit 5."]


def test_uep_age_is_taken_on_the_proposal_date(forms):
    members = uep_members()
    members[2] = MemberFacts(_person("Ibu Rohmah", "P", date(1964, 8, 1)), "anggota")
    assert errors_of(forms, "uep", members=members) == []  # still 59 on 27 July 2024
    assert errors_of(forms, "uep", {"proposed_on": date(2024, 8, 1)}, members=members) == [
        "Ibu Rohmah berumur 60 tahun; yang diterima 18–59 tahun."]


def test_kpm_fields(forms):
    assert errors_of(forms, "kpm", {"kks_number": "601301123456789"}) == [
        "Nomor KKS harus 16 angka, tanpa spasi atau titik."]
    assert errors_of(forms, "kpm", {"membership_status": "Tidak ditemukan"}) == []  # by label
    assert errors_of(forms, "kpm", {"membership_status": "dicoret"}) == [
        "Pilih Status kepesertaan dari daftar."]


def test_rtlh_fields(forms):
    assert errors_of(forms, "rtlh", {"floor_area": "dua puluh"}) == [
        "Luas lantai (m²) harus berupa angka."]
    assert errors_of(forms, "rtlh", {"occupants": 0}) == ["Jumlah penghuni paling sedikit 1."]
    assert errors_of(forms, "rtlh", {"floor": "semen"}) == ["Pilih Kondisi lantai dari daftar."]


def test_bencana_fields(forms):
    assert errors_of(forms, "bencana", {"time": "25:10"}) == [
        "Jam kejadian ditulis JJ:MM dalam format 24 jam, mis. 14:30."]
    assert errors_of(forms, "bencana", {"kind": "buatan"}) == ["Pilih Jenis bencana dari daftar."]
    assert errors_of(forms, "bencana", {"sub_kind": "Angin kencang"}) == []  # allow_other
    assert errors_of(forms, "bencana", {"rt": "2a"}) == ["RT hanya angka, mis. 002."]
    assert errors_of(forms, "bencana", {"date": "31-02-2024"}) == [
        "Tanggal kejadian: Tanggal '31-02-2024' tidak ada di kalender."]


def test_korban_bencana_fields(forms):
    assert errors_of(forms, "korban_bencana", {"pmks_type": "24"}) == [
        "Pilih Jenis PMKS dari daftar."]
    assert errors_of(forms, "korban_bencana", {"vulnerable": ["balita", "remaja"]}) == [
        "Pilihan remaja tidak ada pada Kelompok rentan."]
    # A victim may be recorded by name only, before the person is in the population data.
    assert errors_of(forms, "korban_bencana", {"household": None, "household_size": None}) == []


def test_bantuan_bencana_fields(forms):
    assert errors_of(forms, "bantuan_bencana", {"source": "pemda"}) == [
        "Pilih Sumber bantuan dari daftar."]
    assert errors_of(forms, "bantuan_bencana", {"quantity": "2,5"}) == []
    assert errors_of(forms, "bantuan_bencana", {"compensation": -1}) == [
        "Nilai santunan paling sedikit 0."]


def test_lk3_fields(forms):
    assert errors_of(forms, "lk3", {"services": ["konseling", "hipnoterapi"]}) == [
        "Pilihan hipnoterapi tidak ada pada Layanan."]
    assert errors_of(forms, "lk3", {"session_notes": "x" * 10_001}) == [
        "Catatan sesi terlalu panjang (maksimal 10000 karakter)."]


def test_slrt_rules(forms):
    assert errors_of(forms, "slrt", {"status": "ditolak"}) == [
        "Alasan penolakan wajib diisi bila status Ditolak."]
    assert errors_of(forms, "slrt", {"status": "ditolak",
                                     "rejection_reason": "Bukan warga kecamatan ini."}) == []
    assert errors_of(forms, "slrt", {"referral_target": None}) == [
        "Tujuan rujukan wajib diisi bila status Dirujuk."]
    assert errors_of(forms, "slrt", {"referral_date": "20-07-2024"}) == [
        "Tanggal rujukan tidak boleh sebelum tanggal pengaduan."]
    assert errors_of(forms, "slrt", {"status": "diajukan", "referral_target": None,
                                     "referral_date": None}) == []


def test_psks_fields(forms):
    assert errors_of(forms, "psks", {"phone": "12345"}) == [
        "Nomor telepon harus diawali 0 atau +62, misalnya 081234567890 atau +6281234567890."]
    assert errors_of(forms, "psks", {"kind": "posyandu"}) == ["Pilih Jenis PSKS dari daftar."]
    # An institution has no person record.
    assert errors_of(forms, "psks", {"kind": "karang_taruna", "name": "Karang Taruna Tunas Muda",
                                     "person": None}) == []


def test_kat_and_kegiatan_fields(forms):
    assert errors_of(forms, "kat", {"households": 0}) == ["Jumlah KK paling sedikit 1."]
    assert errors_of(forms, "kat", {"criteria": ["c9"]}) == [
        "Pilihan c9 tidak ada pada Kriteria KAT."]
    assert errors_of(forms, "kegiatan", {"kind": "bakti_sosial"}) == [
        "Pilih Jenis kegiatan dari daftar."]
    assert errors_of(forms, "kegiatan", members=[]) == []  # participants may be uncounted
    assert errors_of(forms, "fakir_miskin", {"dtks_status": "ya"}) == [
        "Pilih Status DTKS dari daftar."]
    assert errors_of(forms, "fakir_miskin", {"dependants": 31}) == [
        "Jumlah tanggungan paling banyak 30."]


def test_tab_order_is_unique_within_a_bidang(forms):
    seen = {}
    for form in forms.values():
        assert (form.bidang, form.order) not in seen, (form.id, seen.get((form.bidang, form.order)))
        seen[(form.bidang, form.order)] = form.id


def test_choices_are_not_cut_at_a_comma():
    """`{value: x, label: a, b}` in YAML silently drops ", b": labels with commas need quotes."""
    import yaml

    def fields_of(raw_fields):
        for spec in raw_fields:
            yield spec
            yield from fields_of(spec.get("columns") or ())

    for path in sorted((forms_dir() / "registers").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        choices = [c for s in fields_of(raw["fields"]) for c in s.get("choices") or ()]
        choices += (raw.get("members") or {}).get("roles") or []
        for choice in choices:
            assert not isinstance(choice, dict) or set(choice) == {"value", "label"}, \
                f"{path.name}: {choice}"


def test_age_rule_with_only_a_minimum_reads_well():
    from datetime import date

    from pmks_desktop.domain.form_validation import (EntryContext, MemberFacts, PersonFacts,
                                                     check_entry)
    from pmks_desktop.domain.forms import form_from_dict

    form = form_from_dict({
        "id": "uji", "version": 1, "title": "Uji", "bidang": "dayasos", "unit": "group",
        "title_field": "name", "fields": [{"name": "name", "type": "text", "required": True}],
        "members": {"roles": ["anggota"]}, "rules": [{"kind": "member_age", "min": 60}]})
    ctx = EntryContext(today=date(2025, 1, 1), members=[
        MemberFacts(PersonFacts("Siti", "P", date(1990, 1, 1)), "anggota")])
    [issue] = check_entry(form, {"name": "Lansia"}, ctx).errors
    assert issue.message == "Siti berumur 35 tahun; yang diterima sedikitnya 60 tahun."


def test_required_check_box_must_be_ticked():
    from datetime import date

    from pmks_desktop.domain.form_validation import EntryContext, check_entry
    from pmks_desktop.domain.forms import form_from_dict

    form = form_from_dict({
        "id": "uji", "version": 1, "title": "Uji", "bidang": "dayasos", "unit": "person",
        "title_field": "name", "fields": [{"name": "name", "type": "text"},
                                          {"name": "agree", "type": "bool", "required": True,
                                           "label": "Bersedia"}]})
    ctx = EntryContext(today=date(2025, 1, 1))
    assert [i.message for i in check_entry(form, {"agree": False}, ctx).errors] == \
        ["Bersedia wajib dicentang."]
    assert check_entry(form, {"agree": True}, ctx).errors == []
