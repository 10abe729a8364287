"""Services: what each role may do (refused in the service, not only hidden in the UI), person
and case rules, status workflow, trash, optimistic locking, audit entries."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from pmks_desktop.services.case_queries import CaseQuery
from pmks_desktop.services.cases import CaseInput
from pmks_desktop.services.errors import (PermissionDenied, ServiceError, StaleRecord,
                                          ValidationFailed)
from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.services.persons import DuplicateSuspected
from pmks_desktop.services.users import NewUser
from pmks_desktop.storage.models import AuditEntry, ChangeLog, PmksCase

DESA = "36.04.05.2001"


def woman(**over) -> PersonInput:
    values = dict(name="siti  AMINAH", sex="P", desa_code=DESA, nik="3604055205800001",
                  no_kk="3604050101100001", birth_place="serang", birth_date=date(1980, 5, 12),
                  address="Kp. Sukamaju No. 3", rt="3", rw="1", phone="0812 3456 7890")
    values.update(over)
    return PersonInput(**values)


def add_user(services, username: str, role: str, sensitive: bool = False) -> None:
    services.users.create(NewUser(username, username.title(), role, "kata-sandi-123", sensitive))


def sign_in_as(services, username: str) -> None:
    services.users.authenticate(username, "kata-sandi-123")


def prse_case(services, person_id: str) -> CaseInput:
    criterion = services.catalogue.type("23").criteria[0].id
    return CaseInput(person_id=person_id, type_code="23", recorded_on=date.today(),
                     criteria=[criterion])


def audit_actions(services) -> list[tuple[str, str]]:
    with services.db.read() as s:
        return [(a.action, a.entity) for a in s.exec(select(AuditEntry).order_by(AuditEntry.id))]


# ------------------------------------------------------------------ persons

def test_register_person_cleans_values_and_audits(services):
    person = services.persons.register(woman())
    assert (person.name, person.birth_place, person.rt, person.rw) == \
        ("Siti Aminah", "Serang", "003", "001")
    assert person.nik == "3604055205800001"
    assert ("create", "person") in audit_actions(services)


def test_bad_nik_is_refused_with_message_and_nothing_written(services):
    with pytest.raises(ValidationFailed) as caught:
        services.persons.register(woman(nik="3604053205800001"))  # day 32-40 is impossible
    assert caught.value.for_field("nik")
    with services.db.read() as s:
        assert s.exec(select(ChangeLog)).all() == []


def test_nik_mismatch_is_a_warning_not_an_error(services):
    checked = services.persons.check(woman(sex="L"))
    assert not checked.errors
    assert any("Jenis kelamin" in w.message for w in checked.warnings)


def test_same_nik_and_similar_name_are_duplicate_hints(services):
    first = services.persons.register(woman())
    with pytest.raises(DuplicateSuspected) as same_nik:
        services.persons.register(woman(name="Siti Aminah Lain"))
    assert same_nik.value.hints[0].reason == "NIK sama"
    with pytest.raises(DuplicateSuspected) as similar:
        services.persons.register(woman(nik="", name="Sitti Aminah"))
    assert similar.value.hints[0].person_id == first.id
    confirmed = services.persons.register(woman(nik="", name="Sitti Aminah"),
                                          allow_duplicate=True)
    assert confirmed.id != first.id


def test_stale_person_edit_is_refused(services):
    person = services.persons.register(woman())
    services.persons.update(person.id, woman(phone="081311112222"),
                            expected_version=person.version_hlc)
    with pytest.raises(StaleRecord):
        services.persons.update(person.id, woman(phone="081399998888"),
                                expected_version=person.version_hlc)


# ------------------------------------------------------------------ cases and rules

def test_case_rules_female_only_and_age(services):
    man = services.persons.register(woman(name="Budi Santoso", sex="L",
                                          nik="3604051205800001"))
    with pytest.raises(ValidationFailed) as caught:
        services.cases.record(prse_case(services, man.id))
    assert any("perempuan" in i.message for i in caught.value.issues)
    old = services.persons.register(woman(name="Nenek Imas", nik="3604055205400001",
                                          birth_date=date(1940, 5, 12)))
    with pytest.raises(ValidationFailed) as too_old:
        services.cases.record(prse_case(services, old.id))
    assert any("Umur" in i.message or "umur" in i.message for i in too_old.value.issues)


def test_case_requires_a_criterion_and_disability_kind(services):
    person = services.persons.register(woman())
    with pytest.raises(ValidationFailed) as caught:
        services.cases.record(CaseInput(person_id=person.id, type_code="09",
                                        recorded_on=date.today(), criteria=[]))
    fields = {i.field for i in caught.value.issues}
    assert {"criteria", "disability_kind"} <= fields


def test_status_workflow_follows_the_catalogue(services):
    person = services.persons.register(woman())
    case = services.cases.record(prse_case(services, person.id))
    with pytest.raises(ServiceError):  # baru -> selesai skips verification
        services.cases.change_status(case.id, "selesai", expected_version=case.version_hlc)
    case = services.cases.change_status(case.id, "terverifikasi",
                                        expected_version=case.version_hlc)
    case = services.cases.change_status(case.id, "dirujuk", "ke RSUD",
                                        expected_version=case.version_hlc)
    assert (case.status, case.status_note) == ("dirujuk", "ke RSUD")
    with pytest.raises(StaleRecord):
        services.cases.change_status(case.id, "selesai", expected_version=1)


def test_trash_and_restore(services):
    person = services.persons.register(woman())
    case = services.cases.record(prse_case(services, person.id))
    with pytest.raises(ValidationFailed):
        services.cases.move_to_trash(case.id, " ", expected_version=case.version_hlc)
    services.cases.move_to_trash(case.id, "salah input", expected_version=case.version_hlc)
    assert services.case_queries.count(CaseQuery()) == 0
    trash = services.case_queries.page(CaseQuery(trash=True))
    assert [r.deleted_reason for r in trash] == ["salah input"]
    services.cases.restore(case.id)
    assert services.case_queries.count(CaseQuery()) == 1
    with services.db.read() as s:
        ops = [c.op for c in s.exec(select(ChangeLog).where(ChangeLog.row_id == case.id)
                                    .order_by(ChangeLog.seq))]
    assert ops == ["insert", "delete", "restore"]


def test_viewing_a_case_is_audited(services):
    person = services.persons.register(woman())
    case = services.cases.record(prse_case(services, person.id))
    services.cases.get(case.id)
    assert audit_actions(services)[-1] == ("view", "pmks_case")


# ------------------------------------------------------------------ roles

def test_pimpinan_can_read_but_not_write(services):
    person = services.persons.register(woman())
    add_user(services, "camat", "pimpinan")
    sign_in_as(services, "camat")
    assert services.case_queries.count(CaseQuery()) == 0
    with pytest.raises(PermissionDenied) as caught:
        services.persons.register(woman(nik="3604051205800001", name="Budi", sex="L"))
    assert "Pimpinan" in caught.value.message
    with pytest.raises(PermissionDenied):
        services.cases.record(prse_case(services, person.id))
    with pytest.raises(PermissionDenied):
        services.users.list_users()


def test_operator_cannot_verify_restore_or_manage(services):
    person = services.persons.register(woman())
    case = services.cases.record(prse_case(services, person.id))
    add_user(services, "ani", "operator", sensitive=True)
    sign_in_as(services, "ani")
    with pytest.raises(PermissionDenied):
        services.cases.change_status(case.id, "terverifikasi", expected_version=case.version_hlc)
    services.cases.move_to_trash(case.id, "ganda", expected_version=case.version_hlc)
    with pytest.raises(PermissionDenied):
        services.cases.restore(case.id)
    with pytest.raises(PermissionDenied):
        services.users.create(NewUser("budi", "Budi", "operator", "kata-sandi-123"))
    with pytest.raises(PermissionDenied):
        services.office.update(address="Jl. Baru")


def test_verifikator_verifies_but_cannot_edit(services):
    person = services.persons.register(woman())
    case = services.cases.record(prse_case(services, person.id))
    add_user(services, "vera", "verifikator")
    sign_in_as(services, "vera")
    verified = services.cases.change_status(case.id, "terverifikasi",
                                            expected_version=case.version_hlc)
    assert verified.status == "terverifikasi"
    with pytest.raises(PermissionDenied):
        services.cases.update(case.id, prse_case(services, person.id),
                              expected_version=verified.version_hlc)


def test_sensitive_types_need_the_sensitive_permission(services):
    person = services.persons.register(woman())
    hiv = services.catalogue.type("16")
    odha = services.cases.record(CaseInput(person_id=person.id, type_code="16",
                                           recorded_on=date.today(),
                                           criteria=[hiv.criteria[0].id]))
    services.cases.record(prse_case(services, person.id))
    add_user(services, "ani", "operator", sensitive=False)
    sign_in_as(services, "ani")
    rows = services.case_queries.page(CaseQuery())
    assert [r.type_code for r in rows] == ["23"]  # the ODHA case is not listed
    with pytest.raises(PermissionDenied):
        services.cases.get(odha.id)
    with pytest.raises(PermissionDenied):
        services.cases.record(CaseInput(person_id=person.id, type_code="16",
                                        recorded_on=date.today(), criteria=["c1"]))
    assert services.dashboard.totals().cases == 2  # aggregate counts include it


def test_signed_out_session_is_refused(services):
    services.users.sign_out()
    with pytest.raises(PermissionDenied) as caught:
        services.case_queries.count(CaseQuery())
    assert "login" in caught.value.message


def test_wrong_password_is_audited_and_refused(services):
    with pytest.raises(ServiceError):
        services.users.authenticate("admin", "salah-sandi")
    with pytest.raises(ServiceError):
        services.users.authenticate("tidak-ada", "salah-sandi")
    assert audit_actions(services)[-2:] == [("login_failed", "user_account")] * 2


def test_last_administrator_cannot_be_removed(services):
    with pytest.raises(ServiceError) as caught:
        services.users.update("admin", role="operator")
    assert "administrator" in caught.value.message


def test_inactive_user_cannot_sign_in(services):
    add_user(services, "ani", "operator")
    services.users.update("ani", active=False)
    with pytest.raises(ServiceError):
        sign_in_as(services, "ani")


def test_search_by_name_part_and_nik(services):
    person = services.persons.register(woman())
    services.cases.record(prse_case(services, person.id))
    for text in ("amin", "Siti", "si", "36040552", "3604 0552"):
        assert services.case_queries.count(CaseQuery(text=text)) == 1, text
    assert services.case_queries.count(CaseQuery(text="budi")) == 0
    assert services.case_queries.count(CaseQuery(desa_code="36.04.05.2002")) == 0
    assert services.case_queries.count(CaseQuery(type_code="23", status="baru")) == 1


def test_keyset_pages_cover_every_case_once(services):
    person = services.persons.register(woman())
    for _ in range(25):
        services.cases.record(prse_case(services, person.id))
    seen, after = [], None
    while True:
        page = services.case_queries.page(CaseQuery(), after=after, limit=7)
        if not page:
            break
        seen += [r.id for r in page]
        after = page[-1].cursor
    with services.db.read() as s:
        assert sorted(seen) == sorted(c.id for c in s.exec(select(PmksCase)))


def test_nik_from_a_newer_kabupaten_is_known_through_the_region_master(services):
    # 65.01 (Malinau, Kalimantan Utara) is missing from python-stdnum's own table.
    person = services.persons.register(woman(nik="6501015205800001", no_kk=""))
    assert person.nik == "6501015205800001"


def test_recording_date_before_birth_is_a_clear_error(services):
    person = services.persons.register(woman())
    inp = prse_case(services, person.id)
    inp.recorded_on = date(1979, 1, 1)
    checked = services.cases.check(inp)
    assert [i.field for i in checked.errors] == ["recorded_on"]
