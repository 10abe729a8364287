"""`pmks demo`: a set-up demo office filled with realistic generated records.

Persons and cases are written in bulk (executemany) with their change-log rows in the same
transaction, so demo data syncs like typed data while 100,000 persons take seconds, not minutes.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from pmks_desktop.domain.catalogue import AgeRule, Catalogue, PmksType
from pmks_desktop.domain.names import name_key
from pmks_desktop.domain.regions import RegionMaster
from pmks_desktop.services import demo_names as names
from pmks_desktop.services.office import OfficeSetup
from pmks_desktop.services.record_forms import record_form
from pmks_desktop.services.users import NewUser
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.changelog import bulk_change_rows, read_node, write_node
from pmks_desktop.storage.models import ChangeLog, Person, PmksCase, new_id

DEMO_ADMIN = ("admin", "demo-admin-123")
DEMO_OPERATOR = ("operator", "demo-operator-123")
BATCH = 5000
STATUS_WEIGHTS = {"baru": 30, "terverifikasi": 25, "dalam_penanganan": 20, "dirujuk": 10,
                  "selesai": 15}


@dataclass(frozen=True)
class DemoOffice:
    setup: OfficeSetup
    nik_kecamatan: list[str]  # kecamatan codes (2 digits) NIKs may be issued in


def demo_office(regions: RegionMaster | None, kecamatan_code: str = "36.04.05") -> DemoOffice:
    """Kecamatan from the region master when given; otherwise a clearly labelled demo office."""
    if regions is not None and regions.get(kecamatan_code):
        kec = regions.get(kecamatan_code)
        kab, prov = regions.get(kecamatan_code[:5]), regions.get(kecamatan_code[:2])
        desa = [(d.code, d.name) for d in regions.desa_of(kecamatan_code)]
        siblings = [r.code[-2:] for r in regions.children(kab.code)]
        prov_name, kab_name, kec_name = prov.name, kab.name, kec.name
        known = sorted(regions.kabupaten_codes())
    else:
        kecamatan_code = "36.04.99"
        desa = [(f"{kecamatan_code}.{2001 + i}", n) for i, n in enumerate(names.DEMO_DESA)]
        siblings = [f"{i:02d}" for i in range(1, 30)]
        prov_name, kab_name, kec_name = "Banten", "Kabupaten Serang", "Contoh (Data Demo)"
        known = []
    place = kec_name.title().split(" (")[0]
    setup = OfficeSetup(
        mode="kecamatan", province_code=kecamatan_code[:2], province_name=prov_name,
        kabupaten_code=kecamatan_code[:5], kabupaten_name=kab_name,
        kecamatan_code=kecamatan_code, kecamatan_name=kec_name,
        address=f"Jl. Raya {place} No. 1", phone="(0254) 000000", postcode="42100",
        email="kecamatan.demo@example.invalid", place_name=place,
        signer_name="Drs. H. Ahmad Fauzi, M.Si.", signer_nip="197001011990031001",
        signer_rank="Pembina Tingkat I (IV/b)", signer_title=f"Camat {place}", desa=desa,
        known_kabupaten=known)
    return DemoOffice(setup, siblings)


def demo_users() -> tuple[NewUser, NewUser]:
    return (NewUser(DEMO_ADMIN[0], "Administrator Demo", "administrator", DEMO_ADMIN[1], True),
            NewUser(DEMO_OPERATOR[0], "Operator Demo", "operator", DEMO_OPERATOR[1], False))


class PersonFactory:
    """Random but consistent persons: NIK matches region, birth date and sex."""

    def __init__(self, rng: random.Random, office: DemoOffice, today: date):
        self.rng, self.office, self.today = rng, office, today
        self.used_nik: set[str] = set()
        self.desa_names = {code: name.title() for code, name in office.setup.desa}

    def birth_date_for(self, pmks_type: PmksType, recorded_on: date) -> date:
        rule = pmks_type.age or AgeRule()
        low = rule.min if rule.min is not None else 18
        high = rule.max if rule.max is not None else max(low + 40, 75)
        age = self.rng.randint(low, min(high, 95))
        days = self.rng.randint(1, 364)
        return recorded_on - timedelta(days=365 * age + age // 4 + days)

    def nik(self, born: date, sex: str) -> str:
        setup = self.office.setup
        prefix = setup.kabupaten_code.replace(".", "") + self.rng.choice(self.office.nik_kecamatan)
        day = born.day + (40 if sex == "P" else 0)
        while True:
            number = f"{prefix}{day:02d}{born.month:02d}{born.year % 100:02d}" \
                     f"{self.rng.randint(1, 9999):04d}"
            if number not in self.used_nik:
                self.used_nik.add(number)
                return number

    def kk(self) -> str:
        setup = self.office.setup
        issued = self.today - timedelta(days=self.rng.randint(30, 365 * 15))
        return (setup.kecamatan_code.replace(".", "") + issued.strftime("%d%m%y")
                + f"{self.rng.randint(1, 9999):04d}")

    def person(self, sex: str, born: date, desa_code: str, with_nik: bool, now: datetime) -> dict:
        rng = self.rng
        first = rng.choice(names.FEMALE if sex == "P" else names.MALE)
        full = f"{first} {rng.choice(names.SECOND_FEMALE if sex == 'P' else names.SECOND_MALE)}"
        return {
            "id": new_id(), "created_at": now, "created_by": None, "updated_at": now,
            "updated_by": None, "deleted_at": None, "deleted_by": None, "deleted_reason": None,
            "version_hlc": 0, "version_origin": "",
            "nik": self.nik(born, sex) if with_nik else None,
            "no_kk": self.kk() if with_nik else None, "name": full, "name_key": name_key(full),
            "birth_place": rng.choice(names.PLACES), "birth_date": born, "sex": sex,
            "address": f"{rng.choice(names.STREETS)} {self.desa_names.get(desa_code, 'Sukamaju')}"
                       f" No. {rng.randint(1, 120)}",
            "rt": f"{rng.randint(1, 12):03d}", "rw": f"{rng.randint(1, 8):03d}",
            "desa_code": desa_code,
            "phone": f"08{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}"
            if rng.random() < 0.6 else None,
            "notes": None, "merged_into_id": None,
            "form_version": record_form("person").version,
        }


def _case_row(rng: random.Random, person: dict, pmks_type: PmksType, recorded_on: date,
              now: datetime, catalogue: Catalogue) -> dict:
    ticked = rng.sample([c.id for c in pmks_type.criteria],
                        k=rng.randint(1, max(1, min(3, len(pmks_type.criteria)))))
    disability = rng.choice(catalogue.disability_kinds).value \
        if pmks_type.requires_disability_kind else None
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    return {
        "id": new_id(), "created_at": now, "created_by": None, "updated_at": now,
        "updated_by": None, "deleted_at": None, "deleted_by": None, "deleted_reason": None,
        "version_hlc": 0, "version_origin": "", "person_id": person["id"],
        "type_code": pmks_type.code, "bidang": pmks_type.bidang, "recorded_on": recorded_on,
        "status": status, "status_note": None, "criteria": json.dumps(sorted(ticked)),
        "disability_kind": disability, "notes": None, "form_version": 1,
        "sensitive": pmks_type.sensitive,
    }


def _insert_many(conn, table, rows: list[dict], now: datetime) -> None:
    """executemany with values as SQLAlchemy would store them (dates ISO, datetimes naive UTC).

    Every datetime in generated rows is `now` or None, so it is converted once, not per value.
    """
    if not rows:
        return
    stored_now = now.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
    columns = list(rows[0])
    sql = (f"INSERT INTO {table.__tablename__} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")

    def stored(value):
        if value is now:
            return stored_now
        return value.isoformat() if isinstance(value, date) else value

    conn.exec_driver_sql(sql, [tuple(map(stored, r.values())) for r in rows])


def generate_records(db, catalogue: Catalogue, office: DemoOffice, persons: int, *,
                     seed: int = 2024, progress: Callable[[int, int], None] | None = None) -> int:
    """Write `persons` persons, each with a Rehabilitasi Sosial case; every type appears."""
    rng = random.Random(seed)
    today = date.today()
    factory = PersonFactory(rng, office, today)
    types = catalogue.types_for_bidang("rehsos")
    desa_codes = [code for code, _ in office.setup.desa]
    now = datetime.now(timezone.utc)
    done = 0
    with db.write() as s:
        conn = s.connection()
        node = read_node(s)
        while done < persons:
            size = min(BATCH, persons - done)
            person_rows, case_rows = [], []
            for i in range(size):
                pmks_type = types[(done + i) % len(types)] if done + i < len(types) \
                    else rng.choice(types)
                recorded_on = today - timedelta(days=rng.randint(0, 700))
                sex = pmks_type.sex or rng.choice("LP")
                born = factory.birth_date_for(pmks_type, recorded_on)
                with_nik = pmks_type.nik_required or rng.random() < 0.5
                person = factory.person(sex, born, rng.choice(desa_codes), with_nik, now)
                person_rows.append(person)
                case_rows.append(_case_row(rng, person, pmks_type, recorded_on, now, catalogue))
            changes = bulk_change_rows(node, "person", person_rows, None, now)
            changes += bulk_change_rows(node, "pmks_case", case_rows, None, now)
            _insert_many(conn, Person, person_rows, now)
            _insert_many(conn, PmksCase, case_rows, now)
            _insert_many(conn, ChangeLog, changes, now)
            done += size
            if progress:
                progress(done, persons)
        write_node(s, node)
        append_audit(s, action="import", entity="demo", detail={"persons": persons},
                     username="sistem")
    return done


def load_region_master(path: Path | None) -> RegionMaster | None:
    if path is None:
        return None
    from pmks_desktop.domain.regions import load_region_csv

    return load_region_csv(path)
