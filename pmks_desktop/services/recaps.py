"""Recap sheets (rekapitulasi): the main PMKS recap per desa x type, per bidang, per program,
per disaster event, and the monthly report; written as PDF (print) or .xlsx (export), audited.

What a period means. A recap "BULAN JULI TAHUN 2024" shows the state at 31 July 2024: every
PMKS recorded (recorded_on) on or before that day and not in the trash now. The case status is
*not* a filter: a case whose handling is finished ("selesai") still counts, because the recap is
the register of PMKS identified, and because a case's status has no dated history: excluding
by today's status would silently rewrite every earlier month. The number of closed cases is
printed as a note instead. The trash is today's trash for the same reason: a record found to
be wrong is wrong for every month; the data fingerprint shows that a reprint differs.

L / P is the sex of the person the record is about: a case's person; a register entry's person,
else its household head. A community (KAT) or a victim recorded by name only has none: such
records count in Jml only, and a note says how many.

Sheets are aggregate only (never a name of a person or a NIK), so they show sensitive types to
every user who may view data, as the Beranda does. Building one needs the view permission;
writing a PDF needs print, an .xlsx export.
"""
from __future__ import annotations

import os
from datetime import date, datetime, timezone
from pathlib import Path

from pmks_desktop.domain.catalogue import Catalogue
from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.domain.formatting import long_date
from pmks_desktop.domain.roles import EXPORT, PRINT, VIEW
from pmks_desktop.reports.letter_model import PAPER_SIZES_MM, Signature
from pmks_desktop.reports.recap_model import RecapSheet, make_sheet
from pmks_desktop.services import recap_queries as q
from pmks_desktop.services import recap_tables as tables
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.office import OfficeService
from pmks_desktop.services.recap_events import DisasterRecaps
from pmks_desktop.services.recap_queries import Period, RowDimension
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.database import Database

FORMATS = ("pdf", "xlsx")
PROGRAMS = {"kube": "KELOMPOK USAHA BERSAMA (KUBE)",
            "uep": "USAHA EKONOMI PRODUKTIF (UEP) PRSE",
            "kpm": "KELUARGA PENERIMA MANFAAT (KPM) PROGRAM SEMBAKO",
            "rtlh": "VALIDASI REHABILITASI SOSIAL RUMAH TIDAK LAYAK HUNI (RS-RTLH)"}
_ENTRY_NOTE = ("PMKS meliputi kasus PMKS dan data register yang memuat jenis PMKS (keluarga "
               "fakir miskin, korban bencana, komunitas adat terpencil) yang tidak berada di "
               "Sampah. L/P data keluarga menurut jenis kelamin kepala keluarga.")


