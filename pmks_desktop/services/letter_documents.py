"""Template + facts + office → the LetterDocument the renderer draws; and the stored form of a
filled letter (JSON), so a reprint prints exactly what was issued."""
from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import date

from pmks_desktop.domain.formatting import long_date, long_date_with_day, terbilang
from pmks_desktop.domain.letter_facts import FIELD_BLOCKS, MISSING, MissingFact, fill
from pmks_desktop.domain.letter_templates import LetterTemplate, SignatureSpec, TemplateError
from pmks_desktop.reports.letter_model import (Fields, LetterDocument, Letterhead, Paragraph,
                                               Signature, Table)
from pmks_desktop.services.letter_facts import SubjectFacts
from pmks_desktop.services.letter_settings import LetterConfig
from pmks_desktop.storage.models import Office

DRAFT_NUMBER = "(diberikan saat surat diterbitkan)"


def letterhead(office: Office, emblem: bytes | None) -> Letterhead:
    unit = (f"KECAMATAN {office.kecamatan_name}" if office.mode == "kecamatan"
            else "DINAS SOSIAL")
    contact = [office.address]
    contact += [f"Telp. {office.phone}"] if office.phone else []
    contact += [f"Kode Pos {office.postcode}"] if office.postcode else []
    lines = ("  ".join(filter(None, contact)),)
    if office.email:
        lines += (f"Pos-el: {office.email}",)
    return Letterhead(f"PEMERINTAH {office.kabupaten_name}".upper(), unit.upper(), lines, emblem)


def office_values(office: Office, config: LetterConfig, on_behalf: bool) -> dict[str, str]:
    kecamatan = (office.kecamatan_name or "").title()
    values = {"provinsi": office.province_name, "kabupaten": office.kabupaten_name,
              "kecamatan": kecamatan, "tempat": office.place_name or kecamatan,
              "tksk": config.tksk_name or MISSING}
    if on_behalf:
        values.update(penandatangan=config.an_name, jabatan_penandatangan=config.an_title,
                      pangkat_penandatangan=config.an_rank, nip_penandatangan=config.an_nip)
    else:
        values.update(penandatangan=office.signer_name, jabatan_penandatangan=office.signer_title,
                      pangkat_penandatangan=office.signer_rank,
                      nip_penandatangan=office.signer_nip)
    return values


def letter_values(day: date, number: str) -> dict[str, str]:
    weekday = long_date_with_day(day).split(",")[0]
    spoken = (f"hari {weekday} tanggal {terbilang(day.day)} bulan {long_date(day).split()[1]} "
              f"tahun {terbilang(day.year)}")
    return {"nomor": number, "tanggal_surat": long_date(day), "hari_tanggal_terbilang": spoken}


def input_values(template: LetterTemplate, inputs: dict[str, str]) -> dict[str, str]:
    out = {}
    for spec in template.inputs:
        value = (inputs.get(spec.name) or "").strip()
        if spec.kind == "date" and value:
            value = long_date(date.fromisoformat(value))
        out[spec.name] = value or MISSING
    return out


def _camat_signature(office: Office, config: LetterConfig, on_behalf: bool) -> Signature:
    camat = office.signer_title.upper() if office.signer_title else "CAMAT"
    if on_behalf:
        return Signature((f"a.n. {camat}", f"{config.an_title},"), config.an_name,
                         config.an_rank, config.an_nip)
    return Signature((f"{camat},",), office.signer_name, office.signer_rank, office.signer_nip)


def _signature(spec: SignatureSpec, values: dict[str, str]) -> Signature:
    def f(text: str) -> str:
        return "" if fill(text, values) == MISSING else fill(text, values)

    return Signature(tuple(f(line) for line in spec.lines), f(spec.name), f(spec.rank),
                     f(spec.nip))


def _blocks(template: LetterTemplate, facts: SubjectFacts, values: dict[str, str]) -> tuple:
    blocks = []
    for item in template.body:
        if item.kind == "paragraph":
            blocks.append(Paragraph(fill(item.text, values, markup=True)))
        elif item.kind == "fields":
            rows = FIELD_BLOCKS[item.block] if item.block else item.rows
            filled = tuple((label, fill(value, values)) for label, value in rows)
            # A custom line left blank by the operator ("Berlaku sampai dengan") is left out.
            filled = tuple(r for r in filled if item.block or r[1] != MISSING)
            if filled:
                blocks.append(Fields(filled))
        elif facts.recipients is None:
            raise TemplateError(f"Templat {template.source}: tabel '{item.block}' tidak tersedia "
                                f"untuk surat dari data ini.")
        else:
            r = facts.recipients
            blocks.append(Table(r.headers, tuple(tuple(row) for row in r.rows), r.widths,
                                r.numeric_columns, signature_column=True))
    if template.closing:
        blocks.append(Paragraph(fill(template.closing, values, markup=True)))
    return tuple(blocks)


def build_document(template: LetterTemplate, facts: SubjectFacts, *, office: Office,
                   emblem: bytes | None, config: LetterConfig, inputs: dict[str, str],
                   day: date, number: str, paper: str, on_behalf: bool) -> LetterDocument:
    values = {**office_values(office, config, on_behalf), **letter_values(day, number),
              **facts.values, **input_values(template, inputs)}
    try:
        signatures = (tuple(_signature(s, values) for s in template.signatures)
                      or (_camat_signature(office, config, on_behalf),))
        return LetterDocument(
            paper=paper, layout=template.layout, letterhead=letterhead(office, emblem),
            number=number, place_date=f"{values['tempat']}, {long_date(day)}",
            blocks=_blocks(template, facts, values), signatures=signatures,
            title=fill(template.title, values), sifat=template.sifat,
            lampiran=fill(template.lampiran, values), hal=fill(template.hal, values),
            addressee=tuple(fill(line, values) for line in template.addressee),
            tembusan=tuple(fill(line, values) for line in template.tembusan),
            draft=number == DRAFT_NUMBER)
    except MissingFact as exc:
        raise TemplateError(
            f"Templat {template.source}: penanda {{{exc.name}}} tidak tersedia untuk surat dari "
            f"data ini. Pakai templat lain atau hapus penanda itu dari templat.") from None


# ------------------------------------------------------------- stored form

_BLOCK_TYPES = {"paragraph": Paragraph, "fields": Fields, "table": Table}
_TYPE_NAMES = {v: k for k, v in _BLOCK_TYPES.items()}


def document_to_json(doc: LetterDocument) -> str:
    """Everything but the emblem bytes (reprints take the office's emblem file)."""
    data = asdict(replace(doc, letterhead=replace(doc.letterhead, emblem=None)))
    data["blocks"] = [{"type": _TYPE_NAMES[type(b)], **asdict(b)} for b in doc.blocks]
    data["attachments"] = [{"type": _TYPE_NAMES[type(b)], **asdict(b)} for b in doc.attachments]
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _block(data: dict):
    kind = _BLOCK_TYPES[data.pop("type")]
    return kind(**{k: _tuples(v) for k, v in data.items()})


def document_from_json(text: str, emblem: bytes | None) -> LetterDocument:
    data = json.loads(text)
    head = data.pop("letterhead")
    head["address_lines"] = tuple(head["address_lines"])
    return LetterDocument(**{
        **{k: _tuples(v) for k, v in data.items()},
        "letterhead": Letterhead(**{**head, "emblem": emblem}),
        "blocks": tuple(_block(b) for b in data["blocks"]),
        "attachments": tuple(_block(b) for b in data["attachments"]),
        "signatures": tuple(Signature(*(_tuples(v) for v in s.values()))
                            for s in data["signatures"])})
