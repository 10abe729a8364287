"""Recap tables from aggregate query rows (services/recap_queries.py): pure functions, no
database, so each figure's arithmetic is readable in one place.

Every table with desa rows has one row per desa of the office, in code order (the order of
the Kepmendagri list), zeros included; records whose desa is empty or outside the list get an
extra last row so the totals always equal the database counts.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from pmks_desktop.domain.catalogue import Catalogue
from pmks_desktop.domain.forms import FieldSpec
from pmks_desktop.reports.recap_model import Column, ColumnGroup, RecapTable, build_table
from pmks_desktop.services.recap_queries import PmksCount, RowDimension

SEXES = ("L", "P")
LPJ = (Column("L", "L"), Column("P", "P"), Column("Jml", "Jml"))
REJECTED = "ditolak"   # as in services/dashboard.py: a rejected proposal is not a group
DELIVERED = "disalurkan"
ACTIVE = "aktif"


def single(label: str, key: str, kind: str = "int", summed: bool = True) -> ColumnGroup:
    return ColumnGroup(label, (Column(key, "", kind, summed),))


def dimension_rows(dim: RowDimension, cells: dict, width: int) -> list[tuple]:
    """(labels, values) per row member, plus the "other" row when records fall outside."""
    known = {code for code, _name in dim.members}
    rows = [((name,), list(cells.get(code, [0] * width))) for code, name in dim.members]
    other = [0] * width
    for key, values in cells.items():
        if key not in known:
            other = [a + b for a, b in zip(other, values)]
    if any(other):
        rows.append(((dim.other_label,), other))
    return rows


# ------------------------------------------------------------------ PMKS matrix


def type_group(catalogue: Catalogue, code: str) -> ColumnGroup:
    known = {t.code: t for t in catalogue.types}
    name = known[code].short_name if code in known else "Jenis tidak dikenal"
    return ColumnGroup(f"{code} {name}", LPJ, code=code)


def pmks_cells(counts: Iterable[PmksCount], types: list[str]) -> dict[str, list[int]]:
    """Row key -> [L, P, Jml] per type in `types` order. A record without a sex counts in
    Jml only."""
    position = {code: i for i, code in enumerate(types)}
    cells: dict[str, list[int]] = defaultdict(lambda: [0] * (3 * len(types)))
    for count in counts:
        base = 3 * position[count.type_code]
        row = cells[count.row]
        if count.sex in SEXES:
            row[base + SEXES.index(count.sex)] += count.count
        row[base + 2] += count.count
    return cells


def pmks_table(dim: RowDimension, catalogue: Catalogue, counts: list[PmksCount],
               types: list[str], heading: str = "") -> RecapTable:
    groups = [type_group(catalogue, code) for code in types]
    groups.append(ColumnGroup("JUMLAH", LPJ, total=True))
    cells = pmks_cells(counts, types)
    return build_table((dim.heading,), groups, dimension_rows(dim, cells, 3 * len(types)),
                       heading=heading)


# ------------------------------------------------------------------ programs


def group_program_table(dim: RowDimension, code: str, groups_rows: list[tuple],
                        member_rows: list[tuple]) -> tuple[RecapTable, int]:
    """KUBE or UEP per desa: groups (not yet delivered / delivered), members L/P, aid value.
    Returns the table and the number of rejected proposals left out."""
    cells: dict[str, list[int]] = defaultdict(lambda: [0] * 7)
    rejected = 0
    for row_key, status, n, aid_value in groups_rows:
        if status == REJECTED:
            rejected += n
            continue
        row = cells[row_key]
        row[1 if status == DELIVERED else 0] += n
        row[2] += n
        if code == "kube":
            row[6] += aid_value or 0
    for row_key, status, sex, n, aid_sum in member_rows:
        if status == REJECTED:
            continue
        row = cells[row_key]
        if sex in SEXES:
            row[3 + SEXES.index(sex)] += n
        row[5] += n
        if code == "uep":
            row[6] += aid_sum or 0  # the per-person value, once for each member
    groups = [ColumnGroup("Kelompok", (Column("open", "Belum Disalurkan"),
                                       Column("delivered", "Disalurkan"), Column("n", "Jml"))),
              ColumnGroup("Anggota", LPJ), single("Nilai Bantuan (Rp)", "aid", "money")]
    return build_table((dim.heading,), groups, dimension_rows(dim, cells, 7)), rejected


def kpm_table(dim: RowDimension, kpm_rows: list[tuple]) -> RecapTable:
    cells: dict[str, list[int]] = defaultdict(lambda: [0] * 5)
    for row_key, status, n, index_sum, pkh in kpm_rows:
        row = cells[row_key]
        row[0 if status == ACTIVE else 1] += n
        row[2] += n
        if status == ACTIVE:
            row[3] += pkh or 0
            row[4] += index_sum or 0
    groups = [ColumnGroup("KPM", (Column("active", "Aktif"), Column("inactive", "Tidak Aktif"),
                                  Column("n", "Jml"))),
              single("Peserta PKH (KPM Aktif)", "pkh"),
              single("Nilai Bantuan per Bulan (Rp)", "value", "money")]
    return build_table((dim.heading,), groups, dimension_rows(dim, cells, 5))


def rtlh_table(dim: RowDimension, rtlh_rows: list[tuple]) -> RecapTable:
    cells: dict[str, list[int]] = defaultdict(lambda: [0] * 4)
    for row_key, eligible, n in rtlh_rows:
        row = cells[row_key]
        row[0 if eligible == 1 else 1 if eligible == 0 else 2] += n
        row[3] += n
    groups = [ColumnGroup("Hasil Validasi Rumah", (
        Column("eligible", "Layak"), Column("not_eligible", "Tidak Layak"),
        Column("unknown", "Belum Dinilai"), Column("n", "Jml")))]
    return build_table((dim.heading,), groups, dimension_rows(dim, cells, 4))


# ------------------------------------------------------------------ monthly report


def monthly_aid_table(dim: RowDimension, within: list[tuple], kpm_rows: list[tuple],
                      heading: str) -> RecapTable:
    """Per desa: new KUBE / UEP proposals, RS-RTLH validations, active Sembako KPM and their
    monthly value, disaster aid handed over and its money."""
    cells: dict[str, list[int]] = defaultdict(lambda: [0] * 7)
    slot = {"kube": 0, "uep": 1, "rtlh": 2}
    for register, row_key, n, compensation in within:
        row = cells[row_key]
        if register == "bantuan_bencana":
            row[5] += n
            row[6] += compensation or 0
        else:
            row[slot[register]] += n
    for row_key, status, n, index_sum, _pkh in kpm_rows:
        if status == ACTIVE:
            cells[row_key][3] += n
            cells[row_key][4] += index_sum or 0
    groups = [single("Usulan KUBE Baru", "kube"), single("Usulan UEP Baru", "uep"),
              single("Rumah Divalidasi RS-RTLH", "rtlh"),
              ColumnGroup("Program Sembako", (Column("kpm", "KPM Aktif"),
                                              Column("value", "Nilai (Rp)", "money"))),
              ColumnGroup("Bantuan Bencana Diserahkan", (
                  Column("aid", "Penyerahan"), Column("money", "Santunan (Rp)", "money")))]
    return build_table((dim.heading,), groups, dimension_rows(dim, cells, 7), heading=heading)


# ------------------------------------------------------------------ one disaster event


def victim_status_table(status_field: FieldSpec, victims: list[tuple]) -> RecapTable:
    """Victims per status (the form's choices, in its order) by sex, and the persons they
    stand for (a victim recorded per KK counts its household size)."""
    cells: dict[str, list[int]] = defaultdict(lambda: [0] * 4)
    for status, sex, n, persons in victims:
        row = cells[status]
        if sex in SEXES:
            row[SEXES.index(sex)] += n
        row[2] += n
        row[3] += int(persons or 0)
    groups = [ColumnGroup("Korban (orang / KK)", LPJ), single("Jiwa", "persons")]
    return build_table(("Status korban",), groups,
                       _choice_rows(status_field, cells, 4), heading="A. Korban menurut status")


def choice_count_table(spec: FieldSpec, counts: list[tuple], heading: str,
                       totals: bool, victims: int | None = None) -> RecapTable:
    """Victims per choice of one field; without totals when a victim may tick several. With
    `victims` (a one-choice field) those who left it empty get a row, so the total is every
    victim."""
    cells: dict = {value: [n] for value, n in counts}
    missing = (victims or 0) - sum(n for _v, n in counts)
    if missing > 0:
        cells[None] = [missing]
    return build_table((spec.label,), [single("Jumlah Korban", "n")],
                       _choice_rows(spec, cells, 1), totals=totals, heading=heading)


def _choice_rows(spec: FieldSpec, cells: dict, width: int) -> list[tuple]:
    known = [c.value for c in spec.choices]
    rows = [((c.label,), list(cells.get(c.value, [0] * width))) for c in spec.choices]
    for value in sorted(k for k in cells if k not in known and k is not None):
        rows.append(((str(value),), list(cells[value])))  # typed "other" values
    if None in cells:
        rows.append((("Tidak diisi",), list(cells[None])))
    return rows


def aid_table(source_field: FieldSpec, aid: list[tuple]) -> RecapTable:
    rows = [((item or "-", unit or "-", source_field.choice_label(source or "")),
             [quantity, deliveries, compensation or 0])
            for item, unit, source, quantity, deliveries, compensation in aid]
    groups = [single("Jumlah", "quantity", "decimal", summed=False),
              single("Penyerahan", "deliveries"), single("Santunan (Rp)", "money", "money")]
    return build_table(("Barang / jenis bantuan", "Satuan", "Sumber"), groups, rows,
                       heading="D. Bantuan yang diserahkan")
