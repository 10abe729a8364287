"""Letter settings: the number pattern and codes, paper, rupiah style, the a.n. signer, TKSK.

Local to this install (app_setting), like the office set-up: when an office runs two PCs, each
PC keeps its own letter series, so each must be given its own unit code (or series mark) in the
pattern; otherwise the two registers would both hand out 0001.
"""
from __future__ import annotations

import json
import string
from dataclasses import asdict, dataclass, fields, replace

from pmks_desktop.domain.formatting import roman_month
from pmks_desktop.domain.roles import MANAGE_OFFICE
from pmks_desktop.services.errors import Issue, ValidationFailed
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import AppSetting

KEY = "letter.config"
PATTERN_FIELDS = {
    "klasifikasi": "kode klasifikasi arsip", "nomor": "nomor urut", "kode_unit": "kode unit",
    "bulan_romawi": "bulan dengan angka Romawi", "bulan": "bulan (angka)", "tahun": "tahun",
}
RUPIAH_STYLES = {"puebi": "Rp20.000.000,00", "kantor": "Rp 20.000.000,-"}


@dataclass(frozen=True)
class LetterConfig:
    pattern: str = "{klasifikasi}/{nomor}/{kode_unit}/{tahun}"
    serial_digits: int = 4
    klasifikasi: str = "400.9"  # Permendagri 83/2022: Sosial
    unit_code: str = ""  # "Kec.Kmt"; empty: derived from the kecamatan name
    paper: str = "A4"
    rupiah_style: str = "puebi"
    an_title: str = "Sekretaris Kecamatan"  # signs "a.n. CAMAT ..." when chosen on a letter
    an_name: str = ""
    an_rank: str = ""
    an_nip: str = ""
    tksk_name: str = ""


def default_unit_code(kecamatan_name: str) -> str:
    """"Kec.Kramatwatu"; the Dinas Sosial (no kecamatan) gets "Dinsos"."""
    words = "".join(w.capitalize() for w in (kecamatan_name or "").split() if w.isalnum())
    return f"Kec.{words}" if words else "Dinsos"


def format_number(config: LetterConfig, *, serial: int, month: int, year: int,
                  klasifikasi: str = "", unit_code: str = "") -> str:
    return config.pattern.format(
        klasifikasi=klasifikasi or config.klasifikasi,
        nomor=str(serial).zfill(config.serial_digits), kode_unit=unit_code or config.unit_code,
        bulan_romawi=roman_month(month), bulan=f"{month:02d}", tahun=str(year))


def config_issues(config: LetterConfig) -> list[Issue]:
    issues = []
    try:
        names = [n for _l, n, _s, _c in string.Formatter().parse(config.pattern) if n is not None]
    except ValueError:
        return [Issue("pattern", "Pola nomor surat: kurung kurawal tidak berpasangan.")]
    if unknown := [n for n in names if n not in PATTERN_FIELDS]:
        issues.append(Issue("pattern", f"Pola nomor surat: penanda {{{unknown[0]}}} tidak dikenal"
                                       f" (tersedia: {', '.join(PATTERN_FIELDS)})."))
    if "nomor" not in names:
        issues.append(Issue("pattern", "Pola nomor surat harus memuat {nomor} (nomor urut)."))
    if "tahun" not in names:
        issues.append(Issue("pattern", "Pola nomor surat harus memuat {tahun}: nomor urut "
                                       "dimulai lagi dari 1 setiap tahun."))
    if "|" in config.pattern:
        issues.append(Issue("pattern", "Pola nomor surat tidak boleh memuat tanda |."))
    if not 1 <= config.serial_digits <= 6:
        issues.append(Issue("serial_digits", "Jumlah digit nomor urut 1 sampai 6."))
    if config.paper not in ("A4", "F4"):
        issues.append(Issue("paper", "Ukuran kertas A4 atau F4."))
    if config.rupiah_style not in RUPIAH_STYLES:
        issues.append(Issue("rupiah_style", "Gaya penulisan rupiah tidak dikenal."))
    return issues


class LetterSettingsService:
    def __init__(self, db: Database, session: UserSession, kecamatan_name=lambda: ""):
        self._db = db
        self._session = session
        self._kecamatan_name = kecamatan_name

    def current(self) -> LetterConfig:
        with self._db.read() as s:
            row = s.get(AppSetting, KEY)
        known = {f.name for f in fields(LetterConfig)}
        stored = {k: v for k, v in json.loads(row.value).items() if k in known} if row else {}
        config = LetterConfig(**stored)
        if not config.unit_code:
            config = replace(config, unit_code=default_unit_code(self._kecamatan_name()))
        return config

    def update(self, config: LetterConfig) -> None:
        actor = self._session.require(MANAGE_OFFICE)
        if issues := config_issues(config):
            raise ValidationFailed(issues)
        with self._db.write(actor.user_id) as s:
            row = s.get(AppSetting, KEY) or AppSetting(key=KEY, value="{}")
            row.value = json.dumps(asdict(config), sort_keys=True)
            s.add(row)
            append_audit(s, action="setup", entity="setting", detail={"letter": asdict(config)},
                         user_id=actor.user_id, username=actor.username)
