"""NIK, No. KK and phone number checks (DOMAIN section 4).

Layout of both 16-digit numbers: PP KK CC (province, kabupaten/kota, kecamatan of issue),
DDMMYY (NIK: birth date, day + 40 for women; KK: issue date), SSSS (serial, never 0000).

The issuing-region check uses python-stdnum's table (keyed on the first four digits). It is
incomplete: 54 of the 514 kabupaten/kota of Kepmendagri 2025 are missing, among them all of
Kalimantan Utara (65), the Papua provinces created in 2022 and Pangandaran (32.18). Callers
that hold a region master pass its kabupaten codes in `region_codes`; a NIK is refused only
when neither source knows its prefix. Old prefixes that only stdnum still lists (from before a
split) stay accepted, since a NIK keeps the code it was issued under.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pmks_desktop.domain.errors import IdentityError

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40
# Separators people and spreadsheets put into numbers; a leading apostrophe is how Excel marks
# a cell as text.
_SEPARATORS = re.compile(r"[\s.\-\u00a0\u2010-\u2015]+")
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")

# Province codes of Kepmendagri 300.2.2-2138/2025; stdnum lacks 65, 92, 93, 95, 96.
KEMENDAGRI_PROVINCES = frozenset(
    "11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 61 62 63 64 65 "
    "71 72 73 74 75 76 81 82 91 92 93 94 95 96".split()
)


@dataclass(frozen=True)
class NikInfo:
    number: str
    sex: str  # "L" or "P"
    birth_date: date
    region_code: str  # "PP.KK.CC"

    @property
    def province_code(self) -> str:
        return self.number[:2]

    @property
    def kabupaten_code(self) -> str:
        return f"{self.number[:2]}.{self.number[2:4]}"


def normalize_number(s: str) -> str:
    """Strip spaces, dots, dashes and Excel's leading apostrophe; keep everything else."""
    return _SEPARATORS.sub("", (s or "").strip().lstrip("'"))


def validate_nik(
    s: str,
    birth_date: date | None = None,
    *,
    today: date | None = None,
    region_codes: Collection[str] | None = None,
    field: str = "nik",
) -> NikInfo:
    """Check a NIK and decode it; raise IdentityError with a message for the operator.

    `birth_date` (the date entered on the form) only settles the century; a disagreement with
    it is a warning from cross_check_nik(), not an error, because the KTP may be wrong.
    `region_codes`: known kabupaten codes ("36.04") from the region master, if loaded.
    """
    number = _digits(s, "NIK", field)
    raw_day, month, yy = int(number[6:8]), int(number[8:10]), int(number[10:12])
    female = raw_day > FEMALE_DAY_OFFSET
    day = raw_day - FEMALE_DAY_OFFSET if female else raw_day
    if not 1 <= day <= 31:
        raise IdentityError(
            field,
            f"Tanggal lahir pada NIK tidak masuk akal: angka hari {number[6:8]} "
            "(laki-laki 01–31, perempuan 41–71).",
        )
    born = _resolve_date(day, month, yy, birth_date, today or date.today(), "lahir", field)
    _check_region(number, region_codes, "NIK", field)
    _check_serial(number, "NIK", field)
    region = f"{number[:2]}.{number[2:4]}.{number[4:6]}"
    return NikInfo(number, "P" if female else "L", born, region)


def validate_kk(
    s: str,
    *,
    today: date | None = None,
    region_codes: Collection[str] | None = None,
    field: str = "no_kk",
) -> str:
    """Check a No. KK and return it without separators."""
    number = _digits(s, "No. KK", field)
    day, month, yy = int(number[6:8]), int(number[8:10]), int(number[10:12])
    if not 1 <= day <= 31:
        raise IdentityError(
            field, f"Tanggal terbit pada No. KK tidak masuk akal: angka hari {number[6:8]}."
        )
    _resolve_date(day, month, yy, None, today or date.today(), "terbit", field, what="No. KK")
    _check_region(number, region_codes, "No. KK", field)
    _check_serial(number, "No. KK", field)
    return number


def cross_check_nik(info: NikInfo, birth_date: date | None, sex: str | None) -> list[str]:
    """Warnings when the NIK disagrees with the entered birth date or sex.

    Only day, month and the two-digit year are compared: the century is not in the NIK.
    """
    warnings = []
    nik_date = info.birth_date
    if birth_date is not None and (nik_date.day, nik_date.month, nik_date.year % 100) != (
        birth_date.day, birth_date.month, birth_date.year % 100
    ):
        warnings.append(
            f"Tanggal lahir pada NIK ({nik_date:%d-%m-%Y}) berbeda dengan tanggal lahir "
            f"yang diisi ({birth_date:%d-%m-%Y})."
        )
    if sex in ("L", "P") and sex != info.sex:
        warnings.append(
            f"Jenis kelamin pada NIK ({_sex_word(info.sex)}) berbeda dengan jenis kelamin "
            f"yang diisi ({_sex_word(sex)})."
        )
    return warnings


def mask_nik(s: str) -> str:
    """`3604**********12`: enough to tell records apart on screen, not enough to misuse."""
    number = normalize_number(s)
    if len(number) <= 6:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 6) + number[-2:]


