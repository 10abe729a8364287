"""NIK, No. KK and phone number checks."""
from __future__ import annotations

from datetime import date

import pytest

from pmks_desktop.domain.errors import DomainError, IdentityError
from pmks_desktop.domain.identity import (
    cross_check_nik,
    mask_nik,
    normalize_number,
    validate_kk,
    validate_nik,
    validate_phone,
)

TODAY = date(2025, 6, 1)
# Kabupaten Serang, Kecamatan Kramatwatu; born 12-05-1980; serial 0012.
MAN = "3604051205800012"


def nik(day: str, month: str = "05", yy: str = "80", serial: str = "0012", prefix="360405"):
    return f"{prefix}{day}{month}{yy}{serial}"


def test_valid_nik_decodes():
    info = validate_nik(MAN, today=TODAY)
    assert info.number == MAN
    assert info.sex == "L"
    assert info.birth_date == date(1980, 5, 12)
    assert info.region_code == "36.04.05"
    assert info.kabupaten_code == "36.04"


def test_women_have_day_plus_40():
    info = validate_nik(nik("52"), today=TODAY)
    assert info.sex == "P" and info.birth_date == date(1980, 5, 12)
    assert validate_nik(nik("71", "01"), today=TODAY).birth_date == date(1980, 1, 31)


@pytest.mark.parametrize("day", ["00", "32", "40", "72", "99"])
def test_impossible_day(day):
    with pytest.raises(IdentityError, match="angka hari"):
        validate_nik(nik(day), today=TODAY)


def test_impossible_month():
    with pytest.raises(IdentityError, match="bulan 13"):
        validate_nik(nik("12", "13"), today=TODAY)


def test_impossible_calendar_date():
    with pytest.raises(IdentityError, match="tidak ada di kalender"):
        validate_nik(nik("30", "02"), today=TODAY)
    with pytest.raises(IdentityError, match="tidak ada di kalender"):
        validate_nik(nik("71", "02"), today=TODAY)  # a woman born 31 February


def test_29_february():
    # 2000 was a leap year, 1900 was not: only one century fits.
    assert validate_nik(nik("29", "02", "00"), today=TODAY).birth_date == date(2000, 2, 29)
    assert validate_nik(nik("69", "02", "88"), today=TODAY).birth_date == date(1988, 2, 29)
    with pytest.raises(IdentityError, match="tidak ada di kalender"):
        validate_nik(nik("29", "02", "23"), today=TODAY)  # neither 1923 nor 2023 is leap


def test_child_born_2010_resolves_to_2010():
    child = nik("15", "08", "10")
    assert validate_nik(child, date(2010, 8, 15), today=TODAY).birth_date == date(2010, 8, 15)
    # No birth date entered: the latest date that is not in the future.
    assert validate_nik(child, today=TODAY).birth_date == date(2010, 8, 15)


def test_born_1945():
    elder = nik("57", "08", "45")  # a woman born 17-08-1945
    info = validate_nik(elder, date(1945, 8, 17), today=TODAY)
    assert info.birth_date == date(1945, 8, 17) and info.sex == "P"
    # 2045 lies in the future, so 1945 is chosen without a hint too.
    assert validate_nik(elder, today=TODAY).birth_date == date(1945, 8, 17)


def test_entered_birth_date_settles_the_century():
    # A 100-year-old: YY=25 would otherwise read as 2025.
    centenarian = nik("03", "01", "25")
    assert validate_nik(centenarian, today=TODAY).birth_date == date(2025, 1, 3)
    assert validate_nik(centenarian, date(1925, 1, 3), today=TODAY).birth_date == date(1925, 1, 3)


def test_hint_with_other_year_does_not_decide():
    info = validate_nik(MAN, date(1981, 5, 12), today=TODAY)
    assert info.birth_date == date(1980, 5, 12)


def test_serial_0000():
    with pytest.raises(IdentityError, match="0000"):
        validate_nik(nik("12", serial="0000"), today=TODAY)


@pytest.mark.parametrize(
    "number,message",
    [("9999051205800012", "Kode provinsi 99"), ("3699051205800012", "kabupaten/kota 36.99")],
)
def test_unknown_region(number, message):
    with pytest.raises(IdentityError, match=message):
        validate_nik(number, today=TODAY)


def test_region_master_codes_extend_stdnum_table():
    # Kabupaten Pangandaran (32.18) is younger than stdnum's table.
    pangandaran = "3218011205800012"
    with pytest.raises(IdentityError):
        validate_nik(pangandaran, today=TODAY)
    info = validate_nik(pangandaran, today=TODAY, region_codes={"32.18"})
    assert info.region_code == "32.18.01"
    kaltara = "6571011205800012"  # Kota Tarakan, Kalimantan Utara
    assert validate_nik(kaltara, today=TODAY, region_codes={"65.71"}).sex == "L"


