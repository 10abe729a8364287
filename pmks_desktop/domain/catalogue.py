"""The PMKS catalogue (types, criteria, case workflow) and the rules a case must satisfy.

The catalogue lives in `forms/pmks_catalogue.yaml` so that an office can correct a criterion
text or retire a type without a new release; this module only reads and checks it. Loading is
strict (unknown keys and missing security flags are errors) because a silently ignored typo in
a government register is worse than a refused start-up with a clear message.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pmks_desktop.domain.case_rules import age_in_years, check_case_rules  # noqa: F401
from pmks_desktop.domain.errors import CatalogueError, RuleResult

UNITS = ("person", "household", "community", "person_or_household")
SEXES = ("L", "P")

_TYPE_KEYS = {
    "code", "name", "short_name", "unit", "bidang", "age", "sex", "nik_required",
    "requires_disability_kind", "sensitive", "requires_event", "min_criteria", "retired",
    "criteria",
}
# `sensitive` gates who may see a record: it must be written down, never defaulted.
_REQUIRED_TYPE_KEYS = ("code", "name", "unit", "bidang", "sensitive", "criteria")
_AGE_KEYS = {"min", "max", "warn_max", "note"}


@dataclass(frozen=True)
class Criterion:
    id: str
    text: str


@dataclass(frozen=True)
class AgeRule:
    """Age limits in completed years; `warn_max` starts a zone that is accepted with a warning."""

    min: int | None = None
    max: int | None = None
    warn_max: int | None = None
    note: str = ""

    def describe(self) -> str:
        if self.min is not None and self.max is not None:
            return f"{self.min}–{self.max} tahun"
        if self.min is not None:
            return f"sedikitnya {self.min} tahun"
        return f"paling tinggi {self.max} tahun"

    def allows(self, age: int) -> bool:
        return (self.min is None or age >= self.min) and (self.max is None or age <= self.max)


@dataclass(frozen=True)
class Bidang:
    code: str
    name: str


@dataclass(frozen=True)
class DisabilityKind:
    value: str
    label: str


@dataclass(frozen=True)
class PmksType:
    code: str
    name: str
    short_name: str
    unit: str
    bidang: str
    age: AgeRule | None
    sex: str | None
    nik_required: bool
    requires_disability_kind: bool
    sensitive: bool
    requires_event: bool
    min_criteria: int
    retired: bool
    criteria: tuple[Criterion, ...]

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)

    @property
    def label(self) -> str:
        """`05 - Anak dengan Kedisabilitasan`, the form used in pick lists."""
        return f"{self.code} - {self.name}"


@dataclass(frozen=True)
class CaseStatus:
    code: str
    label: str
    transitions: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    version: int
    bidang: tuple[Bidang, ...]
    disability_kinds: tuple[DisabilityKind, ...]
    types: tuple[PmksType, ...]
    statuses: tuple[CaseStatus, ...]
    initial_status: str
    verify_transitions: frozenset[tuple[str, str]]

    def type(self, code: str) -> PmksType:
        for pmks_type in self.types:
            if pmks_type.code == code:
                return pmks_type
        raise CatalogueError("pmks_type", f"Jenis PMKS dengan kode '{code}' tidak ada di katalog.")

    def types_for_bidang(self, bidang: str) -> list[PmksType]:
        return [t for t in self.types if t.bidang == bidang and not t.retired]

    def bidang_name(self, code: str) -> str:
        for item in self.bidang:
            if item.code == code:
                return item.name
        raise CatalogueError("bidang", f"Bidang '{code}' tidak ada di katalog.")

    def status(self, code: str) -> CaseStatus:
        for status in self.statuses:
            if status.code == code:
                return status
        raise CatalogueError("status", f"Status kasus '{code}' tidak dikenal.")

    def allowed_transitions(self, from_status: str) -> tuple[str, ...]:
        return self.status(from_status).transitions

    def transition_needs_verify(self, frm: str, to: str) -> bool:
        return (frm, to) in self.verify_transitions

    @property
    def disability_kind_values(self) -> tuple[str, ...]:
        return tuple(k.value for k in self.disability_kinds)

    def check_case(self, code: str, **facts: Any) -> RuleResult:
        """check_case_rules() for a type code, with this catalogue's disability kinds."""
        return check_case_rules(
            self.type(code), known_disability_kinds=self.disability_kind_values, **facts
        )


# --- loading ------------------------------------------------------------------------------