def validate_phone(s: str | None, field: str = "phone") -> str | None:
    """An Indonesian phone number (optional). Returns it compacted, or None when empty."""
    text = (s or "").strip()
    if not text:
        return None
    if re.search(r"[^\d+\s.\-()]", text) or "+" in text[1:]:
        raise IdentityError(
            field, "Nomor telepon hanya boleh berisi angka, spasi, tanda hubung, dan '+' di depan."
        )
    compact = re.sub(r"[\s.\-()]", "", text)
    if not (compact.startswith("0") or compact.startswith("+62")):
        raise IdentityError(field, (
            "Nomor telepon harus diawali 0 atau +62, misalnya 081234567890 atau +6281234567890."
        ))
    digits = len(compact.lstrip("+"))
    if not 8 <= digits <= 15:
        raise IdentityError(
            field, f"Nomor telepon harus 8–15 angka; yang diisi {digits} angka."
        )
    return compact


# --- helpers ------------------------------------------------------------------------------


def _digits(s: str, label: str, field: str) -> str:
    raw = (s or "").strip()
    if not raw:
        raise IdentityError(field, f"{label} belum diisi.")
    if _SCIENTIFIC.match(raw.replace(" ", "")):
        raise IdentityError(
            field,
            f"{label} '{raw}' tampak seperti angka yang diubah Excel menjadi notasi ilmiah; "
            "angka aslinya sudah hilang. Salin kembali dari kartu aslinya, dan atur kolom Excel "
            "sebagai Teks sebelum mengisi.",
        )
    number = normalize_number(raw)
    bad = sorted({ch for ch in number if not ch.isascii() or not ch.isdigit()})
    if bad:
        shown = ", ".join(f"'{ch}'" for ch in bad)
        raise IdentityError(
            field,
            f"{label} hanya boleh berisi angka; ditemukan {shown}. "
            "Periksa huruf O atau I yang mungkin tertulis sebagai angka 0 atau 1.",
        )
    if len(number) != NIK_LENGTH:
        raise IdentityError(field, f"{label} harus 16 angka; yang diisi {len(number)} angka.")
    return number


def _resolve_date(
    day: int, month: int, yy: int, hint: date | None, today: date, kind: str, field: str,
    what: str = "NIK",
) -> date:
    """Pick the century: the hint's when its YY matches, else the latest date not in the future."""
    if not 1 <= month <= 12:
        raise IdentityError(
            field,
            f"Tanggal {kind} pada {what} tidak masuk akal: bulan {month:02d} (harus 01–12).",
        )
    candidates = []
    for century in (2000, 1900):
        try:
            candidates.append(date(century + yy, month, day))
        except ValueError:
            continue  # e.g. 29-02-00 exists in 2000 only
    if not candidates:
        raise IdentityError(
            field,
            f"Tanggal {kind} pada {what} ({day:02d}-{month:02d}-{yy:02d}) tidak ada di kalender.",
        )
    if hint is not None and hint.year % 100 == yy:
        for candidate in candidates:
            if candidate.year // 100 == hint.year // 100:
                return candidate
    past = [c for c in candidates if c <= today]
    # Both candidates in the future cannot happen (19YY is always past); keep the earliest.
    return past[0] if past else candidates[-1]


def _check_region(
    number: str, region_codes: Collection[str] | None, label: str, field: str
) -> None:
    province, kabupaten = number[:2], f"{number[:2]}.{number[2:4]}"
    extra = set(region_codes or ())
    known = _stdnum_regions()
    provinces = known[0] | KEMENDAGRI_PROVINCES | {code[:2] for code in extra}
    if province not in provinces:
        raise IdentityError(field, (
            f"Kode provinsi {province} pada {label} tidak dikenal. Periksa dua angka pertama."
        ))
    if kabupaten not in known[1] and kabupaten not in extra:
        raise IdentityError(
            field,
            f"Kode kabupaten/kota {kabupaten} pada {label} tidak dikenal. "
            "Periksa empat angka pertama.",
        )
    if number[4:6] == "00":
        raise IdentityError(field, f"Kode kecamatan pada {label} tidak boleh 00.")


def _check_serial(number: str, label: str, field: str) -> None:
    if number[12:] == "0000":
        message = f"Nomor urut pada {label} (empat angka terakhir) tidak boleh 0000."
        raise IdentityError(field, message)


@lru_cache(maxsize=1)
def _stdnum_regions() -> tuple[frozenset[str], frozenset[str]]:
    """Province codes and "PP.KK" codes known to stdnum's `id/loc` table (read once)."""
    from stdnum import numdb  # the table is parsed on first use; keep it off start-up

    db = numdb.get("id/loc")
    provinces, kabupaten = set(), set()
    for pp in range(11, 100):
        info = db.info(f"{pp:02d}")
        if not info[0][1]:
            continue
        provinces.add(f"{pp:02d}")
        for kk in range(1, 100):
            parts = db.info(f"{pp:02d}{kk:02d}")
            if len(parts) > 1 and parts[1][1]:
                kabupaten.add(f"{pp:02d}.{kk:02d}")
    return frozenset(provinces), frozenset(kabupaten)


def _sex_word(sex: str) -> str:
    return "perempuan" if sex == "P" else "laki-laki"
