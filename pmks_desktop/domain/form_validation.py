"""Validating register entries against their form spec (one engine for every form).

Field values arrive as typed by a user or read from a spreadsheet; they leave cleaned (numbers as
int/float, dates as date, NIK as 16 digits) with errors and warnings in Bahasa Indonesia.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pmks_desktop.domain.case_rules import age_in_years
from pmks_desktop.domain.errors import DomainError, Issue
from pmks_desktop.domain.formatting import parse_date
from pmks_desktop.domain.forms import FieldSpec, FormSpec, RuleSpec
from pmks_desktop.domain.identity import validate_kk, validate_nik, validate_phone


@dataclass(frozen=True)
class PersonFacts:
    """What rules need to know of a linked person or a member."""

    name: str
    sex: str
    birth_date: date | None


@dataclass(frozen=True)
class MemberFacts:
    person: PersonFacts
    role: str


@dataclass
class EntryContext:
    today: date
    settings: dict[str, Any] = field(default_factory=dict)
    desa_codes: frozenset[str] = frozenset()
    known_kabupaten: frozenset[str] = frozenset()
    person: PersonFacts | None = None
    members: list[MemberFacts] = field(default_factory=list)


@dataclass
class EntryCheck:
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def parse_number(value, spec: FieldSpec) -> float | int:
    """Numbers as people write them: 20000000, 20.000.000, "Rp 20.000.000,-", 7,2."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        number = value
    else:
        text = re.sub(r"(?i)rp|\s|,-$", "", str(value))
        if "," in text:  # Indonesian decimals: 1.234,5
            text = text.replace(".", "").replace(",", ".")
        elif text.count(".") > 1 or re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")  # thousands dots: 20.000.000
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError from None
    if spec.type in ("integer", "money"):
        if number != int(number):
            raise ValueError
        return int(number)
    return float(number)


def _check_number(spec: FieldSpec, value) -> tuple[Any, str | None]:
    try:
        number = parse_number(value, spec)
    except (ValueError, TypeError):
        kind = "bilangan bulat" if spec.type in ("integer", "money") else "angka"
        return None, f"{spec.label} harus berupa {kind}."
    if spec.min is not None and number < spec.min:
        return number, f"{spec.label} paling sedikit {spec.min:g}."
    if spec.max is not None and number > spec.max:
        return number, f"{spec.label} paling banyak {spec.max:g}."
    return number, None


def _check_text(spec: FieldSpec, value) -> tuple[Any, str | None]:
    text = str(value).strip() if spec.type == "textarea" else " ".join(str(value).split())
    if spec.max_length and len(text) > spec.max_length:
        return text, f"{spec.label} terlalu panjang (maksimal {spec.max_length} karakter)."
    if spec.pattern and not re.fullmatch(spec.pattern, text):
        return text, spec.pattern_message or f"{spec.label} tidak sesuai format."
    return text, None


def _check_choice(spec: FieldSpec, value) -> tuple[Any, str | None]:
    allowed = {c.value for c in spec.choices}
    labels = {c.label.lower(): c.value for c in spec.choices}
    if spec.type == "multichoice":
        items = value if isinstance(value, (list, tuple)) else \
            [v.strip() for v in str(value).split(",") if v.strip()]
        items = [labels.get(str(v).lower(), str(v)) for v in items]
        bad = [v for v in items if v not in allowed]
        if bad and not spec.allow_other:
            return items, f"Pilihan {', '.join(bad)} tidak ada pada {spec.label}."
        return items, None
    text = labels.get(str(value).strip().lower(), str(value).strip())
    if text not in allowed and not spec.allow_other:
        return text, f"Pilih {spec.label} dari daftar."
    return text, None


def _check_identity(spec: FieldSpec, value, ctx: EntryContext) -> tuple[Any, str | None]:
    try:
        if spec.type == "nik":
            return validate_nik(str(value), region_codes=ctx.known_kabupaten).number, None
        if spec.type == "kk":
            return validate_kk(str(value), region_codes=ctx.known_kabupaten), None
        return validate_phone(str(value)), None
    except DomainError as exc:
        return value, exc.message


def _check_date(spec: FieldSpec, value) -> tuple[Any, str | None]:
    if isinstance(value, date):
        return value, None
    try:
        return parse_date(str(value), spec.name), None
    except DomainError as exc:
        return None, f"{spec.label}: {exc.message}"


def _check_items(spec: FieldSpec, value, ctx: EntryContext) -> tuple[Any, str | None]:
    rows, problems = [], []
    for number, raw in enumerate(value or (), start=1):
        row = {}
        for column in spec.columns:
            cell = (raw or {}).get(column.name)
            if _blank(cell):
                if column.required:
                    problems.append(f"baris {number}: {column.label} wajib diisi")
                continue
            row[column.name], problem = check_field(column, cell, ctx)
            if problem:
                problems.append(f"baris {number}: {problem}")
        if row:
            rows.append(row)
    return rows, (f"{spec.label} — " + "; ".join(problems) + ".") if problems else None


def check_field(spec: FieldSpec, value, ctx: EntryContext) -> tuple[Any, str | None]:
    """One non-blank value: (cleaned value, problem or None)."""
    kind = spec.type
    if kind in ("integer", "decimal", "money"):
        return _check_number(spec, value)
    if kind in ("text", "textarea"):
        return _check_text(spec, value)
    if kind in ("choice", "multichoice"):
        return _check_choice(spec, value)
    if kind in ("nik", "kk", "phone"):
        return _check_identity(spec, value, ctx)
    if kind == "date":
        return _check_date(spec, value)
    if kind == "bool":
        return (value if isinstance(value, bool) else
                str(value).strip().lower() in ("ya", "y", "1", "true", "benar")), None
    if kind == "desa":
        return value, (None if value in ctx.desa_codes else
                       f"Pilih {spec.label} dari daftar desa kantor ini.")
    if kind == "items":
        return _check_items(spec, value, ctx)
    return value, None  # person, household, photos: checked by the service that owns them


