"""Declarative register forms (forms/registers/*.yaml): the spec and its loader.

A form file says what a register records: its fields (type, label, choices, required-ness,
ranges, patterns, help), which field is the entry's title, status, desa, date, person or
household, its members (for groups and activities), and named cross-field rules. One engine
validates every form (domain/form_validation.py) and one renders it (ui/form_engine.py), so a
new label or choice is a change to a file, not to code.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pmks_desktop.domain.errors import CatalogueError

FIELD_TYPES = ("text", "textarea", "integer", "decimal", "money", "date", "choice",
               "multichoice", "bool", "nik", "kk", "phone", "desa", "person", "household",
               "photos", "items")
UNITS = ("person", "household", "group", "event", "community", "activity")
RULE_KINDS = ("members_count", "member_sex", "member_age", "required_if", "date_order",
              "person_sex", "person_age")
_FIELD_KEYS = {"name", "label", "type", "required", "choices", "allow_other", "min", "max",
               "max_length", "pattern", "pattern_message", "help", "default", "default_setting",
               "placeholder", "columns", "section"}
_FORM_KEYS = {"id", "version", "title", "short_title", "bidang", "unit", "title_field",
              "status_field", "date_field", "desa_field", "person_field", "household_field",
              "parent", "confidential", "pmks_type", "pmks_type_field", "members",
              "list_columns", "filters", "fields", "rules", "verdict", "description", "order",
              "import_key"}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: str
    required: bool = False
    choices: tuple[Choice, ...] = ()
    allow_other: bool = False
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_message: str | None = None
    help: str = ""
    default: Any = None
    default_setting: str | None = None
    placeholder: str = ""
    columns: tuple["FieldSpec", ...] = ()  # for "items": the columns of each row
    section: str = ""

    def choice_label(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value


@dataclass(frozen=True)
class MemberSpec:
    roles: tuple[Choice, ...]
    label: str = "Anggota"
    min: int | None = None
    max: int | None = None
    min_setting: str | None = None
    max_setting: str | None = None
    unique_roles: tuple[str, ...] = ()  # at most one member in each of these roles


@dataclass(frozen=True)
class RuleSpec:
    kind: str
    params: dict

    def get(self, key: str, default=None):
        return self.params.get(key, default)


@dataclass(frozen=True)
class FormSpec:
    id: str
    version: int
    title: str
    short_title: str
    bidang: str
    unit: str
    fields: tuple[FieldSpec, ...]
    title_field: str
    status_field: str | None = None
    date_field: str | None = None
    desa_field: str | None = None
    person_field: str | None = None
    household_field: str | None = None
    parent: str | None = None
    confidential: bool = False
    pmks_type: str | None = None  # the PMKS type every entry counts as (e.g. "26" for KAT)
    pmks_type_field: str | None = None  # or the field that holds it (disaster victims)
    members: MemberSpec | None = None
    list_columns: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    rules: tuple[RuleSpec, ...] = ()
    verdict: str | None = None  # name of a computed verdict (e.g. "rtlh")
    description: str = ""
    order: int = 100  # position of the register's tab within its bidang
    # The field an Excel import matches existing entries on, for registers where one person may
    # have many entries (aid handed out: the receipt number). Without it: person, family, title.
    import_key: str | None = None

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def has_field(self, name: str) -> bool:
        return any(f.name == name for f in self.fields)


def _error(form_id: str, message: str) -> CatalogueError:
    return CatalogueError("form", f"Formulir {form_id}: {message}")


def _choices(raw, form_id: str, where: str) -> tuple[Choice, ...]:
    out = []
    for item in raw or ():
        if isinstance(item, dict):
            if "value" not in item or "label" not in item:
                raise _error(form_id, f"pilihan pada {where} perlu 'value' dan 'label'.")
            if set(item) - {"value", "label"}:  # an unquoted comma in YAML splits a label
                raise _error(form_id, f"pilihan '{item['value']}' pada {where} punya kunci "
                                      "lain selain value dan label (beri tanda kutip pada label "
                                      "yang memuat koma).")
            out.append(Choice(str(item["value"]), str(item["label"])))
        else:
            out.append(Choice(str(item), str(item)))
    values = [c.value for c in out]
    if len(set(values)) != len(values):
        raise _error(form_id, f"ada pilihan ganda pada {where}.")
    return tuple(out)


def _field(raw: dict, form_id: str) -> FieldSpec:
    if not isinstance(raw, dict) or "name" not in raw:
        raise _error(form_id, "setiap isian perlu 'name'.")
    name = str(raw["name"])
    unknown = set(raw) - _FIELD_KEYS
    if unknown:
        raise _error(form_id, f"isian {name} punya kunci tak dikenal: {', '.join(sorted(unknown))}.")
    kind = raw.get("type", "text")
    if kind not in FIELD_TYPES:
        raise _error(form_id, f"isian {name} bertipe '{kind}' yang tidak dikenal.")
    if kind in ("choice", "multichoice") and not raw.get("choices"):
        raise _error(form_id, f"isian {name} bertipe pilihan tetapi tanpa 'choices'.")
    columns = tuple(_field(c, form_id) for c in raw.get("columns") or ())
    if kind == "items" and not columns:
        raise _error(form_id, f"isian {name} bertipe 'items' perlu 'columns'.")
    return FieldSpec(
        name=name, label=str(raw.get("label", name)), type=kind,
        required=bool(raw.get("required", False)),
        choices=_choices(raw.get("choices"), form_id, name),
        allow_other=bool(raw.get("allow_other", False)),
        min=raw.get("min"), max=raw.get("max"), max_length=raw.get("max_length"),
        pattern=raw.get("pattern"), pattern_message=raw.get("pattern_message"),
        help=str(raw.get("help", "")), default=raw.get("default"),
        default_setting=raw.get("default_setting"), placeholder=str(raw.get("placeholder", "")),
        columns=columns, section=str(raw.get("section", "")))


def _members(raw, form_id: str) -> MemberSpec | None:
    if not raw:
        return None
    roles = _choices(raw.get("roles") or [{"value": "anggota", "label": "Anggota"}], form_id,
                     "members.roles")
    return MemberSpec(roles=roles, label=str(raw.get("label", "Anggota")), min=raw.get("min"),
                      max=raw.get("max"), min_setting=raw.get("min_setting"),
                      max_setting=raw.get("max_setting"),
                      unique_roles=tuple(raw.get("unique_roles") or ()))


def _rules(raw, form_id: str) -> tuple[RuleSpec, ...]:
    rules = []
    for item in raw or ():
        kind = (item or {}).get("kind")
        if kind not in RULE_KINDS:
            raise _error(form_id, f"aturan '{kind}' tidak dikenal.")
        rules.append(RuleSpec(kind, {k: v for k, v in item.items() if k != "kind"}))
    return tuple(rules)


def _check_references(spec: FormSpec) -> None:
    names = {f.name for f in spec.fields}
    refs = [spec.title_field, spec.status_field, spec.date_field, spec.desa_field, spec.import_key,
            spec.person_field, spec.household_field, spec.pmks_type_field,
            *spec.list_columns, *spec.filters]
    missing = sorted({r for r in refs if r and r not in names})
    if missing:
        raise _error(spec.id, f"merujuk isian yang tidak ada: {', '.join(missing)}.")
    if len(names) != len(spec.fields):
        raise _error(spec.id, "ada nama isian yang dipakai dua kali.")


def form_from_dict(raw: dict, source: str = "") -> FormSpec:
    form_id = str((raw or {}).get("id") or source)
    if not isinstance(raw, dict):
        raise _error(form_id, "berkas kosong atau bukan peta YAML.")
    unknown = set(raw) - _FORM_KEYS
    if unknown:
        raise _error(form_id, f"kunci tak dikenal: {', '.join(sorted(unknown))}.")
    for key in ("id", "version", "title", "bidang", "unit", "fields", "title_field"):
        if key not in raw:
            raise _error(form_id, f"kunci '{key}' wajib ada.")
    if raw["unit"] not in UNITS:
        raise _error(form_id, f"unit '{raw['unit']}' tidak dikenal.")
    spec = FormSpec(
        id=form_id, version=int(raw["version"]), title=str(raw["title"]),
        short_title=str(raw.get("short_title", raw["title"])), bidang=str(raw["bidang"]),
        unit=raw["unit"], fields=tuple(_field(f, form_id) for f in raw["fields"]),
        title_field=raw["title_field"], status_field=raw.get("status_field"),
        date_field=raw.get("date_field"), desa_field=raw.get("desa_field"),
        person_field=raw.get("person_field"), household_field=raw.get("household_field"),
        parent=raw.get("parent"), confidential=bool(raw.get("confidential", False)),
        pmks_type=(str(raw["pmks_type"]) if raw.get("pmks_type") else None),
        pmks_type_field=raw.get("pmks_type_field"), members=_members(raw.get("members"), form_id),
        list_columns=tuple(raw.get("list_columns") or ()), filters=tuple(raw.get("filters") or ()),
        rules=_rules(raw.get("rules"), form_id), verdict=raw.get("verdict"),
        description=str(raw.get("description", "")), order=int(raw.get("order", 100)),
        import_key=raw.get("import_key"))
    _check_references(spec)
    return spec


def load_form(path: Path) -> FormSpec:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError("form", f"Berkas formulir {path.name} tidak dapat dibaca: {exc}")
    spec = form_from_dict(raw, path.stem)
    if spec.id != path.stem:
        raise _error(spec.id, f"id harus sama dengan nama berkas ({path.stem}).")
    return spec


def load_forms(folder: Path) -> dict[str, FormSpec]:
    forms = {p.stem: load_form(p) for p in sorted(folder.glob("*.yaml"))}
    for spec in forms.values():
        if spec.parent and spec.parent not in forms:
            raise _error(spec.id, f"induk '{spec.parent}' tidak ada.")
    return forms
