"""The dry run for register rows: find the person (by NIK), the family (by No. KK) and the
existing entry, lay the non-blank cells over it, and check it with RegisterService.check.

A row matches an existing entry of the register through the form's import_key when it has one
(aid: the receipt number), else its person, else (registers of families) its family, else
(groups, events, communities) its title and desa.
"""
from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass

from sqlmodel import select

from pmks_desktop.domain.errors import DomainError, Issue
from pmks_desktop.domain.form_validation import (EntryContext, PersonFacts, check_entry,
                                                 default_for)
from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.domain.identity import normalize_number, validate_kk, validate_nik
from pmks_desktop.domain.names import name_key
from pmks_desktop.services.import_columns import SKIPPED_FIELD_TYPES
from pmks_desktop.services.import_plan import (PERSON_ATTRS, STATUS_NEW, STATUS_SAME,
                                               STATUS_UPDATED, EntryWrite, PersonWrite,
                                               Planner, RowPlan, person_input)
from pmks_desktop.services.registers import MemberInput, RegisterService, decode_values
from pmks_desktop.storage.changelog import canonical_json
from pmks_desktop.storage.models import RegisterEntry, RegisterMember

_MEMBER = re.compile(r"^([0-9'.\s\-]+?)\s*(?:\((.*)\))?$")
_PERSON_LABELS = {"name": "Nama", "sex": "Jenis Kelamin", "desa_code": "Desa",
                  "birth_date": "Tanggal Lahir", "birth_place": "Tempat Lahir",
                  "no_kk": "No. KK", "address": "Alamat", "rt": "RT", "rw": "RW"}


@dataclass
class _Link:
    """The person a row points at: stored (person_id) or to be created (new)."""

    person_id: str | None = None
    facts: PersonFacts | None = None
    new: PersonWrite | None = None
    desa_code: str | None = None
    failed: bool = False  # a NIK was given but no person could be linked (reason recorded)