def test_letters_are_refused():
    with pytest.raises(IdentityError, match="hanya boleh berisi angka.*'O'"):
        validate_nik("36040512058OOO12", today=TODAY)


@pytest.mark.parametrize("number,count", [(MAN[:15], 15), (MAN + "3", 17)])
def test_wrong_length(number, count):
    with pytest.raises(IdentityError) as info:
        validate_nik(number, today=TODAY)
    assert info.value.message == f"NIK harus 16 angka; yang diisi {count} angka."
    assert info.value.field == "nik"


@pytest.mark.parametrize("text", ["3.60405E+15", "3,60405e+15", "3.604051205800012E15"])
def test_scientific_notation(text):
    with pytest.raises(IdentityError, match="notasi ilmiah"):
        validate_nik(text, today=TODAY)


def test_empty():
    with pytest.raises(IdentityError, match="belum diisi"):
        validate_nik("  ", today=TODAY)


@pytest.mark.parametrize(
    "text",
    ["3604 0512 0580 0012", "3604.0512.0580.0012", "3604-0512-0580-0012", "'3604051205800012"],
)
def test_separators_are_stripped(text):
    assert normalize_number(text) == MAN
    assert validate_nik(text, today=TODAY).number == MAN


def test_identity_error_is_a_domain_error():
    with pytest.raises(DomainError):
        validate_nik("1", today=TODAY)
    with pytest.raises(ValueError):
        validate_nik("1", today=TODAY)


# --- cross-check ---------------------------------------------------------------------------


def test_cross_check_agrees():
    info = validate_nik(MAN, today=TODAY)
    assert cross_check_nik(info, date(1980, 5, 12), "L") == []
    assert cross_check_nik(info, None, None) == []


def test_cross_check_date_mismatch():
    info = validate_nik(MAN, today=TODAY)
    assert cross_check_nik(info, date(1980, 5, 13), "L") == [
        "Tanggal lahir pada NIK (12-05-1980) berbeda dengan tanggal lahir yang diisi (13-05-1980)."
    ]


def test_cross_check_sex_mismatch():
    info = validate_nik(nik("52"), today=TODAY)
    assert cross_check_nik(info, date(1980, 5, 12), "L") == [
        "Jenis kelamin pada NIK (perempuan) berbeda dengan jenis kelamin yang diisi (laki-laki)."
    ]


def test_cross_check_ignores_century():
    info = validate_nik(nik("03", "01", "25"), today=TODAY)  # read as 2025 without a hint
    assert cross_check_nik(info, date(1925, 1, 3), "L") == []


# --- No. KK ----------------------------------------------------------------------------------


def test_valid_kk():
    assert validate_kk("3604 0501 0215 0003", today=TODAY) == "3604050102150003"


def test_kk_has_no_plus_40():
    with pytest.raises(IdentityError, match="angka hari 41") as info:
        validate_kk("3604054102150003", today=TODAY)
    assert info.value.field == "no_kk"


@pytest.mark.parametrize(
    "number,message",
    [
        ("3604053002150003", "tidak ada di kalender"),
        ("3604050113150003", "bulan 13"),
        ("3604050102150000", "0000"),
        ("9904050102150003", "Kode provinsi 99"),
        ("360405010215000", "No. KK harus 16 angka; yang diisi 15 angka."),
        ("3.60405E+15", "notasi ilmiah"),
    ],
)
def test_invalid_kk(number, message):
    with pytest.raises(IdentityError, match=message.replace(".", r"\.")):
        validate_kk(number, today=TODAY)


# --- masking and phone -----------------------------------------------------------------------


def test_mask_nik():
    assert mask_nik(MAN) == "3604**********12"
    assert mask_nik("3604 0512 0580 0012") == "3604**********12"
    assert mask_nik("123") == "***"
    assert mask_nik("") == ""


@pytest.mark.parametrize(
    "text,expected",
    [
        ("0812-3456-7890", "081234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("(0254) 280123", "0254280123"),
        ("", None),
        (None, None),
    ],
)
def test_valid_phone(text, expected):
    assert validate_phone(text) == expected


@pytest.mark.parametrize(
    "text,message",
    [
        ("0812abc", "hanya boleh berisi angka"),
        ("812345678", "diawali 0 atau \\+62"),
        ("0812", "8–15 angka; yang diisi 4"),
        ("08123456789012345", "yang diisi 17"),
        ("62+812345678", "hanya boleh"),
    ],
)
def test_invalid_phone(text, message):
    with pytest.raises(IdentityError, match=message) as info:
        validate_phone(text)
    assert info.value.field == "phone"
