"""Letter batch benchmark: 1,000 one-page letters with a QR code each, into one PDF.

Every figure is a ratio against a baseline measured in the same run:
- baseline: the same letters WITHOUT QR written with plain reportlab platypus, the way one
  would without our abstractions: SimpleDocTemplate; per letter a kop Table (Image flowable
  of the emblem + centred Paragraphs) with two HRFlowable rules, the number block and the
  identity block as Tables of Paragraphs, body Paragraphs, a signature Table of Paragraphs,
  tembusan Paragraphs and a PageBreak; same embedded fonts, same text.
- ours: render_letters() with QR codes (goal: <= 1.5 x baseline) and without them;
- reportlab's own QR widget: the baseline plus reportlab.graphics.barcode.qr per letter,
  on 100 letters (it is the slow path we avoid), reported per letter.

    python benchmarks/bench_letters.py [--letters 1000] [--profile]
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import io
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pmks_desktop.reports.letter_model import (
    Fields,
    LetterDocument,
    Letterhead,
    Paragraph,
    Signature,
)

NAMES = ("SITI AMINAH", "UJANG SUHENDAR", "NI LUH PUTU AYU", "MUHAMMAD RIZKI PRATAMA",
         "DEDE KURNIASIH", "ASEP SAEPUDIN", "NURHAYATI", "H. ABDUL MANAF")
DESA = ("Pejaten", "Kramatwatu", "Serdang", "Harjatani", "Margasana", "Tonjong")


def emblem_png() -> bytes:
    """A regency emblem of realistic size (300 x 360 px, with transparency)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 360), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon([(150, 5), (295, 100), (250, 355), (50, 355), (5, 100)], fill=(20, 90, 40))
    for i in range(12):
        draw.ellipse((90 + i * 5, 110 + i * 5, 210 - i * 5, 230 - i * 5),
                     outline=(240, 200 - i * 10, 30), width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def qr_payload(i: int, number: str) -> str:
    """~200 characters like the verification payload the services will sign."""
    digest = hashlib.sha512(str(i).encode()).digest()
    nonce = base64.b64encode(digest[:16]).decode()[:22]
    signature = base64.urlsafe_b64encode(digest + digest[:1]).decode().rstrip("=")[:86]
    return f"PMKS1|36.04.05|{number}|2024-07-27|{nonce}|{digest[16:24].hex()}|{signature}"


def letters(count: int, with_qr: bool = True) -> list[LetterDocument]:
    head = Letterhead("PEMERINTAH KABUPATEN SERANG", "KECAMATAN KRAMATWATU",
                      ("Jl. Raya Serang-Cilegon Km. 8 Kramatwatu Telp. (0254) 123456",
                       "Kode Pos 42161, Pos-el: kec.kramatwatu@example.invalid"), emblem_png())
    camat = Signature(("CAMAT KRAMATWATU,",), "Drs. H. AHMAD FAUZI, M.Si.",
                      "Pembina Tingkat I (IV/b)", "197001011990031005")
    return [_letter(i, head, camat, with_qr) for i in range(count)]


def _letter(i: int, head: Letterhead, camat: Signature, with_qr: bool) -> LetterDocument:
    number = f"400.9.1/{i + 1:04d}/Kec.Kmt/2024"
    name, desa = f"{NAMES[i % len(NAMES)]} BIN {i}", DESA[i % len(DESA)]
    fields = Fields((("Nama", name), ("NIK", f"3604054101{i:06d}"),
                     ("No. KK", f"3604051203{i:06d}"),
                     ("Tempat/Tgl. Lahir", f"Serang, {i % 28 + 1} Januari 1980"),
                     ("Jenis Kelamin", "Perempuan" if i % 2 else "Laki-laki"),
                     ("Alamat", f"Kp. {desa} RT {i % 9 + 1:03d} RW {i % 5 + 1:03d}"),
                     ("Desa", desa), ("Kecamatan", "Kramatwatu")))
    body = (Paragraph(f"Berdasarkan surat pengantar Kepala Desa {desa} Nomor 400/{i + 100}/Ds/VII"
                      "/2024 tanggal 25 Juli 2024, dengan ini kami merekomendasikan warga kami:"),
            fields,
            Paragraph("adalah warga <b>tidak mampu</b> yang terdaftar sebagai PMKS (Fakir "
                      "Miskin) di Kecamatan Kramatwatu, untuk dapat diberikan pembebasan biaya "
                      "perawatan sesuai ketentuan yang berlaku."),
            Paragraph("Demikian rekomendasi ini dibuat untuk dipergunakan sebagaimana mestinya."))
    return LetterDocument(
        paper="A4", layout="dinas", letterhead=head, number=number,
        place_date="Kramatwatu, 27 Juli 2024", blocks=body, signatures=(camat,),
        hal="Rekomendasi Pembebasan Biaya Perawatan", lampiran="-",
        addressee=("Yth. Direktur RSUD dr. Dradjat Prawiranegara", "di", "Serang"),
        tembusan=("Bupati Serang", "Kepala Dinas Sosial Kabupaten Serang"),
        qr_payload=qr_payload(i, number) if with_qr else None,
        qr_caption="Pindai untuk memeriksa keaslian surat", footer="Dicetak dengan PMKS Desktop")


# --- the plain reportlab baseline -------------------------------------------------------------

def _plain_styles():
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle

    from pmks_desktop.reports.fonts import BOLD, REGULAR, register_fonts

    register_fonts()
    body = ParagraphStyle("b", fontName=REGULAR, fontSize=12, leading=14.5,
                          alignment=TA_JUSTIFY, firstLineIndent=35, spaceAfter=6)
    return {"body": body,
            "plain": ParagraphStyle("p", parent=body, firstLineIndent=0, alignment=0,
                                    spaceAfter=0),
            "centre": ParagraphStyle("c", parent=body, firstLineIndent=0, alignment=TA_CENTER,
                                     spaceAfter=0),
            "gov": ParagraphStyle("g", fontName=BOLD, fontSize=14, leading=17, alignment=1),
            "office": ParagraphStyle("o", fontName=BOLD, fontSize=16, leading=19, alignment=1),
            "addr": ParagraphStyle("a", fontName=REGULAR, fontSize=10, leading=12, alignment=1),
            "small": ParagraphStyle("s", fontName=REGULAR, fontSize=7.5, leading=9)}


TIGHT = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 0),
         ("BOTTOMPADDING", (0, 0), (-1, -1), 0), ("LEFTPADDING", (0, 0), (-1, -1), 0)]


