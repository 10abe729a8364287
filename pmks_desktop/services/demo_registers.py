"""`pmks demo`, second part: households and every register of the four bidang.

Runs after demo.generate_records (the persons exist). Unlike the persons, which are written in
bulk, everything here goes through HouseholdService and RegisterService one record at a time,
so each demo record is validated, change-captured and audited exactly like typed data. Volumes
scale with the number of persons and are capped so that 100,000 persons add well under a
minute (see CAPS).
"""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Callable, Iterator

from sqlmodel import select

from pmks_desktop.domain.case_rules import age_in_years
from pmks_desktop.services.households import HouseholdInput
from pmks_desktop.storage.models import Person

Progress = Callable[[str, int, int], None]

from pmks_desktop.services.demo_dayasos import DayasosDemo
from pmks_desktop.services.demo_fakir_miskin import FakirMiskinDemo
from pmks_desktop.services.demo_linjamsos import LinjamsosDemo
from pmks_desktop.services.demo_register_data import CAPS, SUMMARY, KAMPUNG, ROMAN
from pmks_desktop.services.demo_families import _Person, _Household, _DesaPool


class _Generator(FakirMiskinDemo, LinjamsosDemo, DayasosDemo):
    """Shared state and helpers; each bidang's registers come from its mixin."""

    def __init__(self, services, rng: random.Random, persons_total: int,
                 progress: Progress | None):
        self.s, self.rng, self.total, self.progress = services, rng, persons_total, progress
        self.today = date.today()
        self.counts: dict[str, int] = defaultdict(int)
        self.settings = services.settings.all()
        office = services.office.office()
        self.place = office.place_name or "Kecamatan"
        self.kabupaten = office.kabupaten_name
        self.desa_names = {d.code: d.name for d in services.office.desa_list()}
        self.persons = self._load_persons()
        self.by_desa: dict[str, list[_Person]] = defaultdict(list)
        for p in self.persons:
            self.by_desa[p.desa].append(p)
        self.households: list[_Household] = []
        self.used_kk: set[str] = set()
        self.used_names: set[str] = set()
        adults = [p for p in self.persons if 25 <= self.age(p) <= 55]
        self.tksk = rng.choice(adults) if adults else None
        self.kecamatan_code = office.kecamatan_code or office.kabupaten_code + ".01"

    # ------------------------------------------------------------- helpers

    def _load_persons(self) -> list[_Person]:
        with self.s.db.read() as session:
            rows = session.exec(select(
                Person.id, Person.name, Person.sex, Person.birth_date, Person.desa_code,
                Person.nik, Person.no_kk, Person.address, Person.rt, Person.rw).where(
                Person.deleted_at == None, Person.merged_into_id == None,  # noqa: E711
                Person.birth_date != None).order_by(Person.id)).all()  # noqa: E711
        return [_Person(*row) for row in rows if row[3] < self.today]

    def age(self, p: _Person, on: date | None = None) -> int:
        """Completed years on `on`; -1 for someone not yet born then."""
        on = on or self.today
        return age_in_years(p.born, on) if p.born <= on else -1

    def past(self, max_days: int, min_days: int = 0) -> date:
        return self.today - timedelta(days=self.rng.randint(min_days, max_days))

    def scaled(self, per: int, low: int, cap_key: str) -> int:
        return max(low, min(self.total // per, CAPS[cap_key]))

    def desa_name(self, code: str | None) -> str:
        return self.desa_names.get(code, "") if code else ""

    def kampung_address(self) -> str:
        return (f"Kp. {self.rng.choice(KAMPUNG)} RT {self.rng.randint(1, 12):03d}/"
                f"RW {self.rng.randint(1, 8):03d}")

    def unique_name(self, make: Callable[[], str]) -> str:
        for _ in range(50):
            name = make()
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        base = make()
        for suffix in ROMAN[1:] + tuple(f" {n}" for n in range(11, 1000)):
            if base + suffix not in self.used_names:
                self.used_names.add(base + suffix)
                return base + suffix
        raise RuntimeError("no unused name")

    def phone(self) -> str:
        return f"08{self.rng.choice((12, 13, 21, 22, 52, 57, 77, 78, 96))}" \
               f"{self.rng.randint(10_000_000, 99_999_999)}"

    def step(self, key: str, planned: int) -> None:
        self.counts[key] += 1
        if self.progress:
            self.progress(key, self.counts[key], planned)

    def save(self, register: str, values: dict, planned: int, *, members=(),
             parent_id: str | None = None):
        values = {k: v for k, v in values.items() if v is not None}
        entry = self.s.registers.save(register, values, members=list(members),
                                      parent_id=parent_id)
        self.step(register, planned)
        return entry

    def new_kk(self) -> str:
        code = self.kecamatan_code
        while True:
            issued = self.past(365 * 15, 30)
            number = code.replace(".", "") + issued.strftime("%d%m%y") + \
                f"{self.rng.randint(1, 9999):04d}"
            if number not in self.used_kk:
                self.used_kk.add(number)
                return number

    @staticmethod
    def goods(total: int, templates) -> list[dict]:
        """Rows whose quantity x unit price add up to `total` exactly (the last row balances)."""
        rows, remaining = [], int(total)
        for name, quantity, price, *unit in templates[:-1]:
            quantity = min(quantity, (remaining - 1) // price) if remaining > 0 else 0
            if quantity >= 1:
                rows.append({"item": name, "quantity": quantity, "unit": (unit or ["unit"])[0],
                             "unit_price": price})
                remaining -= quantity * price
        name, _quantity, _price, *unit = templates[-1]
        return rows + [{"item": name, "quantity": 1, "unit": (unit or ["paket"])[0],
                        "unit_price": max(remaining, 0)}]

    # ------------------------------------------------------------- households

    def make_households(self) -> None:
        planned = min(self.total // 4, CAPS["household"])
        pools = [_DesaPool(persons, self.rng, self.today)
                 for _code, persons in sorted(self.by_desa.items())]
        families: list[list[tuple[_Person, str]]] = []
        while pools and len(families) < planned:
            for pool in list(pools):
                family = pool.family()
                if family is None:
                    pools.remove(pool)
                    continue
                families.append(family)
                if len(families) >= planned:
                    break
        for members in families:
            head = members[0][0]
            no_kk = head.no_kk if head.no_kk and head.no_kk not in self.used_kk else self.new_kk()
            self.used_kk.add(no_kk)
            household = self.s.households.save(HouseholdInput(
                desa_code=head.desa, no_kk=no_kk, address=head.address or "",
                rt=head.rt or "", rw=head.rw or "",
                members=[(p.id, rel) for p, rel in members]))
            self.households.append(_Household(household.id, head.desa, no_kk, head.address,
                                              members))
            self.step("household", len(families))

    # ------------------------------------------------------------- fakir miskin bidang


def generate_registers(services, rng: random.Random, *, persons_total: int,
                       progress: Progress | None = None) -> dict[str, int]:
    """Households and entries of every register for a demo office, through the services.

    The signed-in user (the demo administrator) is recorded as the author, as for typed data.
    Returns the number of records written per register ("household" for the families).
    """
    gen = _Generator(services, rng, persons_total, progress)
    steps: tuple[Callable[[], None], ...] = (
        gen.make_households, gen.fakir_miskin, gen.kpm, gen.rtlh, gen.kube, gen.uep)
    for run in steps:
        run()
    if gen.desa_names:
        for run in (gen.disasters, gen.kegiatan, gen.lk3, gen.slrt, gen.psks, gen.kat):
            run()
    return {key: gen.counts.get(key, 0) for key, _label, _unit in SUMMARY}


def summary_lines(counts: dict[str, int]) -> Iterator[str]:
    """`KUBE: 40 kelompok`, one line per register, numbers with thousands dots."""
    for key, label, unit in SUMMARY:
        yield f"{label}: {counts.get(key, 0):,} {unit}".replace(",", ".")
