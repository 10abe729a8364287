"""Resolving sync conflicts (services/conflicts.py) on a hub that met them the real way: an
office and the Dinas Sosial edited the same person and the same case without seeing each
other. Each test works on its own copy of that hub."""
from __future__ import annotations

import json

import pytest
from sqlmodel import select

from pmks_desktop.domain.names import name_key
from pmks_desktop.services.conflicts import RESTRICTED_TITLE
from pmks_desktop.services.errors import PermissionDenied, ServiceError, ValidationFailed
from pmks_desktop.services.session import Actor
from pmks_desktop.storage.models import AuditEntry, ChangeLog, Person, PmksCase, RegisterEntry
from pmks_desktop.sync.merge import apply_ops
from pmks_desktop.sync.ops import op_from_changelog

from conflict_world import (ENTRY_ADDRESS, HUB_CASE_NOTE, HUB_NAME, OFFICE_ADDRESS,
                            OFFICE_CASE_NOTE, OFFICE_NAME, TRASH_REASON, build_conflict_world,
                            conflict_service, open_copy, stored_conflicts)

OPERATOR = Actor("op-1", "operator1", "Operator Satu", "operator")
VERIFIER = Actor("ver-1", "verif1", "Verifikator Satu", "verifikator")  # no sensitive data


@pytest.fixture(scope="module")
def template(tmp_path_factory, catalogue, regions):
    root = tmp_path_factory.mktemp("konflik")
    return root, build_conflict_world(root, catalogue, regions)


@pytest.fixture
def hub(template, tmp_path, catalogue, regions):
    site = open_copy(template[0] / "dinsos", tmp_path / "dinsos", catalogue, regions)
    yield site
    site.db.close()


@pytest.fixture
def person_id(template):
    return template[1]["person"]


@pytest.fixture
def case_id(template):
    return template[1]["sensitive_case"]


@pytest.fixture
def trashed_id(template):
    return template[1]["trashed_case"]


@pytest.fixture
def entry_id(template):
    return template[1]["entry"]


def _conflict_of(site, row_id: str):
    return next(c for c in conflict_service(site).open_conflicts() if c.row_id == row_id)


def _case(site, case_id) -> PmksCase:
    with site.db.read() as s:
        return s.get(PmksCase, case_id)


def _person(site, person_id) -> Person:
    with site.db.read() as s:
        return s.get(Person, person_id)


def _changes(site, row_id) -> list[ChangeLog]:
    with site.db.read() as s:
        return list(s.exec(select(ChangeLog).where(ChangeLog.row_id == row_id)
                           .order_by(ChangeLog.id)))


def test_open_conflicts_name_the_record_the_office_and_the_kind(hub, person_id, case_id,
                                                                trashed_id, entry_id):
    views = {v.row_id: v for v in conflict_service(hub).open_conflicts()}
    assert set(views) == {person_id, case_id, trashed_id, entry_id}
    person = views[person_id]
    assert (person.table_label, person.title, person.kind_label) == \
        ("Data orang", OFFICE_NAME, "ubahan bersamaan")
    assert person.office == "Kecamatan Kramatwatu"  # the other side, not this computer
    assert views[case_id].title == f"Orang dengan HIV/AIDS: {OFFICE_NAME}"
    assert views[entry_id].title == "PSKS: Ahmad Fauzi"
    assert views[trashed_id].kind_label == "dihapus di satu tempat, diubah di tempat lain"


def test_detail_lists_both_versions_field_by_field(hub, person_id):
    service = conflict_service(hub)
    detail = service.detail(_conflict_of(hub, person_id).id)
    rows = {f.name: f for f in detail.fields}
    assert {f.name for f in detail.differing} == {"name", "address"}
    assert (rows["name"].label, rows["name"].current_value_text,
            rows["name"].other_value_text) == ("Nama lengkap", OFFICE_NAME, HUB_NAME)
    assert (rows["address"].current_value_text, rows["address"].other_value_text) == \
        (OFFICE_ADDRESS, "(kosong)")
    assert rows["nik"].label == "NIK" and not rows["nik"].differs
    assert rows["nik"].current_value_text == "3604**********03"  # equal NIKs stay masked
    assert rows["desa_code"].current_value_text != "36.04.05.2001"  # the desa's name
    assert rows["deleted_at"].current_value_text == "Aktif"
    assert not {"version_hlc", "created_at", "updated_by", "form_version", "name_key"} & \
        set(rows)
    assert detail.current_source.startswith("Kecamatan Kramatwatu, ")
    assert detail.other_source.startswith("Dinas Sosial Kabupaten Serang (komputer ini), ")
    with hub.db.read() as s:  # full values were on screen: the viewing is in the audit trail
        last = s.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.action, last.entity) == ("view", "sync_conflict")


