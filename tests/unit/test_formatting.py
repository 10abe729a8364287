"""Indonesian dates, numbers, rupiah and terbilang."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from pmks_desktop.domain.errors import DomainError
from pmks_desktop.domain.formatting import (
    long_date,
    long_date_with_day,
    month_name,
    number_id,
    parse_date,
    roman_month,
    rupiah,
    short_date,
    terbilang,
    terbilang_rupiah,
)

MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
]
# 1 July 2024 was a Monday.
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def test_long_date():
    assert long_date(date(2024, 7, 27)) == "27 Juli 2024"
    assert long_date(date(2024, 1, 7)) == "7 Januari 2024"  # no zero padding
    assert long_date(datetime(2024, 7, 27, 13, 5)) == "27 Juli 2024"


def test_long_date_with_day():
    assert long_date_with_day(date(2024, 7, 27)) == "Sabtu, 27 Juli 2024"
    assert long_date_with_day(date(2024, 1, 7)) == "Minggu, 7 Januari 2024"


@pytest.mark.parametrize("month", range(1, 13))
def test_month_names(month):
    assert long_date(date(2024, month, 1)) == f"1 {MONTHS[month - 1]} 2024"
    assert month_name(month) == MONTHS[month - 1]


@pytest.mark.parametrize("offset", range(7))
def test_day_names(offset):
    day = date(2024, 7, 1 + offset)
    assert long_date_with_day(day).startswith(DAYS[offset] + ", ")


def test_short_date():
    assert short_date(date(2024, 7, 27)) == "27-07-2024"
    assert short_date(date(2024, 1, 5)) == "05-01-2024"


@pytest.mark.parametrize(
    "text", ["27-07-2024", "27/07/2024", "2024-07-27", " 27-7-2024 ", "27.07.2024"]
)
def test_parse_date(text):
    assert parse_date(text) == date(2024, 7, 27)


def test_parse_date_errors():
    with pytest.raises(DomainError, match="tidak ada di kalender"):
        parse_date("30-02-2024")
    with pytest.raises(DomainError, match="Format tanggal '07/27/24' tidak dikenali"):
        parse_date("07/27/24")
    with pytest.raises(DomainError, match="belum diisi") as info:
        parse_date("", field="birth_date")
    assert info.value.field == "birth_date"
    assert parse_date("29-02-2024") == date(2024, 2, 29)
    with pytest.raises(DomainError):
        parse_date("29-02-2023")


def test_rupiah_styles():
    assert rupiah(20_000_000) == "Rp20.000.000,00"
    assert rupiah(20_000_000, style="kantor") == "Rp 20.000.000,-"
    assert rupiah(20_000_000, decimals=False) == "Rp20.000.000"
    assert rupiah(20_000_000, style="kantor", decimals=False) == "Rp 20.000.000"
    assert rupiah(Decimal("1500.5")) == "Rp1.500,50"
    assert rupiah(Decimal("1500.5"), style="kantor") == "Rp 1.500,50"
    assert rupiah(0) == "Rp0,00"
    assert rupiah(-150_000) == "-Rp150.000,00"
    assert rupiah(0.1 + 0.2) == "Rp0,30"  # float noise must not leak into a letter
    assert rupiah(Decimal("999.995"), decimals=False) == "Rp1.000"
    with pytest.raises(ValueError):
        rupiah(1, style="bank")


def test_number_id():
    assert number_id(1_234_567.5) == "1.234.567,5"
    assert number_id(1_234_567) == "1.234.567"
    assert number_id(0) == "0"
    assert number_id(-1234.25) == "-1.234,25"
    assert number_id(Decimal("7.2"), decimals=2) == "7,20"
    assert number_id(999, decimals=0) == "999"


@pytest.mark.parametrize(
    "n,words",
    [
        (0, "nol"),
        (1, "satu"),
        (11, "sebelas"),
        (100, "seratus"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (111, "seratus sebelas"),
        (1_500_000, "satu juta lima ratus ribu"),
        (20_000_000, "dua puluh juta"),
        (150_000, "seratus lima puluh ribu"),
        (-5, "minus lima"),
    ],
)
def test_terbilang(n, words):
    assert terbilang(n) == words


def test_terbilang_rupiah():
    assert terbilang_rupiah(20_000_000) == "dua puluh juta rupiah"
    assert terbilang_rupiah(Decimal("15000000.00")) == "lima belas juta rupiah"
    with pytest.raises(DomainError):
        terbilang_rupiah(Decimal("1.5"))


def test_roman_month():
    assert [roman_month(m) for m in (1, 4, 7, 9, 12)] == ["I", "IV", "VII", "IX", "XII"]
    for bad in (0, 13, True):
        with pytest.raises(ValueError):
            roman_month(bad)
