"""Indonesian formatting for screens, letters and recaps (DOMAIN section 7).

Dates use babel's CLDR data for locale `id` with explicit patterns: the CLDR "full" format
zero-pads the day ("Minggu, 07 Januari 2024"), which is not how letters are written.
Money is formatted here rather than with babel's currency formatter because offices use two
house styles that CLDR does not know (PUEBI `Rp20.000.000,00` and `Rp 20.000.000,-`).
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.dates import format_date

from pmks_desktop.domain.errors import DomainError

LOCALE = "id"
RUPIAH_STYLES = ("puebi", "kantor")
_ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def long_date(d: date) -> str:
    """`27 Juli 2024`, the form used after the place name in letters."""
    return format_date(_as_date(d), "d MMMM y", locale=LOCALE)


def long_date_with_day(d: date) -> str:
    """`Sabtu, 27 Juli 2024`."""
    return format_date(_as_date(d), "EEEE, d MMMM y", locale=LOCALE)


def month_name(month: int) -> str:
    """`Juli`: for recap titles such as "BULAN JULI TAHUN 2024"."""
    return format_date(date(2000, month, 1), "MMMM", locale=LOCALE)


def short_date(d: date) -> str:
    """`27-07-2024`, the day-first form used in tables and forms."""
    return f"{_as_date(d):%d-%m-%Y}"


def parse_date(s: str, field: str = "date") -> date:
    """Read `27-07-2024`, `27/07/2024` or `2024-07-27` (also with one-digit day or month)."""
    text = (s or "").strip()
    if not text:
        raise DomainError(field, "Tanggal belum diisi.")
    iso = _DATE_ISO.match(text)
    dmy = _DATE_DMY.match(text)
    if iso:
        year, month, day = (int(p) for p in iso.groups())
    elif dmy:
        day, month, year = (int(p) for p in dmy.groups())
    else:
        raise DomainError(
            field,
            f"Format tanggal '{text}' tidak dikenali. Tulis sebagai hari-bulan-tahun, "
            "misalnya 27-07-2024.",
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise DomainError(field, f"Tanggal '{text}' tidak ada di kalender.") from None


def number_id(x: int | float | Decimal, decimals: int | None = None) -> str:
    """`1.234.567,5`: dot for thousands, comma for decimals.

    With `decimals=None` trailing zeros are dropped; otherwise exactly that many decimals.
    """
    value = _decimal(x)
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    text = f"{abs(value):f}"
    whole, _, fraction = text.partition(".")
    if decimals is None:
        fraction = fraction.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def rupiah(amount: int | float | Decimal, style: str = "puebi", decimals: bool = True) -> str:
    """`Rp20.000.000,00` (PUEBI) or `Rp 20.000.000,-` (office style); no cents if not decimals."""
    if style not in RUPIAH_STYLES:
        raise ValueError(f"Unknown rupiah style {style!r}; expected one of {RUPIAH_STYLES}")
    value = _decimal(amount)
    prefix = "Rp " if style == "kantor" else "Rp"
    sign = "-" if value < 0 else ""
    if not decimals:
        return f"{sign}{prefix}{number_id(abs(value), decimals=0)}"
    body = number_id(abs(value), decimals=2)
    if style == "kantor" and body.endswith(",00"):
        body = body[:-3] + ",-"  # the office habit: ",-" closes a whole amount
    return f"{sign}{prefix}{body}"


def terbilang(n: int | Decimal) -> str:
    """A whole number in words: `dua puluh juta`, `seribu`, `minus lima`."""
    from num2words import num2words  # import on use: it loads every language module lazily

    value = _whole(n)
    words = num2words(abs(value), lang="id")
    # num2words writes "min lima"; KBBI and letters use "minus".
    return f"minus {words}" if value < 0 else words


def terbilang_rupiah(n: int | Decimal) -> str:
    """`dua puluh juta rupiah`, as written under an amount in a letter or receipt."""
    return f"{terbilang(n)} rupiah"


def roman_month(m: int) -> str:
    """`VII` for July, as used in letter numbers of some offices."""
    if isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12:
        raise ValueError(f"Bulan harus 1–12, bukan {m!r}.")
    return _ROMAN_MONTHS[m - 1]


def _as_date(d: date) -> date:
    # A datetime is a date too, but would print its time in some babel patterns.
    return d.date() if isinstance(d, datetime) else d


def _decimal(x: int | float | Decimal) -> Decimal:
    if isinstance(x, bool):
        raise TypeError("A boolean is not an amount")
    try:
        # str() first: Decimal(0.1) would carry the binary float error into the output.
        value = x if isinstance(x, Decimal) else Decimal(str(x))
    except InvalidOperation:
        raise DomainError("amount", f"'{x}' bukan angka.") from None
    if not value.is_finite():
        raise DomainError("amount", f"'{x}' bukan angka yang dapat ditulis.")
    return value


def _whole(n: int | Decimal) -> int:
    value = _decimal(n)
    if value != value.to_integral_value():
        raise DomainError("amount", f"Terbilang hanya untuk bilangan bulat, bukan {n}.")
    return int(value)
