"""Which fields of a record a person compares when two versions conflict, their labels, and
how a stored value reads (the comparison table of "Tinjau Konflik Sinkron").

Both versions come as record images in their JSON shape (storage.changelog.canonical_json):
the kept loser is stored that way, and the current row is imaged the same way, so comparing
two values is plain equality. Labels come from the form files (forms/person.yaml,
household.yaml, pmks_case.yaml, and each register's file for the fields inside
register_entry.data); the few columns no form shows have their labels here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pmks_desktop.domain.catalogue import Catalogue
from pmks_desktop.domain.form_display import display_value
from pmks_desktop.domain.formatting import short_date
from pmks_desktop.domain.forms import FieldSpec, FormSpec
from pmks_desktop.domain.identity import mask_nik
from pmks_desktop.services.lookup import find_status, find_type
from pmks_desktop.services.record_forms import record_form
from pmks_desktop.sync.apply_rows import table_info

EMPTY_TEXT = "(kosong)"
DELETED = "deleted_at"  # one row for the trash state: deleted_at, _by and _reason together
# Kept as they are by every resolution: who made the record, and the version stamps that
# change capture writes itself.
BOOKKEEPING = frozenset({"id", "created_at", "created_by", "updated_at", "updated_by",
                         "version_hlc", "version_origin"})
# Not compared: derived from other columns (recomputed on write) or shown inside another row.
_HIDDEN = BOOKKEEPING | {"form_version", "name_key", "title_key", "deleted_by",
                         "deleted_reason"}
RECORD_FORMS = {"person": "person", "household": "household", "pmks_case": "pmks_case"}
TABLE_LABELS = {
    "person": "Data orang", "household": "Keluarga (KK)", "household_member": "Anggota KK",
    "pmks_case": "Kasus PMKS", "register_entry": "Entri register",
    "register_member": "Anggota kelompok", "person_merge": "Penggabungan data ganda",
    "letter": "Surat keluar", "letter_event": "Riwayat surat",
    "person_link": "Keputusan data ganda",
}
COLUMN_LABELS = {
    DELETED: "Status data", "merged_into_id": "Digabungkan ke", "status": "Status penanganan",
    "status_note": "Catatan status", "criteria": "Kriteria", "bidang": "Bidang",
    "household_id": "Keluarga (KK)", "sensitive": "Data rahasia", "person_id": "Orang",
    "relation": "Hubungan dalam keluarga", "head_person_id": "Kepala keluarga",
    "entry_id": "Entri register", "role": "Peran", "kept_person_id": "Data yang dipertahankan",
    "merged_person_id": "Data yang digabungkan", "moved": "Data yang dipindahkan",
    "reason": "Alasan", "undone_at": "Dibatalkan pada", "number": "Nomor surat",
    "letter_date": "Tanggal surat", "hal": "Hal", "subject_name": "Untuk",
    "status_reason": "Alasan status", "print_count": "Jumlah cetak", "action": "Tindakan",
    "copies": "Jumlah salinan", "person_a_id": "Orang A", "person_b_id": "Orang B",
    "decided_by": "Diputuskan oleh", "note": "Catatan",
}
_REFERENCES = {"person_id": "person", "head_person_id": "person", "kept_person_id": "person",
               "person_a_id": "person", "person_b_id": "person",
               "merged_person_id": "person", "merged_into_id": "person",
               "household_id": "household", "desa_code": "desa"}


@dataclass(frozen=True)
class CompareField:
    """One row of the comparison: a column of the record, or a field inside its `data`."""

    name: str
    label: str
    spec: FieldSpec | None = None
    in_data: bool = False  # register_entry: the value lives in the `data` JSON


def plain_label(label: str) -> str:
    """Form labels carry & for Alt shortcuts; a table shows them without."""
    return label.replace("&&", "\0").replace("&", "").replace("\0", "&")


def json_shape(value: Any) -> Any:
    """A value as it reads back from canonical JSON (dates as ISO text), for comparing."""
    from pmks_desktop.storage.changelog import canonical_json

    return json.loads(canonical_json({"v": value}))["v"]


def entry_data(image: dict) -> dict:
    try:
        data = json.loads(image.get("data") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def value_of(field: CompareField, image: dict) -> Any:
    if field.in_data:
        return entry_data(image).get(field.name)
    if field.name == DELETED:
        return {k: image.get(k) for k in ("deleted_at", "deleted_by", "deleted_reason")}
    return image.get(field.name)


def compare_fields(table: str, current: dict, other: dict,
                   forms: dict[str, FormSpec]) -> list[CompareField]:
    """The rows to compare, in the order the record's form shows them."""
    columns = [c.name for c in table_info(table).columns]
    if table == "register_entry":
        return _entry_fields(current, other, forms) + [_column(DELETED, None)]
    specs = {f.name: f for f in record_form(RECORD_FORMS[table]).fields} \
        if table in RECORD_FORMS else {}
    ordered = [n for n in specs if n in columns] + [n for n in columns if n not in specs]
    return [_column(n, specs.get(n)) for n in ordered if n not in _HIDDEN]


