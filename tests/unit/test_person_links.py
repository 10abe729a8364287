"""Duplicate-person links at the hub: the same NIK from two offices is linked, never merged."""
from __future__ import annotations

import sqlite3

import pytest
from sqlmodel import select

from pmks_desktop.services.duplicates import REASON_NIK, pair_key
from pmks_desktop.services.errors import PermissionDenied, ServiceError, ValidationFailed
from pmks_desktop.services.person_links import LinkRefused, link_id
from pmks_desktop.services.users import NewUser
from pmks_desktop.storage.models import ChangeLog, PersonLink

from sync_world import build_world, person

NIK = "3604054107800091"
DESA_B = "36.04.06.2001"


@pytest.fixture
def world(tmp_path, catalogue, regions):
    w = build_world(tmp_path, catalogue, regions)
    yield w
    w.close()


@pytest.fixture
def twins(world):
    """The same NIK registered at office A and office B, both imported at the hub."""
    one = person(world.a, "Siti Rohmah", NIK)
    two = person(world.b, "Siti Rohmah", NIK, desa=DESA_B)
    for office in (world.a, world.b):
        world.hub.sync_import.apply(world.send(office)[0])
    return one, two


def person_rows(site, *ids) -> list[tuple]:
    marks = ",".join("?" * len(ids))
    with sqlite3.connect(site.db.paths.database) as conn:
        return sorted(conn.execute(f"SELECT * FROM person WHERE id IN ({marks})", ids))


def audit(site) -> list[tuple[str, str]]:
    with sqlite3.connect(site.db.paths.database) as conn:
        return conn.execute("SELECT action, entity_id FROM audit_log "
                            "WHERE entity = 'person_link' ORDER BY id").fetchall()


def open_pairs(hub) -> set[str]:
    return {p.key for p in hub.duplicates.pairs(exclude=hub.person_links.linked_keys())}


def test_same_person_is_linked_and_both_records_stay(world, twins):
    hub = world.hub
    one, two = twins
    key = pair_key(one.id, two.id)
    assert hub.office.office().mode == "kabupaten"
    assert key in open_pairs(hub)
    before = person_rows(hub, one.id, two.id)

    link = hub.person_links.link(two.id, one.id, "sama", "KTP dan KK sama")

    assert person_rows(hub, one.id, two.id) == before  # neither office-owned row changed
    assert (link.person_a_id, link.person_b_id) == tuple(sorted((one.id, two.id)))
    assert (link.status, link.reason, link.note, link.decided_by) == \
        ("sama", REASON_NIK, "KTP dan KK sama", "admin")
    with hub.db.read() as s:
        rows = s.exec(select(PersonLink)).all()
        changes = s.exec(select(ChangeLog).where(ChangeLog.table_name == "person_link")).all()
    assert [r.id for r in rows] == [link_id(one.id, two.id)]
    assert [(c.op, c.row_id) for c in changes] == [("insert", link.id)]
    assert audit(hub) == [("merge", link.id)]
    assert key not in open_pairs(hub)
    assert key in {p.key for p in hub.duplicates.pairs()}  # the office behaviour is unchanged
    assert [x.id for x in hub.person_links.links_of(one.id)] == [link.id]
    assert hub.person_links.links_of(two.id)[0].other(two.id) == one.id


def test_different_persons_also_leave_the_list_and_one_link_per_pair(world, twins):
    hub = world.hub
    one, two = twins
    hub.person_links.link(one.id, two.id, "beda")
    assert pair_key(one.id, two.id) not in open_pairs(hub)
    again = hub.person_links.link(two.id, one.id, "sama", "dicek ulang")  # changes its mind
    hub.person_links.link(two.id, one.id, "sama", "dicek ulang")  # nothing new: no write
    with hub.db.read() as s:
        rows = s.exec(select(PersonLink)).all()
        ops = [c.op for c in s.exec(select(ChangeLog)
                                    .where(ChangeLog.table_name == "person_link"))]
    assert len(rows) == 1 and rows[0].status == "sama" and again.id == rows[0].id
    assert ops == ["insert", "update"]
    assert [action for action, _id in audit(hub)] == ["merge", "update"]


def test_refusals(world, twins):
    hub = world.hub
    one, two = twins
    with pytest.raises(LinkRefused):
        hub.person_links.link(one.id, one.id, "sama")
    with pytest.raises(ValidationFailed):
        hub.person_links.link(one.id, two.id, "mungkin")
    with pytest.raises(ServiceError, match="tidak ditemukan"):
        hub.person_links.link(one.id, "00000000-0000-0000-0000-000000000000", "sama")
    hub.users.create(NewUser("operator", "Operator Dinas", "operator", "rahasia-operator-1",
                             True))
    hub.users.authenticate("operator", "rahasia-operator-1")
    assert not hub.person_links.can_decide
    with pytest.raises(PermissionDenied):
        hub.person_links.link(one.id, two.id, "sama")
    with hub.db.read() as s:
        assert s.exec(select(PersonLink)).all() == []


def test_the_hub_refuses_a_merge_even_without_the_dialog(world):
    from pmks_desktop.services.duplicates import MergeRefused

    one = person(world.a, "Siti Rohmah", "3604054107800991")
    two = person(world.b, "Siti Rohmah", "3604064107800991", desa="36.04.06.2001")
    for office in (world.a, world.b):
        world.hub.sync_import.apply(world.send(office)[0])
    with pytest.raises(MergeRefused, match="ditautkan"):
        world.hub.duplicates.merge(one.id, two.id, "sama orangnya")
