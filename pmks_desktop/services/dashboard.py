"""Counts for the Beranda tab: aggregate only, so sensitive types are counted for everyone.

PMKS are recorded two ways: as cases (pmks_case, one per person and type) and as register
entries that carry a `pmks_type` (fakir miskin households 24, disaster victims 21/22/L1, KAT
communities 26). Beranda counts both. Every query groups inside SQLite and hands back at most a
few hundred rows, so 100,000 records never pass through Python.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Integer, and_, cast, func, text
from sqlalchemy.orm import aliased
from sqlmodel import select

from pmks_desktop.domain.catalogue import Catalogue
from pmks_desktop.domain.roles import VIEW
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import Desa, Person, PmksCase, RegisterEntry, RegisterMember

REJECTED = "ditolak"  # KUBE/UEP proposals with this status are not groups of the program
OTHER_BIDANG = "lainnya"  # a register type the catalogue does not know (newer or retired)


@dataclass(frozen=True)
class Totals:
    persons: int
    cases: int
    # Cases and register entries together, every type/bidang with at least one record.
    by_type: list[tuple[str, int]]  # (type code, count), sorted by code
    by_desa: list[tuple[str, str, int]]  # (desa code, desa name, count) for every desa
    by_status: list[tuple[str, int]]  # case workflow statuses (cases only)
    by_bidang: list[tuple[str, int]]
    register_pmks: int = 0  # PMKS recorded as register entries (households, victims, KAT)

    @property
    def pmks(self) -> int:
        """All PMKS records: cases plus register entries with a PMKS type."""
        return self.cases + self.register_pmks


@dataclass(frozen=True)
class GroupProgram:
    """KUBE or UEP: groups not rejected, their members and aid (rejected ones counted apart)."""

    groups: int = 0
    members: int = 0
    aid_total: int = 0
    rejected: int = 0
    by_status: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Sembako:
    kpm: int = 0  # every KPM on the list, whatever the membership status
    active: int = 0
    monthly_value: int = 0  # sum of the per-KPM monthly index of the active KPM


@dataclass(frozen=True)
class Rtlh:
    validated: int = 0  # houses validated (entries); eligible + not_eligible + without verdict
    eligible: int = 0
    not_eligible: int = 0


@dataclass(frozen=True)
class Disasters:
    events: int = 0
    victims: int = 0  # victims of events that are not in the trash
    victims_by_type: list[tuple[str, int]] = field(default_factory=list)
    victims_by_status: list[tuple[str, int]] = field(default_factory=list)
    aid_deliveries: int = 0
    compensation_total: int = 0  # santunan paid in money


@dataclass(frozen=True)
class Programs:
    kube: GroupProgram
    uep: GroupProgram
    sembako: Sembako
    rtlh: Rtlh
    disasters: Disasters
    slrt_by_status: list[tuple[str, int]]
    lk3_by_status: list[tuple[str, int]]  # aggregate only: LK3 is confidential per case
    entries: dict[str, int]  # live entries per register code (fakir_miskin, kat, psks, ...)

    @property
    def slrt(self) -> int:
        return sum(n for _s, n in self.slrt_by_status)

    @property
    def lk3(self) -> int:
        return sum(n for _s, n in self.lk3_by_status)


# CROSS JOIN fixes the join order: persons in desa order (ix_person_desa), then their cases
# (ix_case_person). SQLite's own choice, cases first then each person by id, was 3x slower at
# 100,000 cases (0.8 s against 0.27 s).
_CASES_PER_DESA = """
SELECT person.desa_code, count(*) FROM person CROSS JOIN pmks_case
    ON pmks_case.person_id = person.id
