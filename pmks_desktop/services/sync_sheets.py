"""The paper that goes with sync files: the cover sheet of a kiriman (counts and file names only,
never a name or NIK) and the enrolment sheet whose fingerprints are compared by eye.

Plain data in, PDF bytes out (reports/letter_pdf); reportlab is imported when a sheet is made.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Sequence

from pmks_desktop.domain.formatting import long_date, number_id
from pmks_desktop.reports.letter_model import (Fields, LetterDocument, Paragraph, Signature,
                                               Table)
from pmks_desktop.services.letter_documents import letterhead

COVER_TITLE = "LEMBAR PENGANTAR KIRIMAN DATA PMKS"
ENROLMENT_TITLE = "LEMBAR ENROLMEN KOMPUTER"


def short_id(bundle_id: str) -> str:
    return bundle_id.replace("-", "")[:8]


def enrolment_qr(enrolment) -> str:
    return (f"PMKS-ENROL1|{enrolment.node_id}|{enrolment.office_code}|"
            f"{enrolment.sign_key_id}|{enrolment.box_key_id}")


class SyncSheets:
    def __init__(self, office, letter_settings):
        self._office, self._settings = office, letter_settings

    def _frame(self, title: str, number: str, blocks: tuple, qr: str, caption: str,
               day: date) -> LetterDocument:
        office = self._office.office()
        place = office.place_name or (office.kecamatan_name or office.kabupaten_name).title()
        title_line = f"{office.signer_title.upper()}," if office.signer_title else "PIMPINAN,"
        return LetterDocument(
            paper=self._settings.current().paper, layout="keterangan",
            letterhead=letterhead(office, self._office.emblem_bytes()), number=number,
            place_date=f"{place}, {long_date(day)}", blocks=blocks, title=title,
            signatures=(Signature((title_line,), office.signer_name, office.signer_rank,
                                  office.signer_nip),),
            qr_payload=qr, qr_caption=caption)

    def cover_sheet(self, *, office_name: str, hub_name: str, by_table: Counter,
                    bundles: Sequence, day: date | None = None) -> LetterDocument:
        """`bundles`: the WrittenBundle list of one export; `by_table`: register label -> n."""
        day = day or date.today()
        ids = [short_id(b.bundle_id) for b in bundles]
        total = sum(b.op_count for b in bundles)
        counts = Table(("No.", "Register", "Jumlah perubahan"),
                       tuple((str(i), label, number_id(n)) for i, (label, n) in
                             enumerate(sorted(by_table.items()), 1)),
                       (0.08, 0.62, 0.30), numeric_columns=(2,),
                       total_row=("", "Jumlah", number_id(sum(by_table.values()))))
        files = Table(("No.", "Nama berkas", "Kode kiriman"),
                      tuple((str(i), b.path.name, short_id(b.bundle_id)) for i, b in
                            enumerate(bundles, 1)), (0.08, 0.70, 0.22))
        blocks = (
            Paragraph(f"Bersama lembar ini {office_name} menyampaikan kiriman data PMKS kepada "
                      f"{hub_name} dalam bentuk berkas terenkripsi pada flashdisk, dengan "
                      "rincian sebagai berikut:"),
            Fields((("Dari", office_name), ("Kepada", hub_name),
                    ("Tanggal kiriman", long_date(day)),
                    ("Jumlah berkas", number_id(len(bundles))),
                    ("Jumlah perubahan", number_id(total)))),
            counts, files,
            Paragraph("Berkas hanya dapat dibuka dengan kunci Dinas Sosial dan lembar ini tidak "
                      "memuat data pribadi. Mohon Dinas Sosial mengimpor berkas tersebut dan "
                      "mengirimkan tanda terima kepada kami."))
        return self._frame(COVER_TITLE, f"Kiriman {', '.join(ids)}", blocks,
                           "PMKS-KIRIM1|" + "|".join(b.bundle_id for b in bundles),
                           "Kode kiriman", day)

    def enrolment_sheet(self, enrolment, day: date | None = None) -> LetterDocument:
        day = day or date.today()
        sign_fp, box_fp = enrolment.fingerprints
        office = enrolment.role == "office"
        compare = ("Petugas Dinas Sosial: bandingkan sidik kunci ini dengan yang tampil di "
                   "layar Dinas Sosial saat berkas enrolmen diimpor. Jika ada satu huruf pun "
                   "yang berbeda, jangan daftarkan komputer ini." if office else
                   "Kantor kecamatan: bandingkan sidik kunci tanda tangan ini dengan yang "
                   "tampil di layar saat tanda terima pertama dari Dinas Sosial diimpor. Jika "
                   "ada satu huruf pun yang berbeda, jangan lanjutkan.")
        blocks = (
            Paragraph("Komputer di bawah ini memakai PMKS Desktop untuk mengirim dan menerima "
                      "data PMKS melalui berkas terenkripsi. Kunci publiknya dikenali dengan "
                      "sidik kunci berikut:"),
            Fields((("Kantor", enrolment.office_name),
                    ("Kode wilayah", enrolment.office_code),
                    ("Peran", "Kantor kecamatan" if office else "Dinas Sosial (pusat data)"),
                    ("ID komputer", enrolment.node_id),
                    ("Sidik kunci tanda tangan", sign_fp),
                    ("Sidik kunci penyandian", box_fp),
                    ("Tanggal", long_date(day)))),
            Paragraph(compare))
        return self._frame(ENROLMENT_TITLE, f"ENROL/{enrolment.office_code}/"
                                            f"{enrolment.node_id[:8]}", blocks,
                           enrolment_qr(enrolment), "Data enrolmen", day)

    @staticmethod
    def pdf(doc: LetterDocument) -> bytes:
        from pmks_desktop.reports.letter_pdf import render_letter

        return render_letter(doc)
