"""Beranda counts: cases and register entries with a PMKS type together, per type, desa and
bidang; program figures (KUBE, UEP, Sembako, RS-RTLH, disasters, SLRT, LK3) with their sums.
Rows are written straight into the tables so the expected numbers are exactly what is inserted."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from pmks_desktop.services.dashboard import DashboardService, GroupProgram
from pmks_desktop.services.errors import PermissionDenied
from pmks_desktop.storage.models import Person, PmksCase, RegisterEntry, RegisterMember, utc_now

DESA_A = "36.04.05.2001"
DESA_B = "36.04.05.2002"


def person(s, desa=DESA_A, sex="P") -> Person:
    row = Person(name="Warga", sex=sex, desa_code=desa)
    s.add(row)
    s.flush()
    return row


def case(s, type_code, bidang="rehsos", desa=DESA_A, status="baru", deleted=False) -> PmksCase:
    row = PmksCase(person_id=person(s, desa).id, type_code=type_code, bidang=bidang,
                   recorded_on=date(2024, 7, 1), status=status,
                   deleted_at=utc_now() if deleted else None)
    s.add(row)
    return row


def entry(s, register, *, desa=DESA_A, status=None, pmks_type=None, parent=None, members=0,
          deleted=False, **data) -> RegisterEntry:
    row = RegisterEntry(register_code=register, title=register, desa_code=desa, status=status,
                        pmks_type=pmks_type, parent_id=parent.id if parent else None,
                        recorded_on=date(2024, 7, 1), data=json.dumps(data),
                        deleted_at=utc_now() if deleted else None)
    s.add(row)
    s.flush()
    for _ in range(members):
        s.add(RegisterMember(entry_id=row.id, person_id=person(s, desa).id))
    return row


@pytest.fixture
def pmks_data(services):
    """3 live cases (+1 trashed) and 7 live register PMKS (+3 not counted)."""
    with services.db.write() as s:
        case(s, "23", status="baru")
        case(s, "23", desa=DESA_B, status="dalam_penanganan")
        case(s, "08", status="baru")
        case(s, "08", deleted=True)
        entry(s, "fakir_miskin", pmks_type="24", status="didata")
        entry(s, "fakir_miskin", pmks_type="24", desa=DESA_B, status="diverifikasi")
        entry(s, "fakir_miskin", pmks_type="24", deleted=True)
        flood = entry(s, "bencana", status="tanggap_darurat", kind="alam")
        riot = entry(s, "bencana", status="dilaporkan", kind="sosial")
        gone = entry(s, "bencana", deleted=True)
        entry(s, "korban_bencana", pmks_type="21", parent=flood, status="mengungsi")
        entry(s, "korban_bencana", pmks_type="21", parent=flood, status="luka_berat",
              desa=DESA_B)
        entry(s, "korban_bencana", pmks_type="22", parent=riot, status="mengungsi")
        entry(s, "korban_bencana", pmks_type="L1", parent=gone, status="mengungsi")  # trashed
        entry(s, "kat", pmks_type="26", desa=DESA_B, households=40, persons=150)
        entry(s, "korban_bencana", pmks_type="22", parent=riot, deleted=True)
    return services


def test_totals_count_cases_and_register_entries(pmks_data):
    totals = pmks_data.dashboard.totals()
    assert totals.persons == 4  # the case persons (a trashed case keeps its person)
    assert (totals.cases, totals.register_pmks, totals.pmks) == (3, 6, 9)
    assert totals.by_type == [("08", 1), ("21", 2), ("22", 1), ("23", 2), ("24", 2), ("26", 1)]
    assert dict(totals.by_bidang) == {"rehsos": 3, "fakir_miskin": 2, "linjamsos": 3,
                                      "dayasos": 1}
    per_desa = {code: n for code, _name, n in totals.by_desa}
    assert (per_desa[DESA_A], per_desa[DESA_B]) == (2 + 3, 1 + 3)
    assert sum(per_desa.values()) == totals.pmks
    assert dict(totals.by_status) == {"baru": 2, "dalam_penanganan": 1}  # cases only


def test_totals_with_or_without_a_given_catalogue_agree(pmks_data):
    given = DashboardService(pmks_data.db, pmks_data.session, pmks_data.catalogue)
    alone = DashboardService(pmks_data.db, pmks_data.session)  # reads the default file
    assert given.totals() == alone.totals()


def test_trashed_event_hides_its_victims_and_restoring_shows_them(pmks_data):
    with pmks_data.db.write() as s:
        gone = s.exec(select(RegisterEntry).where(
            RegisterEntry.register_code == "bencana",
            RegisterEntry.deleted_at != None)).one()  # noqa: E711
        gone.deleted_at = None
    totals = pmks_data.dashboard.totals()
    assert dict(totals.by_type)["L1"] == 1
    assert dict(totals.by_bidang)["linjamsos"] == 4


@pytest.fixture
def program_data(services):
    with services.db.write() as s:
        entry(s, "kube", status="disetujui", aid_value=20_000_000, members=3)
        kube = entry(s, "kube", status="diusulkan", aid_value=15_000_000, members=2)
        entry(s, "kube", status="ditolak", aid_value=20_000_000, members=1)
        entry(s, "kube", status="disalurkan", aid_value=20_000_000, members=10, deleted=True)
        # A member taken off the list is not counted.
        s.add(RegisterMember(entry_id=kube.id, person_id=person(s).id, deleted_at=utc_now()))
        entry(s, "uep", status="disalurkan", aid_per_person=3_500_000, members=5)
        entry(s, "uep", status="diusulkan", aid_per_person=3_000_000, members=4)
        for index, status in ((150_000, "aktif"), (150_000, "aktif"), (110_000, "aktif"),
                              (150_000, "nonaktif")):
            entry(s, "kpm", status=status, aid_index=index)
        entry(s, "kpm", status="aktif", aid_index=150_000, deleted=True)
        for eligible in (True, True, False):
            entry(s, "rtlh", status="divalidasi", _verdict={"eligible": eligible,
                                                            "reasons": []})
        entry(s, "rtlh", status="divalidasi")  # saved before verdicts existed
        flood = entry(s, "bencana", status="tanggap_darurat")
        gone = entry(s, "bencana", deleted=True)
        entry(s, "korban_bencana", pmks_type="21", parent=flood, status="meninggal")
        entry(s, "korban_bencana", pmks_type="21", parent=flood, status="mengungsi")
        entry(s, "korban_bencana", pmks_type="21", parent=gone, status="mengungsi")
        entry(s, "bantuan_bencana", parent=flood, item="Santunan", compensation=15_000_000)
        entry(s, "bantuan_bencana", parent=flood, item="Beras", quantity=50)
        entry(s, "bantuan_bencana", parent=gone, item="Santunan", compensation=5_000_000)
        for status in ("diajukan", "diajukan", "dirujuk"):
            entry(s, "slrt", status=status)
        entry(s, "slrt", status="selesai", deleted=True)
        entry(s, "lk3", status="baru", desa=None)
        entry(s, "lk3", status="selesai", desa=None)
        entry(s, "psks", kind="tksk")
    return services


def test_programs_figures_and_sums(program_data):
    p = program_data.dashboard.programs()
    assert p.kube == GroupProgram(groups=2, members=5, aid_total=35_000_000, rejected=1,
                                  by_status=[("disetujui", 1), ("ditolak", 1),
                                             ("diusulkan", 1)])
    assert (p.uep.groups, p.uep.members, p.uep.aid_total) == (2, 9, 29_500_000)
    assert (p.sembako.kpm, p.sembako.active, p.sembako.monthly_value) == (4, 3, 410_000)
    assert (p.rtlh.validated, p.rtlh.eligible, p.rtlh.not_eligible) == (4, 2, 1)
    d = p.disasters
    assert (d.events, d.victims, d.aid_deliveries, d.compensation_total) == (1, 2, 2, 15_000_000)
    assert d.victims_by_type == [("21", 2)]
    assert d.victims_by_status == [("mengungsi", 1), ("meninggal", 1)]
    assert p.slrt_by_status == [("diajukan", 2), ("dirujuk", 1)] and p.slrt == 3
    assert p.lk3 == 2 and p.lk3_by_status == [("baru", 1), ("selesai", 1)]
    assert p.entries["psks"] == 1 and p.entries["kube"] == 3 and "kegiatan" not in p.entries


def test_programs_on_an_empty_office_are_zero(services):
    p = services.dashboard.programs()
    assert p.kube == GroupProgram() and p.sembako.monthly_value == 0
    assert (p.rtlh.validated, p.disasters.events, p.slrt, p.lk3) == (0, 0, 0, 0)


def test_lk3_figures_are_aggregate_for_users_without_sensitive_permission(program_data):
    from pmks_desktop.services.users import NewUser

    program_data.users.create(NewUser("ani", "Ani", "operator", "kata-sandi-123", False))
    program_data.users.authenticate("ani", "kata-sandi-123")
    assert program_data.dashboard.programs().lk3 == 2


def test_signed_out_is_refused(services):
    services.users.sign_out()
    with pytest.raises(PermissionDenied):
        services.dashboard.totals()
    with pytest.raises(PermissionDenied):
        services.dashboard.programs()