WHERE pmks_case.deleted_at IS NULL
GROUP BY person.desa_code"""


def _json_int(name: str):
    """A whole-number form field inside `data` (money is stored as a JSON integer)."""
    return cast(func.json_extract(RegisterEntry.data, f"$.{name}"), Integer)


def _sorted(counter: Counter) -> list[tuple[str, int]]:
    return sorted((k, v) for k, v in counter.items() if v)


class DashboardService:
    def __init__(self, db: Database, session: UserSession, catalogue: Catalogue | None = None):
        self._db = db
        self._session = session
        self._catalogue = catalogue

    # ------------------------------------------------------------- PMKS totals

    def totals(self) -> Totals:
        self._session.require(VIEW)
        live = PmksCase.deleted_at == None  # noqa: E711
        with self._db.read() as s:
            persons = s.exec(select(func.count()).select_from(Person)
                             .where(Person.deleted_at == None)).one()  # noqa: E711
            # One pass over ix_case_stats gives type, status and bidang together.
            case_groups = s.exec(select(PmksCase.type_code, PmksCase.status, PmksCase.bidang,
                                        func.count()).where(live).group_by(
                PmksCase.type_code, PmksCase.status, PmksCase.bidang)).all()
            case_desa = s.connection().execute(text(_CASES_PER_DESA)).all()
            entry_groups = self._register_pmks(s)
            desa = s.exec(select(Desa.code, Desa.name).order_by(Desa.name)).all()
        by_type, by_status, by_bidang, per_desa = Counter(), Counter(), Counter(), Counter()
        for type_code, status, bidang, n in case_groups:
            by_type[type_code] += n
            by_status[status] += n
            by_bidang[bidang] += n
        per_desa.update(dict(case_desa))
        type_bidang = self._type_bidang()
        for type_code, desa_code, n in entry_groups:
            by_type[type_code] += n
            by_bidang[type_bidang.get(type_code, OTHER_BIDANG)] += n
            per_desa[desa_code] += n
        by_desa = [(code, name, per_desa.get(code, 0)) for code, name in desa]
        return Totals(persons, sum(by_status.values()), _sorted(by_type), by_desa,
                      _sorted(by_status), _sorted(by_bidang),
                      register_pmks=sum(n for *_k, n in entry_groups))

    @staticmethod
    def _register_pmks(s) -> list[tuple[str, str | None, int]]:
        """(pmks type, desa code, count) of live entries whose parent (an event) is live too."""
        entry, parent = RegisterEntry, aliased(RegisterEntry)
        return [tuple(r) for r in s.exec(
            select(entry.pmks_type, entry.desa_code, func.count()).select_from(entry)
            .outerjoin(parent, parent.id == entry.parent_id)
            .where(entry.pmks_type != None, entry.deleted_at == None,  # noqa: E711
                   parent.deleted_at == None)  # noqa: E711  (no parent, or a live one)
            .group_by(entry.pmks_type, entry.desa_code)).all()]

    def _type_bidang(self) -> dict[str, str]:
        if self._catalogue is None:
            # Built without one (older callers): the same file the container reads.
            from pmks_desktop.domain.catalogue import load_catalogue
            from pmks_desktop.paths import forms_dir

            self._catalogue = load_catalogue(forms_dir() / "pmks_catalogue.yaml")
        return {t.code: t.bidang for t in self._catalogue.types}

    # ------------------------------------------------------------- programs

    def programs(self) -> Programs:
        """Figures per program (KUBE, UEP, Sembako, RS-RTLH, disasters, SLRT, LK3)."""
        self._session.require(VIEW)
        entry = RegisterEntry
        live = entry.deleted_at == None  # noqa: E711
        with self._db.read() as s:
            # register, status, count: from the covering index ix_entry_list alone.
            statuses = s.exec(select(entry.register_code, entry.status, func.count())
                              .where(live).group_by(entry.register_code, entry.status)).all()
            kube_aid = dict(s.exec(select(entry.status, func.sum(_json_int("aid_value")))
                                   .where(live, entry.register_code == "kube")
                                   .group_by(entry.status)).all())
            members = s.exec(
                select(entry.register_code, entry.status, func.count(),
                       func.sum(_json_int("aid_per_person")))
                .join(RegisterMember, and_(RegisterMember.entry_id == entry.id,
                                           RegisterMember.deleted_at == None))  # noqa: E711
                .where(live, entry.register_code.in_(("kube", "uep")))
                .group_by(entry.register_code, entry.status)).all()
            kpm_value = s.exec(select(func.sum(_json_int("aid_index"))).where(
                live, entry.register_code == "kpm", entry.status == "aktif")).one()
            eligible = func.json_extract(entry.data, "$._verdict.eligible")
            verdicts = dict(s.exec(select(eligible, func.count())
                                   .where(live, entry.register_code == "rtlh")
                                   .group_by(eligible)).all())
            disasters = self._disasters(s)
        per_register: dict[str, Counter] = {}
        for code, status, n in statuses:
            per_register.setdefault(code, Counter())[status or "-"] += n
        member_rows = {(code, status): (n, aid or 0) for code, status, n, aid in members}
        kpm = per_register.get("kpm", Counter())
        return Programs(
            kube=self._group(per_register.get("kube", Counter()), member_rows, "kube",
                             lambda status, _m: kube_aid.get(status) or 0),
            uep=self._group(per_register.get("uep", Counter()), member_rows, "uep",
                            lambda _status, m: m[1]),
            sembako=Sembako(sum(kpm.values()), kpm.get("aktif", 0), kpm_value or 0),
            rtlh=Rtlh(sum(per_register.get("rtlh", Counter()).values()),
                      verdicts.get(1, 0), verdicts.get(0, 0)),
            disasters=Disasters(sum(per_register.get("bencana", Counter()).values()),
                                *disasters),
            slrt_by_status=_sorted(per_register.get("slrt", Counter())),
            lk3_by_status=_sorted(per_register.get("lk3", Counter())),
            entries={code: sum(c.values()) for code, c in sorted(per_register.items())})

    @staticmethod
    def _group(status_counts: Counter, member_rows: dict, code: str, aid_of) -> GroupProgram:
        groups = members = aid = 0
        for status, n in status_counts.items():
            if status == REJECTED:
                continue
            raw = None if status == "-" else status  # the stored value
            m = member_rows.get((code, raw), (0, 0))
            groups, members, aid = groups + n, members + m[0], aid + aid_of(raw, m)
        return GroupProgram(groups, members, aid, status_counts.get(REJECTED, 0),
                            _sorted(status_counts))

    @staticmethod
    def _disasters(s) -> tuple:
        """Victims and aid of events not in the trash: (victims, by type, by status, aid
        deliveries, compensation total)."""
        entry, parent = RegisterEntry, aliased(RegisterEntry)

        def under_live_event(*columns):
            return (select(*columns).select_from(entry)
                    .outerjoin(parent, parent.id == entry.parent_id)
                    .where(entry.deleted_at == None,  # noqa: E711
                           parent.deleted_at == None))  # noqa: E711

        victims = s.exec(under_live_event(entry.pmks_type, entry.status, func.count())
                         .where(entry.register_code == "korban_bencana")
                         .group_by(entry.pmks_type, entry.status)).all()
        aid_count, compensation = s.exec(
            under_live_event(func.count(), func.sum(_json_int("compensation")))
            .where(entry.register_code == "bantuan_bencana")).one()
        by_type, by_status = Counter(), Counter()
        for pmks_type, status, n in victims:
            by_type[pmks_type or "-"] += n
            by_status[status or "-"] += n
        return (sum(by_type.values()), _sorted(by_type), _sorted(by_status), aid_count,
                compensation or 0)
