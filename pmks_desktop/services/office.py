"""Office set-up (first start, `pmks init`) and the desa the office serves."""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import select

from pmks_desktop.domain.roles import MANAGE_OFFICE
from pmks_desktop.services.errors import Issue, ServiceError, ValidationFailed
from pmks_desktop.services.keyring import create_keyring
from pmks_desktop.services.session import SYSTEM_ACTOR, UserSession
from pmks_desktop.services.users import NewUser, insert_user
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import AppSetting, Desa, Office, User

KNOWN_KABUPATEN_KEY = "region.kabupaten_codes"
KECAMATAN_NAMES_KEY = "region.kecamatan_names"
MODES = {"kecamatan": "Kantor Kecamatan", "kabupaten": "Dinas Sosial Kabupaten (pusat)"}
_PROVINCE = re.compile(r"^\d{2}$")
_KABUPATEN = re.compile(r"^\d{2}\.\d{2}$")
_KECAMATAN = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
_DESA = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


@dataclass
class OfficeSetup:
    mode: str
    province_code: str
    province_name: str
    kabupaten_code: str
    kabupaten_name: str
    kecamatan_code: str = ""
    kecamatan_name: str = ""
    address: str = ""
    phone: str = ""
    postcode: str = ""
    email: str = ""
    place_name: str = ""
    signer_name: str = ""
    signer_nip: str = ""
    signer_rank: str = ""
    signer_title: str = ""
    emblem_path: str = ""
    desa: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    # At the Dinas Sosial: every kecamatan of the kabupaten (code, name), so lists and recaps
    # can name the offices' areas; `desa` then holds every desa of the kabupaten.
    kecamatan: list[tuple[str, str]] = field(default_factory=list)
    # Every kabupaten/kota code of the imported region master ("36.04"): NIKs issued anywhere in
    # Indonesia are checked against it, since the validator's own table lacks newer regions.
    known_kabupaten: list[str] = field(default_factory=list)


def _check_region(setup: OfficeSetup) -> list[Issue]:
    issues = []
    if setup.mode not in MODES:
        issues.append(Issue("mode", "Pilih mode: kecamatan atau kabupaten."))
    checks = [("province_code", _PROVINCE, "Kode provinsi 2 angka, mis. 36."),
              ("kabupaten_code", _KABUPATEN, "Kode kabupaten/kota berbentuk 36.04.")]
    if setup.mode == "kecamatan":
        checks.append(("kecamatan_code", _KECAMATAN, "Kode kecamatan berbentuk 36.04.05."))
    for name, pattern, message in checks:
        if not pattern.match(getattr(setup, name) or ""):
            issues.append(Issue(name, message))
    names = [("province_name", "Nama provinsi"), ("kabupaten_name", "Nama kabupaten/kota")]
    if setup.mode == "kecamatan":
        names.append(("kecamatan_name", "Nama kecamatan"))
    issues += [Issue(n, f"{label} wajib diisi.") for n, label in names
               if not (getattr(setup, n) or "").strip()]
    if setup.kabupaten_code and not setup.kabupaten_code.startswith(setup.province_code + "."):
        issues.append(Issue("kabupaten_code", "Kode kabupaten tidak berada di provinsi tersebut."))
    if setup.mode == "kecamatan" and setup.kecamatan_code and \
            not setup.kecamatan_code.startswith(setup.kabupaten_code + "."):
        issues.append(Issue("kecamatan_code", "Kode kecamatan tidak berada di kabupaten/kota "
                                              "tersebut."))
    return issues


# Printed on every letter's kop and signature block, so a letter is never left half blank.
_LETTER_FIELDS = (("address", "Alamat kantor"), ("place_name", "Tempat penandatanganan surat"),
                  ("signer_name", "Nama penanda tangan"), ("signer_title", "Jabatan penanda tangan"))


