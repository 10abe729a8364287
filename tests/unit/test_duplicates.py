"""Duplicate review: candidate pairs, explicit merge with undo, refusals, dismissed pairs."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from pmks_desktop.services.cases import CaseInput
from pmks_desktop.services.duplicates import (REASON_NAME, REASON_NIK, DuplicateReview,
                                              MergeRefused, pair_key)
from pmks_desktop.services.errors import PermissionDenied, ValidationFailed
from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.services.users import NewUser
from pmks_desktop.storage.models import (AuditEntry, ChangeLog, Household, HouseholdMember,
                                         Person, PersonMerge, PmksCase, RegisterEntry,
                                         RegisterMember)

DESA = "36.04.05.2001"
OTHER_DESA = "36.04.05.2002"
BORN = date(1975, 3, 4)


def man(services, name: str, nik: str = "", desa: str = DESA, born: date = BORN) -> Person:
    return services.persons.register(
        PersonInput(name=name, sex="L", desa_code=desa, nik=nik, birth_date=born,
                    birth_place="Serang", address="Kp. Sukamaju No. 3"),
        allow_duplicate=True)


def beggar_case(services, person_id: str) -> PmksCase:
    criterion = services.catalogue.type("12").criteria[0].id
    return services.cases.record(CaseInput(person_id=person_id, type_code="12",
                                           recorded_on=date.today(), criteria=[criterion]))


def family_and_group(services, person_id: str) -> dict[str, str]:
    """A household headed by the person, their membership in it, a KUBE entry and membership.

    No service writes these tables yet, so they are added the way a service would: ORM objects
    inside db.write, which logs them for sync.
    """
    with services.db.write(services.session.actor.user_id) as s:
        household = Household(no_kk="3604050101100001", head_person_id=person_id,
                              desa_code=DESA)
        entry = RegisterEntry(register_code="kube", title="KUBE Mawar", person_id=person_id,
                              desa_code=DESA)
        s.add_all([household, entry])
        s.flush()
        member = HouseholdMember(household_id=household.id, person_id=person_id,
                                 relation="kepala")
        group = RegisterMember(entry_id=entry.id, person_id=person_id, role="ketua")
        s.add_all([member, group])
        s.flush()
        return {"household": household.id, "household_member": member.id,
                "register_entry": entry.id, "register_member": group.id}


def review(services) -> DuplicateReview:
    return DuplicateReview(services.db, services.session)


def sign_in_new(services, username: str, role: str) -> None:
    services.users.create(NewUser(username, username.title(), role, "kata-sandi-123"))
    services.users.authenticate(username, "kata-sandi-123")


def references(services, person_id: str) -> dict[str, set[str]]:
    with services.db.read() as s:
        return {
            "pmks_case": set(s.exec(select(PmksCase.id).where(PmksCase.person_id == person_id))),
            "register_entry": set(s.exec(select(RegisterEntry.id)
                                         .where(RegisterEntry.person_id == person_id))),
            "register_member": set(s.exec(select(RegisterMember.id)
                                          .where(RegisterMember.person_id == person_id))),
            "household_member": set(s.exec(select(HouseholdMember.id)
                                           .where(HouseholdMember.person_id == person_id))),
            "household": set(s.exec(select(Household.id)
                                    .where(Household.head_person_id == person_id))),
        }


# ------------------------------------------------------------------ candidate pairs


def test_same_nik_is_a_pair_with_masked_facts(services):
    first = man(services, "Budi Santoso", nik="3604050403750001")
    second = man(services, "Budi Santosa Wijaya", nik="3604050403750001", desa=OTHER_DESA)
    beggar_case(services, second.id)
    pairs = review(services).pairs()
    assert [(p.a.id, p.b.id, p.reason) for p in pairs] == [(first.id, second.id, REASON_NIK)]
    pair = pairs[0]
    assert pair.key == pair_key(second.id, first.id)
    assert pair.a.nik_masked == "3604**********01"
    assert pair.a.birth_date == BORN and pair.a.desa_name and pair.b.desa_name != pair.a.desa_name
    assert (pair.a.related, pair.b.related, pair.b.cases) == (0, 1, 1)


def test_muhammad_spelling_variants_with_same_birth_date_and_desa(services):
    ids = [man(services, name).id for name in
           ("Muhammad Rizki", "Muhamad Rizky", "Moh. Rizki")]
    man(services, "Muhammad Rizki", desa=OTHER_DESA)  # same name, other desa: not a pair
    man(services, "Muhammad Rizki", born=date(1975, 3, 5))  # other birth date: not a pair
    man(services, "Ahmad Fauzan")  # same birth date and desa, another name: not a pair
    pairs = review(services).pairs()
    assert {p.key for p in pairs} == {pair_key(a, b) for a, b in
                                      [(ids[0], ids[1]), (ids[0], ids[2]), (ids[1], ids[2])]}
    assert {p.reason for p in pairs} == {REASON_NAME}


def test_a_pair_found_by_nik_and_by_name_is_listed_once(services):
    man(services, "Muhammad Rizki", nik="3604050403750001")
    man(services, "Moh. Rizki", nik="3604050403750001")
    pairs = review(services).pairs()
    assert [p.reason for p in pairs] == [REASON_NIK]


def test_limit_caps_the_list(services):
    for _ in range(4):
        man(services, "Muhammad Rizki")
    assert len(review(services).pairs(limit=2)) == 2
    assert len(review(services).pairs()) == 6


def test_dismissed_pairs_do_not_come_back_and_are_audited(services):
    a = man(services, "Muhammad Rizki")
    b = man(services, "Muhamad Rizky")
    dup = review(services)
    [pair] = dup.pairs()
    dup.dismiss(pair.key)
    dup.dismiss(pair.key)  # twice is harmless
    assert dup.pairs() == []
    assert dup.dismissed() == {pair_key(a.id, b.id)}
    c = man(services, "Moch. Rizki")
    assert {p.key for p in dup.pairs()} == {pair_key(a.id, c.id), pair_key(b.id, c.id)}
    with services.db.read() as s:
        dismissals = [e for e in s.exec(select(AuditEntry))
                      if e.entity == "duplicate_pair"]
    assert len(dismissals) == 1
    assert json.loads(dismissals[0].detail)["persons"] == sorted([a.id, b.id])


# ------------------------------------------------------------------ merge and undo


def test_merge_moves_every_reference_and_hides_the_merged_person(services):
    kept = man(services, "Muhammad Rizki", nik="3604050403750001")
    merged = man(services, "Moh. Rizki")
    kept_case = beggar_case(services, kept.id)
    merged_case = beggar_case(services, merged.id)
    rows = family_and_group(services, merged.id)
    with services.db.read() as s:
        seq_before = s.exec(select(ChangeLog.seq).order_by(ChangeLog.seq.desc())).first()

    record = review(services).merge(kept.id, merged.id, "KTP sama, ejaan nama berbeda")

    moved = {tuple(item) for item in json.loads(record.moved)}
    assert moved == {("pmks_case", merged_case.id)} | {(t, i) for t, i in rows.items()}
    after = references(services, kept.id)
    assert after["pmks_case"] == {kept_case.id, merged_case.id}
    for table, row_id in rows.items():
        assert after[table] == {row_id}
    assert all(not ids for ids in references(services, merged.id).values())
    with services.db.read() as s:
        assert s.get(Person, merged.id).merged_into_id == kept.id
        kept_now = s.get(Person, kept.id)
        assert (kept_now.name, kept_now.nik) == ("Muhammad Rizki", "3604050403750001")
        logged = {(c.table_name, c.row_id) for c in s.exec(
            select(ChangeLog).where(ChangeLog.seq > seq_before))}
        audit = s.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert moved <= logged
    assert {("person", merged.id), ("person_merge", record.id)} <= logged
    assert ("person", kept.id) not in logged  # the kept record is not changed
    assert (audit.action, audit.entity, audit.entity_id) == ("merge", "person", merged.id)
    detail = json.loads(audit.detail)
    assert (detail["kept_person_id"], detail["merged_person_id"]) == (kept.id, merged.id)
    assert review(services).pairs() == []


def test_undo_restores_exactly(services):
    kept = man(services, "Muhammad Rizki")
    merged = man(services, "Muhamad Rizky")
    kept_case = beggar_case(services, kept.id)
    merged_case = beggar_case(services, merged.id)
    family_and_group(services, merged.id)
    before = {kept.id: references(services, kept.id), merged.id: references(services, merged.id)}
    dup = review(services)
    record = dup.merge(kept.id, merged.id, "data ganda")
    beggar_case(services, kept.id)  # recorded after the merge: stays with the kept person
    dup.undo(record.id)

    after_merged = references(services, merged.id)
    assert after_merged == before[merged.id]
    assert merged_case.id in after_merged["pmks_case"]
    assert kept_case.id in references(services, kept.id)["pmks_case"]
    assert len(references(services, kept.id)["pmks_case"]) == 2
    with services.db.read() as s:
        assert s.get(Person, merged.id).merged_into_id is None
        assert s.get(PersonMerge, record.id).undone_at is not None
        audit = s.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert audit.action == "merge" and json.loads(audit.detail)["undo"] is True
    assert len(dup.pairs()) == 1  # the pair is back for review
    with pytest.raises(MergeRefused, match="sudah dibatalkan"):
        dup.undo(record.id)
    history = dup.history()
    assert [(h.kept_name, h.merged_name, h.moved, h.undone) for h in history] == [
        ("Muhammad Rizki", "Muhamad Rizky", 5, True)]
    assert history[0].merged_by == "admin"


def test_undo_is_refused_while_the_kept_person_is_merged_further(services):
    a, b, c = (man(services, n) for n in ("Muhammad Rizki", "Muhamad Rizky", "Moh. Rizki"))
    dup = review(services)
    first = dup.merge(b.id, a.id, "ganda")
    second = dup.merge(c.id, b.id, "ganda")
    with pytest.raises(MergeRefused, match="lebih baru"):
        dup.undo(first.id)
    dup.undo(second.id)
    dup.undo(first.id)


def test_merge_refusals(services):
    a = man(services, "Muhammad Rizki")
    b = man(services, "Muhamad Rizky")
    c = man(services, "Moh. Rizki")
    dup = review(services)
    with pytest.raises(MergeRefused, match="berbeda"):
        dup.merge(a.id, a.id, "ganda")
    with pytest.raises(ValidationFailed):
        dup.merge(a.id, b.id, "  ")
    dup.merge(a.id, b.id, "ganda")
    with pytest.raises(MergeRefused, match="sudah digabungkan"):
        dup.merge(c.id, b.id, "ganda")  # b is already merged
    with pytest.raises(MergeRefused, match="sudah digabungkan"):
        dup.merge(b.id, c.id, "ganda")  # nor can anything be merged into it
    with services.db.write(services.session.actor.user_id) as s:
        trashed = s.get(Person, c.id)
        trashed.deleted_at, trashed.deleted_reason = trashed.created_at, "salah input"
        s.add(trashed)
    with pytest.raises(MergeRefused, match="sampah"):
        dup.merge(a.id, c.id, "ganda")


def test_operator_is_refused_and_nothing_is_written(services):
    a = man(services, "Muhammad Rizki")
    b = man(services, "Muhamad Rizky")
    sign_in_new(services, "budi", "operator")
    dup = review(services)
    assert not dup.can_decide
    assert len(dup.pairs()) == 1  # an operator may look
    with services.db.read() as s:
        logged = len(s.exec(select(ChangeLog)).all())
    with pytest.raises(PermissionDenied, match="memverifikasi"):
        dup.merge(a.id, b.id, "ganda")
    with pytest.raises(PermissionDenied):
        dup.dismiss(pair_key(a.id, b.id))
    with services.db.read() as s:
        assert len(s.exec(select(ChangeLog)).all()) == logged
        assert s.get(Person, b.id).merged_into_id is None


def test_verifikator_may_merge(services):
    a = man(services, "Muhammad Rizki")
    b = man(services, "Muhamad Rizky")
    sign_in_new(services, "vera", "verifikator")
    record = review(services).merge(a.id, b.id, "ganda")
    assert record.kept_person_id == a.id
