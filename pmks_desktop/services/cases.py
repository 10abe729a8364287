"""PMKS cases: record, edit, status workflow, trash and restore. Lists live in case_queries."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import select

from pmks_desktop.domain.catalogue import Catalogue, age_in_years
from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.domain.roles import EDIT, RESTORE, STATUS, TRASH, VERIFY, VIEW
from pmks_desktop.services.errors import Checked, Issue, NotFound, PermissionDenied, \
    ServiceError, StaleRecord, ValidationFailed
from pmks_desktop.services.lookup import find_status, find_type
from pmks_desktop.services.record_forms import record_form
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import HouseholdMember, Person, PmksCase, utc_now

CASE_FORM_FILE = "pmks_case.yaml"


def case_form_spec() -> FormSpec:
    """forms/pmks_case.yaml: the case form's labels, hints and version (read once)."""
    return record_form(CASE_FORM_FILE.removesuffix(".yaml"))


@dataclass
class CaseInput:
    person_id: str
    type_code: str
    recorded_on: date
    criteria: list[str] = field(default_factory=list)
    disability_kind: str = ""
    notes: str = ""


class CaseService:
    def __init__(self, db: Database, session: UserSession, catalogue: Catalogue,
                 form: FormSpec | None = None):
        self._db = db
        self._session = session
        self._catalogue = catalogue
        self.form = form or case_form_spec()  # each saved case keeps this form's version

    # ------------------------------------------------------------- validation

    def check(self, inp: CaseInput, person: Person | None = None) -> Checked:
        out = Checked()
        pmks_type = find_type(self._catalogue, inp.type_code)
        if pmks_type is None or pmks_type.retired:
            out.errors.append(Issue("type_code", "Pilih jenis PMKS dari daftar."))
            return out
        if person is None:
            with self._db.read() as s:
                person = s.get(Person, inp.person_id or "")
        if person is None or person.deleted_at is not None or person.merged_into_id:
            out.errors.append(Issue("person_id", "Pilih orang yang didata terlebih dahulu."))
            return out
        if inp.recorded_on is None or inp.recorded_on > date.today():
            out.errors.append(Issue("recorded_on", "Tanggal pencatatan tidak boleh kosong atau "
                                                   "setelah hari ini."))
            return out
        if person.birth_date and person.birth_date > inp.recorded_on:
            out.errors.append(Issue("recorded_on", "Tanggal pencatatan tidak boleh sebelum "
                                                   f"tanggal lahir {person.name}."))
            return out
        self._apply_type_rules(inp, person, pmks_type, out)
        return out

    def _apply_type_rules(self, inp: CaseInput, person: Person, pmks_type, out: Checked) -> None:
        age = age_in_years(person.birth_date, inp.recorded_on) if person.birth_date else None
        if age is None and pmks_type.age is not None:
            out.errors.append(Issue("person_id", f"Tanggal lahir {person.name} belum diisi, "
                                                 f"padahal {pmks_type.name} dibatasi umur."))
        result = self._catalogue.check_case(
            pmks_type.code, age_years=age, sex=person.sex, has_nik=bool(person.nik),
            criteria_ids=list(inp.criteria), disability_kind=inp.disability_kind or None)
        out.errors += result.errors
        out.warnings += result.warnings
        out.values = {
            "person_id": person.id, "type_code": pmks_type.code, "bidang": pmks_type.bidang,
            "recorded_on": inp.recorded_on, "criteria": json.dumps(sorted(inp.criteria)),
            "disability_kind": inp.disability_kind or None,
            "notes": (inp.notes or "").strip() or None, "sensitive": pmks_type.sensitive,
        }

    # ------------------------------------------------------------- writes

    def record(self, inp: CaseInput) -> PmksCase:
        actor = self._session.require(EDIT)
        self._require_sensitive_access(inp.type_code)
        checked = self.check(inp)
        checked.raise_if_errors()
        with self._db.write(actor.user_id) as s:
            case = PmksCase(**checked.values, status="baru", form_version=self.form.version)
            case.household_id = self._household_for(s, find_type(self._catalogue, inp.type_code),
                                                    inp.person_id)
            s.add(case)
            s.flush()
            append_audit(s, action="create", entity="pmks_case", entity_id=case.id,
                         detail={"type": case.type_code},
                         user_id=actor.user_id, username=actor.username)
            return case

    def update(self, case_id: str, inp: CaseInput, *, expected_version: int) -> PmksCase:
        actor = self._session.require(EDIT)
        self._require_sensitive_access(inp.type_code)
        checked = self.check(inp)
        checked.raise_if_errors()
        with self._db.write(actor.user_id) as s:
            case = self._load_for_change(s, case_id, expected_version)
            changed = sorted(k for k, v in checked.values.items() if getattr(case, k) != v)
            for key in changed:
                setattr(case, key, checked.values[key])
            if changed:
                case.form_version = self.form.version
                append_audit(s, action="update", entity="pmks_case", entity_id=case.id,
                             detail={"fields": changed},
                             user_id=actor.user_id, username=actor.username)
            return case

    def change_status(self, case_id: str, new_status: str, note: str = "", *,
                      expected_version: int) -> PmksCase:
        actor = self._session.require(STATUS)
        with self._db.write(actor.user_id) as s:
            case = self._load_for_change(s, case_id, expected_version)
            old = case.status
            if new_status not in self._catalogue.allowed_transitions(old):
                raise ServiceError(f"Status tidak dapat diubah dari "
                                   f"{self._status_label(old)} menjadi "
                                   f"{self._status_label(new_status)}.")
            if self._catalogue.transition_needs_verify(old, new_status):
                self._session.require(VERIFY)
            case.status, case.status_note = new_status, (note or "").strip() or None
            append_audit(s, action="status", entity="pmks_case", entity_id=case.id,
                         detail={"from": old, "to": new_status, "note": case.status_note},
                         user_id=actor.user_id, username=actor.username)
            return case

    def move_to_trash(self, case_id: str, reason: str, *, expected_version: int) -> None:
        actor = self._session.require(TRASH)
        if not (reason or "").strip():
            raise ValidationFailed([Issue("reason", "Tuliskan alasan penghapusan.")])
        with self._db.write(actor.user_id) as s:
            case = self._load_for_change(s, case_id, expected_version)
            case.deleted_at, case.deleted_by = utc_now(), actor.user_id
            case.deleted_reason = reason.strip()
            append_audit(s, action="delete", entity="pmks_case", entity_id=case.id,
                         detail={"reason": case.deleted_reason},
                         user_id=actor.user_id, username=actor.username)

    def restore(self, case_id: str) -> None:
        actor = self._session.require(RESTORE)
        with self._db.write(actor.user_id) as s:
            case = s.get(PmksCase, case_id)
            if case is None or case.deleted_at is None:
                raise NotFound("Data ini tidak ada di sampah.")
            case.deleted_at = case.deleted_by = case.deleted_reason = None
            append_audit(s, action="restore", entity="pmks_case", entity_id=case.id,
                         user_id=actor.user_id, username=actor.username)

    # ------------------------------------------------------------- reads

    def get(self, case_id: str) -> tuple[PmksCase, Person]:
        """Open one case with its person in full: recorded in the audit trail as a view."""
        actor = self._session.require(VIEW)
        with self._db.write(actor.user_id) as s:
            case = s.get(PmksCase, case_id)
            if case is None:
                raise NotFound("Data kasus tidak ditemukan.")
            if case.sensitive and not actor.can_view_sensitive:
                raise self._sensitive_refusal()
            append_audit(s, action="view", entity="pmks_case", entity_id=case.id,
                         detail={"type": case.type_code},
                         user_id=actor.user_id, username=actor.username)
            return case, s.get(Person, case.person_id)

    # ------------------------------------------------------------- helpers

    @staticmethod
    def _household_for(s, pmks_type, person_id: str) -> str | None:
        """Household-level types (e.g. 25) are about the family: link the person's household."""
        if pmks_type is None or pmks_type.unit not in ("household", "person_or_household"):
            return None
        member = s.exec(select(HouseholdMember).where(
            HouseholdMember.person_id == person_id,
            HouseholdMember.deleted_at == None)).first()  # noqa: E711
        return member.household_id if member else None

    def _load_for_change(self, s, case_id: str, expected_version: int) -> PmksCase:
        case = s.get(PmksCase, case_id)
        if case is None or case.deleted_at is not None:
            raise NotFound("Data kasus tidak ditemukan (mungkin sudah dipindahkan ke sampah).")
        if case.sensitive and not self._session.actor.can_view_sensitive:
            raise self._sensitive_refusal()
        if case.version_hlc != expected_version:
            raise StaleRecord("Data kasus ini baru saja diubah oleh pengguna lain. "
                              "Muat ulang daftar lalu coba lagi.")
        return case

    def _require_sensitive_access(self, type_code: str) -> None:
        pmks_type = find_type(self._catalogue, type_code)
        if pmks_type and pmks_type.sensitive and not self._session.actor.can_view_sensitive:
            raise self._sensitive_refusal()

    @staticmethod
    def _sensitive_refusal() -> PermissionDenied:
        return PermissionDenied("Jenis PMKS ini termasuk data pribadi spesifik. Akun Anda belum "
                                "diberi izin melihat data sensitif; hubungi administrator.")

    def _status_label(self, code: str) -> str:
        status = find_status(self._catalogue, code)
        return status.label if status else code
