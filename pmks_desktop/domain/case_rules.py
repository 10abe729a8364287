"""Rules one PMKS case must meet for its type: age, sex, NIK, criteria, disability kind."""
from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

from pmks_desktop.domain.errors import DomainError, Issue, RuleResult

if TYPE_CHECKING:  # catalogue.py imports this module; the type is only needed for annotations
    from pmks_desktop.domain.catalogue import PmksType

def age_in_years(birth: date, on: date) -> int:
    """Completed years on `on`. Someone born on 29 February ages on 1 March in common years."""
    if on < birth:
        raise DomainError("birth_date", "Tanggal lahir tidak boleh sesudah tanggal pencatatan.")
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def check_case_rules(
    pmks_type: PmksType,
    *,
    age_years: int | None,
    sex: str | None,
    has_nik: bool,
    criteria_ids: list[str],
    disability_kind: str | None,
    known_disability_kinds: Collection[str] | None = None,
    has_event: bool | None = None,
) -> RuleResult:
    """Check one case against its type. `has_event=None` means "not checked here"."""
    result = RuleResult()
    error, name = result.errors.append, pmks_type.name
    _check_age(pmks_type, age_years, result)
    if pmks_type.sex == "P" and sex != "P":
        only = f"Jenis PMKS {name} hanya untuk perempuan."
        error(Issue("sex", only if sex else f"Jenis kelamin wajib diisi. {only}"))
    if pmks_type.nik_required and not has_nik:
        error(Issue("nik", f"NIK wajib diisi untuk jenis PMKS {name}."))
    known = set(pmks_type.criterion_ids)
    for unknown in dict.fromkeys(c for c in criteria_ids if c not in known):
        error(Issue("criteria", f"Kriteria '{unknown}' tidak dikenal untuk jenis PMKS {name}."))
    if len(known.intersection(criteria_ids)) < pmks_type.min_criteria:
        error(Issue("criteria", f"Pilih sedikitnya {pmks_type.min_criteria} kriteria."))
    if pmks_type.requires_disability_kind and not disability_kind:
        error(Issue("disability_kind", "Jenis disabilitas wajib diisi."))
    elif disability_kind and disability_kind not in (known_disability_kinds or [disability_kind]):
        error(Issue("disability_kind", f"Jenis disabilitas '{disability_kind}' tidak dikenal."))
    if pmks_type.requires_event and has_event is False:
        error(Issue("event", f"Kejadian bencana wajib dipilih untuk jenis PMKS {name}."))
    if pmks_type.retired:
        result.warnings.append(Issue("pmks_type", (
            f"Jenis PMKS {name} sudah tidak dipakai lagi; untuk data baru pilih jenis lain."
        )))
    return result


def _check_age(pmks_type: PmksType, age: int | None, result: RuleResult) -> None:
    rule, name = pmks_type.age, pmks_type.name
    if rule is None:
        return
    if age is None:
        # Some clients (gelandangan) cannot say when they were born: do not block the record.
        result.warnings.append(Issue("birth_date", f"Umur belum diketahui, sehingga batas umur "
                                     f"{name} ({rule.describe()}) belum dapat diperiksa."))
    elif not rule.allows(age):
        result.errors.append(Issue(
            "birth_date", f"Umur {age} tahun di luar batas {name} ({rule.describe()})."
        ))
    elif rule.warn_max is not None and age >= rule.warn_max:
        note = f" {rule.note}" if rule.note else ""
        result.warnings.append(Issue(
            "birth_date", f"Umur {age} tahun berada di batas atas {name}.{note}"
        ))
