"""Validating what a user typed for a person, before anything is stored."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pmks_desktop.domain.errors import DomainError
from pmks_desktop.domain.identity import cross_check_nik, validate_kk, validate_nik, validate_phone
from pmks_desktop.domain.names import name_key, title_case_name
from pmks_desktop.services.errors import Checked, Issue

MAX_AGE_YEARS = 130
_NAME_CHARS = re.compile(r"^[^\d@#$%^*_=+<>{}\[\]|\\/~`]+$")
_RT_RW = re.compile(r"^\d{1,3}$")


@dataclass
class PersonInput:
    name: str
    sex: str
    desa_code: str
    nik: str = ""
    no_kk: str = ""
    birth_place: str = ""
    birth_date: date | None = None
    address: str = ""
    rt: str = ""
    rw: str = ""
    phone: str = ""
    notes: str = ""


def _check_name(inp: PersonInput, out: Checked) -> None:
    name = title_case_name(inp.name or "")
    if len(name) < 2:
        out.errors.append(Issue("name", "Nama lengkap wajib diisi (sedikitnya 2 huruf)."))
    elif len(name) > 120:
        out.errors.append(Issue("name", "Nama terlalu panjang (maksimal 120 karakter)."))
    elif not _NAME_CHARS.match(name):
        out.errors.append(Issue("name", "Nama tidak boleh berisi angka atau simbol."))
    out.values.update(name=name, name_key=name_key(name))


def _check_birth(inp: PersonInput, out: Checked, today: date) -> None:
    out.values["birth_place"] = title_case_name(inp.birth_place or "") or None
    born = inp.birth_date
    if born is None:
        out.warnings.append(Issue("birth_date", "Tanggal lahir belum diisi; umur tidak dapat "
                                                "diperiksa untuk jenis PMKS yang dibatasi umur."))
    elif born > today:
        out.errors.append(Issue("birth_date", "Tanggal lahir tidak boleh setelah hari ini."))
    elif today.year - born.year > MAX_AGE_YEARS:
        out.errors.append(Issue("birth_date", f"Tanggal lahir lebih dari {MAX_AGE_YEARS} tahun "
                                              "yang lalu; periksa kembali."))
    out.values["birth_date"] = born


def _check_identity(inp: PersonInput, out: Checked, regions: frozenset[str]) -> None:
    out.values["nik"] = out.values["no_kk"] = None
    if (inp.nik or "").strip():
        try:
            info = validate_nik(inp.nik, inp.birth_date, region_codes=regions)
            out.values["nik"] = info.number
            out.warnings += [Issue("nik", w) for w in
                             cross_check_nik(info, inp.birth_date, inp.sex or None)]
        except DomainError as exc:
            out.errors.append(Issue("nik", exc.message))
    if (inp.no_kk or "").strip():
        try:
            out.values["no_kk"] = validate_kk(inp.no_kk, region_codes=regions)
        except DomainError as exc:
            out.errors.append(Issue("no_kk", exc.message))


def _check_address(inp: PersonInput, out: Checked, desa_codes: set[str]) -> None:
    if inp.desa_code not in desa_codes:
        out.errors.append(Issue("desa_code", "Pilih desa/kelurahan tempat tinggal dari daftar."))
    out.values["desa_code"] = inp.desa_code
    for key, label in (("rt", "RT"), ("rw", "RW")):
        value = (getattr(inp, key) or "").strip()
        if value and not _RT_RW.match(value):
            out.errors.append(Issue(key, f"{label} diisi angka 1–3 digit, mis. 003."))
        out.values[key] = value.zfill(3) if value and _RT_RW.match(value) else (value or None)
    address = " ".join((inp.address or "").split())
    if len(address) > 200:
        out.errors.append(Issue("address", "Alamat terlalu panjang (maksimal 200 karakter)."))
    out.values["address"] = address or None


def _check_contact(inp: PersonInput, out: Checked) -> None:
    out.values["phone"] = None
    if (inp.phone or "").strip():
        try:
            out.values["phone"] = validate_phone(inp.phone)
        except DomainError as exc:
            out.errors.append(Issue("phone", exc.message))
    out.values["notes"] = (inp.notes or "").strip() or None


def check_person(inp: PersonInput, desa_codes: set[str], today: date,
                 known_kabupaten: frozenset[str] = frozenset()) -> Checked:
    out = Checked()
    _check_name(inp, out)
    if inp.sex not in ("L", "P"):
        out.errors.append(Issue("sex", "Pilih jenis kelamin: laki-laki atau perempuan."))
    out.values["sex"] = inp.sex
    _check_birth(inp, out, today)
    _check_identity(inp, out, known_kabupaten)
    _check_address(inp, out, desa_codes)
    _check_contact(inp, out)
    return out
