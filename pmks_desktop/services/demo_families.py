"""Demo persons grouped into families and per-desa pools for the register demo."""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from pmks_desktop.domain.case_rules import age_in_years


@dataclass
class _Person:
    id: str
    name: str
    sex: str
    born: date
    desa: str
    nik: str | None
    no_kk: str | None
    address: str | None
    rt: str | None
    rw: str | None


@dataclass
class _Household:
    id: str
    desa: str
    no_kk: str | None
    address: str | None
    members: list[tuple[_Person, str]]
    fm_status: str | None = None  # fakir miskin register status, when registered
    dtks: bool = False

    @property
    def head(self) -> _Person:
        return next(p for p, rel in self.members if rel == "kepala")

    def spouse(self) -> _Person | None:
        return next((p for p, rel in self.members if rel in ("istri", "suami")), None)

    @property
    def poor(self) -> bool:
        return self.fm_status is not None and self.fm_status != "tidak_memenuhi"


@dataclass
class _DesaPool:
    """Unused persons of one desa, by sex and birth year, for building families."""

    persons: list[_Person]
    rng: random.Random
    today: date
    used: set = field(default_factory=set)

    def __post_init__(self):
        self.by_year = {"L": defaultdict(list), "P": defaultdict(list)}
        for p in self.persons:
            self.by_year[p.sex][p.born.year].append(p)
        for buckets in self.by_year.values():
            for bucket in buckets.values():
                self.rng.shuffle(bucket)
        age = self.age
        self.male_heads = [p for p in self.persons if p.sex == "L" and 23 <= age(p) <= 72]
        self.female_heads = [p for p in self.persons if p.sex == "P" and 25 <= age(p) <= 70]
        self.elders = [p for p in self.persons if age(p) >= 60]
        for heads in (self.male_heads, self.female_heads, self.elders):
            self.rng.shuffle(heads)

    def age(self, p: _Person) -> int:
        return age_in_years(p.born, self.today)

    def next_head(self, heads: list[_Person]) -> _Person | None:
        while heads:
            p = heads.pop()
            if p.id not in self.used:
                self.used.add(p.id)
                return p
        return None

    def take(self, sex: str, years: range) -> _Person | None:
        order = list(years)
        self.rng.shuffle(order)
        for year in order:
            bucket = self.by_year[sex].get(year)
            while bucket:
                p = bucket.pop()
                if p.id not in self.used:
                    self.used.add(p.id)
                    return p
        return None

    def children(self, count: int, years: range) -> list[_Person]:
        """Up to `count` children born in `years`; grown children past 30 have their own KK."""
        years = range(max(years.start, self.today.year - 30), years.stop)
        out = []
        for _ in range(count):
            sex = self.rng.choice("LP")
            child = self.take(sex, years) or self.take("P" if sex == "L" else "L", years)
            if child is None:
                break
            out.append(child)
        return sorted(out, key=lambda p: p.born)

    def family(self) -> list[tuple[_Person, str]] | None:
        """One family: (person, SHDK) with the head first; None when the desa has run out."""
        kind = self.rng.choices(("keluarga", "keluarga_ortu", "ibu_tunggal", "lansia"),
                                weights=(78, 5, 10, 7))[0]
        if kind == "ibu_tunggal":
            head = self.next_head(self.female_heads)
            if head:
                kids = self.children(self.rng.randint(1, 3),
                                     range(head.born.year + 18, head.born.year + 43))
                return [(head, "kepala")] + [(c, "anak") for c in kids]
        if kind == "lansia":
            head = self.next_head(self.elders)
            if head:
                return [(head, "kepala")]
        head = self.next_head(self.male_heads)
        if head is None:
            return None
        members = [(head, "kepala")]
        wife = self.take("P", range(head.born.year - 3,
                                    min(head.born.year + 13, self.today.year - 19) + 1))
        youngest, mother = head.born.year, head.born.year + 3
        if wife:
            members.append((wife, "istri"))
            youngest, mother = max(head.born.year, wife.born.year), wife.born.year
        count = self.rng.choices((0, 1, 2, 3, 4), weights=(10, 22, 35, 23, 10))[0]
        kids = self.children(count, range(youngest + 18, min(mother + 43, self.today.year) + 1))
        members += [(c, "anak") for c in kids]
        if kind == "keluarga_ortu":
            parent = self.take(self.rng.choice("LP"),
                               range(head.born.year - 40, head.born.year - 19))
            if parent:
                members.append((parent, "orang_tua"))
        return members
