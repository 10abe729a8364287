"""What a recap sheet (rekapitulasi) is made of, as plain data: the services fill it in, the
renderers (recap_pdf.py, recap_xlsx.py) lay it out. Nothing here knows the database or Qt.

A sheet holds one or more tables. A table has label columns (the renderers add "No."), column
groups of number columns (a PMKS type spanning L / P / Jml), rows, and an optional totals row.
A *total group* ("JUMLAH" at the right) holds, per row, the sum of the same-key columns of every
other group; it is computed here once so the PDF and the xlsx formulas cannot disagree.

Recaps are aggregate only: labels are desa, types, statuses or items, never a person.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Sequence, Union

from pmks_desktop.domain.formatting import long_date
from pmks_desktop.reports.letter_model import Signature

Number = Union[int, float, None]
KINDS = ("int", "money", "decimal")
HASH_LENGTH = 10


@dataclass(frozen=True)
class Column:
    key: str                  # "L", "P", "Jml", "value"...: total groups sum equal keys
    label: str                # "L"; "" when the group's own label says it all
    kind: str = "int"         # int | money (whole rupiah) | decimal (quantities)
    summed: bool = True       # False: the totals row leaves it blank (mixed units)


@dataclass(frozen=True)
class ColumnGroup:
    label: str                # "01 Balita Terlantar", "Anggota", "JUMLAH"
    columns: tuple[Column, ...]
    code: str = ""            # the PMKS type code, when the group is one type
    total: bool = False       # each column is the row's sum of that key over the other groups

    @property
    def single(self) -> bool:
        """One column without a label of its own: its header spans both header rows."""
        return len(self.columns) == 1 and not self.columns[0].label


@dataclass(frozen=True)
class RecapRow:
    labels: tuple[str, ...]
    values: tuple[Number, ...]  # one per leaf column, total groups included


@dataclass(frozen=True)
class RecapTable:
    label_headers: tuple[str, ...]            # ("Desa",): the "No." column is added by renderers
    groups: tuple[ColumnGroup, ...]
    rows: tuple[RecapRow, ...]
    totals: tuple[Number, ...] | None = None  # None: no totals row
    heading: str = ""                         # "A. Korban menurut status" above the table
    total_label: str = "JUMLAH"

    def leaves(self) -> list[tuple[int, Column]]:
        """(group index, column) for every number column, left to right."""
        return [(g, column) for g, group in enumerate(self.groups) for column in group.columns]

    def leaf_slices(self) -> list[slice]:
        """Where each group's columns sit among the leaves."""
        slices, start = [], 0
        for group in self.groups:
            slices.append(slice(start, start + len(group.columns)))
            start += len(group.columns)
        return slices


@dataclass(frozen=True)
class RecapSheet:
    kind: str                                 # pmks | bidang | program | bencana | bulanan
    title_lines: tuple[str, ...]              # capitals, centred
    period_label: str                         # "BULAN JULI TAHUN 2024", the last title line
    tables: tuple[RecapTable, ...]
    extracted_at: datetime                    # aware: when the data was read
    data_hash: str                            # short sha256 of labels and numbers (see below)
    info_lines: tuple[str, ...] = ()          # under the title, normal weight
    notes: tuple[str, ...] = ()               # "Catatan:" list under the tables
    legend: tuple[tuple[str, str], ...] = ()  # (code, full name) of the types shown
    place_date: str = ""                      # "Kramatwatu, 28 November 2026"
    signatures: tuple[Signature, ...] = ()    # left ("Mengetahui, CAMAT ...") then right
    file_stem: str = "rekap"                  # a suggested file name without suffix

    @property
    def title(self) -> str:
        return " ".join(self.title_lines + (self.period_label,))


def build_table(label_headers: Sequence[str], groups: Sequence[ColumnGroup],
                rows: Sequence[tuple[Sequence[str], Sequence[Number]]], *,
                totals: bool = True, heading: str = "", total_label: str = "JUMLAH"
                ) -> RecapTable:
    """A table from rows carrying values for the non-total groups only; total groups and the
    totals row are computed."""
    groups = tuple(groups)
    data_leaves = [c for g in groups if not g.total for c in g.columns]
    full_rows = []
    for labels, values in rows:
        values = tuple(values)
        if len(values) != len(data_leaves):
            raise ValueError(f"row {labels!r}: {len(values)} values for {len(data_leaves)} "
                             "columns")
        full_rows.append(RecapRow(tuple(labels), _with_total_groups(groups, values)))
    table = RecapTable(tuple(label_headers), groups, tuple(full_rows), None, heading,
                       total_label)
    return replace(table, totals=column_totals(table)) if totals else table


