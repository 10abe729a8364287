"""The aggregate queries behind the recap sheets: each groups inside SQLite and returns at most a
few thousand rows (rows x types x sex), so 100,000 records never pass through Python.

They follow the Beranda's conventions (services/dashboard.py) so both show the same figures:
- a PMKS is a live case (pmks_case) or a live register entry with a `pmks_type` (fakir miskin
  households 24, disaster victims 21/22/L1, KAT 26); a victim of a trashed event is not counted;
- a case's desa is its person's desa; an entry's desa is the entry's own desa field;
- KUBE/UEP proposals with status "ditolak" are not groups of the program; UEP aid is the
  per-person value times the members; Sembako's monthly value is the index of active KPM;
- RS-RTLH eligibility is the verdict stored with the entry (`_verdict.eligible`).

Rows are keyed by a prefix of the desa code: the whole code (13 characters) for desa rows at a
kecamatan, the first 8 ("36.04.05") for kecamatan rows at the Dinas Sosial.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import text

from pmks_desktop.domain.formatting import month_name
from pmks_desktop.services.errors import ServiceError

DESA_KEY, KECAMATAN_KEY = 13, 8
CLOSED = "selesai"
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class Period:
    """A calendar month. Recaps show the state at its last day; the monthly report what
    happened within it."""

    year: int
    month: int

    @classmethod
    def parse(cls, value: str) -> "Period":
        match = _MONTH.match((value or "").strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
            raise ServiceError(f"Bulan '{value}' tidak dikenali. Tulis tahun-bulan, "
                               "misalnya 2024-07.")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> "Period":
        return cls(day.year, day.month)

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def label(self) -> str:
        return f"BULAN {month_name(self.month).upper()} TAHUN {self.year}"

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class RowDimension:
    """What a recap's rows are: the office's desa now, kecamatan at the hub later."""

    heading: str                           # "Desa" / "Kecamatan"
    members: tuple[tuple[str, str], ...]   # (code, name) in print order
    key_length: int                        # how much of a desa code names the row
    other_label: str = "Tanpa desa / di luar daftar"


# A case's person gives desa and sex. CROSS JOIN keeps SQLite on the person-first plan that
# services/dashboard.py measured 3x faster at 100,000 cases.
_CASES = """
SELECT substr(person.desa_code, 1, :key) AS row_key, pmks_case.type_code, person.sex,
       pmks_case.bidang, count(*), sum(pmks_case.status = :closed)
FROM person CROSS JOIN pmks_case ON pmks_case.person_id = person.id
WHERE pmks_case.deleted_at IS NULL AND pmks_case.recorded_on BETWEEN :start AND :end
GROUP BY 1, 2, 3, 4"""

# An entry's sex is its person's, else its household head's; a community (KAT) or a victim
# recorded by name only has none.
_ENTRIES = """
SELECT substr(e.desa_code, 1, :key) AS row_key, e.pmks_type, coalesce(p.sex, head.sex),
       NULL, count(*), 0
FROM register_entry e
LEFT JOIN register_entry parent ON parent.id = e.parent_id
LEFT JOIN person p ON p.id = e.person_id
LEFT JOIN household h ON h.id = e.household_id
LEFT JOIN person head ON head.id = h.head_person_id
WHERE e.pmks_type IS NOT NULL AND e.deleted_at IS NULL AND parent.deleted_at IS NULL
  AND e.recorded_on BETWEEN :start AND :end
