"""The facts a letter prints, read from the record it starts from (person, case, group, event...).

Values come back as final text (dates in long form, rupiah, labels instead of codes); the
placeholder names are those of domain/letter_facts.py. Runs inside the caller's session.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import select

from pmks_desktop.domain.catalogue import Catalogue
from pmks_desktop.domain.formatting import long_date, number_id, rupiah, terbilang_rupiah
from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.services.errors import NotFound, PermissionDenied
from pmks_desktop.services.registers import decode_values
from pmks_desktop.storage.models import (Desa, Household, Person, PmksCase, RegisterEntry,
                                         RegisterMember)

SEX = {"L": "Laki-laki", "P": "Perempuan"}
GROUP_PROGRAMS = {"kube": "KUBE", "uep": "UEP"}
ROLE_ORDER = {"ketua": 0, "sekretaris": 1, "bendahara": 2}


@dataclass
class RecipientTable:
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    widths: tuple[float, ...]
    numeric_columns: tuple[int, ...] = ()


@dataclass
class SubjectFacts:
    subject_type: str
    subject_id: str
    subject_name: str  # shown in the letter register
    values: dict[str, str] = field(default_factory=dict)
    recipients: RecipientTable | None = None
    identity: tuple[str, str] = ("", "")  # (NIK, name) hashed into the QR code


@dataclass(frozen=True)
class FactContext:
    catalogue: Catalogue
    forms: dict[str, FormSpec]
    can_view_sensitive: bool
    rupiah_style: str = "puebi"


def _age(born: date | None, on: date) -> str:
    if born is None:
        return "-"
    return str(on.year - born.year - ((on.month, on.day) < (born.month, born.day)))


def _desa_name(s, code: str | None) -> str:
    row = s.get(Desa, code) if code else None
    return row.name if row else (code or "-")


def person_values(s, person: Person, today: date) -> dict[str, str]:
    address = person.address or ""
    if person.rt or person.rw:
        address = f"{address} RT {person.rt or '-'}/RW {person.rw or '-'}".strip()
    born = long_date(person.birth_date) if person.birth_date else "-"
    return {
        "nama": person.name, "nik": person.nik or "-", "no_kk": person.no_kk or "-",
        "tempat_lahir": person.birth_place or "-", "tanggal_lahir": born,
        "ttl": f"{person.birth_place or '-'}, {born}", "umur": _age(person.birth_date, today),
        "jenis_kelamin": SEX.get(person.sex, person.sex), "alamat": address or "-",
        "desa": _desa_name(s, person.desa_code),
    }


def _live_person(s, person_id: str | None) -> Person | None:
    person = s.get(Person, person_id) if person_id else None
    if person is not None and person.merged_into_id:
        person = s.get(Person, person.merged_into_id)
    return person


def _amount(value) -> str:
    """1.0 → "1", 2.5 → "2,5" (Indonesian decimal comma)."""
    if value in (None, ""):
        return ""
    number = float(value)
    return number_id(int(number)) if number.is_integer() else number_id(number, decimals=1)


def _role_label(form: FormSpec, role: str) -> str:
    roles = {c.value: c.label for c in form.members.roles} if form.members else {}
    return roles.get(role, role.capitalize())


class FactReader:
    def __init__(self, s, ctx: FactContext, today: date):
        self.s, self.ctx, self.today = s, ctx, today

    def read(self, subject_type: str, subject_id: str) -> SubjectFacts:
        if subject_type == "person":
            return self._person(subject_id)
        if subject_type == "case":
            return self._case(subject_id)
        entry = self.s.get(RegisterEntry, subject_id)
        if entry is None or entry.deleted_at is not None or entry.register_code != subject_type:
            raise NotFound("Data asal surat tidak ditemukan (mungkin sudah dihapus).")
        form = self.ctx.forms[entry.register_code]
        if (form.confidential or entry.confidential) and not self.ctx.can_view_sensitive:
            raise PermissionDenied(f"{form.title} bersifat rahasia; akun Anda belum diberi izin.")
        values = decode_values(form, entry.data)
        reader = getattr(self, f"_{subject_type}")
        return reader(entry, form, values)

    # ------------------------------------------------------------- persons and cases

    def _person(self, person_id: str) -> SubjectFacts:
        person = _live_person(self.s, person_id)
        if person is None or person.deleted_at is not None:
            raise NotFound("Data penduduk tidak ditemukan (mungkin sudah dihapus).")
        return SubjectFacts("person", person.id, person.name,
                            person_values(self.s, person, self.today),
                            identity=(person.nik or "", person.name))

    def _case(self, case_id: str) -> SubjectFacts:
        case = self.s.get(PmksCase, case_id)
        if case is None or case.deleted_at is not None:
            raise NotFound("Data PMKS tidak ditemukan (mungkin sudah dihapus).")
        if case.sensitive and not self.ctx.can_view_sensitive:
            raise PermissionDenied("Jenis PMKS ini termasuk data sensitif; akun Anda belum diberi "
                                   "izin melihatnya.")
        facts = self._person(case.person_id)
        pmks = self.ctx.catalogue.type(case.type_code)
        status = self.ctx.catalogue.status(case.status)
        facts.values.update({
            "jenis_pmks": pmks.name, "kode_pmks": pmks.code,
            "tanggal_terdaftar": long_date(case.recorded_on), "status_pmks": status.label})
        facts.subject_type, facts.subject_id = "case", case.id
        facts.subject_name = f"{facts.subject_name} ({pmks.name})"
        return facts

    def _with_person(self, entry: RegisterEntry, name: str) -> SubjectFacts:
        """The entry's person; for a household entry (RS-RTLH) the head of the family."""
        person_id = entry.person_id
        if person_id is None and entry.household_id:
            household = self.s.get(Household, entry.household_id)
            person_id = household.head_person_id if household else None
        person = _live_person(self.s, person_id)
        if person is None:
            blank = {k: "-" for k in ("nik", "no_kk", "tempat_lahir", "tanggal_lahir", "ttl",
                                      "umur", "jenis_kelamin", "alamat")}
            values = {**blank, "nama": name, "desa": _desa_name(self.s, entry.desa_code)}
            return SubjectFacts(entry.register_code, entry.id, name, values, identity=("", name))
        facts = self._person(person.id)
        facts.subject_type, facts.subject_id = entry.register_code, entry.id
        return facts

    # ------------------------------------------------------------- registers

    def _choice(self, form: FormSpec, name: str, values: dict) -> str:
        value = values.get(name)
        if value in (None, ""):
            return "-"
        if isinstance(value, list):
            return ", ".join(form.field(name).choice_label(v) for v in value) or "-"
        return form.field(name).choice_label(str(value)) if form.has_field(name) else str(value)

    def _group(self, entry, form, values) -> SubjectFacts:
        members = self._members(entry.id)
        head = next((p.name for role, p in members if role == "ketua"), "-")
        value = int(values.get("aid_value") or 0)
        if entry.register_code == "uep":
            value = int(values.get("aid_per_person") or 0) * len(members)
        bank = " ".join(str(values.get(k) or "") for k in ("bank_name", "account_number")).strip()
        items = [f"{i.get('quantity')} {i.get('unit')} {i.get('item')}"
                 for i in values.get("aid_items") or []]
        facts = SubjectFacts(entry.register_code, entry.id, entry.title, {
            "program": GROUP_PROGRAMS[entry.register_code], "nama_kelompok": entry.title,
            "jenis_usaha": self._choice(form, "business_type", values),
            "lokasi_usaha": values.get("address") or "-", "tahun": str(values.get("year") or "-"),
            "ketua": head, "jumlah_anggota": str(len(members)),
            "nilai_bantuan": rupiah(value, self.ctx.rupiah_style),
            "nilai_bantuan_terbilang": terbilang_rupiah(value),
            "rekening": bank or "-", "barang_bantuan": ", ".join(items) or "uang tunai",
            "desa": _desa_name(self.s, entry.desa_code)}, identity=("", entry.title))
        facts.recipients = RecipientTable(
            ("No.", "Nama", "NIK", "Jabatan", "Tanda Tangan"),
            [(str(i), p.name, p.nik or "-", _role_label(form, role), "")
             for i, (role, p) in enumerate(members, 1)],
            (0.06, 0.34, 0.22, 0.14, 0.24))
        return facts

    _kube = _uep = _group

    def _members(self, entry_id: str) -> list[tuple[str, Person]]:
        rows = self.s.exec(select(RegisterMember.role, Person).join(
            Person, Person.id == RegisterMember.person_id).where(
            RegisterMember.entry_id == entry_id, RegisterMember.deleted_at == None)).all()  # noqa
        return sorted(rows, key=lambda r: (ROLE_ORDER.get(r[0], 9), r[1].name))

    def _family(self, entry, form, values) -> SubjectFacts:
        """Fakir miskin households and KPM Sembako: the head of the family (or the KPM's
        pengurus) is the subject."""
        return self._with_person(entry, entry.title)

    _fakir_miskin = _kpm = _family

    def _rtlh(self, entry, form, values) -> SubjectFacts:
        facts = self._with_person(entry, entry.title)
        verdict = values.get("_verdict") or {}
        area = values.get("floor_area")
        validated = values.get("validated_on")
        facts.values.update({
            "luas_lantai": f"{area} m²" if area not in (None, "") else "-",
            "jumlah_penghuni": f"{values.get('occupants') or '-'} orang",
            "hasil_verifikasi": "Layak menerima RS-RTLH" if verdict.get("eligible")
            else "Tidak memenuhi syarat RS-RTLH",
            "alasan_verifikasi": "; ".join(verdict.get("reasons") or []) or "-",
            "tanggal_verifikasi": long_date(validated) if validated else "-"})
        return facts

    def _slrt(self, entry, form, values) -> SubjectFacts:
        facts = self._with_person(entry, entry.title)
        referred = values.get("referral_date")
        facts.values.update({
            "keluhan": values.get("complaint") or "-",
            "tujuan_rujukan": values.get("referral_target") or "-",
            "tanggal_rujukan": long_date(referred) if referred else "-",
            "rekomendasi_layanan": self._choice(form, "recommendations", values)})
        return facts

    def _event_values(self, event: RegisterEntry) -> dict[str, str]:
        form = self.ctx.forms["bencana"]
        values = decode_values(form, event.data)
        when = values.get("date")
        return {"nama_kejadian": event.title, "jenis_bencana": self._choice(form, "kind", values),
                "tanggal_kejadian": long_date(when) if when else "-",
                "lokasi_kejadian": values.get("location") or "-",
                "kk_terdampak": str(values.get("affected_households") or 0),
                "jiwa_terdampak": str(values.get("affected_persons") or 0)}

    def _bencana(self, entry, form, values) -> SubjectFacts:
        aid = self.s.exec(select(RegisterEntry).where(
            RegisterEntry.parent_id == entry.id, RegisterEntry.register_code == "bantuan_bencana",
            RegisterEntry.deleted_at == None).order_by(RegisterEntry.title)).all()  # noqa: E711
        aid_form = self.ctx.forms["bantuan_bencana"]
        facts = SubjectFacts("bencana", entry.id, entry.title,
                             {**self._event_values(entry), "desa": _desa_name(
                                 self.s, entry.desa_code), "jumlah_penerima": str(len(aid))},
                             identity=("", entry.title))
        rows = []
        for i, row in enumerate(aid, 1):
            v = decode_values(aid_form, row.data)
            rows.append((str(i), row.title, str(v.get("item") or "-"),
                         f"{_amount(v.get('quantity'))} {v.get('unit') or ''}".strip(), ""))
        facts.recipients = RecipientTable(("No.", "Nama Penerima", "Bantuan", "Jumlah",
                                           "Tanda Tangan"), rows, (0.06, 0.34, 0.22, 0.14, 0.24),
                                          numeric_columns=(3,))
        return facts

    def _korban_bencana(self, entry, form, values) -> SubjectFacts:
        facts = self._with_person(entry, entry.title)
        event = self.s.get(RegisterEntry, entry.parent_id) if entry.parent_id else None
        if event is not None:
            facts.values.update(self._event_values(event))
        facts.values["status_korban"] = self._choice(form, "victim_status", values)
        return facts