def _plain_pairs(rows, styles, widths):
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Table

    data = [[P(label, styles["plain"]), ":", P(value, styles["plain"])] for label, value in rows]
    return Table(data, colWidths=widths, hAlign="LEFT",
                 style=TIGHT + [("FONT", (0, 0), (-1, -1), "PMKSSans", 12)])


def plain_story(doc: LetterDocument, styles, qr_widget: bool = False) -> list:
    """The same letter as a straightforward platypus story (see the module docstring)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Image, PageBreak, Spacer, Table
    from reportlab.platypus import Paragraph as P

    head = doc.letterhead
    kop_text = [P(head.government, styles["gov"]), P(head.office, styles["office"])]
    kop_text += [P(line, styles["addr"]) for line in head.address_lines]
    story = [Table([[Image(io.BytesIO(head.emblem), 22 * mm, 26 * mm), kop_text]],
                   colWidths=[25 * mm, 140 * mm], style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")]),
             HRFlowable(width="100%", thickness=2.5, spaceAfter=1.5, color="black"),
             HRFlowable(width="100%", thickness=0.75, spaceAfter=10, color="black")]
    number = [("Nomor", doc.number), ("Sifat", doc.sifat), ("Lampiran", doc.lampiran),
              ("Hal", doc.hal)]
    story.append(Table([[_plain_pairs(number, styles, [22 * mm, 4 * mm, 75 * mm]),
                         P(doc.place_date, styles["plain"])]], colWidths=[105 * mm, 60 * mm],
                       style=TIGHT))
    story += [Spacer(1, 14)] + [P(line, styles["plain"]) for line in doc.addressee]
    for block in doc.blocks:
        if isinstance(block, Fields):
            story.append(_plain_pairs(block.rows, styles, [45 * mm, 4 * mm, 116 * mm]))
            story.append(Spacer(1, 6))
        else:
            story.append(P(block.text, styles["body"]))
    story.append(_plain_signature(doc, styles, qr_widget))
    story += [P("Tembusan:", styles["plain"])]
    story += [P(f"{i}. {t}", styles["plain"]) for i, t in enumerate(doc.tembusan, start=1)]
    story.append(PageBreak())
    return story


def _plain_signature(doc: LetterDocument, styles, qr_widget: bool):
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Spacer, Table

    sig = doc.signatures[0]
    nip = f"NIP {sig.nip[:8]} {sig.nip[8:14]} {sig.nip[14]} {sig.nip[15:]}"
    right = [P(line, styles["centre"]) for line in sig.lines]
    right += [Spacer(1, 20 * mm), P(f"<u><b>{sig.name}</b></u>", styles["centre"]),
              P(sig.rank, styles["centre"]), P(nip, styles["centre"])]
    left = _widget_qr(doc.qr_payload) if qr_widget else ""
    return Table([[left, right]], colWidths=[82 * mm, 83 * mm],
                 style=[("VALIGN", (0, 0), (-1, -1), "BOTTOM")])


def _widget_qr(payload: str):
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.units import mm

    widget = QrCodeWidget(payload, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    size = 23 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def render_plain(docs, qr_widget: bool = False) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    styles = _plain_styles()
    story = [f for doc in docs for f in plain_story(doc, styles, qr_widget)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=25 * mm, rightMargin=20 * mm,
                      topMargin=20 * mm, bottomMargin=20 * mm).build(story)
    return out.getvalue()


# --- running ----------------------------------------------------------------------------------

def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--widget-letters", type=int, default=100)
    parser.add_argument("--profile", action="store_true", help="cProfile our batch with QR")
    parser.add_argument("--out", help="also write our batch PDF here")
    args = parser.parse_args(argv)

    from pmks_desktop.reports.letter_pdf import render_letters

    with_qr = letters(args.letters)
    without_qr = [replace(doc, qr_payload=None) for doc in with_qr]
    render_letters(with_qr[:5])  # warm up: fonts, imports
    render_plain(without_qr[:5])
    if args.profile:
        return _profile(render_letters, with_qr)

    rows = []
    base_s, base_pdf = timed(render_plain, without_qr)
    rows.append(("plain reportlab, no QR (baseline)", args.letters, base_s, base_pdf))
    ours_s, ours_pdf = timed(render_letters, with_qr)
    rows.append(("ours, with QR", args.letters, ours_s, ours_pdf))
    rows.append(("ours, without QR", args.letters, *timed(render_letters, without_qr)))
    widget_n = min(args.widget_letters, args.letters)
    rows.append(("plain reportlab + reportlab QR widget", widget_n,
                 *timed(render_plain, with_qr[:widget_n], qr_widget=True)))
    if args.out:
        Path(args.out).write_bytes(ours_pdf)
    _report(rows, base_s / args.letters)
    return 0 if ours_s <= 1.5 * base_s else 1


def _report(rows, base_per_letter: float) -> None:
    print(f"{'variant':40} {'letters':>7} {'pages':>6} {'seconds':>8} {'ms/letter':>9} "
          f"{'ratio':>6} {'MB':>6}")
    for label, count, seconds, pdf in rows:
        per_letter = seconds / count
        print(f"{label:40} {count:7d} {pages(pdf):6d} {seconds:8.2f} {per_letter * 1000:9.2f} "
              f"{per_letter / base_per_letter:6.2f} {len(pdf) / 1e6:6.2f}")
    print("ratio = ms per letter / baseline ms per letter (goal for 'ours, with QR': <= 1.50)")


def _profile(render_letters, docs) -> int:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(render_letters, docs)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