def _with_total_groups(groups: tuple[ColumnGroup, ...], values: tuple) -> tuple:
    by_key: dict[str, Number] = {}
    position = 0
    for group in groups:
        if group.total:
            continue
        for column in group.columns:
            by_key[column.key] = _add(by_key.get(column.key), values[position])
            position += 1
    out, position = [], 0
    for group in groups:
        for column in group.columns:
            if group.total:
                out.append(by_key.get(column.key) or 0)
            else:
                out.append(values[position])
                position += 1
    return tuple(out)


def column_totals(table: RecapTable) -> tuple[Number, ...]:
    out = []
    for index, (_g, column) in enumerate(table.leaves()):
        if not column.summed:
            out.append(None)
            continue
        total: Number = 0
        for row in table.rows:
            total = _add(total, row.values[index])
        out.append(total)
    return tuple(out)


def _add(a: Number, b: Number) -> Number:
    if b is None:
        return a
    if a is None:
        return b
    total = a + b
    # Quantities like 2,5 kg: keep float sums free of binary noise (0.1 + 0.2).
    return round(total, 6) if isinstance(total, float) else total


def data_hash(title_lines: Sequence[str], period_label: str, tables: Sequence[RecapTable],
              info_lines: Sequence[str] = (), notes: Sequence[str] = ()) -> str:
    """First HASH_LENGTH hex digits of sha256 over the canonical JSON of what the sheet says
    (titles, labels, numbers, and the notes, which carry counts of their own). The time of
    extraction and the signatures are left out: the same data printed twice carries the same
    fingerprint, and a changed number changes it."""
    content = {
        "title": list(title_lines), "period": period_label, "info": list(info_lines),
        "notes": list(notes),
        "tables": [{
            "heading": t.heading, "labels": list(t.label_headers),
            "groups": [[g.code, g.label, [[c.key, c.label] for c in g.columns]]
                       for g in t.groups],
            "rows": [[list(r.labels), [_canonical(v) for v in r.values]] for r in t.rows],
            "totals": None if t.totals is None else [_canonical(v) for v in t.totals],
        } for t in tables],
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def _canonical(value: Number):
    # 3 and 3.0 are the same figure on paper: hash them alike.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def make_sheet(*, kind: str, title_lines: Sequence[str], period_label: str,
               tables: Sequence[RecapTable], extracted_at: datetime, **extra) -> RecapSheet:
    """A sheet with its data hash filled in."""
    info = tuple(extra.pop("info_lines", ()))
    notes = tuple(extra.pop("notes", ()))
    digest = data_hash(title_lines, period_label, tables, info, notes)
    return RecapSheet(kind=kind, title_lines=tuple(title_lines), period_label=period_label,
                      tables=tuple(tables), extracted_at=extracted_at, data_hash=digest,
                      info_lines=info, notes=notes, **extra)


# ------------------------------------------------------------------ printed identically by both


def footer_text(sheet: RecapSheet) -> str:
    return f"Diambil: {extracted_text(sheet.extracted_at)} · Sidik data: {sheet.data_hash}"


def extracted_text(moment: datetime) -> str:
    """`28 November 2026 14.05 WIB`: local time, Indonesian time separator and zone name."""
    local = moment.astimezone()
    return f"{long_date(local)} {local:%H.%M} {_zone_name(local)}"


def _zone_name(moment: datetime) -> str:
    offset = moment.utcoffset()
    hours = offset.total_seconds() / 3600 if offset is not None else 0
    names = {7: "WIB", 8: "WITA", 9: "WIT", 0: "UTC"}
    if hours in names:
        return names[hours]
    return f"UTC{hours:+g}"


def nip_text(nip: str) -> str:
    """`19700101 199003 1 005`: birth date, appointment month, sex, serial."""
    digits = "".join(ch for ch in nip if ch.isdigit())
    if len(digits) != 18:
        return nip
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


__all__ = ["Column", "ColumnGroup", "RecapRow", "RecapTable", "RecapSheet", "Signature",
           "build_table", "column_totals", "data_hash", "make_sheet", "footer_text",
           "extracted_text", "nip_text"]