def test_taking_the_other_version_is_a_new_change_based_on_the_current(hub, person_id):
    conflict = _conflict_of(hub, person_id)
    before = _person(hub, person_id)
    conflict_service(hub).resolve(conflict.id, "other")
    after = _person(hub, person_id)
    assert (after.name, after.address, after.name_key) == (HUB_NAME, None, name_key(HUB_NAME))
    change = _changes(hub, person_id)[-1]
    hub_node = hub.db.node_state()[0]
    assert (change.origin, change.base_hlc, change.base_origin) == \
        (hub_node, before.version_hlc, before.version_origin)
    assert json.loads(change.data)["name"] == HUB_NAME
    assert (after.version_hlc, after.version_origin) == (change.hlc, hub_node)
    stored = next(c for c in stored_conflicts(hub) if c.id == conflict.id)
    assert stored.resolution == "other" and stored.resolved_at is not None
    assert stored.resolved_by == hub.session.actor.user_id
    assert person_id not in {v.row_id for v in conflict_service(hub).open_conflicts()}
    with hub.db.read() as s:
        audit = s.exec(select(AuditEntry).where(AuditEntry.entity == "sync_conflict",
                                                AuditEntry.action == "update")).one()
    assert json.loads(audit.detail) == {"table": "person", "row": person_id, "choice": "other"}


def test_the_decision_reaches_the_office_and_settles_there(hub, person_id, template, tmp_path,
                                                           catalogue, regions):
    conflict_service(hub).resolve(_conflict_of(hub, person_id).id, "other")
    office = open_copy(template[0] / "kec-a", tmp_path / "kec-a", catalogue, regions)
    try:
        ops = [op_from_changelog(c) for c in _changes(hub, person_id)
               if c.origin == hub.db.node_state()[0]]
        with office.db.write() as s:
            apply_ops(s, ops, bundle_id="uji-keputusan")
        assert _person(office, person_id).name == HUB_NAME
        # (The office may hold other conflicts: the hub's changes to its other records now
        # reach it with each receipt. This person's is settled.)
        assert [c for c in conflict_service(office).open_conflicts()
                if c.row_id == person_id] == []
    finally:
        office.db.close()


@pytest.mark.parametrize("sent", ["all", "decision only"])
def test_a_decision_against_the_offices_version_closes_its_conflict_there(
        hub, trashed_id, template, tmp_path, catalogue, regions, sent):
    """The hub's note won over the office's trashing; keeping the note at the hub must also
    settle the office, which holds the trashing (the loser) and the hub's note: the decision
    names the loser it saw (also_seen), though its base is the hub's own version."""
    conflict = next(c for c in stored_conflicts(hub) if c.row_id == trashed_id)
    conflict_service(hub).resolve(conflict.id, "current")
    decision = _changes(hub, trashed_id)[-1]
    assert json.loads(decision.also_seen) == [[conflict.loser_hlc, conflict.loser_origin]]
    assert conflict.loser_origin != decision.origin == conflict.winner_origin
    office = open_copy(template[0] / "kec-a", tmp_path / "kec-a", catalogue, regions)
    try:
        ops = [op_from_changelog(c) for c in _changes(hub, trashed_id)
               if c.origin == hub.db.node_state()[0]]
        with office.db.write() as s:
            apply_ops(s, ops if sent == "all" else ops[-1:], bundle_id="uji-keputusan")
        case = _case(office, trashed_id)
        assert case.deleted_at is None and case.version_hlc == decision.hlc
        assert [c for c in conflict_service(office).open_conflicts()
                if c.row_id == trashed_id] == []
    finally:
        office.db.close()


def test_keeping_the_current_version_still_syncs_the_decision(hub, person_id):
    before = _person(hub, person_id)
    conflict_service(hub).resolve(_conflict_of(hub, person_id).id, "current")
    after = _person(hub, person_id)
    assert (after.name, after.address) == (OFFICE_NAME, OFFICE_ADDRESS)
    change = _changes(hub, person_id)[-1]
    assert (change.base_hlc, change.base_origin) == (before.version_hlc, before.version_origin)
    assert after.version_hlc == change.hlc > before.version_hlc


def test_a_conflict_is_resolved_once(hub, person_id):
    service = conflict_service(hub)
    conflict = _conflict_of(hub, person_id)
    service.resolve(conflict.id, "current")
    changes = len(_changes(hub, person_id))
    with pytest.raises(ServiceError, match="sudah diselesaikan"):
        service.resolve(conflict.id, "other")
    assert _person(hub, person_id).name == OFFICE_NAME
    assert len(_changes(hub, person_id)) == changes


def test_combined_takes_each_field_from_the_chosen_version(hub, person_id):
    service = conflict_service(hub)
    conflict = _conflict_of(hub, person_id)
    with pytest.raises(ValidationFailed, match="Nama lengkap"):
        service.resolve(conflict.id, "combined", {"name": "Nama Karangan"})  # in neither
    assert _person(hub, person_id).name == OFFICE_NAME  # nothing written
    service.resolve(conflict.id, "combined", {"name": HUB_NAME, "address": OFFICE_ADDRESS})
    after = _person(hub, person_id)
    assert (after.name, after.address, after.name_key) == \
        (HUB_NAME, OFFICE_ADDRESS, name_key(HUB_NAME))
    assert stored_conflicts(hub)[0].resolution == "combined"
    assert stored_conflicts(hub)[0].row_id == person_id