GROUP BY 1, 2, 3"""


def _rows(conn, sql: str, **params) -> list[tuple]:
    return [tuple(r) for r in conn.execute(text(sql), params).all()]


def _span(start: date | None, end: date) -> dict:
    # Dates are stored as ISO text, so string bounds compare correctly.
    return {"start": (start or date(1, 1, 1)).isoformat(), "end": end.isoformat()}


class PmksCount(NamedTuple):
    row: str | None          # the row key (a desa code, or its prefix)
    type_code: str
    sex: str | None          # None: a community, or a victim known by name only
    bidang: str | None       # a case's own bidang; None for a register entry
    count: int
    closed: int              # cases with status "selesai" among them


def pmks_counts(conn, key: int, end: date, start: date | None = None) -> list[PmksCount]:
    """PMKS recorded within [start, end], grouped by row, type, sex (and a case's bidang)."""
    span = _span(start, end)
    rows = (_rows(conn, _CASES, key=key, closed=CLOSED, **span)
            + _rows(conn, _ENTRIES, key=key, **span))
    return [PmksCount(*row) for row in rows]


_GROUPS = """
SELECT substr(e.desa_code, 1, :key), e.status, count(*),
       sum(CAST(json_extract(e.data, '$.aid_value') AS INTEGER))
FROM register_entry e
WHERE e.register_code = :code AND e.deleted_at IS NULL AND e.recorded_on BETWEEN :start AND :end
GROUP BY 1, 2"""

_MEMBERS = """
SELECT substr(e.desa_code, 1, :key), e.status, p.sex, count(*),
       sum(CAST(json_extract(e.data, '$.aid_per_person') AS INTEGER))
FROM register_entry e
JOIN register_member m ON m.entry_id = e.id AND m.deleted_at IS NULL
LEFT JOIN person p ON p.id = m.person_id
WHERE e.register_code = :code AND e.deleted_at IS NULL AND e.recorded_on BETWEEN :start AND :end
GROUP BY 1, 2, 3"""


def group_program(conn, code: str, key: int, end: date,
                  start: date | None = None) -> tuple[list[tuple], list[tuple]]:
    """KUBE or UEP: (row, status, groups, aid_value sum) and (row, status, sex, members,
    aid_per_person summed over members)."""
    span = _span(start, end)
    return (_rows(conn, _GROUPS, key=key, code=code, **span),
            _rows(conn, _MEMBERS, key=key, code=code, **span))


_KPM = """
SELECT substr(e.desa_code, 1, :key), e.status, count(*),
       sum(CAST(json_extract(e.data, '$.aid_index') AS INTEGER)),
       sum(coalesce(json_extract(e.data, '$.pkh'), 0) = 1)
FROM register_entry e
WHERE e.register_code = 'kpm' AND e.deleted_at IS NULL AND e.recorded_on <= :end
GROUP BY 1, 2"""


def kpm(conn, key: int, end: date) -> list[tuple]:
    """(row, membership status, KPM, index sum, PKH participants) of KPM whose period
    started by `end`."""
    return _rows(conn, _KPM, key=key, end=end.isoformat())


_RTLH = """
SELECT substr(e.desa_code, 1, :key), json_extract(e.data, '$._verdict.eligible'), count(*)
FROM register_entry e
WHERE e.register_code = 'rtlh' AND e.deleted_at IS NULL AND e.recorded_on <= :end
GROUP BY 1, 2"""


def rtlh(conn, key: int, end: date) -> list[tuple]:
    """(row, eligible 1 / 0 / None when saved before verdicts existed, houses)."""
    return _rows(conn, _RTLH, key=key, end=end.isoformat())


_NEW_ENTRIES = """
SELECT e.register_code, substr(e.desa_code, 1, :key), count(*),
       sum(CAST(json_extract(e.data, '$.compensation') AS INTEGER))
FROM register_entry e
LEFT JOIN register_entry parent ON parent.id = e.parent_id
WHERE e.register_code IN ('kube', 'uep', 'rtlh', 'bantuan_bencana') AND e.deleted_at IS NULL
  AND parent.deleted_at IS NULL AND e.recorded_on BETWEEN :start AND :end
GROUP BY 1, 2"""


def entries_within(conn, key: int, start: date, end: date) -> list[tuple]:
    """(register, row, entries, compensation sum) dated within the month: KUBE/UEP proposals,
    RS-RTLH validations, disaster aid handed over (its delivery date)."""
    return _rows(conn, _NEW_ENTRIES, key=key, **_span(start, end))


# ------------------------------------------------------------------ one disaster event

_EVENTS = """
SELECT id, title, recorded_on, desa_code, status, data FROM register_entry
WHERE register_code = 'bencana' AND deleted_at IS NULL ORDER BY recorded_on DESC, title"""


def events(conn) -> list[tuple]:
    return _rows(conn, _EVENTS)


_VICTIMS = """
SELECT e.status, coalesce(p.sex, head.sex), count(*),
       sum(coalesce(json_extract(e.data, '$.household_size'), 1))
FROM register_entry e
LEFT JOIN person p ON p.id = e.person_id
LEFT JOIN household h ON h.id = e.household_id
LEFT JOIN person head ON head.id = h.head_person_id
WHERE e.parent_id = :event AND e.register_code = 'korban_bencana' AND e.deleted_at IS NULL
GROUP BY 1, 2"""

_VICTIM_CHOICES = """
SELECT v.value, count(*)
FROM register_entry e, json_each(e.data, :path) v
WHERE e.parent_id = :event AND e.register_code = 'korban_bencana' AND e.deleted_at IS NULL
GROUP BY 1"""

_AID = """
SELECT min(trim(json_extract(data, '$.item'))), min(trim(json_extract(data, '$.unit'))),
       json_extract(data, '$.source'), sum(json_extract(data, '$.quantity')), count(*),
       sum(CAST(json_extract(data, '$.compensation') AS INTEGER))
FROM register_entry
WHERE parent_id = :event AND register_code = 'bantuan_bencana' AND deleted_at IS NULL
GROUP BY lower(trim(json_extract(data, '$.item'))), lower(trim(json_extract(data, '$.unit'))),
         json_extract(data, '$.source')
ORDER BY 1, 2, 3"""


def victims(conn, event_id: str) -> list[tuple]:
    """(victim status, sex, victims, persons: the household size of a victim recorded per KK,
    else 1)."""
    return _rows(conn, _VICTIMS, event=event_id)


def victim_choices(conn, event_id: str, field_name: str) -> list[tuple]:
    """(choice, victims) of a choice or multichoice field of the victims (vulnerable groups,
    house damage)."""
    return _rows(conn, _VICTIM_CHOICES, event=event_id, path=f"$.{field_name}")


def aid_items(conn, event_id: str) -> list[tuple]:
    """(item, unit, source, quantity, deliveries, compensation) per item, unit and source; the
    item is matched without regard to case or surrounding spaces."""
    return _rows(conn, _AID, event=event_id)


_TKSK = """
SELECT title FROM register_entry
WHERE register_code = 'psks' AND deleted_at IS NULL AND json_extract(data, '$.kind') = 'tksk'
ORDER BY updated_at DESC LIMIT 1"""


def tksk_name(conn) -> str:
    """The TKSK of the kecamatan as the PSKS register knows them (the latest entry), or ""."""
    rows = _rows(conn, _TKSK)
    return rows[0][0] if rows else ""
