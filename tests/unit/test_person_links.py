"""Duplicate-person links at the hub: the same NIK from two offices is linked, never merged;
the decision reaches each office concerned as a notice about its own person only."""
from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from pmks_desktop.domain.formatting import long_date
from pmks_desktop.services.duplicates import REASON_NIK, pair_key
from pmks_desktop.services.errors import PermissionDenied, ServiceError, ValidationFailed
from pmks_desktop.services.link_notices import apply_notices
from pmks_desktop.services.person_links import REASON_MANUAL, LinkRefused, link_id
from pmks_desktop.services.users import NewUser
from pmks_desktop.storage.models import ChangeLog, LinkNotice, Person, PersonLink

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


# ---------------------------------------------------------------- link notices at the offices


def notices(site) -> list[tuple]:
    """(person, link, status, reason, other office, other person) of the office's notices."""
    with site.db.read() as s:
        return sorted((n.person_id, n.link_id, n.status, n.reason, n.other_office,
                       n.other_person_id) for n in s.exec(select(LinkNotice)))


def stored_bytes(site) -> bytes:
    """The database as it lies on disk: the file and its write-ahead log."""
    path = site.db.paths.database
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def receipt_for(world, office) -> tuple[dict, bytes]:
    """The hub's receipt for `office` as the office imported it, and everything in it that
    came from the hub (opened with the office's key)."""
    node = office.db.node_state()[0]
    paths = world.hub.sync_receipts.write_receipts(world.stick, [node])
    opened, _fingerprint = office.sync_receipts.read_receipt(paths[0])
    raw = json.dumps({k: v for k, v in opened.items() if k != "_ops"}, ensure_ascii=False)
    receipt = office.sync_receipts.import_receipt(
        paths[0], confirmed_fingerprint=world.hub_fingerprint())
    paths[0].unlink()
    return receipt, raw.encode() + opened["_ops"]


@pytest.fixture
def strangers(world):
    """Two records the hub decides about by hand: different NIK, name and desa, so that any
    trace of B's person in A's files is B's data and nothing else."""
    one = person(world.a, "Maryati Ningsih", "3604054107800301")
    two = person(world.b, "Marjati Ningsih Binti Usman", "3604065107800402", desa=DESA_B)
    with world.b.db.write() as s:
        s.get(Person, two.id).address = "Kp. Rahasia Kantor B RT 09"
    for office in (world.a, world.b):
        world.hub.sync_import.apply(world.send(office)[0])
    return one, two


def test_a_decision_reaches_both_offices_without_the_other_persons_data(world, strangers):
    one, two = strangers
    link = world.hub.person_links.link(one.id, two.id, "sama", "Marjati = Maryati, KTP lama")
    receipt, payload = receipt_for(world, world.a)
    world.receipts(world.b)

    assert notices(world.a) == [(one.id, link.id, "sama", REASON_MANUAL,
                                 "Kecamatan Waringinkurung", None)]
    assert notices(world.b) == [(two.id, link.id, "sama", REASON_MANUAL,
                                 "Kecamatan Kramatwatu", None)]
    for secret in ("Marjati", "3604065107800402", "Rahasia Kantor B", two.id, "KTP lama"):
        assert secret.encode() not in payload, secret  # the note may name the other person
        assert secret.encode() not in stored_bytes(world.a), secret
    assert receipt["reference"]["link_notices"][0]["decided_at"] == \
        link.decided_at.astimezone(UTC).isoformat(timespec="seconds")
    assert receipt["applied"]["link_notices"] == {"kept": 1, "changed": 1}
    assert receipt_for(world, world.a)[0]["applied"]["link_notices"] == {"kept": 1, "changed": 0}
    (notice,) = world.a.link_notices.of_person(one.id)
    assert notice.text == (
        "Dinas Sosial: orang yang sama juga terdata di Kecamatan Waringinkurung "
        f"({REASON_MANUAL}), diputuskan oleh admin pada "
        f"{long_date(link.decided_at.astimezone().date())}.")
    assert world.a.link_notices.summaries([one.id, "x"]) == \
        {one.id: "sama dengan data Kecamatan Waringinkurung"}
    with world.a.db.read() as s:  # local: nothing to send back to the hub
        assert not s.exec(select(ChangeLog).where(ChangeLog.table_name == "link_notice")).all()
    assert world.send(world.a) == []


