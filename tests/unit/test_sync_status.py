"""SyncStatus: what the Dinas Sosial has received from each office PC (contiguous sequence
and gaps per epoch), open conflicts, clock warnings; and at an office, what was sent and
acknowledged."""
from __future__ import annotations

import sqlite3
import time

import pytest

from pmks_desktop.services.sync_status import EpochState, SyncStatus, clock_warning
from pmks_desktop.storage.changelog import HLC_COUNTER_BITS

from sync_world import build_world, person


@pytest.fixture(scope="module")
def world(tmp_path_factory, catalogue, regions):
    w = build_world(tmp_path_factory.mktemp("status"), catalogue, regions)
    person(w.a, "Siti Aminah", "3604054107800003")
    person(w.a, "Budi Santoso", "3604050101800001", sex="L")
    for path in w.send(w.a):
        w.hub.sync_import.apply(path)
    yield w
    w.close()


def status(site, **kw) -> SyncStatus:
    return SyncStatus(site.db, site.session, **kw)


def node(site) -> str:
    return site.db.node_state()[0]


def by_code(world, **kw):
    return {o.office_code: o for o in status(world.hub, **kw).offices()}


def test_each_office_shows_its_last_bundle_and_contiguous_sequence(world):
    offices = by_code(world)
    a, b = offices["36.04.05"], offices["36.04.06"]
    sent = world.a.db.node_state()[2]  # this office's last change-log seq: all were sent
    assert a.last_bundle_at is not None and a.bundles_in == 1
    assert [(e.contiguous, e.gaps) for e in a.epochs] == [(sent, ())]
    assert a.sequence_text == f"1\u2013{sent} lengkap" and not a.has_gaps
    assert a.open_conflicts == 0 and a.clock_warning is None and a.revoked_at is None
    assert b.last_bundle_at is None and b.epochs == () and b.sequence_text == "belum ada kiriman"


def test_a_gap_conflicts_and_a_clock_ahead_are_reported(world):
    origin, epoch = node(world.a), world.a.db.node_state()[1]
    sent = world.a.db.node_state()[2]
    ahead = (int(time.time() * 1000) + 3 * 3600 * 1000) << HLC_COUNTER_BITS
    with sqlite3.connect(world.hub.db.paths.database) as conn:
        conn.execute("INSERT INTO received_op (origin, epoch, seq, bundle_id, outcome, "
                     "received_at, table_name, row_id, hlc) VALUES (?, ?, ?, 'x', 'new', "
                     "'2024-07-27 00:00:00', 'person', 'r', ?)", (origin, epoch, sent + 5, ahead))
        for winner, loser in ((origin, "other"), ("other", origin), ("x", "y")):
            conn.execute("INSERT INTO sync_conflict (table_name, row_id, office_code, winner_hlc,"
                         " winner_origin, loser_hlc, loser_origin, loser_data, kind, detected_at)"
                         " VALUES ('person', 'r', '', 1, ?, 2, ?, '{}', 'edit', "
                         "'2024-07-27 00:00:00')", (winner, loser))
    try:
        a = by_code(world)["36.04.05"]
        assert a.epochs[0].gaps == ((sent + 1, sent + 4),) and a.has_gaps
        assert a.sequence_text.endswith(f"belum diterima {sent + 1}\u2013{sent + 4}")
        assert a.open_conflicts == 2  # the third conflict is another PC's
        assert "3 jam di depan" in a.clock_warning
        assert status(world.hub).open_conflicts() == {"Data orang": 3}
    finally:
        with sqlite3.connect(world.hub.db.paths.database) as conn:
            conn.execute("DELETE FROM received_op WHERE bundle_id = 'x'")
            conn.execute("DELETE FROM sync_conflict")


def test_a_hub_clock_behind_the_office_warns(world):
    slow_hub = by_code(world, clock=lambda: time.time() - 3600)
    assert "menit di depan jam komputer ini" in slow_hub["36.04.05"].clock_warning
    assert slow_hub["36.04.06"].clock_warning is None  # nothing received, nothing to compare


def test_an_office_clock_ahead_is_not_reported_as_the_hubs_own(world):
    """Importing from a PC three hours ahead moves the hub's hybrid clock; the hub's own clock
    is still right, so only the office is named."""
    hub_db = world.hub.db.paths.database
    ahead = (int(time.time() * 1000) + 3 * 3600 * 1000) << HLC_COUNTER_BITS
    with sqlite3.connect(hub_db) as conn:
        (before,) = conn.execute("SELECT hlc FROM node_state").fetchone()
        conn.execute("UPDATE node_state SET hlc = ?", (ahead,))
    try:
        assert world.hub.db.clock_warning() is None
        assert status(world.hub).own_clock_warning() is None
        # A change this PC wrote an hour from now (its clock was set back since) does warn.
        with sqlite3.connect(hub_db) as conn:
            conn.execute("INSERT INTO change_log (origin, epoch, seq, table_name, row_id, op, "
                         "hlc, schema_version, data, created_at) VALUES (?, 'uji', 1, 'person', "
                         "'r', 'update', 1, '0008', '{}', datetime('now', '+1 hour'))",
                         (node(world.hub),))
        assert "Jam komputer ini mundur" in world.hub.db.clock_warning()
    finally:
        with sqlite3.connect(hub_db) as conn:
            conn.execute("UPDATE node_state SET hlc = ?", (before,))
            conn.execute("DELETE FROM change_log WHERE epoch = 'uji'")


def test_revoked_office_stays_listed_with_its_reason(world):
    world.hub.enrolment.revoke(node(world.b), "laptop hilang")
    b = by_code(world)["36.04.06"]
    assert b.revoked_at is not None and b.revoked_reason == "laptop hilang"


def test_office_sees_sent_and_acknowledged_bundles(world):
    office = status(world.a)
    assert [b.status for b in office.sent_bundles()] == ["terkirim"]
    world.receipts(world.a)
    assert [b.status for b in office.sent_bundles()] == ["diakui"]
    assert office.offices()[0].role == "hub"


def test_epoch_state_and_clock_rules():
    state = EpochState("e", 10, ((15, 20), (22, 22)))
    assert state.gaps == ((11, 14), (21, 21))
    assert state.text == "1\u201310, 15\u201320, 22; belum diterima 11\u201314, 21"
    assert EpochState("e", 0, ((3, 4),)).gaps == ((1, 2),)
    assert EpochState("e", 0).text == "belum ada"
    now = 1_700_000_000_000
    assert clock_warning("X", (now + 4 * 60_000) << HLC_COUNTER_BITS, now) is None
    assert "6 menit" in clock_warning("X", (now + 6 * 60_000) << HLC_COUNTER_BITS, now)
    assert "2 hari" in clock_warning("X", (now + 49 * 3600_000) << HLC_COUNTER_BITS, now)
    assert clock_warning("X", 0, now) is None