def load_catalogue(path: Path) -> Catalogue:
    """Read and check the catalogue file; raise CatalogueError naming the place of any fault."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        message = f"Berkas katalog PMKS {path} tidak dapat dibaca: {exc}"
        raise CatalogueError("file", message) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (baris {mark.line + 1})" if mark is not None else ""
        raise CatalogueError("file", f"Berkas katalog PMKS {path} rusak{where}: {exc}") from None
    return catalogue_from_dict(data)


def catalogue_from_dict(data: Any) -> Catalogue:
    if not isinstance(data, Mapping):
        raise CatalogueError("file", "Katalog PMKS harus berupa daftar isian (mapping) YAML.")
    if data.get("version") != 1:
        raise CatalogueError("version", "Versi katalog PMKS tidak didukung (harus 'version: 1').")
    bidang = tuple(Bidang(_text(b, "code", "bidang"), _text(b, "name", "bidang"))
                   for b in _list(data, "bidang", "katalog"))
    where = "disability_kinds"
    kinds = tuple(DisabilityKind(_text(k, "value", where), _text(k, "label", where))
                  for k in _list(data, where, "katalog"))
    bidang_codes = {b.code for b in bidang}
    types = tuple(_parse_type(raw, bidang_codes) for raw in _list(data, "types", "katalog"))
    _reject_duplicates((t.code for t in types), "types", "Kode jenis PMKS")
    statuses, initial, verify = _parse_statuses(data.get("case_statuses"))
    return Catalogue(1, bidang, kinds, types, statuses, initial, verify)


def _parse_type(raw: Any, bidang_codes: set[str]) -> PmksType:
    if not isinstance(raw, Mapping):
        raise CatalogueError("types", "Setiap jenis PMKS harus berupa daftar isian (mapping).")
    code = raw.get("code")
    if not isinstance(code, str) or not code.strip():
        raise CatalogueError(
            "types.code",
            f"Kode jenis PMKS {code!r} harus ditulis sebagai teks dalam tanda kutip, "
            'misalnya "01" (tanpa kutip YAML membacanya sebagai angka).',
        )
    where = f"jenis {code}"
    for key in _REQUIRED_TYPE_KEYS:
        if key not in raw:
            raise _type_error(code, key, "wajib diisi tetapi tidak ada")
    for key in raw:
        if key not in _TYPE_KEYS:
            raise _type_error(code, key, "tidak dikenal (salah ketik?)")
    unit = _choice(raw, "unit", UNITS, code)
    bidang = _choice(raw, "bidang", tuple(sorted(bidang_codes)), code)
    sex = raw.get("sex")
    if sex is not None and sex not in SEXES:
        raise _type_error(code, "sex", "harus kosong (null) atau 'P' / 'L'")
    criteria = tuple(_criterion(c, code) for c in _list(raw, "criteria", where, allow_empty=True))
    ids = [c.id for c in criteria]
    _reject_duplicates(ids, f"types.{code}.criteria", f"Jenis {code}: kriteria")
    min_criteria = _int(raw, "min_criteria", code, default=1)
    if not 0 <= min_criteria <= len(criteria):
        raise _type_error(code, "min_criteria", f"harus 0 sampai {len(criteria)} (banyak kriteria)")
    return PmksType(
        code=code, name=_text(raw, "name", where),
        short_name=_text(raw, "short_name", where) if "short_name" in raw else raw["name"],
        unit=unit, bidang=bidang, age=_parse_age(raw.get("age"), code), sex=sex,
        nik_required=_bool(raw, "nik_required", code, default=unit == "person"),
        requires_disability_kind=_bool(raw, "requires_disability_kind", code, default=False),
        sensitive=_bool(raw, "sensitive", code, default=None),
        requires_event=_bool(raw, "requires_event", code, default=False),
        min_criteria=min_criteria, retired=_bool(raw, "retired", code, default=False),
        criteria=criteria,
    )


def _criterion(raw: Any, code: str) -> Criterion:
    # An unquoted text with a comma inside {...} silently becomes extra keys: refuse them.
    if not isinstance(raw, Mapping) or set(raw) != {"id", "text"}:
        problem = (f"setiap kriteria hanya berisi id dan text: {raw!r} "
                   "(teks yang memuat koma harus diapit tanda kutip)")
        raise _type_error(code, "criteria", problem)
    return Criterion(_text(raw, "id", f"jenis {code}"), _text(raw, "text", f"jenis {code}"))


def _parse_age(raw: Any, code: str) -> AgeRule | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) - _AGE_KEYS:
        raise _type_error(code, "age", f"hanya boleh berisi {', '.join(sorted(_AGE_KEYS))}")
    limits = {key: _int(raw, key, code, default=None) for key in ("min", "max", "warn_max")}
    low, high, warn = limits["min"], limits["max"], limits["warn_max"]
    if low is None and high is None:
        raise _type_error(code, "age", "harus memuat min atau max")
    if any(v is not None and v < 0 for v in limits.values()) or (
        low is not None and high is not None and low > high
    ):
        raise _type_error(code, "age", "batas umur tidak masuk akal (negatif atau min > max)")
    if warn is not None and not AgeRule(low, high).allows(warn):
        raise _type_error(code, "age.warn_max", "harus berada di dalam batas min–max")
    note = raw.get("note") or ""
    return AgeRule(low, high, warn, " ".join(str(note).split()))


def _parse_statuses(raw: Any) -> tuple[tuple[CaseStatus, ...], str, frozenset[tuple[str, str]]]:
    where = "case_statuses"
    if not isinstance(raw, Mapping):
        raise CatalogueError(where, "Bagian 'case_statuses' wajib ada di katalog PMKS.")
    pairs = [(_text(s, "code", where), _text(s, "label", where))
             for s in _list(raw, "statuses", where)]
    _reject_duplicates([code for code, _ in pairs], where, "Kode status kasus")
    entries = dict(pairs)
    transitions = raw.get("transitions") or {}
    if not isinstance(transitions, Mapping) or not all(
        isinstance(targets, list) for targets in transitions.values()
    ):
        message = "Isi 'transitions' harus berbentuk 'status: [status, ...]'."
        raise CatalogueError(f"{where}.transitions", message)
    for frm, targets in transitions.items():
        for status in [frm, *targets]:
            if status not in entries:
                raise CatalogueError(f"{where}.transitions", (
                    f"Perpindahan status dari '{frm}' menyebut status '{status}' "
                    "yang tidak dikenal."
                ))
    initial = raw.get("initial", next(iter(entries)))
    if initial not in entries:
        raise CatalogueError(f"{where}.initial", f"Status awal '{initial}' tidak dikenal.")
    verify = set()
    for pair in raw.get("needs_verify") or []:
        frm, to = (pair.get("from"), pair.get("to")) if isinstance(pair, Mapping) else (None, None)
        if to not in transitions.get(frm, ()):
            raise CatalogueError(
                f"{where}.needs_verify",
                f"needs_verify menyebut perpindahan {frm} -> {to} yang tidak ada di 'transitions'.",
            )
        verify.add((frm, to))
    statuses = tuple(
        CaseStatus(code, label, tuple(transitions.get(code, ()))) for code, label in entries.items()
    )
    return statuses, initial, frozenset(verify)


def _type_error(code: str, key: str, problem: str) -> CatalogueError:
    message = f"Katalog PMKS, jenis {code}, kolom '{key}': {problem}."
    return CatalogueError(f"types.{code}.{key}", message)


def _list(raw: Mapping, key: str, where: str, allow_empty: bool = False) -> list:
    value = raw.get(key)
    if value is None and allow_empty:
        return []
    if not isinstance(value, list) or (not value and not allow_empty):
        raise CatalogueError(key, f"Katalog PMKS ({where}): '{key}' harus berupa daftar berisi.")
    return value


def _text(raw: Any, key: str, where: str) -> str:
    value = raw.get(key) if isinstance(raw, Mapping) else None
    if not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
        raise CatalogueError(key, f"Katalog PMKS ({where}): '{key}' wajib diisi dengan teks.")
    return str(value).strip()


def _choice(raw: Mapping, key: str, choices: tuple[str, ...], code: str) -> str:
    if raw.get(key) not in choices:
        problem = f"nilai {raw.get(key)!r} tidak dikenal (pilihan: {', '.join(choices)})"
        raise _type_error(code, key, problem)
    return raw[key]


def _bool(raw: Mapping, key: str, code: str, default: bool | None) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise _type_error(code, key, "harus true atau false")
    return value


def _int(raw: Mapping, key: str, code: str, default: int | None) -> int | None:
    value = raw.get(key, default)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise _type_error(code, key, "harus bilangan bulat")
    return value


def _reject_duplicates(values: Iterable[str], field_name: str, what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise CatalogueError(field_name, f"{what} '{value}' muncul lebih dari sekali.")
        seen.add(value)