def test_same_nik_notices_follow_the_decision_and_its_withdrawal(world, twins):
    one, two = twins
    hub = world.hub
    link = hub.person_links.link(one.id, two.id, "sama")
    world.receipts(world.a, world.b)
    assert [n[2:5] for n in notices(world.a)] == [("sama", REASON_NIK, "Kecamatan Waringinkurung")]

    hub.person_links.link(one.id, two.id, "beda", "dua orang, tanggal lahir berbeda di KK")
    world.receipts(world.a, world.b)
    assert [n[2] for n in notices(world.a) + notices(world.b)] == ["beda", "beda"]
    (notice,) = world.b.link_notices.of_person(two.id)
    assert notice.text.startswith("Dinas Sosial menyatakan rekaman ini BUKAN orang yang sama "
                                  "dengan rekaman di Kecamatan Kramatwatu (NIK sama)")

    with hub.db.write() as s:  # withdrawn: a tombstone, as any synced delete
        row = s.get(PersonLink, link.id)
        row.deleted_at, row.deleted_reason = datetime.now(UTC), "keliru"
    world.receipts(world.a, world.b)
    assert notices(world.a) == notices(world.b) == []


def test_a_link_within_one_office_names_the_other_record(world):
    first = person(world.a, "Dedi Kurniawan", "3604050101800311", sex="L")
    second = person(world.a, "Dedi Kurniawan", "3604050101800311", sex="L")
    world.hub.sync_import.apply(world.send(world.a)[0])
    link = world.hub.person_links.link(first.id, second.id, "sama")
    world.receipts(world.a, world.b)
    assert notices(world.a) == sorted([
        (first.id, link.id, "sama", REASON_NIK, "Kecamatan Kramatwatu", second.id),
        (second.id, link.id, "sama", REASON_NIK, "Kecamatan Kramatwatu", first.id)])
    assert notices(world.b) == []
    (notice,) = world.a.link_notices.of_person(first.id)
    assert "juga terdata di kantor ini sebagai Dedi Kurniawan (NIK sama)" in notice.text


def test_a_record_the_hub_registered_itself_is_placed_at_the_dinas(world):
    mine = person(world.a, "Rina Marlina", "3604054107800321")
    world.hub.sync_import.apply(world.send(world.a)[0])
    theirs = person(world.hub, "Rina Marlina", "3604054107800321")
    link = world.hub.person_links.link(mine.id, theirs.id, "sama")
    world.receipts(world.a, world.b)
    assert notices(world.a) == [(mine.id, link.id, "sama", REASON_NIK,
                                 "Dinas Sosial Kabupaten Serang", None)]
    assert notices(world.b) == []


def test_an_older_hub_leaves_notices_alone_and_strange_notices_are_ignored(world, twins,
                                                                           monkeypatch):
    import pmks_desktop.services.sync_receipts as receipts_module

    one, two = twins
    world.hub.person_links.link(one.id, two.id, "sama")
    world.receipts(world.a)
    before = notices(world.a)
    assert len(before) == 1
    real = receipts_module.reference_for

    def older_hub(db, s, peer):
        reference = real(db, s, peer)
        reference.pop("link_notices")
        return reference

    monkeypatch.setattr(receipts_module, "reference_for", older_hub)
    world.receipts(world.a)
    assert notices(world.a) == before

    good = {"link_id": "l-1", "person_id": one.id, "status": "beda", "reason": "NIK sama",
            "decided_by": "admin", "decided_at": "2024-07-27T03:00:00+00:00",
            "other_office": "Kecamatan Cikeusal", "other_person_id": two.id}
    strange = [good, {**good, "link_id": "l-2", "person_id": two.id},  # not A's record
               {**good, "link_id": "l-3", "status": "mungkin"},
               {**good, "link_id": "l-4", "decided_at": "kemarin"}, "bukan objek"]
    with world.a.db.write() as s:
        applied = apply_notices(s, {"link_notices": strange})
    assert applied == {"kept": 1, "changed": 2}  # the old notice went, "l-1" came
    assert notices(world.a) == [(one.id, "l-1", "beda", "NIK sama", "Kecamatan Cikeusal",
                                 None)]  # B's person is not A's: no id to point at
