"""Households (Kartu Keluarga) shared by every bidang: members with their relation (SHDK)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlmodel import select

from pmks_desktop.domain.errors import DomainError
from pmks_desktop.domain.identity import validate_kk
from pmks_desktop.domain.names import name_key
from pmks_desktop.domain.roles import EDIT, VIEW
from pmks_desktop.services.errors import Issue, NotFound, StaleRecord, ValidationFailed
from pmks_desktop.services.links import sync_people
from pmks_desktop.services.record_forms import record_form
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import Desa, Household, HouseholdMember, Person

# Status hubungan dalam keluarga, as printed on the Kartu Keluarga.
SHDK = (("kepala", "Kepala Keluarga"), ("suami", "Suami"), ("istri", "Istri"),
        ("anak", "Anak"), ("menantu", "Menantu"), ("cucu", "Cucu"),
        ("orang_tua", "Orang Tua"), ("mertua", "Mertua"), ("famili", "Famili Lain"),
        ("pembantu", "Pembantu"), ("lainnya", "Lainnya"))
SHDK_LABELS = dict(SHDK)


@dataclass
class HouseholdInput:
    desa_code: str
    no_kk: str = ""
    address: str = ""
    rt: str = ""
    rw: str = ""
    notes: str = ""
    members: list[tuple[str, str]] = field(default_factory=list)  # (person_id, SHDK code)


@dataclass
class HouseholdView:
    household: Household
    members: list[tuple[HouseholdMember, Person]]


def _check(s, inp: HouseholdInput, known: frozenset[str]) -> tuple[dict, list[Issue]]:
    issues, values = [], {}
    if not s.get(Desa, inp.desa_code or ""):
        issues.append(Issue("desa_code", "Pilih desa/kelurahan keluarga ini."))
    values["no_kk"] = None
    if (inp.no_kk or "").strip():
        try:
            values["no_kk"] = validate_kk(inp.no_kk, region_codes=known)
        except DomainError as exc:
            issues.append(Issue("no_kk", exc.message))
    heads = [p for p, rel in inp.members if rel == "kepala"]
    if len(heads) != 1:
        issues.append(Issue("members", "Tandai tepat satu anggota sebagai Kepala Keluarga."))
    people = [p for p, _ in inp.members]
    if len(set(people)) != len(people):
        issues.append(Issue("members", "Satu orang tercantum dua kali dalam keluarga."))
    for person_id, relation in inp.members:
        person = s.get(Person, person_id)
        if person is None or person.deleted_at is not None or person.merged_into_id:
            issues.append(Issue("members", "Ada anggota keluarga yang datanya tidak ditemukan."))
        elif not relation:
            issues.append(Issue("members", f"Pilih hubungan keluarga untuk {person.name}."))
        elif relation not in SHDK_LABELS:
            issues.append(Issue("members", f"Hubungan keluarga '{relation}' tidak dikenal."))
    values.update(desa_code=inp.desa_code, address=" ".join((inp.address or "").split()) or None,
                  rt=(inp.rt or "").strip().zfill(3) if (inp.rt or "").strip() else None,
                  rw=(inp.rw or "").strip().zfill(3) if (inp.rw or "").strip() else None,
                  notes=(inp.notes or "").strip() or None,
                  head_person_id=heads[0] if len(heads) == 1 else None)
    return values, issues


class HouseholdService:
    def __init__(self, db: Database, session: UserSession, known_kabupaten):
        self._db = db
        self._session = session
        self._known_kabupaten = known_kabupaten  # callable -> frozenset of "PP.KK"

    def save(self, inp: HouseholdInput, *, household_id: str | None = None,
             expected_version: int | None = None) -> Household:
        actor = self._session.require(EDIT)
        with self._db.write(actor.user_id) as s:
            values, issues = _check(s, inp, self._known_kabupaten())
            if issues:
                raise ValidationFailed(issues)
            household = self._load(s, household_id, expected_version) if household_id \
                else Household(desa_code=inp.desa_code)
            for key, value in values.items():
                setattr(household, key, value)
            household.form_version = record_form("household").version
            s.add(household)
            s.flush()
            self._sync_members(s, household, inp.members)
            append_audit(s, action="update" if household_id else "create", entity="household",
                         entity_id=household.id, user_id=actor.user_id,
                         username=actor.username)
            return household

    @staticmethod
    def _load(s, household_id: str, expected_version: int | None) -> Household:
        household = s.get(Household, household_id)
        if household is None or household.deleted_at is not None:
            raise NotFound("Data keluarga tidak ditemukan.")
        if expected_version is not None and household.version_hlc != expected_version:
            raise StaleRecord("Data keluarga ini baru saja diubah oleh pengguna lain.")
        return household

    @staticmethod
    def _sync_members(s, household: Household, members: list[tuple[str, str]]) -> None:
        rows = s.exec(select(HouseholdMember).where(
            HouseholdMember.household_id == household.id,
            HouseholdMember.deleted_at == None))  # noqa: E711
        sync_people(s, rows, dict(members), "relation",
                    lambda person_id, relation: HouseholdMember(
                        household_id=household.id, person_id=person_id, relation=relation),
                    "keluar dari keluarga")

    def get(self, household_id: str) -> HouseholdView:
        actor = self._session.require(VIEW)
        with self._db.write(actor.user_id) as s:
            household = self._load(s, household_id, None)
            rows = s.exec(select(HouseholdMember, Person).join(
                Person, Person.id == HouseholdMember.person_id).where(
                HouseholdMember.household_id == household_id,
                HouseholdMember.deleted_at == None)).all()  # noqa: E711
            append_audit(s, action="view", entity="household", entity_id=household_id,
                         user_id=actor.user_id, username=actor.username)
        order = [code for code, _ in SHDK]
        rows = sorted(rows, key=lambda r: (order.index(r[0].relation)
                                           if r[0].relation in order else 99, r[1].name))
        return HouseholdView(household, [tuple(r) for r in rows])

    def find(self, text: str, limit: int = 30) -> list[tuple[Household, Person | None]]:
        """Households by No. KK or by the head's name (for pickers)."""
        self._session.require(VIEW)
        text = " ".join((text or "").split())
        stmt = select(Household, Person).join(Person, Person.id == Household.head_person_id,
                                              isouter=True).where(
            Household.deleted_at == None)  # noqa: E711
        if text:
            stmt = stmt.where(or_(Household.no_kk.contains(text.replace(" ", "")),
                                  Person.name_key.contains(name_key(text))))
        with self._db.read() as s:
            return [tuple(r) for r in s.exec(stmt.order_by(Household.no_kk).limit(limit)).all()]

    def of_person(self, person_id: str) -> Household | None:
        with self._db.read() as s:
            return s.exec(select(Household).join(
                HouseholdMember, HouseholdMember.household_id == Household.id).where(
                HouseholdMember.person_id == person_id, HouseholdMember.deleted_at == None,
                Household.deleted_at == None)).first()  # noqa: E711