def default_for(spec: FieldSpec, ctx: EntryContext):
    if spec.default_setting and spec.default_setting in ctx.settings:
        return ctx.settings[spec.default_setting]
    if spec.default == "today":
        return ctx.today
    if spec.default == "this_year":
        return ctx.today.year
    return spec.default


def check_entry(form: FormSpec, values: dict, ctx: EntryContext) -> EntryCheck:
    """Every field, then the form's rules. Blank optional fields are left out of `values`."""
    out = EntryCheck()
    for spec in form.fields:
        value = values.get(spec.name)
        if spec.type == "bool" and spec.required and value is not True:
            # A required check box is a statement the family must make (e.g. not to sell the
            # house): unticked does not count as answered.
            out.errors.append(Issue(spec.name, f"{spec.label} wajib dicentang."))
            out.values[spec.name] = bool(value)
            continue
        if _blank(value):
            if spec.required:
                out.errors.append(Issue(spec.name, f"{spec.label} wajib diisi."))
            continue
        cleaned, problem = check_field(spec, value, ctx)
        out.values[spec.name] = cleaned
        if problem:
            out.errors.append(Issue(spec.name, problem))
    for rule in form.rules:
        _apply_rule(form, rule, out, ctx)
    return out


# ------------------------------------------------------------------ named rules

def _setting_or(rule: RuleSpec, key: str, ctx: EntryContext):
    setting = rule.get(f"{key}_setting")
    if setting and setting in ctx.settings:
        return int(ctx.settings[setting])
    return rule.get(key)


def _rule_members_count(form, rule, out, ctx) -> None:
    low, high = _setting_or(rule, "min", ctx), _setting_or(rule, "max", ctx)
    count = len(ctx.members)
    label = form.members.label.lower() if form.members else "anggota"
    if low is not None and count < low:
        out.errors.append(Issue("members", f"Jumlah {label} {count}; paling sedikit {low}."))
    if high is not None and count > high:
        out.errors.append(Issue("members", f"Jumlah {label} {count}; paling banyak {high}."))
    for role in (form.members.unique_roles if form.members else ()):
        if sum(1 for m in ctx.members if m.role == role) > 1:
            out.errors.append(Issue("members", f"Peran {role} hanya boleh diisi satu orang."))


def _rule_member_sex(form, rule, out, ctx) -> None:
    wanted = rule.get("sex")
    word = "perempuan" if wanted == "P" else "laki-laki"
    for member in ctx.members:
        if member.person.sex != wanted:
            out.errors.append(Issue("members", f"{member.person.name}: semua anggota harus {word}."))


def _age_problem(person: PersonFacts, rule: RuleSpec, on: date) -> str | None:
    if person.birth_date is None:
        return f"{person.name}: tanggal lahir belum diisi, umur tidak dapat diperiksa."
    age = age_in_years(person.birth_date, on)
    low, high = rule.get("min"), rule.get("max")
    if (low is not None and age < low) or (high is not None and age > high):
        accepted = f"{low}–{high} tahun" if low is not None and high is not None else \
            f"sedikitnya {low} tahun" if low is not None else f"paling tinggi {high} tahun"
        return f"{person.name} berumur {age} tahun; yang diterima {accepted}."
    return None


def _rule_member_age(form, rule, out, ctx) -> None:
    on = out.values.get(form.date_field) if form.date_field else None
    for member in ctx.members:
        problem = _age_problem(member.person, rule, on or ctx.today)
        if problem:
            out.errors.append(Issue("members", problem))


def _rule_person_sex(form, rule, out, ctx) -> None:
    if ctx.person and ctx.person.sex != rule.get("sex"):
        word = "perempuan" if rule.get("sex") == "P" else "laki-laki"
        out.errors.append(Issue(form.person_field or "person", f"Register ini hanya untuk {word}."))


def _rule_person_age(form, rule, out, ctx) -> None:
    if ctx.person:
        on = out.values.get(form.date_field) if form.date_field else None
        problem = _age_problem(ctx.person, rule, on or ctx.today)
        if problem:
            out.errors.append(Issue(form.person_field or "person", problem))


def _rule_required_if(form, rule, out, ctx) -> None:
    when = rule.get("when") or {}
    actual = out.values.get(when.get("field"))
    hit = actual == when.get("equals") if "equals" in when else actual in (when.get("in") or ())
    target = rule.get("field")
    if hit and _blank(out.values.get(target)):
        label = form.field(target).label
        out.errors.append(Issue(target, rule.get("message") or f"{label} wajib diisi."))


def _rule_date_order(form, rule, out, ctx) -> None:
    first, second = out.values.get(rule.get("before")), out.values.get(rule.get("after"))
    if isinstance(first, date) and isinstance(second, date) and first > second:
        out.errors.append(Issue(rule.get("after"), rule.get("message") or
                                f"{form.field(rule.get('after')).label} tidak boleh sebelum "
                                f"{form.field(rule.get('before')).label}."))


_RULES = {"members_count": _rule_members_count, "member_sex": _rule_member_sex,
          "member_age": _rule_member_age, "person_sex": _rule_person_sex,
          "person_age": _rule_person_age, "required_if": _rule_required_if,
          "date_order": _rule_date_order}


def _apply_rule(form: FormSpec, rule: RuleSpec, out: EntryCheck, ctx: EntryContext) -> None:
    _RULES[rule.kind](form, rule, out, ctx)