class EntryPlanner(Planner):
    def __init__(self, db, ref, columns, mapping, registers: RegisterService, form: FormSpec,
                 parent_id: str | None):
        super().__init__(db, ref, columns, mapping)
        self._registers = registers
        self._form = form
        self._parent_id = parent_id
        self._entries = self._load_entries()

    def _load_entries(self) -> dict[tuple, list[RegisterEntry]]:
        stmt = select(RegisterEntry).where(RegisterEntry.register_code == self._form.id,
                                           RegisterEntry.deleted_at == None)  # noqa: E711
        if self._parent_id:
            stmt = stmt.where(RegisterEntry.parent_id == self._parent_id)
        index: dict[tuple, list[RegisterEntry]] = {}
        with self._db.read() as s:
            for entry in s.exec(stmt):
                for key in self._keys_of(entry):
                    index.setdefault(key, []).append(entry)
        return index

    def _keys_of(self, entry: RegisterEntry) -> list[tuple]:
        if self._form.import_key:
            value = json.loads(entry.data or "{}").get(self._form.import_key)
            return [("k", str(value).strip())] if value not in (None, "") else []
        keys = [("t", entry.title_key, entry.desa_code)]
        if entry.person_id:
            keys.append(("p", entry.person_id))
        if entry.household_id and not self._form.person_field:
            keys.append(("h", entry.household_id))
        return keys

    # ------------------------------------------------------------- one row

    def plan_row(self, number, values, reasons, bad) -> RowPlan:
        form, warnings = self._form, []
        link = self._link_person(number, values, reasons, warnings, bad)
        household_id = self._link_household(values, reasons, warnings)
        key = self._entry_key(link, household_id, values)
        existing = self._existing(key, number, reasons)
        base = decode_values(form, existing.data) if existing else self._defaults()
        base.update({k: v for k, v in values.items() if form.has_field(k)})
        if form.person_field and (link.person_id or link.new):
            base[form.person_field] = link.person_id
        if household_id:
            base[form.household_field] = household_id
        if form.desa_field and not base.get(form.desa_field) and link.desa_code:
            base[form.desa_field] = link.desa_code
        stored = self._stored_members(existing.id) if existing else []
        to_write = self._members(values, reasons)
        members = stored if to_write is None else to_write
        checked = self._registers.check(form.id, base, members, self._parent_id)
        issues = checked.errors
        if link.new is not None:  # the person does not exist yet: check its facts directly
            issues = [i for i in issues if i.field != form.person_field] + \
                self._person_rule_issues(checked.values, link.facts)
        elif link.failed:  # already said why; "Orang wajib diisi" would only repeat it
            quiet = {form.person_field} | ({form.desa_field} if form.desa_field not in values
                                           else set())
            issues = [i for i in issues if i.field not in quiet]
        reasons += [i.message for i in issues if i.field not in bad]
        row = RowPlan(number, STATUS_NEW, reasons, checked.values,
                      warnings + [w.message for w in checked.warnings],
                      self._label(checked.values, values, link))
        if existing is None:
            row.action = EntryWrite(link.new, None, None, checked.values, members)
            return row
        changed = canonical_json(checked.values) != existing.data or \
            (to_write is not None and self._member_set(to_write) != self._member_set(stored))
        row.status = STATUS_UPDATED if changed else STATUS_SAME
        row.action = EntryWrite(None, existing.id, existing.version_hlc, checked.values,
                                to_write) if changed else None
        return row

    def _label(self, checked: dict, cells: dict, link: _Link) -> str:
        """Who or what the row is about, for the dry-run table."""
        if link.new is not None:
            return link.new.values.get("name", "")
        if self._form.field(self._form.title_field).type not in SKIPPED_FIELD_TYPES and \
                checked.get(self._form.title_field):
            return str(checked[self._form.title_field])
        if link.facts is not None:
            return link.facts.name
        return str(cells.get("person.name") or cells.get("person.nik") or "-")

    def _defaults(self) -> dict:
        ctx = EntryContext(today=self._ref.today, settings=self._ref.settings)
        out = {}
        for spec in self._form.fields:
            value = default_for(spec, ctx)
            if value not in (None, ""):
                out[spec.name] = value
        return out

    # ------------------------------------------------------------- person and family

    def _link_person(self, number, values, reasons, warnings, bad) -> _Link:
        form = self._form
        if not form.person_field:
            return _Link()
        cells = {k[len("person."):]: v for k, v in values.items() if k.startswith("person.")}
        if "kk" in values:
            cells["no_kk"] = values["kk"]
        raw = cells.pop("nik", None)
        if raw is None:
            required = form.field(form.person_field).required
            if required and "nik" not in bad:
                reasons.append("NIK wajib diisi: orang pada register ini dicari melalui NIK.")
            return _Link(failed=required)
        try:
            nik = validate_nik(raw, cells.get("birth_date"),
                               region_codes=self._ref.kabupaten).number
        except DomainError as exc:
            reasons.append(exc.message)
            return _Link(failed=True)
        matches = self._ref.persons_by_nik.get(nik, [])
        first = self.first_seen(("nik", nik), number)
        # With an import key (aid rows) a registered person may appear on many rows; a person
        # the file itself creates still may not (the second row would create them again).
        if first and not (self._form.import_key and matches):
            reasons.append(f"NIK {nik} sudah ada pada baris {first} berkas ini.")
        if len(matches) > 1:
            reasons.append(f"NIK {nik} tercatat pada {len(matches)} orang di basis data; "
                           "periksa dan gabungkan dulu lewat menu Data Orang.")
            return _Link(failed=True)
        if matches:
            person = matches[0]
            warnings += self._person_differences(person, cells)
            return _Link(person.id, PersonFacts(person.name, person.sex, person.birth_date),
                         None, person.desa_code)
        return self._new_person(nik, cells, reasons, warnings, bad)

    def _new_person(self, nik, cells, reasons, warnings, bad) -> _Link:
        missing = [_PERSON_LABELS[a] for a in ("name", "sex", "desa_code")
                   if a not in cells and a not in bad]
        if missing:
            reasons.append(f"Orang dengan NIK {nik} belum terdaftar. Isi kolom "
                           f"{', '.join(missing)} agar orangnya didaftarkan sekaligus, atau "
                           "daftarkan dulu lewat impor Data Orang.")
            return _Link(failed=True)
        checked = self.check_person(person_input(None, {**cells, "nik": nik}))
        reasons += [i.message for i in checked.errors if i.field not in bad]
        warnings += [w.message for w in checked.warnings]
        v = checked.values
        return _Link(None, PersonFacts(v["name"], v["sex"], v["birth_date"]),
                     PersonWrite(None, None, v), v["desa_code"])

    def _person_differences(self, person, cells: dict) -> list[str]:
        """Person cells that differ from the stored person: shown, never written from here."""
        if not cells:
            return []
        checked = self.check_person(person_input(person, cells)).values
        differ = [_PERSON_LABELS.get(a, a) for a in PERSON_ATTRS
                  if a in cells and checked.get(a) != getattr(person, a)]
        if not differ:
            return []
        return [f"Data orang di berkas berbeda dengan yang tersimpan ({', '.join(differ)}); "
                "impor register tidak mengubah data orang. Pakai impor Data Orang untuk itu."]

    def _link_household(self, values, reasons, warnings) -> str | None:
        form = self._form
        if not form.household_field or "kk" not in values:
            return None
        try:
            kk = validate_kk(values["kk"], region_codes=self._ref.kabupaten)
        except DomainError as exc:
            reasons.append(exc.message)
            return None
        found = self._ref.households_by_kk.get(kk, [])
        if len(found) == 1:
            return found[0].id
        spec = form.field(form.household_field)
        if found:
            reasons.append(f"No. KK {kk} tercatat pada {len(found)} keluarga; pilih keluarganya "
                           "lewat formulir.")
        elif spec.required:
            reasons.append(f"Keluarga dengan No. KK {kk} belum terdaftar. Daftarkan keluarganya "
                           "lebih dulu (menu Keluarga).")
        else:
            warnings.append(f"Keluarga dengan No. KK {kk} belum terdaftar; {spec.label} "
                            "dibiarkan kosong.")
        return None

    def _person_rule_issues(self, values: dict, facts: PersonFacts | None) -> list[Issue]:
        """The form's person rules (sex, age) on a person this import is about to create."""
        form = self._form
        rules = tuple(r for r in form.rules if r.kind in ("person_sex", "person_age"))
        if not rules or facts is None:
            return []
        fields = tuple(f for f in form.fields if f.name == form.date_field and
                       values.get(f.name) is not None)
        only = dataclasses.replace(form, fields=fields, rules=rules)
        return check_entry(only, {f.name: values[f.name] for f in fields},
                           EntryContext(today=self._ref.today, person=facts)).errors

    # ------------------------------------------------------------- the existing entry

    def _entry_key(self, link: _Link, household_id: str | None, values: dict) -> tuple | None:
        form = self._form
        if form.import_key:  # e.g. aid rows: one person may receive many; match the receipt
            value = values.get(form.import_key)
            return ("k", str(value).strip()) if value not in (None, "") else None
        if link.person_id:
            return ("p", link.person_id)
        if link.new is not None:
            return None  # a new person has no entry yet
        if household_id and not form.person_field:
            return ("h", household_id)
        title = values.get(form.title_field)
        if title is None or form.field(form.title_field).type in SKIPPED_FIELD_TYPES:
            return None
        desa = values.get(form.desa_field) if form.desa_field else None
        return ("t", name_key(str(title)), desa or link.desa_code)

    def _existing(self, key: tuple | None, number: int, reasons: list) -> RegisterEntry | None:
        if key is None:
            return None
        first = self.first_seen(("entry",) + key, number)
        if first and key[0] != "p":  # the same person twice was named through the NIK already
            reasons.append(f"Data yang sama sudah ada pada baris {first} berkas ini.")
        found = self._entries.get(key, [])
        if len(found) > 1:
            reasons.append(f"Ada {len(found)} data {self._form.short_title} yang cocok dengan "
                           "baris ini; perbarui lewat formulir.")
            return None
        return found[0] if found else None

    # ------------------------------------------------------------- members

    def _members(self, values: dict, reasons: list) -> list[MemberInput] | None:
        """The members the row lists, or None (blank cell: the members stay as they are)."""
        if "members" not in values or not self._form.members:
            return None
        return self._parse_members(str(values["members"]), reasons)

    def _stored_members(self, entry_id: str) -> list[MemberInput]:
        with self._db.read() as s:
            rows = s.exec(select(RegisterMember).where(
                RegisterMember.entry_id == entry_id,
                RegisterMember.deleted_at == None)).all()  # noqa: E711
        return [MemberInput(m.person_id, m.role) for m in rows]

    def _parse_members(self, text: str, reasons: list) -> list[MemberInput]:
        roles = self._form.members.roles
        by_name = {r.value.lower(): r.value for r in roles} | \
            {r.label.lower(): r.value for r in roles}
        default = by_name.get("anggota", roles[0].value)
        out = []
        for item in (p.strip() for p in re.split(r"[;,\n]+", text) if p.strip()):
            match = _MEMBER.match(item)
            nik = normalize_number(match.group(1)) if match else ""
            role_text = (match.group(2) or "").strip().lower() if match else ""
            found = self._ref.persons_by_nik.get(nik, [])
            if len(found) != 1:
                reasons.append(f"Anggota '{item}': NIK belum terdaftar sebagai orang."
                               if not found else f"Anggota '{item}': NIK tercatat lebih dari "
                               "sekali; pilih orangnya lewat formulir.")
            elif role_text and role_text not in by_name:
                reasons.append(f"Anggota '{item}': peran '{role_text}' tidak dikenal.")
            else:
                out.append(MemberInput(found[0].id, by_name.get(role_text, default)))
        return out

    @staticmethod
    def _member_set(members: list[MemberInput]) -> set[tuple[str, str]]:
        return {(m.person_id, m.role) for m in members}