def _column(name: str, spec: FieldSpec | None) -> CompareField:
    label = plain_label(spec.label) if spec else COLUMN_LABELS.get(
        name, name.replace("_", " ").capitalize())
    return CompareField(name, label, spec)


def _entry_fields(current: dict, other: dict, forms: dict[str, FormSpec]) -> list[CompareField]:
    form = forms.get(current.get("register_code") or other.get("register_code") or "")
    keys = set(entry_data(current)) | set(entry_data(other))
    keys = {k for k in keys if not k.startswith("_")}  # computed (e.g. the RTLH verdict)
    out = []
    for spec in form.fields if form else ():
        out.append(CompareField(spec.name, plain_label(spec.label), spec, True))
        keys.discard(spec.name)
    # Fields an older or newer form version had: still shown, so nothing is dropped unseen.
    out += [CompareField(k, k.replace("_", " ").capitalize(), None, True) for k in sorted(keys)]
    return out


def referenced_ids(fields: list[CompareField], images: list[dict]) -> dict[str, set[str]]:
    """Ids to look up for display: {"person": {...}, "household": {...}, "desa": {...}}."""
    wanted: dict[str, set[str]] = {"person": set(), "household": set(), "desa": set()}
    for field in fields:
        kind = field.spec.type if field.spec and field.spec.type in wanted else \
            _REFERENCES.get(field.name)
        if kind in wanted:
            wanted[kind].update(str(v) for img in images
                                if isinstance(v := value_of(field, img), str) and v)
    return wanted


class ValueTexts:
    """What a stored value reads as; `names` maps person, household and desa ids to names."""

    def __init__(self, catalogue: Catalogue, names: dict[str, str]):
        self._catalogue = catalogue
        self._names = names

    def text(self, field: CompareField, image: dict, value: Any, masked: bool = False) -> str:
        if field.name == DELETED and not field.in_data:
            return self._trash_text(value)
        if value is None or value == "" or value == []:
            return EMPTY_TEXT
        if field.spec is not None:
            if field.spec.type in ("nik", "kk") and masked:
                return mask_nik(str(value))
            return display_value(field.spec, _typed(field.spec, value), self._names) or \
                EMPTY_TEXT
        return self._column_text(field.name, image, value)

    def _column_text(self, name: str, image: dict, value: Any) -> str:
        if name == "status" and (status := find_status(self._catalogue, str(value))):
            return status.label
        if name == "bidang":
            return next((b.name for b in self._catalogue.bidang if b.code == value), str(value))
        if name == "criteria":
            return self._criteria_text(image, value)
        if isinstance(value, bool):
            return "Ya" if value else "Tidak"
        if isinstance(value, str) and name in _REFERENCES:
            return self._names.get(value, value)
        return _time_text(value) if isinstance(value, str) else str(value)

    def _criteria_text(self, image: dict, value: Any) -> str:
        try:
            ids = json.loads(value) if isinstance(value, str) else list(value)
        except ValueError:
            return str(value)
        pmks_type = find_type(self._catalogue, str(image.get("type_code") or ""))
        texts = {c.id: c.text for c in pmks_type.criteria} if pmks_type else {}
        return "; ".join(texts.get(i, str(i)) for i in ids) or EMPTY_TEXT

    @staticmethod
    def _trash_text(value: dict) -> str:
        if not value.get("deleted_at"):
            return "Aktif"
        text = f"Di sampah sejak {_time_text(value['deleted_at'])}"
        return text + (f" (alasan: {value['deleted_reason']})" if value.get("deleted_reason")
                       else "")


def _typed(spec: FieldSpec, value: Any) -> Any:
    if spec.type == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _time_text(value: str) -> str:
    """ISO dates and times as the office reads them (times in the PC's local zone)."""
    try:
        if len(value) == 10:
            return short_date(date.fromisoformat(value))
        if len(value) > 10 and value[4] == "-" and "T" in value:
            return datetime.fromisoformat(value).astimezone().strftime("%d-%m-%Y %H:%M")
    except ValueError:
        pass
    return value
