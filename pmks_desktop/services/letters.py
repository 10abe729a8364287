"""Issuing letters: number from the register, sign the QR code, render, record; all in one
transaction, so a letter that fails to render never takes a number (no gaps), and two letters
issued at once never share one (the write lock is BEGIN IMMEDIATE).

A batch (all KUBE handover minutes of a year) is one transaction too: cancelled or failed, no
number is used; finished, every letter is numbered in order inside one PDF.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Callable, Iterable

from sqlmodel import select

from pmks_desktop.domain.letter_qr import LetterClaim, subject_hash
from pmks_desktop.domain.letter_templates import LetterTemplate, TemplateError, load_templates
from pmks_desktop.domain.roles import PRINT
from pmks_desktop.paths import resources_dir
from pmks_desktop.services.errors import (Issue, NotFound, OperationCancelled, ServiceError,
                                          ValidationFailed)
from pmks_desktop.services.letter_documents import (DRAFT_NUMBER, build_document,
                                                    document_to_json)
from pmks_desktop.services.letter_facts import FactContext, FactReader
from pmks_desktop.services.letter_numbers import LetterNumbers
from pmks_desktop.services.letter_settings import format_number
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.models import LetterEvent, OutgoingLetter, RegisterEntry
from pmks_desktop.sync.keys import sign

TEMPLATE_FOLDER = "templat-surat"  # in the data folder: the office's own templates
QR_CAPTION = "Kode verifikasi surat: pindai dengan PMKS Desktop (menu Surat → Periksa Keaslian)"
MAX_DAYS_AHEAD = 7


@dataclass
class LetterRequest:
    template_id: str
    subject_type: str
    subject_id: str
    inputs: dict[str, str] = field(default_factory=dict)
    letter_date: date = field(default_factory=date.today)
    paper: str = ""  # empty: the configured paper
    on_behalf: bool = False  # signed "a.n. Camat" by the configured official


@dataclass(frozen=True)
class IssuedLetter:
    letter_id: str
    number: str
    pdf: bytes


class LetterService:
    def __init__(self, deps):
        """`deps`: the AppServices (db, session, catalogue, forms, office, keyring, letter
        settings); letters read from all of them."""
        self._d = deps

    # ------------------------------------------------------------- templates

    def templates(self) -> dict[str, LetterTemplate]:
        """Read afresh each time: an office may edit its templates while the program runs."""
        override = self._d.db.paths.root / TEMPLATE_FOLDER
        try:
            return load_templates(resources_dir() / "letters", override)
        except TemplateError as exc:
            raise ServiceError(exc.message) from None

    def template_folder(self):
        folder = self._d.db.paths.root / TEMPLATE_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def templates_for(self, subject_type: str) -> list[LetterTemplate]:
        return sorted((t for t in self.templates().values() if subject_type in t.subjects),
                      key=lambda t: (t.kind, t.label))

    def _template(self, template_id: str) -> LetterTemplate:
        template = self.templates().get(template_id)
        if template is None:
            raise NotFound(f"Templat surat '{template_id}' tidak ditemukan.")
        return template

    def batch_subjects(self, subject_type: str, year: int) -> list[tuple[str, str]]:
        """(id, title) of the records of one year a batch prints for: KUBE/UEP groups of that
        budget year that were not rejected, or the register's entries dated in that year."""
        self._d.session.require(PRINT)
        if subject_type in ("person", "case"):
            raise ServiceError("Cetak massal tersedia untuk data register (KUBE, UEP, RS-RTLH, "
                               "SLRT, bencana), bukan untuk data penduduk atau PMKS.")
        query = select(RegisterEntry).where(RegisterEntry.register_code == subject_type,
                                            RegisterEntry.deleted_at == None)  # noqa: E711
        with self._d.db.read() as s:
            rows = s.exec(query.order_by(RegisterEntry.title)).all()
        if subject_type in ("kube", "uep"):
            return [(r.id, r.title) for r in rows if r.status != "ditolak"
                    and json.loads(r.data).get("year") == year]
        return [(r.id, r.title) for r in rows if r.recorded_on and r.recorded_on.year == year]

    # ------------------------------------------------------------- preparing

    def _check(self, template: LetterTemplate, req: LetterRequest, last: date | None) -> None:
        issues = [Issue(spec.name, f"{spec.label} wajib diisi.") for spec in template.inputs
                  if spec.required and not (req.inputs.get(spec.name) or "").strip()]
        for spec in template.inputs:
            value = (req.inputs.get(spec.name) or "").strip()
            if spec.kind == "date" and value:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    issues.append(Issue(spec.name, f"{spec.label}: tanggal tidak sah."))
        if req.subject_type not in template.subjects:
            issues.append(Issue("template", f"{template.label} tidak dapat dibuat dari data ini."))
        if req.letter_date > date.today() + timedelta(days=MAX_DAYS_AHEAD):
            issues.append(Issue("letter_date", f"Tanggal surat paling lambat {MAX_DAYS_AHEAD} "
                                               "hari ke depan."))
        if last is not None and req.letter_date < last:
            issues.append(Issue("letter_date", "Tanggal surat tidak boleh lebih awal dari surat "
                                               f"terakhir di buku agenda ({last:%d-%m-%Y}): "
                                               "nomor urut mengikuti tanggal."))
        if issues:
            raise ValidationFailed(issues, "Surat belum dapat dibuat")

    @staticmethod
    def _with_defaults(template: LetterTemplate, req: LetterRequest) -> LetterRequest:
        """An input not given at all (the CLI) takes the template's default; one given empty
        (cleared in the dialog) stays empty and is checked."""
        defaults = {spec.name: spec.default for spec in template.inputs}
        return replace(req, inputs={**defaults, **req.inputs})

    def _context(self) -> FactContext:
        actor = self._d.session.actor
        return FactContext(self._d.catalogue, self._d.forms, actor.can_view_sensitive,
                           self._d.letter_settings.current().rupiah_style)

    def _document(self, s, template, req: LetterRequest, number: str):
        config = self._d.letter_settings.current()
        facts = FactReader(s, self._context(), req.letter_date).read(req.subject_type,
                                                                      req.subject_id)
        try:
            doc = build_document(template, facts, office=self._d.office.office(),
                                 emblem=self._d.office.emblem_bytes(), config=config,
                                 inputs=req.inputs, day=req.letter_date, number=number,
                                 paper=req.paper or config.paper, on_behalf=req.on_behalf)
        except TemplateError as exc:
            raise ServiceError(exc.message) from None
        self._check_glyphs(facts.values, req.inputs)
        return doc, facts

    @staticmethod
    def _check_glyphs(*texts: dict[str, str]) -> None:
        """A character the embedded font lacks would print as an empty box: refuse instead."""
        from pmks_desktop.reports.fonts import missing_glyphs

        missing = missing_glyphs("".join(v for t in texts for v in t.values() if v))
        if missing:
            raise ServiceError("Huruf berikut tidak dapat dicetak dengan huruf surat: "
                               f"{' '.join(sorted(missing))}. Periksa ejaan nama atau isian "
                               "(tulis dengan huruf Latin).")

    def preview(self, req: LetterRequest) -> bytes:
        """A draft (marked DRAF, no number, no QR) to check before a number is used."""
        from pmks_desktop.reports.letter_pdf import render_letter

        self._d.session.require(PRINT)
        template = self._template(req.template_id)
        req = self._with_defaults(template, req)
        self._check(template, req, None)
        with self._d.db.read() as s:
            doc, _facts = self._document(s, template, req, DRAFT_NUMBER)
        return render_letter(doc)

    # ------------------------------------------------------------- issuing

    def issue(self, req: LetterRequest) -> IssuedLetter:
        pdf_parts: list[IssuedLetter] = []
        pdf = self.issue_batch([req], collected=pdf_parts)
        return replace(pdf_parts[0], pdf=pdf)

    def issue_batch(self, requests: Iterable[LetterRequest], *, total: int | None = None,
                    progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None,
                    collected: list | None = None) -> bytes:
        """Numbers, signs and renders every letter into one PDF, in one transaction."""
        from pmks_desktop.reports.letter_pdf import RenderCancelled, render_letters

        actor = self._d.session.require(PRINT)
        requests = list(requests)
        key_id, seed = self._d.keyring.signing_key()  # fails before any number is taken
        office = self._d.office.office()
        numbers = LetterNumbers(self._d.db, self._d.db.node_state()[0])
        issued = collected if collected is not None else []
        with self._d.db.write(actor.user_id) as s:
            def letters():
                for req in requests:
                    yield self._issue_one(s, req, numbers, office.kecamatan_code or
                                          office.kabupaten_code, key_id, seed, issued, actor)
            try:
                pdf = render_letters(letters(), total=len(requests), progress=progress,
                                     cancelled=cancelled)
            except RenderCancelled:
                raise OperationCancelled("Pencetakan dibatalkan; tidak ada nomor surat yang "
                                         "terpakai.") from None
        numbers.remember()
        return pdf

    def _issue_one(self, s, req, numbers: "LetterNumbers", office_code, key_id, seed, issued,
                   actor):
        template = self._template(req.template_id)
        req = self._with_defaults(template, req)
        self._check(template, req, numbers.last_date(s, req.letter_date.year))
        config = self._d.letter_settings.current()
        serial = numbers.allocate(s, req.letter_date.year, actor)
        number = format_number(config, serial=serial, month=req.letter_date.month,
                               year=req.letter_date.year, klasifikasi=template.klasifikasi)
        doc, facts = self._document(s, template, req, number)
        claim = LetterClaim(office_code, number, req.letter_date,
                            subject_hash(number, *facts.identity), key_id)
        doc = replace(doc, qr_payload=claim.payload(sign(seed, claim.message())),
                      qr_caption=QR_CAPTION, footer=f"{template.label} · {number}")
        letter = OutgoingLetter(
            series=numbers.series, office_code=office_code, year=req.letter_date.year,
            serial=serial, number=number, kind=template.id, kind_label=template.label,
            letter_date=req.letter_date, hal=doc.hal or doc.title, subject_type=req.subject_type,
            subject_id=req.subject_id, subject_name=facts.subject_name[:200], print_count=1,
            paper=doc.paper, key_id=key_id, qr_payload=doc.qr_payload,
            document=document_to_json(doc))
        s.add(letter)
        s.flush()
        s.add(LetterEvent(letter_id=letter.id, action="terbit"))
        append_audit(s, action="print", entity="letter", entity_id=letter.id,
                     detail={"number": number, "kind": template.id,
                             "subject": [req.subject_type, req.subject_id]},
                     user_id=actor.user_id, username=actor.username)
        issued.append(IssuedLetter(letter.id, number, b""))
        return doc
