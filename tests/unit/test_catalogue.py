"""The shipped PMKS catalogue and the case rules built on it."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from pmks_desktop.domain.catalogue import (
    age_in_years,
    catalogue_from_dict,
    check_case_rules,
    load_catalogue,
)
from pmks_desktop.domain.errors import CatalogueError, DomainError

REPO = Path(__file__).resolve().parents[2]
CATALOGUE_FILE = REPO / "forms" / "pmks_catalogue.yaml"
RESEARCH_FILE = REPO.parent / "shared" / "research" / "pmks-criteria.md"

ALL_CODES = [f"{n:02d}" for n in range(1, 27)] + ["L1", "L2"]
REHSOS = [f"{n:02d}" for n in range(1, 21)] + ["23", "25"]
SENSITIVE = ["03", "05", "06", "10", "14", "15", "16", "17", "18", "19"]


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(CATALOGUE_FILE)


@pytest.fixture()
def raw():
    return yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))


def _research_criteria() -> dict[str, list[str]]:
    """Criteria bullets per code, read from the research notes the catalogue was built from."""
    criteria: dict[str, list[str]] = {}
    codes: list[str] = []
    for line in RESEARCH_FILE.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^((?:\d\d|L\d)(?: / (?:\d\d|L\d))*) ", line)
        if heading:
            codes = heading.group(1).split(" / ")
            for code in codes:
                criteria[code] = []
        elif line.startswith("- ") and codes:
            for code in codes:
                criteria[code].append(line[2:].strip())
    return criteria


def test_all_28_types_with_stable_string_codes(catalogue):
    assert [t.code for t in catalogue.types] == ALL_CODES
    assert all(not t.retired for t in catalogue.types)


def test_bidang_mapping(catalogue):
    assert [t.code for t in catalogue.types_for_bidang("rehsos")] == REHSOS
    assert [t.code for t in catalogue.types_for_bidang("linjamsos")] == ["21", "22", "L1"]
    assert [t.code for t in catalogue.types_for_bidang("fakir_miskin")] == ["24", "L2"]
    assert [t.code for t in catalogue.types_for_bidang("dayasos")] == ["26"]
    assert catalogue.bidang_name("linjamsos") == "Perlindungan dan Jaminan Sosial"


def test_units(catalogue):
    units = {t.code: t.unit for t in catalogue.types}
    assert {c for c, u in units.items() if u == "person_or_household"} == {"21", "22", "L1"}
    assert {c for c, u in units.items() if u == "household"} == {"24", "25", "L2"}
    assert units["26"] == "community"


@pytest.mark.skipif(not RESEARCH_FILE.exists(), reason="research notes not checked out")
def test_criteria_match_the_research_notes(catalogue):
    expected = _research_criteria()
    for pmks_type in catalogue.types:
        texts = [c.text for c in pmks_type.criteria]
        assert texts == expected.get(pmks_type.code, []), pmks_type.code
    assert catalogue.type("L2").criteria == () and catalogue.type("L2").min_criteria == 0


def test_every_type_with_criteria_needs_one_ticked(catalogue):
    for pmks_type in catalogue.types:
        if pmks_type.criteria:
            assert pmks_type.min_criteria == 1, pmks_type.code


def test_sensitive_flags(catalogue):
    assert [t.code for t in catalogue.types if t.sensitive] == SENSITIVE


def test_flags_per_type(catalogue):
    assert [t.code for t in catalogue.types if t.sex == "P"] == ["23"]
    assert [t.code for t in catalogue.types if t.requires_disability_kind] == ["05", "09"]
    assert [t.code for t in catalogue.types if t.requires_event] == ["21", "22", "L1"]
    persons_without_nik = [
        t.code for t in catalogue.types if t.unit == "person" and not t.nik_required
    ]
    assert persons_without_nik == ["04", "11", "12"]
    assert catalogue.type("03").short_name == "ABH"


@pytest.mark.parametrize(
    "code,low,high",
    [("01", 0, 5), ("02", 6, 18), ("03", 12, 17), ("04", 6, 18), ("05", 0, 17),
     ("06", 0, 17), ("07", 6, 18), ("08", 60, None), ("15", 18, None), ("23", 18, 59)],
)
def test_age_rules(catalogue, code, low, high):
    rule = catalogue.type(code).age
    assert (rule.min, rule.max) == (low, high)


def test_types_without_age_rule(catalogue):
    with_age = {"01", "02", "03", "04", "05", "06", "07", "08", "15", "23"}
    assert {t.code for t in catalogue.types if t.age is not None} == with_age


def test_case_status_workflow(catalogue):
    assert [s.label for s in catalogue.statuses] == [
        "Baru", "Terverifikasi", "Dalam Penanganan", "Dirujuk", "Selesai",
    ]
    assert catalogue.initial_status == "baru"
    assert catalogue.allowed_transitions("baru") == ("terverifikasi",)
    assert catalogue.allowed_transitions("selesai") == ("dalam_penanganan",)
    assert set(catalogue.allowed_transitions("terverifikasi")) == {
        "dalam_penanganan", "dirujuk", "selesai",
    }
    assert catalogue.transition_needs_verify("baru", "terverifikasi")
    assert not catalogue.transition_needs_verify("dirujuk", "selesai")
    with pytest.raises(CatalogueError, match="tidak dikenal"):
        catalogue.status("ditolak")


def test_unknown_type_code(catalogue):
    with pytest.raises(CatalogueError, match="'99'"):
        catalogue.type("99")


# --- case rules ------------------------------------------------------------------------------


def _check(catalogue, code, **overrides):
    facts = dict(age_years=10, sex="L", has_nik=True, criteria_ids=["c1"], disability_kind=None)
    facts.update(overrides)
    return catalogue.check_case(code, **facts)


def _messages(issues):
    return [issue.message for issue in issues]


def test_valid_case_has_no_issues(catalogue):
    result = _check(catalogue, "04")
    assert result.ok and result.warnings == []


def test_age_outside_range(catalogue):
    result = _check(catalogue, "04", age_years=20)
    assert _messages(result.errors) == ["Umur 20 tahun di luar batas Anak Jalanan (6–18 tahun)."]
    assert result.errors[0].field == "birth_date"
    assert "sedikitnya 60 tahun" in _messages(_check(catalogue, "08", age_years=59).errors)[0]
    assert _check(catalogue, "08", age_years=60).ok
    assert not _check(catalogue, "05", age_years=18, disability_kind="netra").ok
    assert _check(catalogue, "05", age_years=17, disability_kind="netra").ok


def test_balita_warns_at_five(catalogue):
    assert _check(catalogue, "01", age_years=4).warnings == []
    at_five = _check(catalogue, "01", age_years=5)
    assert at_five.ok
    assert "Sumber aturan berbeda" in at_five.warnings[0].message
    assert not _check(catalogue, "01", age_years=6).ok


def test_unknown_age_is_a_warning(catalogue):
    result = _check(catalogue, "02", age_years=None)
    assert result.ok and "belum diketahui" in result.warnings[0].message


def test_female_only_type(catalogue):
    facts = dict(age_years=30, criteria_ids=["c2"])
    assert _check(catalogue, "23", sex="P", **facts).ok
    result = _check(catalogue, "23", sex="L", **facts)
    assert _messages(result.errors) == [
        "Jenis PMKS Perempuan Rawan Sosial Ekonomi hanya untuk perempuan."
    ]
    assert not _check(catalogue, "23", sex=None, **facts).ok
    assert not _check(catalogue, "23", sex="P", age_years=60, criteria_ids=["c2"]).ok


def test_criteria_rules(catalogue):
    assert _messages(_check(catalogue, "13", criteria_ids=[]).errors) == [
        "Pilih sedikitnya 1 kriteria."
    ]
    result = _check(catalogue, "13", criteria_ids=["c1", "c9"])
    assert _messages(result.errors) == ["Kriteria 'c9' tidak dikenal untuk jenis PMKS Pemulung."]
    assert _check(catalogue, "L2", criteria_ids=[], age_years=None).ok


def test_disability_kind(catalogue):
    assert _messages(_check(catalogue, "09", age_years=40).errors) == [
        "Jenis disabilitas wajib diisi."
    ]
    assert _check(catalogue, "09", age_years=40, disability_kind="rungu_wicara").ok
    assert not _check(catalogue, "09", age_years=40, disability_kind="buta").ok
    assert [k.value for k in catalogue.disability_kinds] == [
        "fisik", "netra", "rungu_wicara", "mental", "intelektual", "ganda",
    ]


def test_nik_requirement(catalogue):
    assert not _check(catalogue, "13", has_nik=False).ok
    assert _check(catalogue, "11", has_nik=False, age_years=None).ok
    assert _check(catalogue, "04", has_nik=False).ok


def test_disaster_types_need_an_event(catalogue):
    assert _check(catalogue, "21", age_years=None, has_event=True).ok
    result = _check(catalogue, "L1", age_years=None, has_event=False)
    assert result.errors[0].field == "event"


def test_check_case_rules_without_catalogue(catalogue):
    result = check_case_rules(
        catalogue.type("09"), age_years=30, sex="P", has_nik=True, criteria_ids=["c1"],
        disability_kind="apa saja",
    )
    assert result.ok  # without the list of kinds only presence is checked


# --- age -------------------------------------------------------------------------------------


def test_age_in_years():
    assert age_in_years(date(2010, 7, 27), date(2024, 7, 26)) == 13
    assert age_in_years(date(2010, 7, 27), date(2024, 7, 27)) == 14
    leapling = date(2008, 2, 29)
    assert age_in_years(leapling, date(2023, 2, 28)) == 14
    assert age_in_years(leapling, date(2023, 3, 1)) == 15
    assert age_in_years(leapling, date(2024, 2, 29)) == 16
    with pytest.raises(DomainError):
        age_in_years(date(2024, 1, 2), date(2024, 1, 1))


# --- malformed files -------------------------------------------------------------------------


def test_missing_field_names_type_and_field(raw):
    del raw["types"][4]["sensitive"]
    with pytest.raises(CatalogueError) as info:
        catalogue_from_dict(raw)
    assert "jenis 05" in info.value.message and "'sensitive'" in info.value.message
    assert info.value.field == "types.05.sensitive"


def test_duplicate_code(raw):
    raw["types"][1]["code"] = "01"
    with pytest.raises(CatalogueError, match="'01' muncul lebih dari sekali"):
        catalogue_from_dict(raw)


def test_unquoted_code_is_explained(raw):
    raw["types"][0]["code"] = 1
    with pytest.raises(CatalogueError, match="tanda kutip"):
        catalogue_from_dict(raw)


@pytest.mark.parametrize("key,value", [("unit", "orang"), ("bidang", "resos")])
def test_unknown_choice(raw, key, value):
    raw["types"][2][key] = value
    with pytest.raises(CatalogueError, match=f"jenis 03, kolom '{key}'.*{value}"):
        catalogue_from_dict(raw)


def test_misspelt_key_is_not_ignored(raw):
    raw["types"][0]["sensitiv"] = True
    with pytest.raises(CatalogueError, match="sensitiv"):
        catalogue_from_dict(raw)


def test_transition_to_unknown_status(raw):
    raw["case_statuses"]["transitions"]["dirujuk"].append("ditolak")
    with pytest.raises(CatalogueError, match="'ditolak'"):
        catalogue_from_dict(raw)


def test_verify_on_missing_transition(raw):
    raw["case_statuses"]["needs_verify"].append({"from": "baru", "to": "selesai"})
    with pytest.raises(CatalogueError, match="baru -> selesai"):
        catalogue_from_dict(raw)


def test_retired_type_is_hidden_but_still_readable(raw):
    raw["types"][12]["retired"] = True
    catalogue = catalogue_from_dict(raw)
    assert "13" not in [t.code for t in catalogue.types_for_bidang("rehsos")]
    assert catalogue.type("13").retired
    result = catalogue.check_case(
        "13", age_years=30, sex="L", has_nik=True, criteria_ids=["c1"], disability_kind=None
    )
    assert result.ok and "tidak dipakai lagi" in result.warnings[0].message


def test_broken_yaml_reports_line(tmp_path):
    path = tmp_path / "katalog.yaml"
    path.write_text("version: 1\ntypes: [\n  - code: '01'\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="rusak"):
        load_catalogue(path)