def _check_letter_fields(setup: OfficeSetup) -> list[Issue]:
    return [Issue(name, f"{label} wajib diisi (dicetak pada setiap surat).")
            for name, label in _LETTER_FIELDS if not (getattr(setup, name) or "").strip()]


def _check_desa(setup: OfficeSetup) -> list[Issue]:
    if setup.mode != "kecamatan":
        return []
    if not setup.desa:
        return [Issue("desa", "Daftar desa/kelurahan masih kosong. Impor dari berkas CSV "
                              "Kepmendagri atau ketik sedikitnya satu desa.")]
    issues, seen = [], set()
    for code, name in setup.desa:
        if not _DESA.match(code or ""):
            issues.append(Issue("desa", f"Kode desa '{code}' harus berbentuk 36.04.05.2001."))
        elif not code.startswith(setup.kecamatan_code + "."):
            issues.append(Issue("desa", f"Desa {code} tidak berada di kecamatan "
                                        f"{setup.kecamatan_code}."))
        elif code in seen:
            issues.append(Issue("desa", f"Kode desa {code} tercantum dua kali."))
        if not (name or "").strip():
            issues.append(Issue("desa", f"Nama desa untuk kode {code} kosong."))
        seen.add(code)
    return issues


def _check_signer_and_emblem(setup: OfficeSetup) -> list[Issue]:
    issues = []
    nip = re.sub(r"\s", "", setup.signer_nip or "")
    if not re.fullmatch(r"\d{18}", nip):
        issues.append(Issue("signer_nip", "NIP penanda tangan harus 18 angka."))
    if setup.emblem_path:
        path = Path(setup.emblem_path)
        try:
            head = path.read_bytes()[:8]
        except OSError:
            head = b""
        if not any(head.startswith(m) for m in _IMAGE_MAGIC):
            issues.append(Issue("emblem_path", f"Berkas lambang {path.name} bukan gambar PNG "
                                               "atau JPEG yang dapat dibaca."))
    return issues


def validate_setup(setup: OfficeSetup) -> list[Issue]:
    return (_check_region(setup) + _check_desa(setup) + _check_letter_fields(setup)
            + _check_signer_and_emblem(setup))


