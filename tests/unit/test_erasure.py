"""Erasure under UU PDP: a person removed for good at the office, at the Dinas Sosial and at
every install a late bundle reaches, with no copy of their data left in the database files."""
from __future__ import annotations

import shutil
import sqlite3
from datetime import date

import pytest

from pmks_desktop.services.cases import CaseInput
from pmks_desktop.services.erasure import CONFIRMATION, ErasureService
from pmks_desktop.services.errors import PermissionDenied, ServiceError
from pmks_desktop.services.session import Actor, UserSession
from pmks_desktop.storage.models import ChangeLog, Person
from pmks_desktop.sync.merge import DIHAPUS, TIDAK_BERUBAH, apply_ops
from pmks_desktop.sync.ops import op_from_changelog
from sqlmodel import select

from sync_world import build_world, open_site, person

NAME, NIK = "Rahmawati Kusumadewi", "3604054107800003"
REASON = "Permintaan tertulis subjek data tanggal 27 Juli 2024"


@pytest.fixture
def world(tmp_path, catalogue, regions):
    w = build_world(tmp_path, catalogue, regions)
    yield w
    w.close()


def erasure(site) -> ErasureService:
    return ErasureService(site.db, site.session)


def raw(site, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(site.db.paths.database) as conn:
        return conn.execute(sql, params).fetchall()


def stored_bytes(site) -> bytes:
    """The database file and its write-ahead log, as a finder of the PC would read them."""
    path = site.db.paths.database
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def rahma(site):
    """A person with a sensitive case (HIV/AIDS), sent to the hub already."""
    p = person(site, NAME, NIK)
    site.cases.record(CaseInput(person_id=p.id, type_code="18", recorded_on=date.today(),
                                criteria=["c1"]))
    return p


def test_the_plan_names_what_goes_and_what_stays(world):
    p = rahma(world.a)
    plan = erasure(world.a).plan(p.id)
    assert (plan.name, plan.nik) == (NAME, NIK)
    assert dict(plan.rows) == {"Kasus PMKS": 1} and plan.merged == 0 and plan.letters == 0


def test_erasing_at_the_office_reaches_the_hub_and_leaves_no_trace(world):
    p = rahma(world.a)
    first = world.send(world.a)
    world.hub.sync_import.apply(first[0])
    assert raw(world.hub, "SELECT name FROM person") == [(NAME,)]
    assert NIK.encode() in stored_bytes(world.a)  # so the check below can fail
    removed = erasure(world.a).erase(p.id, reason=REASON, confirmation=CONFIRMATION)
    assert removed == {"person": 1, "pmks_case": 1}
    for site in (world.a,):
        assert raw(site, "SELECT COUNT(*) FROM person") == [(0,)]
        assert NIK.encode() not in stored_bytes(site) and NAME.encode() not in stored_bytes(site)
    # The change log keeps its sequence, with the images emptied, and the erasure to send.
    ops = raw(world.a, "SELECT op FROM change_log ORDER BY seq")
    assert ops == [("purged",), ("purged",), ("purge",)]
    done = world.hub.sync_import.apply(world.send(world.a)[0])
    assert done.result.counts[("person", DIHAPUS)] == 1
    assert raw(world.hub, "SELECT COUNT(*) FROM person") == [(0,)]
    assert raw(world.hub, "SELECT COUNT(*) FROM pmks_case") == [(0,)]
    world.hub.db.truncate_wal()
    assert NIK.encode() not in stored_bytes(world.hub)
    assert NAME.encode() not in stored_bytes(world.hub)
    # The stick found in a drawer: the first bundle again, under another id, changes nothing.
    again = world.hub.sync_import.apply(first[0])
    assert again.already_imported and raw(world.hub, "SELECT COUNT(*) FROM person") == [(0,)]


def test_a_late_bundle_cannot_bring_an_erased_person_back(world, tmp_path, catalogue,
                                                          regions):
    """The erasure arrives first, the bundle that created the person after it."""
    p = rahma(world.a)
    created = world.send(world.a)[0]
    kept = tmp_path / "disimpan.pmksb"
    shutil.copy(created, kept)
    erasure(world.a).erase(p.id, reason=REASON, confirmation=CONFIRMATION)
    erased = world.send(world.a)  # every unacknowledged change: emptied images + the erasure
    done = world.hub.sync_import.apply(erased[0])
    assert done.result.total(DIHAPUS) == 3
    late = world.hub.sync_import.apply(kept)  # its operations were settled as erased
    assert not late.already_imported and late.result.total(TIDAK_BERUBAH) == 2
    assert raw(world.hub, "SELECT COUNT(*) FROM person") == [(0,)]
    assert raw(world.hub, "SELECT table_name FROM purge_record ORDER BY 1") == \
        [("person",)]


def test_late_operations_for_erased_rows_are_settled_not_applied(world):
    """Operations carrying the person's data, arriving after the erasure (a copy of an old
    bundle merged line by line), are acknowledged as erased and write nothing."""
    p = rahma(world.a)
    with world.a.db.read() as s:
        old_ops = [op_from_changelog(c)
                   for c in s.exec(select(ChangeLog).order_by(ChangeLog.seq))]
    erasure(world.a).erase(p.id, reason=REASON, confirmation=CONFIRMATION)
    world.hub.sync_import.apply(world.send(world.a)[0])
    # The old images under new keys, as if another PC had copied them: still refused.
    for op in old_ops:
        op["seq"] += 1000
    with world.hub.db.write() as s:
        result = apply_ops(s, old_ops, bundle_id="salinan-lama")
    assert result.total(DIHAPUS) == 2 and raw(world.hub, "SELECT COUNT(*) FROM person") == [(0,)]


def test_erasing_at_the_hub_reaches_the_office_that_owns_the_person(world):
    p = person(world.b, NAME, "3604064107800003", desa="36.04.06.2001")
    world.hub.sync_import.apply(world.send(world.b)[0])
    erasure(world.hub).erase(p.id, reason=REASON, confirmation=CONFIRMATION)
    world.receipts(world.a, world.b)
    assert raw(world.b, "SELECT COUNT(*) FROM person") == [(0,)]
    assert raw(world.b, "SELECT person_id FROM purge_record") == [(p.id,)]
    assert NAME.encode() not in stored_bytes(world.b)


def test_only_an_administrator_erases_and_only_when_confirmed(world):
    p = rahma(world.a)
    service = erasure(world.a)
    with pytest.raises(ServiceError, match="dasar penghapusan"):
        service.erase(p.id, reason="minta", confirmation=CONFIRMATION)
    with pytest.raises(ServiceError, match=CONFIRMATION):
        service.erase(p.id, reason=REASON, confirmation="hapus")
    operator = ErasureService(world.a.db, UserSession(
        Actor("op-1", "operator1", "Operator Satu", "operator", can_view_sensitive=True)))
    with pytest.raises(PermissionDenied):
        operator.plan(p.id)
    with pytest.raises(PermissionDenied):
        operator.erase(p.id, reason=REASON, confirmation=CONFIRMATION)
    assert raw(world.a, "SELECT COUNT(*) FROM person") == [(1,)]


def test_same_person_merged_twice_goes_with_the_kept_record(world):
    kept = person(world.a, NAME, NIK)
    twin = person(world.a, "Rahmawati K.", "")
    with world.a.db.write() as s:  # merged the way the duplicate review merges
        s.get(Person, twin.id).merged_into_id = kept.id
    plan = erasure(world.a).plan(kept.id)
    assert plan.merged == 1
    erasure(world.a).erase(kept.id, reason=REASON, confirmation=CONFIRMATION)
    assert raw(world.a, "SELECT COUNT(*) FROM person") == [(0,)]
    assert b"Rahmawati K." not in stored_bytes(world.a)


def test_a_restored_backup_does_not_bring_the_person_back(world, tmp_path, catalogue,
                                                          regions):
    p = rahma(world.a)
    backup = tmp_path / "cadangan.sqlite"
    with sqlite3.connect(world.a.db.paths.database) as live, sqlite3.connect(backup) as copy:
        live.backup(copy)  # the office's backup of yesterday, with the person in it
    erasure(world.a).erase(p.id, reason=REASON, confirmation=CONFIRMATION)
    folder = world.a.db.paths.root
    world.a.db.close()
    for suffix in ("", "-wal", "-shm"):
        (folder / f"pmks.sqlite{suffix}").unlink(missing_ok=True)
    shutil.copy(backup, folder / "pmks.sqlite")  # restored over the erasure
    world.a = open_site(folder, catalogue, regions)
    assert raw(world.a, "SELECT COUNT(*) FROM person") == [(0,)]
    assert NIK.encode() not in stored_bytes(world.a)
    # Erased again under the restored database's new epoch, and sent to the hub again.
    assert raw(world.a, "SELECT op, row_id FROM change_log WHERE op = 'purge'") == \
        [("purge", p.id)]