def test_only_a_verifier_or_administrator_resolves(hub, person_id):
    conflict = _conflict_of(hub, person_id)
    hub.session.sign_in(OPERATOR)
    service = conflict_service(hub)
    assert not service.can_resolve
    assert len(service.open_conflicts()) == 4  # seeing them is allowed
    with pytest.raises(PermissionDenied, match="memverifikasi"):
        service.resolve(conflict.id, "other")
    assert _conflict_of(hub, person_id).id == conflict.id  # still open


def test_sensitive_case_conflicts_are_masked_without_the_permission(hub, case_id):
    hub.session.sign_in(VERIFIER)
    service = conflict_service(hub)
    case = _conflict_of(hub, case_id)
    assert case.restricted and case.title == RESTRICTED_TITLE
    with pytest.raises(PermissionDenied):
        service.detail(case.id)
    with pytest.raises(PermissionDenied):
        service.resolve(case.id, "other")
    assert _case(hub, case_id).notes == OFFICE_CASE_NOTE


def test_case_conflict_shows_criteria_and_notes_to_an_authorised_user(hub, case_id):
    service = conflict_service(hub)
    conflict = _conflict_of(hub, case_id)
    rows = {f.name: f for f in service.detail(conflict.id).differing}
    assert set(rows) == {"criteria", "notes"}
    assert rows["notes"].label == "Catatan"
    assert rows["notes"].other_value_text == HUB_CASE_NOTE
    assert "membutuhkan pelayanan sosial" in rows["criteria"].current_value_text
    service.resolve(conflict.id, "combined", {"notes": HUB_CASE_NOTE})
    case = _case(hub, case_id)
    assert (case.notes, json.loads(case.criteria)) == (HUB_CASE_NOTE, ["c1", "c2"])


def test_trashed_here_edited_there_shows_the_trash_state(hub, trashed_id):
    detail = conflict_service(hub).detail(_conflict_of(hub, trashed_id).id)
    rows = {f.name: f for f in detail.differing}
    assert set(rows) == {"deleted_at", "notes"}
    assert rows["deleted_at"].label == "Status data"
    assert rows["deleted_at"].current_value_text == "Aktif"
    assert rows["deleted_at"].other_value_text.startswith("Di sampah sejak ")
    assert rows["deleted_at"].other_value_text.endswith(f"(alasan: {TRASH_REASON})")


def test_taking_the_trashing_moves_the_record_to_the_trash(hub, trashed_id):
    conflict_service(hub).resolve(_conflict_of(hub, trashed_id).id, "other")
    case = _case(hub, trashed_id)
    assert case.deleted_at is not None and case.deleted_reason == TRASH_REASON
    change = _changes(hub, trashed_id)[-1]
    assert change.op == "delete" and change.origin == hub.db.node_state()[0]


def test_keeping_the_edit_leaves_the_record_out_of_the_trash(hub, trashed_id):
    conflict_service(hub).resolve(_conflict_of(hub, trashed_id).id, "current")
    case = _case(hub, trashed_id)
    assert case.deleted_at is None and case.notes == HUB_CASE_NOTE
    assert _changes(hub, trashed_id)[-1].op == "update"


def test_combined_can_take_the_trash_state_with_its_reason(hub, trashed_id):
    service = conflict_service(hub)
    conflict = _conflict_of(hub, trashed_id)
    trash = next(f for f in service.detail(conflict.id).fields if f.name == "deleted_at")
    service.resolve(conflict.id, "combined", {"deleted_at": trash.other_value})
    case = _case(hub, trashed_id)
    assert case.deleted_reason == TRASH_REASON and case.notes == HUB_CASE_NOTE


def test_register_entry_compares_the_fields_of_its_form(hub, entry_id):
    detail = conflict_service(hub).detail(_conflict_of(hub, entry_id).id)
    rows = {f.name: f for f in detail.fields}
    assert {f.name for f in detail.differing} == {"kind", "address"}
    assert (rows["kind"].label, rows["kind"].current_value_text, rows["kind"].other_value_text) \
        == ("Jenis PSKS", "Tenaga Kesejahteraan Sosial Kecamatan (TKSK)",
            "Pekerja Sosial Masyarakat (PSM)")
    assert rows["address"].current_value_text == ENTRY_ADDRESS
    assert rows["desa"].current_value_text != "36.04.05.2001"  # the desa's name
    assert not {"data", "title", "title_key", "register_code"} & set(rows)


def test_combined_register_entry_is_checked_and_projected(hub, entry_id):
    service = conflict_service(hub)
    conflict = _conflict_of(hub, entry_id)
    service.resolve(conflict.id, "combined", {"kind": "psm", "address": ENTRY_ADDRESS})
    with hub.db.read() as s:
        entry = s.get(RegisterEntry, entry_id)
    data = json.loads(entry.data)
    assert (data["kind"], data["address"]) == ("psm", ENTRY_ADDRESS)
    assert entry.title == "Ahmad Fauzi" and entry.version_origin == hub.db.node_state()[0]
