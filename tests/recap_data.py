"""Known records for the recap tests, written straight into the tables (as test_dashboard.py
does) so every expected figure is exactly what is inserted. Period of interest: July 2024."""
from __future__ import annotations

import itertools
import json
from datetime import date

from pmks_desktop.storage.models import (Household, Person, PmksCase, RegisterEntry,
                                         RegisterMember, utc_now)

DESA_A = "36.04.05.2001"   # Kramatwatu
DESA_B = "36.04.05.2002"   # Margasana
OUTSIDE = "36.04.05.9999"  # not in the office's desa list
JULY = date(2024, 7, 10)
_serial = itertools.count(1)


def nik(sex: str) -> str:
    """A 16-digit NIK-shaped number: the PDF tests check that none is ever printed."""
    day = 12 + (40 if sex == "P" else 0)
    return f"360405{day:02d}0780{next(_serial):04d}"


def person(s, desa=DESA_A, sex="P") -> Person:
    row = Person(name=f"Warga {sex}", sex=sex, desa_code=desa, nik=nik(sex))
    s.add(row)
    s.flush()
    return row


def household(s, desa=DESA_A, head_sex="L") -> Household:
    head = person(s, desa, head_sex)
    row = Household(no_kk=nik("L"), head_person_id=head.id, desa_code=desa)
    s.add(row)
    s.flush()
    return row


def case(s, type_code, sex, desa=DESA_A, on=JULY, status="baru", deleted=False,
         bidang="rehsos") -> PmksCase:
    row = PmksCase(person_id=person(s, desa, sex).id, type_code=type_code, bidang=bidang,
                   recorded_on=on, status=status, deleted_at=utc_now() if deleted else None)
    s.add(row)
    return row


def entry(s, register, *, desa=DESA_A, on=JULY, status=None, pmks_type=None, parent=None,
          person_row=None, household_row=None, members=(), deleted=False,
          **data) -> RegisterEntry:
    row = RegisterEntry(register_code=register, title=data.get("name", register),
                        desa_code=desa, status=status, pmks_type=pmks_type,
                        parent_id=parent.id if parent else None,
                        person_id=person_row.id if person_row else None,
                        household_id=household_row.id if household_row else None,
                        recorded_on=on, data=json.dumps(data),
                        deleted_at=utc_now() if deleted else None)
    s.add(row)
    s.flush()
    for sex in members:
        s.add(RegisterMember(entry_id=row.id, person_id=person(s, desa, sex).id))
    return row


def pmks_records(s) -> dict:
    """July 2024, expected per (desa, type): (L, P, Jml). Returns the event ids."""
    case(s, "23", "P", DESA_A)                                   # A 23 P
    case(s, "23", "P", DESA_B, on=date(2024, 6, 15), status="selesai")  # B 23 P (closed)
    case(s, "08", "L", DESA_A, on=date(2024, 7, 31))             # A 08 L: the last day counts
    case(s, "08", "L", DESA_A, on=date(2024, 8, 1))              # August: not in July
    case(s, "08", "P", DESA_B, deleted=True)                     # trash: never
    case(s, "16", "L", DESA_B, on=date(2024, 5, 2))              # B 16 L (sensitive type)
    case(s, "02", "L", OUTSIDE, on=date(2024, 7, 2))             # outside the desa list
    entry(s, "fakir_miskin", pmks_type="24", status="didata",
          household_row=household(s, DESA_A, "L"))               # A 24 L (head)
    entry(s, "fakir_miskin", pmks_type="24", desa=DESA_B, status="diverifikasi",
          household_row=household(s, DESA_B, "P"))               # B 24 P (head)
    entry(s, "fakir_miskin", pmks_type="24", deleted=True)
    flood = entry(s, "bencana", status="tanggap_darurat", name="Banjir Kampung Pabuaran",
                  kind="alam", sub_kind="banjir", rt="002", rw="005", on=date(2024, 7, 5))
    gone = entry(s, "bencana", deleted=True)
    entry(s, "korban_bencana", pmks_type="21", parent=flood, status="mengungsi",
          person_row=person(s, DESA_A, "P"), vulnerable=["lansia"], house_damage="berat")
    entry(s, "korban_bencana", pmks_type="21", parent=flood, status="luka_berat",
          desa=DESA_B, household_size=4, vulnerable=["balita", "lansia"])  # name only
    entry(s, "korban_bencana", pmks_type="L1", parent=gone, status="mengungsi")
    entry(s, "kat", pmks_type="26", desa=DESA_B, households=40, persons=150)  # no sex
    entry(s, "bantuan_bencana", parent=flood, item="Beras", unit="kg", quantity=50,
          source="dinsos", on=date(2024, 7, 6))
    entry(s, "bantuan_bencana", parent=flood, item=" beras ", unit="KG", quantity=25.5,
          source="dinsos", on=date(2024, 7, 8))
    entry(s, "bantuan_bencana", parent=flood, item="Santunan ahli waris", unit="paket",
          quantity=1, source="kemensos", compensation=15_000_000, on=date(2024, 8, 2))
    return {"flood": flood.id, "gone": gone.id}


EXPECTED_JULY = {  # (desa, type) -> (L, P, Jml)
    (DESA_A, "23"): (0, 1, 1), (DESA_A, "08"): (1, 0, 1), (DESA_A, "24"): (1, 0, 1),
    (DESA_A, "21"): (0, 1, 1),
    (DESA_B, "23"): (0, 1, 1), (DESA_B, "16"): (1, 0, 1), (DESA_B, "24"): (0, 1, 1),
    (DESA_B, "21"): (0, 0, 1), (DESA_B, "26"): (0, 0, 1),
    (OUTSIDE, "02"): (1, 0, 1),
}


def program_records(s) -> None:
    """KUBE, UEP, KPM and RS-RTLH in desa A and B, dated before the end of July 2024."""
    entry(s, "kube", status="disalurkan", aid_value=20_000_000, members="LLLPP")
    entry(s, "kube", status="diusulkan", aid_value=15_000_000, members="PP", desa=DESA_B)
    entry(s, "kube", status="ditolak", aid_value=20_000_000, members="L")
    entry(s, "kube", status="disalurkan", aid_value=20_000_000, members="L", deleted=True)
    entry(s, "kube", status="diusulkan", aid_value=9_000_000, on=date(2024, 8, 1))
    entry(s, "uep", status="disalurkan", aid_per_person=3_500_000, members="PPPPP")
    entry(s, "uep", status="diusulkan", aid_per_person=3_000_000, members="PPPP", desa=DESA_B)
    for index, status, desa, pkh in ((150_000, "aktif", DESA_A, True),
                                     (150_000, "aktif", DESA_A, False),
                                     (110_000, "aktif", DESA_B, True),
                                     (150_000, "nonaktif", DESA_B, True)):
        entry(s, "kpm", status=status, aid_index=index, desa=desa, pkh=pkh)
    entry(s, "kpm", status="aktif", aid_index=150_000, deleted=True)
    for eligible, desa in ((True, DESA_A), (True, DESA_B), (False, DESA_B)):
        entry(s, "rtlh", status="divalidasi", desa=desa,
              _verdict={"eligible": eligible, "reasons": []})
    entry(s, "rtlh", status="divalidasi", desa=DESA_A)  # saved before verdicts existed