class RecapService(DisasterRecaps):
    def __init__(self, db: Database, session: UserSession, catalogue: Catalogue,
                 forms: dict[str, FormSpec], office: OfficeService):
        self._db = db
        self._session = session
        self._catalogue = catalogue
        self._forms = forms
        self._office = office

    # ------------------------------------------------------------- the PMKS recaps

    def main_recap(self, period: Period | None = None, *, only_with_data: bool = False,
                   tksk: str | None = None) -> RecapSheet:
        """Rows = desa, columns = every current catalogue type (or only the types with data)
        split L / P / Jml, with totals; see the module docstring for the period."""
        return self._pmks_sheet(period, None, only_with_data, tksk)

    def bidang_recap(self, bidang: str, period: Period | None = None, *,
                     only_with_data: bool = False, tksk: str | None = None) -> RecapSheet:
        """The main recap restricted to one bidang: cases by the bidang they were recorded
        under, register entries by the bidang of their type (as the Beranda counts them)."""
        if bidang not in {b.code for b in self._catalogue.bidang}:
            choices = ", ".join(b.code for b in self._catalogue.bidang)
            raise ServiceError(f"Bidang '{bidang}' tidak dikenal. Pilihan: {choices}.")
        return self._pmks_sheet(period, bidang, only_with_data, tksk)

    def _pmks_sheet(self, period, bidang, only_with_data, tksk) -> RecapSheet:
        self._session.require(VIEW)
        period = period or Period.of(date.today())
        dim, moment = self._dimension(), datetime.now(timezone.utc)
        with self._db.read() as s:
            rows = q.pmks_counts(s.connection(), dim.key_length, period.end)
            tksk = self._tksk(s, tksk)
        type_bidang = {t.code: t.bidang for t in self._catalogue.types}
        kept = [r for r in rows
                if bidang is None or (r.bidang or type_bidang.get(r.type_code)) == bidang]
        types = self._types(bidang, {r.type_code for r in kept}, only_with_data)
        table = tables.pmks_table(dim, self._catalogue, kept, types)
        notes = [f"Keadaan sampai dengan {long_date(period.end)}. {_ENTRY_NOTE}"]
        notes += _sex_notes(kept) + _closed_note(kept)
        title = ["REKAPITULASI DATA PMKS"]
        if bidang:
            title.append(f"BIDANG {self._catalogue.bidang_name(bidang).upper()}")
        stem = f"rekap-pmks-{bidang + '-' if bidang else ''}{period.code}"
        legend = tuple((c, self._type_name(c)) for c in types)
        return self._sheet("bidang" if bidang else "pmks", title, period.label, [table],
                           moment, tksk, notes=notes, legend=legend, file_stem=stem)

    def _types(self, bidang: str | None, with_data: set[str], only_with_data: bool) -> list[str]:
        """Catalogue order; retired types and types outside the catalogue only with data."""
        listed = [t.code for t in self._catalogue.types if not t.retired
                  and (bidang is None or t.bidang == bidang)]
        codes = [c for c in listed if c in with_data] if only_with_data else listed
        extra = [t.code for t in self._catalogue.types if t.code in with_data
                 and t.code not in codes]
        unknown = sorted(with_data - {t.code for t in self._catalogue.types})
        order = {t.code: i for i, t in enumerate(self._catalogue.types)}
        return sorted(codes + extra, key=lambda c: order.get(c, len(order))) + unknown

    # ------------------------------------------------------------- programs

    def program_recap(self, program: str, period: Period | None = None, *,
                      tksk: str | None = None) -> RecapSheet:
        """KUBE, UEP, KPM Sembako or RS-RTLH per desa, as of the end of the month (entries
        dated on or before it: proposal date, period start, validation date)."""
        if program not in PROGRAMS:
            raise ServiceError(f"Program '{program}' tidak dikenal. Pilihan: "
                               f"{', '.join(PROGRAMS)}.")
        self._session.require(VIEW)
        period = period or Period.of(date.today())
        dim, moment = self._dimension(), datetime.now(timezone.utc)
        with self._db.read() as s:
            table, notes = self._program_table(s.connection(), program, dim, period)
            tksk = self._tksk(s, tksk)
        notes.insert(0, f"Keadaan sampai dengan {long_date(period.end)}; data di Sampah tidak "
                        "dihitung.")
        return self._sheet("program", [f"REKAPITULASI {PROGRAMS[program]}"], period.label,
                           [table], moment, tksk, notes=notes,
                           file_stem=f"rekap-{program}-{period.code}")

    @staticmethod
    def _program_table(conn, program: str, dim: RowDimension, period: Period):
        key, end = dim.key_length, period.end
        if program in ("kube", "uep"):
            table, rejected = tables.group_program_table(
                dim, program, *q.group_program(conn, program, key, end))
            notes = ["Nilai bantuan: " + ("nilai per kelompok" if program == "kube" else
                                          "nilai per orang dikali jumlah anggota")
                     + " untuk kelompok yang belum atau sudah disalurkan."]
            if rejected:
                notes.append(f"Tidak termasuk {rejected} usulan yang ditolak.")
            return table, notes
        if program == "kpm":
            return tables.kpm_table(dim, q.kpm(conn, key, end)), [
                "Nilai bantuan per bulan: jumlah indeks bantuan KPM berstatus aktif (status "
                "kepesertaan saat ini)."]
        return tables.rtlh_table(dim, q.rtlh(conn, key, end)), [
            "Layak: memenuhi syarat menerima RS-RTLH (Permensos 20/2017), dihitung dari isian "
            "validasi; Belum Dinilai: data yang disimpan sebelum penilaian otomatis ada."]

    # ------------------------------------------------------------- monthly report

    def monthly_report(self, period: Period | None = None, *,
                       tksk: str | None = None) -> RecapSheet:
        """What happened within the month, per desa: new PMKS per type (cases and register
        entries recorded in the month), new proposals and validations, Sembako in payment,
        disaster aid handed over."""
        self._session.require(VIEW)
        period = period or Period.of(date.today())
        dim, moment = self._dimension(), datetime.now(timezone.utc)
        with self._db.read() as s:
            conn = s.connection()
            new = q.pmks_counts(conn, dim.key_length, period.end, period.start)
            within = q.entries_within(conn, dim.key_length, period.start, period.end)
            kpm = q.kpm(conn, dim.key_length, period.end)
            tksk = self._tksk(s, tksk)
        types = self._types(None, {r.type_code for r in new}, only_with_data=True)
        first = tables.pmks_table(dim, self._catalogue, new, types,
                                  heading="A. PMKS baru dicatat bulan ini")
        second = tables.monthly_aid_table(dim, within, kpm, "B. Program dan bantuan sosial")
        notes = [f"PMKS baru: dicatat tanggal {long_date(period.start)} s.d. "
                 f"{long_date(period.end)}. {_ENTRY_NOTE}", *_sex_notes(new),
                 "Usulan KUBE/UEP menurut tanggal usulan; RS-RTLH menurut tanggal validasi; "
                 "bantuan bencana menurut tanggal penyerahan.",
                 "Program Sembako: KPM berstatus aktif yang periodenya mulai paling lambat "
                 "akhir bulan; nilai = indeks bantuan per bulan."]
        return self._sheet("bulanan", ["LAPORAN BULANAN PENANGANAN PMKS"], period.label,
                           [first, second], moment, tksk, notes=notes,
                           legend=tuple((c, self._type_name(c)) for c in types),
                           file_stem=f"laporan-bulanan-{period.code}")

    # ------------------------------------------------------------- writing files

    def write(self, sheet: RecapSheet, path: Path | str, fmt: str | None = None,
              paper: str = "A4") -> Path:
        """Render and save; the audit entry and the file's appearance under its real name
        happen together (a file that exists is always in the trail)."""
        path = Path(path)
        fmt = (fmt or path.suffix.lstrip(".") or "pdf").lower()
        if fmt not in FORMATS:
            raise ServiceError(f"Format '{fmt}' tidak dikenal: pilih pdf atau xlsx.")
        if paper not in PAPER_SIZES_MM:
            raise ServiceError(f"Ukuran kertas '{paper}' tidak dikenal: pilih A4 atau F4.")
        actor = self._session.require(PRINT if fmt == "pdf" else EXPORT)
        partial = path.with_name(path.name + ".partial")
        renamed = False
        try:
            _render(sheet, partial, fmt, paper)
            with self._db.write(actor.user_id) as s:
                append_audit(s, action="print" if fmt == "pdf" else "export", entity="recap",
                             detail={"what": sheet.title, "kind": sheet.kind, "format": fmt,
                                     "paper": paper, "hash": sheet.data_hash,
                                     "file": path.name},
                             user_id=actor.user_id, username=actor.username)
                os.replace(partial, path)
                renamed = True
        except OSError as exc:
            raise ServiceError(f"Berkas {path.name} tidak dapat ditulis: "
                               f"{exc.strerror or exc}. Tutup berkas itu bila sedang dibuka, "
                               "atau pilih folder lain.") from exc
        except BaseException:
            if renamed:  # the audit entry did not commit: the file must not stay either
                path.unlink(missing_ok=True)
            raise
        finally:
            partial.unlink(missing_ok=True)
        return path

    # ------------------------------------------------------------- shared

    def _dimension(self) -> RowDimension:
        office = self._office.office()
        if office.mode != "kecamatan":
            # At the hub the rows are the kabupaten's kecamatan (a prefix of the desa code).
            names = self._office.kecamatan_names()
            if not names:
                raise ServiceError("Daftar kecamatan kabupaten ini belum ada: impor berkas "
                                   "wilayah Kepmendagri saat pengaturan awal.")
            members = tuple((c, n.title()) for c, n in sorted(names.items()))
            return RowDimension("Kecamatan", members, q.KECAMATAN_KEY,
                                other_label="Di luar kabupaten / tanpa wilayah")
        members = sorted((d.code, d.name) for d in self._office.desa_list(active_only=False))
        return RowDimension("Desa", tuple(members), q.DESA_KEY)

    def _tksk(self, s, given: str | None) -> str:
        return given if given is not None else q.tksk_name(s.connection())

    def _type_name(self, code: str) -> str:
        known = {t.code: t.name for t in self._catalogue.types}
        return known.get(code, "Jenis tidak dikenal di katalog")

    def _sheet(self, kind: str, title: list[str], period_label: str, sheet_tables: list,
               moment: datetime, tksk: str, **extra) -> RecapSheet:
        office = self._office.office()
        place = office.place_name or (office.kecamatan_name or "").title()
        head = Signature(("Mengetahui,", f"{(office.signer_title or 'Camat').upper()},"),
                         office.signer_name, office.signer_rank, office.signer_nip)
        if office.mode == "kecamatan":
            area = f"KECAMATAN {office.kecamatan_name} {office.kabupaten_name}".upper()
            worker = Signature((f"TKSK Kecamatan {(office.kecamatan_name or '').title()},",),
                               tksk)
            signatures = (head, worker)
        else:  # the Dinas Sosial: the whole kabupaten, signed by the head of the Dinas
            area, signatures = office.kabupaten_name.upper(), (head,)
        return make_sheet(kind=kind, title_lines=[*title, area], period_label=period_label,
                          tables=sheet_tables, extracted_at=moment,
                          place_date=f"{place}, {long_date(moment.astimezone())}",
                          signatures=signatures, **extra)


def _sex_notes(rows: list[q.PmksCount]) -> list[str]:
    unknown = sum(r.count for r in rows if r.sex not in tables.SEXES)
    if not unknown:
        return []
    return [f"Jml memuat {unknown} data tanpa jenis kelamin (komunitas adat terpencil, atau "
            "korban yang dicatat tanpa data penduduk), sehingga Jml dapat melebihi L + P."]


def _closed_note(rows: list[q.PmksCount]) -> list[str]:
    closed = sum(r.closed or 0 for r in rows)
    return [f"Termasuk {closed} kasus yang penanganannya sudah selesai."] if closed else []


def _render(sheet: RecapSheet, path: Path, fmt: str, paper: str) -> None:
    # reportlab and openpyxl are imported only when a file is written (start-up stays light).
    if fmt == "pdf":
        from pmks_desktop.reports.recap_pdf import render_recap

        path.write_bytes(render_recap(sheet, paper))
    else:
        from pmks_desktop.reports.recap_xlsx import write_recap_xlsx

        write_recap_xlsx(sheet, path, paper)
