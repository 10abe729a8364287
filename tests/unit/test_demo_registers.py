"""`pmks demo` fills every register and program through the services, with valid records."""
from __future__ import annotations

import contextlib
import io
import sqlite3
from collections import Counter, defaultdict

import pytest
from sqlmodel import select

from pmks_desktop import cli
from pmks_desktop.domain.case_rules import age_in_years

from conftest import REGIONS_CSV

PERSONS = 400


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo office for the whole module: (data folder, stdout of `pmks demo`)."""
    folder = tmp_path_factory.mktemp("demo")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["--data-dir", str(folder), "demo", "--persons", str(PERSONS),
                         "--regions-csv", str(REGIONS_CSV)])
    assert code == 0
    return folder, out.getvalue()


@pytest.fixture(scope="module")
def app(demo, catalogue):
    from pmks_desktop.paths import DataPaths
    from pmks_desktop.services.container import build_services
    from pmks_desktop.storage.database import open_database

    database = open_database(DataPaths(demo[0]))
    services = build_services(database, catalogue)
    services.users.authenticate("admin", "demo-admin-123")
    yield services
    database.close()


def _entries(app, register: str):
    from pmks_desktop.storage.models import RegisterEntry

    with app.db.read() as s:
        return s.exec(select(RegisterEntry).where(RegisterEntry.register_code == register,
                                                  RegisterEntry.deleted_at == None)  # noqa
                      ).all()


def _members(app, entry_id: str):
    from pmks_desktop.storage.models import Person, RegisterMember

    with app.db.read() as s:
        return s.exec(select(RegisterMember, Person).join(
            Person, Person.id == RegisterMember.person_id).where(
            RegisterMember.entry_id == entry_id, RegisterMember.deleted_at == None)).all()  # noqa


def _values(app, entry):
    from pmks_desktop.services.registers import decode_values

    return decode_values(app.registers.form(entry.register_code), entry.data)


def test_output_keeps_the_login_lines_and_lists_counts(demo):
    out = demo[1]
    assert "admin / demo-admin-123" in out and "operator / demo-operator-123" in out
    for label in ("Keluarga (KK):", "KUBE:", "UEP:", "KPM Sembako:", "RS-RTLH:", "SLRT:",
                  "Kejadian bencana:", "Korban bencana:", "PSKS:", "KAT:"):
        assert label in out, label
    assert "kelompok" in out


def test_every_register_has_live_entries(app):
    empty = [code for code in app.forms if not _entries(app, code)]
    assert empty == []


def test_every_entry_revalidates_without_errors(app):
    from pmks_desktop.services.registers import MemberInput

    for code in app.forms:
        for entry in _entries(app, code):
            members = [MemberInput(m.person_id, m.role) for m, _p in _members(app, entry.id)]
            checked = app.registers.check(code, _values(app, entry), members,
                                          parent_id=entry.parent_id)
            assert not checked.errors, (code, entry.title, checked.errors)


def test_kube_groups_have_the_configured_size_roles_and_aid(app):
    size = int(app.settings.get("kube.group_size_min"))
    for entry in _entries(app, "kube"):
        members = _members(app, entry.id)
        assert len(members) == size
        roles = Counter(m.role for m, _p in members)
        assert roles["ketua"] == roles["sekretaris"] == roles["bendahara"] == 1
        values = _values(app, entry)
        total = sum(row["quantity"] * row.get("unit_price", 0) for row in values["aid_items"])
        assert total == values["aid_value"]


def test_uep_members_are_prse_women(app):
    size = int(app.settings.get("uep.group_size_min"))
    for entry in _entries(app, "uep"):
        values = _values(app, entry)
        members = _members(app, entry.id)
        assert len(members) == size
        for _member, person in members:
            assert person.sex == "P"
            assert 18 <= age_in_years(person.birth_date, values["proposed_on"]) <= 59
        total = sum(row["quantity"] * row.get("unit_price", 0) for row in values["aid_items"])
        assert total == values["aid_per_person"]


def test_victims_match_their_event_kind(app):
    wanted = {"alam": "21", "sosial": "22", "non_alam": "L1"}
    events = {e.id: _values(app, e)["kind"] for e in _entries(app, "bencana")}
    assert 3 <= len(events) <= 6 and set(events.values()) == set(wanted)
    victims = _entries(app, "korban_bencana")
    assert {v.parent_id for v in victims} == set(events)
    for victim in victims:
        assert victim.pmks_type == wanted[events[victim.parent_id]]
        assert _values(app, victim)["pmks_type"] == victim.pmks_type
    assert any(v.household_id for v in victims) and any(v.person_id for v in victims)
    aid = _entries(app, "bantuan_bencana")
    assert aid and all(a.parent_id in events for a in aid)


def test_households_are_plausible_families(app):
    from pmks_desktop.storage.models import Household, HouseholdMember, Person

    with app.db.read() as s:
        rows = s.exec(select(HouseholdMember, Person, Household).join(
            Person, Person.id == HouseholdMember.person_id).join(
            Household, Household.id == HouseholdMember.household_id)).all()
    families = defaultdict(list)
    for member, person, household in rows:
        families[household.id].append((member.relation, person, household))
    assert len(families) >= PERSONS // 8
    seen = Counter(person.id for _rel, person, _h in (r for f in families.values() for r in f))
    assert max(seen.values()) == 1  # nobody is in two families
    for members in families.values():
        household = members[0][2]
        heads = [p for rel, p, _h in members if rel == "kepala"]
        assert len(heads) == 1 and household.head_person_id == heads[0].id
        head = heads[0]
        assert all(p.desa_code == household.desa_code for _rel, p, _h in members)
        spouses = [p for rel, p, _h in members if rel in ("istri", "suami")]
        assert all(p.sex != head.sex for p in spouses)
        parents = [head] + spouses
        for rel, person, _h in members:
            if rel == "anak":
                assert all(person.birth_date > parent.birth_date for parent in parents)
            if rel == "orang_tua":
                assert person.birth_date < head.birth_date


def test_programs_show_the_range_an_office_sees(app):
    slrt = {_values(app, e)["status"] for e in _entries(app, "slrt")}
    assert slrt == {"diajukan", "diverifikasi", "direkomendasikan", "ditolak", "dirujuk",
                    "selesai"}
    verdicts = {_values(app, e)["_verdict"]["eligible"] for e in _entries(app, "rtlh")}
    assert verdicts == {True, False}
    kpm = [_values(app, e) for e in _entries(app, "kpm")]
    assert all(len(v["kks_number"]) == 16 for v in kpm)
    assert len({v["kks_number"] for v in kpm}) == len(kpm)
    assert Counter(v["membership_status"] for v in kpm).most_common(1)[0][0] == "aktif"
    assert len({_values(app, e)["kind"] for e in _entries(app, "psks")}) >= 5
    assert 1 <= len(_entries(app, "kat")) <= 2
    assert any(_members(app, e.id) for e in _entries(app, "kegiatan"))


def test_audit_trail_and_change_log_hold(demo, app):
    code = cli.main(["--data-dir", str(demo[0]), "audit-verify"])
    assert code == 0
    with sqlite3.connect(demo[0] / "pmks.sqlite") as conn:
        count, top = conn.execute("SELECT count(*), max(seq) FROM change_log").fetchone()
        tables = {r[0] for r in conn.execute("SELECT DISTINCT table_name FROM change_log")}
        entries = conn.execute("SELECT count(*) FROM register_entry").fetchone()[0]
        created = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'create' AND "
                               "username = 'admin'").fetchone()[0]
        households = conn.execute("SELECT count(*) FROM household").fetchone()[0]
        unrecorded = conn.execute(
            "SELECT count(*) FROM register_entry e WHERE NOT EXISTS (SELECT 1 FROM change_log "
            "c WHERE c.table_name = 'register_entry' AND c.row_id = e.id)").fetchone()[0]
    assert count == top
    assert {"household", "household_member", "register_entry", "register_member"} <= tables
    assert unrecorded == 0
    assert created == entries + households  # each record audited as typed by the admin
