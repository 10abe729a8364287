"""A hub with one open sync conflict, made the way it happens in the field: the Dinas Sosial
corrects a person's name while the kecamatan office, not knowing, edits the address."""
from __future__ import annotations

import json
import shutil
import time
from datetime import date
from pathlib import Path

from sqlmodel import select

from pmks_desktop.services.cases import CaseInput
from pmks_desktop.services.conflicts import ConflictService
from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.storage.changelog import canonical_json
from pmks_desktop.storage.models import Person, PmksCase, RegisterEntry, SyncConflict

from sync_world import build_world, open_site, person

OFFICE_NAME = "Siti Aminah"
HUB_NAME = "Siti Aminah Binti Ahmad"
OFFICE_ADDRESS = "Kp. Baru RT 02"
HUB_CASE_NOTE = "Dirujuk ke RSUD dr. Dradjat Prawiranegara"
OFFICE_CASE_NOTE = "Pendampingan rutin oleh TKSK"
TRASH_REASON = "Salah input jenis PMKS"
ENTRY_ADDRESS = "Jl. Raya Kramatwatu No. 5"


def concurrent_person_edit(world) -> str:
    """Both edits made without seeing each other; the office's, made later, wins the merge and
    the hub's own correction is kept as the other version. Returns the person's id."""
    siti = person(world.a, OFFICE_NAME, "3604054107800003")
    world.hub.sync_import.apply(world.send(world.a)[0])
    world.receipts(world.a)
    with world.hub.db.write("dinas") as s:
        s.get(Person, siti.id).name = HUB_NAME
    time.sleep(0.01)  # the office's edit is later by the clock, so it ranks above the hub's
    row = world.a.persons.get(siti.id)
    world.a.persons.update(siti.id, PersonInput(name=OFFICE_NAME, sex="P",
                                                desa_code=row.desa_code, nik=row.nik,
                                                address=OFFICE_ADDRESS,
                                                birth_date=row.birth_date),
                           expected_version=row.version_hlc)
    done = world.hub.sync_import.apply(world.send(world.a)[0])
    assert done.result.total("konflik") == 1
    return siti.id


def concurrent_case_edit(world, person_id: str) -> str:
    """The same on a sensitive case (HIV/AIDS): the hub adds a note while the office edits
    the criteria and its own note. Returns the case's id."""
    case = world.a.cases.record(CaseInput(person_id, "16", date.today(), ["c1"]))
    world.hub.sync_import.apply(world.send(world.a)[0])
    world.receipts(world.a)
    with world.hub.db.write("dinas") as s:
        s.get(PmksCase, case.id).notes = HUB_CASE_NOTE
    time.sleep(0.01)
    world.a.cases.update(case.id, CaseInput(person_id, "16", case.recorded_on, ["c1", "c2"],
                                            notes=OFFICE_CASE_NOTE),
                         expected_version=case.version_hlc)
    done = world.hub.sync_import.apply(world.send(world.a)[0])
    assert done.result.total("konflik") == 1
    return case.id


def concurrent_trash_and_edit(world, person_id: str) -> str:
    """The office moves a case to the trash while the hub adds a note to it: the edit wins
    (a delete only beats what its author had seen) and the trashing is kept as the other
    version. Returns the case's id."""
    case = world.a.cases.record(CaseInput(person_id, "23", date.today(), ["c1"]))
    world.hub.sync_import.apply(world.send(world.a)[0])
    world.receipts(world.a)
    with world.hub.db.write("dinas") as s:
        s.get(PmksCase, case.id).notes = HUB_CASE_NOTE
    time.sleep(0.01)
    world.a.cases.move_to_trash(case.id, TRASH_REASON, expected_version=case.version_hlc)
    done = world.hub.sync_import.apply(world.send(world.a)[0])
    assert done.result.total("konflik") == 1
    return case.id


def concurrent_entry_edit(world) -> str:
    """A register entry (PSKS): the hub changes its kind inside `data` while the office
    changes the address. Returns the entry's id."""
    values = {"kind": "tksk", "name": "Ahmad Fauzi", "desa": "36.04.05.2001",
              "phone": "081234567890"}
    entry = world.a.registers.save("psks", values)
    world.hub.sync_import.apply(world.send(world.a)[0])
    world.receipts(world.a)
    with world.hub.db.write("dinas") as s:
        row = s.get(RegisterEntry, entry.id)
        row.data = canonical_json({**json.loads(row.data), "kind": "psm"})
    time.sleep(0.01)
    world.a.registers.save("psks", {**values, "address": ENTRY_ADDRESS}, entry_id=entry.id,
                           expected_version=entry.version_hlc)
    done = world.hub.sync_import.apply(world.send(world.a)[0])
    assert done.result.total("konflik") == 1
    return entry.id


def build_conflict_world(root: Path, catalogue, regions) -> dict[str, str]:
    """The world with four open conflicts at the hub, every database closed (ready to copy).
    Returns the ids of the records: person, sensitive case, trashed case, register entry."""
    world = build_world(root, catalogue, regions)
    person_id = concurrent_person_edit(world)
    ids = {"person": person_id, "sensitive_case": concurrent_case_edit(world, person_id),
           "trashed_case": concurrent_trash_and_edit(world, person_id),
           "entry": concurrent_entry_edit(world)}
    world.close()
    return ids


def open_copy(template: Path, target: Path, catalogue, regions):
    """A private copy of one install (so each test may resolve the same conflict)."""
    shutil.copytree(template, target)
    return open_site(target, catalogue, regions)


def conflict_service(site) -> ConflictService:
    return ConflictService(site.db, site.session, site.catalogue, site.forms)


def stored_conflicts(site) -> list[SyncConflict]:
    with site.db.read() as s:
        return list(s.exec(select(SyncConflict).order_by(SyncConflict.id)))