class OfficeService:
    def __init__(self, db: Database, session: UserSession):
        self._db = db
        self._session = session

    def is_set_up(self) -> bool:
        with self._db.read() as s:
            return s.get(Office, 1) is not None

    def office(self) -> Office:
        with self._db.read() as s:
            office = s.get(Office, 1)
        if office is None:
            raise ServiceError("Kantor belum diatur. Jalankan pengaturan awal terlebih dahulu.")
        return office

    def emblem_bytes(self) -> bytes | None:
        """The regency emblem for the kop surat; None when none was given or the file is gone."""
        name = self.office().emblem_file
        path = self._db.paths.root / name if name else None
        try:
            return path.read_bytes() if path else None
        except OSError:
            return None

    def kecamatan_names(self) -> dict[str, str]:
        """At the Dinas Sosial: the kabupaten's kecamatan by code (from the region master)."""
        with self._db.read() as s:
            row = s.get(AppSetting, KECAMATAN_NAMES_KEY)
        return json.loads(row.value) if row else {}

    def filter_areas(self) -> list[Desa]:
        """The list filter's choices: the office's desa, or at the hub its kecamatan (a
        kecamatan code matches all its desa, see services/area_filter.py)."""
        if self.office().mode == "kecamatan":
            return self.desa_list()
        names = self.kecamatan_names()
        return [Desa(code=c, name=f"Kec. {n.title()}", kecamatan_code=c)
                for c, n in sorted(names.items(), key=lambda kv: kv[1])]

    def known_kabupaten(self) -> frozenset[str]:
        with self._db.read() as s:
            setting = s.get(AppSetting, KNOWN_KABUPATEN_KEY)
        return frozenset(json.loads(setting.value)) if setting else frozenset()

    def desa_list(self, active_only: bool = True) -> list[Desa]:
        with self._db.read() as s:
            query = select(Desa).order_by(Desa.name)
            if active_only:
                query = query.where(Desa.active == True)  # noqa: E712
            return list(s.exec(query))

    def set_up(self, setup: OfficeSetup, admin: NewUser) -> Office:
        """First start: office, desa list and first administrator in one transaction."""
        if self.is_set_up():
            raise ServiceError("Kantor sudah diatur sebelumnya.")
        issues = validate_setup(setup)
        if issues:
            raise ValidationFailed(issues)
        admin = NewUser(admin.username, admin.full_name, "administrator", admin.password, True)
        emblem_file = self._emblem_name(setup.emblem_path)
        with self._db.write() as s:
            # Checked again under the write lock: two windows may finish set-up at once.
            if s.get(Office, 1) or s.exec(select(User.id).limit(1)).first():
                raise ServiceError("Kantor sudah diatur sebelumnya.")
            office = Office(**self._office_fields(setup), emblem_file=emblem_file)
            s.add(office)
            s.add_all(Desa(code=c, name=n.strip(), kecamatan_code=c.rsplit(".", 1)[0])
                      for c, n in setup.desa)
            s.add(AppSetting(key=KNOWN_KABUPATEN_KEY, value=json.dumps(
                sorted(set(setup.known_kabupaten) | {setup.kabupaten_code}))))
            if setup.mode != "kecamatan":
                inside = [(c, n) for c, n in setup.kecamatan
                          if c.startswith(setup.kabupaten_code + ".")]
                s.add(AppSetting(key=KECAMATAN_NAMES_KEY, value=json.dumps(dict(inside))))
            first = insert_user(s, admin, by=SYSTEM_ACTOR)
            create_keyring(s, first.id, admin.password)  # the office's signing keys
            append_audit(s, action="setup", entity="office",
                         detail={"mode": setup.mode, "desa": len(setup.desa)},
                         username=SYSTEM_ACTOR.username)
            # Copied inside the transaction: if copying fails, nothing is committed.
            self._copy_emblem(setup.emblem_path, emblem_file)
        return office

    @staticmethod
    def _office_fields(setup: OfficeSetup) -> dict:
        fields = {k: v for k, v in vars(setup).items()
                  if k not in ("emblem_path", "desa", "known_kabupaten", "kecamatan")}
        fields["signer_nip"] = re.sub(r"\s", "", setup.signer_nip or "")
        if setup.mode != "kecamatan":
            fields["kecamatan_code"] = fields["kecamatan_name"] = None
        return {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}

    def _emblem_name(self, source: str) -> str | None:
        if not source:
            return None
        return self._db.paths.emblem.with_suffix(Path(source).suffix.lower() or ".png").name

    def _copy_emblem(self, source: str, name: str | None) -> None:
        if not source or not name:
            return
        for old in self._db.paths.root.glob(self._db.paths.emblem.stem + ".*"):
            old.unlink()  # a PNG chosen after a JPEG must not leave the JPEG behind
        try:
            shutil.copyfile(source, self._db.paths.root / name)
        except OSError as exc:
            raise ServiceError(f"Gambar lambang tidak dapat disalin ke folder data: "
                               f"{exc.strerror or exc}.") from exc

    def update(self, **changes) -> Office:
        actor = self._session.require(MANAGE_OFFICE)
        allowed = {"address", "phone", "postcode", "email", "place_name", "signer_name",
                   "signer_nip", "signer_rank", "signer_title"}
        unknown = set(changes) - allowed
        if unknown:
            raise ServiceError(f"Isian {', '.join(sorted(unknown))} tidak dapat diubah di sini.")
        with self._db.write(actor.user_id) as s:
            office = s.get(Office, 1)
            for key, value in changes.items():
                setattr(office, key, (value or "").strip())
            append_audit(s, action="setup", entity="office", detail={"changed": sorted(changes)},
                         user_id=actor.user_id, username=actor.username)
            return office
