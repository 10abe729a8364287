"""The buku agenda surat keluar: browse, reprint (with a reason), void (with a reason), export,
and check a letter's verification code."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import or_
from sqlmodel import select

from pmks_desktop.domain.letter_qr import PayloadError, parse_payload
from pmks_desktop.domain.roles import EXPORT, PRINT, VIEW
from pmks_desktop.services.errors import NotFound, ServiceError, ValidationFailed, Issue
from pmks_desktop.services.letter_documents import document_from_json
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.models import LetterEvent, OutgoingLetter, utc_now
from pmks_desktop.sync import keys

STATUS_LABELS = {"terbit": "Terbit", "batal": "Batal"}
EVENT_LABELS = {"terbit": "Diterbitkan", "cetak_ulang": "Dicetak ulang", "batal": "Dibatalkan"}


@dataclass(frozen=True)
class Verification:
    valid: bool
    message: str
    number: str = ""
    letter_date: date | None = None
    office_code: str = ""
    office_name: str = ""
    subject_matches: bool | None = None  # None: no NIK/name given to compare
    on_register: bool | None = None  # this install's own letter: still "terbit"?


class LetterRegister:
    def __init__(self, db, session, office, keyring):
        self._db, self._session, self._office, self._keyring = db, session, office, keyring

    # ------------------------------------------------------------- browsing

    def years(self) -> list[int]:
        self._session.require(VIEW)
        with self._db.read() as s:
            years = s.exec(select(OutgoingLetter.year).distinct()).all()
        return sorted(set(years) | {date.today().year}, reverse=True)

    def letters(self, year: int, text: str = "", status: str = "") -> list[OutgoingLetter]:
        self._session.require(PRINT)
        query = select(OutgoingLetter).where(OutgoingLetter.year == year,
                                             OutgoingLetter.deleted_at == None)  # noqa: E711
        if status:
            query = query.where(OutgoingLetter.status == status)
        if text.strip():
            like = f"%{text.strip()}%"
            query = query.where(or_(OutgoingLetter.number.ilike(like),
                                    OutgoingLetter.subject_name.ilike(like),
                                    OutgoingLetter.hal.ilike(like),
                                    OutgoingLetter.kind_label.ilike(like)))
        with self._db.read() as s:
            return list(s.exec(query.order_by(OutgoingLetter.series, OutgoingLetter.serial)))

    def events(self, letter_id: str) -> list[LetterEvent]:
        self._session.require(PRINT)
        with self._db.read() as s:
            return list(s.exec(select(LetterEvent).where(LetterEvent.letter_id == letter_id)
                               .order_by(LetterEvent.created_at)))

    # ------------------------------------------------------------- changes

    def _load(self, s, letter_id: str) -> OutgoingLetter:
        letter = s.get(OutgoingLetter, letter_id)
        if letter is None:
            raise NotFound("Surat tidak ditemukan di buku agenda.")
        return letter

    @staticmethod
    def _reason(reason: str) -> str:
        if len((reason or "").strip()) < 5:
            raise ValidationFailed([Issue("reason", "Alasan wajib diisi (paling sedikit 5 "
                                                    "huruf).")])
        return reason.strip()

    def reprint(self, letter_id: str, reason: str) -> bytes:
        """The same letter again (same number, text and QR code), recorded with its reason."""
        from pmks_desktop.reports.letter_pdf import render_letter

        actor = self._session.require(PRINT)
        reason = self._reason(reason)
        with self._db.write(actor.user_id) as s:
            letter = self._load(s, letter_id)
            if letter.status == "batal":
                raise ServiceError(f"Surat {letter.number} sudah dibatalkan dan tidak dapat "
                                   "dicetak ulang.")
            letter.print_count += 1
            s.add(LetterEvent(letter_id=letter.id, action="cetak_ulang", reason=reason))
            append_audit(s, action="print", entity="letter", entity_id=letter.id,
                         detail={"number": letter.number, "reprint": reason},
                         user_id=actor.user_id, username=actor.username)
            doc = document_from_json(letter.document, self._office.emblem_bytes())
            return render_letter(doc)

    def void(self, letter_id: str, reason: str) -> None:
        actor = self._session.require(PRINT)
        reason = self._reason(reason)
        with self._db.write(actor.user_id) as s:
            letter = self._load(s, letter_id)
            if letter.status == "batal":
                raise ServiceError(f"Surat {letter.number} sudah dibatalkan.")
            letter.status, letter.status_reason = "batal", reason
            letter.updated_at = utc_now()
            s.add(LetterEvent(letter_id=letter.id, action="batal", reason=reason))
            append_audit(s, action="void", entity="letter", entity_id=letter.id,
                         detail={"number": letter.number, "reason": reason},
                         user_id=actor.user_id, username=actor.username)

    # ------------------------------------------------------------- export

    def export(self, year: int, target: Path) -> Path:
        from pmks_desktop.reports.xlsx_export import write_table

        actor = self._session.require(EXPORT)
        rows = self.letters(year)
        headers = ("No. Urut", "Nomor Surat", "Tanggal", "Jenis Surat", "Hal",
                   "Data / Penerima", "Status", "Alasan", "Dicetak (kali)")
        kinds = ("int", "text", "date", "text", "text", "text", "text", "text", "int")
        data = ([r.serial, r.number, r.letter_date, r.kind_label, r.hal, r.subject_name,
                 STATUS_LABELS.get(r.status, r.status), r.status_reason or "", r.print_count]
                for r in rows)
        write_table(target, title=f"Buku Agenda Surat Keluar {year}",
                    subtitle=f"Tahun {year}: {len(rows)} surat", headers=headers, rows=data,
                    kinds=kinds)
        with self._db.write(actor.user_id) as s:
            append_audit(s, action="export", entity="letter", detail={"year": year,
                         "rows": len(rows), "file": target.name},
                         user_id=actor.user_id, username=actor.username)
        return target

    # ------------------------------------------------------------- verification

    def verify(self, payload: str, nik: str = "", name: str = "") -> Verification:
        """Offline check of a scanned code against our own keys and imported office keys."""
        try:
            claim, signature = parse_payload(payload)
        except PayloadError as exc:
            return Verification(False, exc.message)
        key = self._keyring.verification_key(claim.key_id)
        base = dict(number=claim.number, letter_date=claim.letter_date,
                    office_code=claim.office_code)
        if key is None:
            return Verification(False, f"Kunci penanda tangan {keys.grouped(claim.key_id)} "
                                       "tidak dikenal. Impor kunci publik kantor penerbit, lalu "
                                       "periksa lagi.", **base)
        if not keys.verify(key.public, claim.message(), signature):
            return Verification(False, "TIDAK SAH: isi kode tidak cocok dengan tanda tangannya "
                                       "(kode diubah atau rusak).", **base)
        office = key.office_name or "kantor ini"
        matches = claim.matches(nik, name) if (nik or name) else None
        on_register = self._own_status(claim.number) if key.own else None
        message = f"SAH: surat {claim.number} tanggal {claim.letter_date:%d-%m-%Y} diterbitkan " \
                  f"oleh {office}."
        if key.revoked_at is not None:
            return Verification(False, "Kunci penerbit sudah dicabut; surat tidak dapat "
                                       "dipercaya.", office_name=office, **base)
        return Verification(True, message, office_name=office, subject_matches=matches,
                            on_register=on_register, **base)

    def _own_status(self, number: str) -> bool | None:
        with self._db.read() as s:
            letter = s.exec(select(OutgoingLetter).where(OutgoingLetter.number == number)).first()
        return None if letter is None else letter.status == "terbit"
