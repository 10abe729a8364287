"""The letter renderer: LetterDocument in, PDF bytes out, checked by reading the PDF back."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from pmks_desktop.reports.letter_model import (
    Fields,
    LetterDocument,
    Letterhead,
    Paragraph,
    Signature,
    Table,
)

MM = 72 / 25.4
CAMAT = Signature(("CAMAT KRAMATWATU,",), "Drs. H. AHMAD FAUZI, M.Si.",
                  "Pembina Tingkat I (IV/b)", "197001011990031005")
NUMBER = "400.9.1/0012/Kec.Kmt/2024"
PAYLOAD = ("PMKS1|36.04.05|400.9.1/0012/Kec.Kmt/2024|2024-07-27|q0V3bXk2Yx8JtLm1Pz9aRw|"
           "9f3c2a1b7e6d5c4b|" + "A" * 86)


def emblem_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (60, 72), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon([(30, 2), (58, 20), (50, 70), (10, 70), (2, 20)], fill=(20, 90, 40, 255))
    draw.ellipse((18, 24, 42, 48), fill=(240, 200, 30, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def letterhead(emblem: bool = True) -> Letterhead:
    return Letterhead("PEMERINTAH KABUPATEN SERANG", "KECAMATAN KRAMATWATU",
                      ("Jl. Raya Serang-Cilegon Km. 8 Kramatwatu Telp. (0254) 123456",
                       "Kode Pos 42161, Pos-el: kec.kramatwatu@example.invalid"),
                      emblem_png() if emblem else None)


def identity(name: str = "SITI AMINAH", address: str = "Kp. Pejaten RT 002 RW 001") -> Fields:
    return Fields((("Nama", name), ("NIK", "3604054101800002"), ("No. KK", "3604051203090011"),
                   ("Tempat/Tgl. Lahir", "Serang, 1 Januari 1980"),
                   ("Jenis Kelamin", "Perempuan"), ("Alamat", address),
                   ("Desa", "Pejaten"), ("Kecamatan", "Kramatwatu")))


def dinas(**changes) -> LetterDocument:
    values = {
        "paper": "A4", "layout": "dinas", "letterhead": letterhead(), "number": NUMBER,
        "place_date": "Kramatwatu, 27 Juli 2024",
        "hal": "Rekomendasi Pembebasan Biaya Perawatan bagi Warga Tidak Mampu di RSUD Serang",
        "lampiran": "1 (satu) berkas",
        "addressee": ("Yth. Direktur RSUD dr. Dradjat Prawiranegara", "di", "Serang"),
        "blocks": (Paragraph("Berdasarkan surat pengantar Kepala Desa Pejaten Nomor "
                          "400/115/Ds.Pjt/VII/2024 tanggal 25 Juli 2024, dengan ini kami "
                          "merekomendasikan warga kami:"),
                identity(),
                Paragraph("adalah warga <b>tidak mampu</b> yang terdaftar sebagai PMKS (Fakir "
                          "Miskin) di Kecamatan Kramatwatu, untuk dapat diberikan pembebasan "
                          "biaya perawatan."),
                Paragraph("Demikian rekomendasi ini dibuat untuk dipergunakan sebagaimana "
                          "mestinya.")),
        "signatures": (CAMAT,), "tembusan": ("Bupati Serang", "Kepala Dinas Sosial Kabupaten Serang"),
        "footer": "Dicetak dengan PMKS Desktop"}
    values.update(changes)
    return LetterDocument(**values)


def keterangan(**changes) -> LetterDocument:
    values = {
        "paper": "F4", "layout": "keterangan", "letterhead": letterhead(), "number": NUMBER,
        "title": "SURAT KETERANGAN", "place_date": "Kramatwatu, 27 Juli 2024",
        "blocks": (Paragraph("Yang bertanda tangan di bawah ini Camat Kramatwatu menerangkan "
                          "bahwa:", indent_first=False),
                identity(),
                Paragraph("benar terdaftar dalam Data Terpadu Kesejahteraan Sosial sebagai "
                          "keluarga tidak mampu."),
                Paragraph("Demikian surat keterangan ini dibuat untuk dipergunakan "
                          "sebagaimana mestinya.")),
        "signatures": (CAMAT,)}
    values.update(changes)
    return LetterDocument(**values)


def recipients(rows: int) -> Table:
    return Table(("No.", "Nama", "NIK", "Bantuan (Rp)", "Tanda Tangan"),
                 tuple((str(i), f"PENERIMA KE-{i}", f"360405{i:010d}", "300.000")
                       for i in range(1, rows + 1)),
                 (1, 5, 4, 3, 4), numeric_columns=(3,), signature_column=True,
                 total_row=("", "JUMLAH", "", f"{rows * 300}.000"))


def berita_acara(rows: int = 60) -> LetterDocument:
    return keterangan(
        paper="A4", title="BERITA ACARA SERAH TERIMA BANTUAN",
        blocks=(Paragraph("Pada hari ini Sabtu tanggal dua puluh tujuh bulan Juli tahun dua "
                          "ribu dua puluh empat, telah diserahkan bantuan sosial kepada:"),
                recipients(rows)),
        signatures=(Signature(("PIHAK PERTAMA,", "Kasi Kesejahteraan Sosial"), "RINA MARLINA"),
                    Signature(("PIHAK KEDUA,", "Ketua KUBE Melati"), "UJANG SUHENDAR"),
                    CAMAT),
        tembusan=("Kepala Dinas Sosial Kabupaten Serang",),
        qr_payload=PAYLOAD, qr_caption="Pindai untuk memeriksa keaslian surat")


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in read(pdf).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- single letters ---------------------------------------------------------------------------

def test_dinas_letter_prints_number_names_date_nip_and_tembusan():
    from pmks_desktop.reports.letter_pdf import render_letter

    pdf = render_letter(dinas(qr_payload=PAYLOAD, qr_caption="Pindai untuk memeriksa"))
    texts = page_texts(pdf)
    assert len(texts) == 1
    text = flat(texts[0])
    for expected in (NUMBER, "Kramatwatu, 27 Juli 2024", "SITI AMINAH", "3604054101800002",
                     "Drs. H. AHMAD FAUZI, M.Si.", "NIP 19700101 199003 1 005",
                     "Tembusan:", "1. Bupati Serang", "PEMERINTAH KABUPATEN SERANG",
                     "KECAMATAN KRAMATWATU", "Nomor", "Lampiran", "1 (satu) berkas",
                     "Yth. Direktur RSUD", "Pindai untuk memeriksa", "Dicetak dengan PMKS"):
        assert expected in text, expected
    assert "Halaman" not in text  # one page: no page number


def test_keterangan_on_f4_has_title_number_and_f4_size():
    from pmks_desktop.reports.letter_pdf import render_letter

    pdf = render_letter(keterangan())
    reader = read(pdf)
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 215 * MM) < 1 and abs(float(box.height) - 330 * MM) < 1
    text = flat(reader.pages[0].extract_text())
    assert "SURAT KETERANGAN" in text and f"Nomor: {NUMBER}" in text
    assert "Kramatwatu, 27 Juli 2024" in text and "NIP 19700101 199003 1 005" in text


def test_a4_page_size():
    from pmks_desktop.reports.letter_pdf import render_letter

    box = read(render_letter(dinas())).pages[0].mediabox
    assert abs(float(box.width) - 210 * MM) < 1 and abs(float(box.height) - 297 * MM) < 1


def test_long_name_and_address_still_fit_one_a4_page():
    from pmks_desktop.reports.letter_pdf import render_letter

    name = ("NI LUH PUTU AYU " * 8)[:120]
    address = ("Kampung Pejaten Girang Blok Masjid Jami Al-Ikhlas " * 5)[:200]
    blocks = list(dinas().blocks)
    blocks[1] = identity(name, address)
    pdf = render_letter(dinas(blocks=tuple(blocks), qr_payload=PAYLOAD, qr_caption="Pindai"))
    texts = page_texts(pdf)
    assert len(texts) == 1
    assert "Kampung Pejaten Girang" in texts[0]


def test_long_table_repeats_its_header_and_numbers_pages():
    from pmks_desktop.reports.letter_pdf import render_letter

    texts = page_texts(render_letter(berita_acara(60)))
    assert len(texts) >= 2
    for text in texts[:2]:
        assert "Tanda Tangan" in text and "Bantuan (Rp)" in text
    assert "Halaman 1 dari" in texts[0] and f"Halaman 2 dari {len(texts)}" in texts[1]
    whole = flat(" ".join(texts))
    assert "PENERIMA KE-60" in whole and "JUMLAH" in whole and "18000.000" in whole
    assert "Mengetahui," in whole and "RINA MARLINA" in whole and "UJANG SUHENDAR" in whole
    assert "1. ..." in whole and "60. ..." in whole


def test_draft_marks_every_page():
    from pmks_desktop.reports.letter_pdf import render_letter

    texts = page_texts(render_letter(_draft(berita_acara(60))))
    assert all("DRAF" in text for text in texts)


def _draft(doc: LetterDocument) -> LetterDocument:
    from dataclasses import replace

    return replace(doc, draft=True, number="(draf)")


def test_attachments_start_a_new_page():
    from pmks_desktop.reports.letter_pdf import render_letter

    texts = page_texts(render_letter(dinas(attachments=(recipients(5),))))
    assert len(texts) == 2
    assert "LAMPIRAN" in texts[1] and "PENERIMA KE-5" in texts[1]
    assert "Halaman 2 dari 2" in texts[1]


def test_metadata_and_embedded_fonts():
    from pmks_desktop.reports.letter_pdf import render_letter

    reader = read(render_letter(dinas()))
    meta = reader.metadata
    assert meta.creator == "PMKS Desktop"
    assert NUMBER in meta.title and "Rekomendasi" in meta.title
    assert "KECAMATAN KRAMATWATU" in meta.author
    fonts = _fonts(reader)
    assert fonts and all("PMKSSans" in name or "Liberation" in name for name, _ in fonts)
    assert all(embedded for _, embedded in fonts)


def _fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    """(font name, has an embedded TrueType file) for every font the pages and their forms use."""
    found, seen = [], set()

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            found.append((str(font["/BaseFont"]), "/FontFile2" in descriptor))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
                seen.add(id(xobject))
                walk(xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return found


def test_three_signatures_and_no_emblem():
    from pmks_desktop.reports.letter_pdf import render_letter

    doc = berita_acara(3)
    pdf = render_letter(LetterDocument(**{**doc.__dict__, "letterhead": letterhead(False)}))
    text = flat(" ".join(page_texts(pdf)))
    assert "PIHAK PERTAMA," in text and "Mengetahui," in text


# --- batches ----------------------------------------------------------------------------------

def test_batch_starts_each_letter_on_a_new_page_and_numbers_pages_per_letter():
    from pmks_desktop.reports.letter_pdf import render_letter, render_letters

    docs = [dinas(number=f"400.9.1/{i:04d}/Kec.Kmt/2024") for i in (1, 2)]
    docs.insert(1, berita_acara(60))
    docs += [keterangan(), dinas(attachments=(recipients(3),), number="400.9.1/0099/Kec.Kmt/2024")]
    own_pages = [len(read(render_letter(doc)).pages) for doc in docs]
    calls = []
    pdf = render_letters(docs, progress=lambda done, total: calls.append((done, total)))
    texts = page_texts(pdf)
    assert len(texts) == sum(own_pages) and own_pages[1] >= 2 and own_pages[4] == 2
    assert calls == [(i, 5) for i in range(1, 6)]
    starts = [sum(own_pages[:i]) for i in range(5)]
    for index, (start, count) in enumerate(zip(starts, own_pages)):
        assert "KECAMATAN KRAMATWATU" in texts[start], index
        for page in range(count):
            label = f"Halaman {page + 1} dari {count}"
            assert (label in texts[start + page]) == (count > 1), (index, page)
    assert "400.9.1/0001/Kec.Kmt/2024" in texts[0] and "400.9.1/0099" in texts[starts[4]]


def test_batch_may_mix_paper_sizes():
    from pmks_desktop.reports.letter_pdf import render_letters

    reader = read(render_letters([dinas(), keterangan(), dinas()]))
    heights = [round(float(page.mediabox.height) / MM) for page in reader.pages]
    assert heights == [297, 330, 297]


def test_batch_from_a_generator_reports_unknown_total_as_zero():
    from pmks_desktop.reports.letter_pdf import render_letters

    calls = []
    pdf = render_letters((dinas() for _ in range(3)), progress=lambda d, t: calls.append((d, t)))
    assert len(read(pdf).pages) == 3 and calls == [(1, 0), (2, 0), (3, 0)]


def test_cancelling_raises_render_cancelled():
    from pmks_desktop.reports.letter_pdf import RenderCancelled, render_letters

    done = []
    with pytest.raises(RenderCancelled):
        render_letters([dinas()] * 10, progress=lambda d, t: done.append(d),
                       cancelled=lambda: len(done) >= 3)
    assert done == [1, 2, 3]


def test_emblem_and_kop_are_stored_once_in_a_batch():
    from pmks_desktop.reports.letter_pdf import render_letters

    reader = read(render_letters([dinas(qr_payload=f"{PAYLOAD}{i}") for i in range(20)]))
    images, forms = set(), set()
    for page in reader.pages:
        for ref in page["/Resources"]["/XObject"].values():
            obj = ref.get_object()
            forms.add(ref.idnum)
            for inner in (obj.get("/Resources", {}).get("/XObject") or {}).values():
                if inner.get_object().get("/Subtype") == "/Image":
                    images.add(inner.idnum)
    assert len(images) == 1 and len(forms) == 1


def test_empty_batch_and_bad_input_are_refused_clearly():
    from pmks_desktop.reports.letter_pdf import render_letter, render_letters

    with pytest.raises(ValueError, match="Tidak ada surat"):
        render_letters([])
    with pytest.raises(ValueError, match="kertas 'Legal'"):
        render_letter(dinas(paper="Legal"))
    with pytest.raises(ValueError, match="Tata letak"):
        render_letter(dinas(layout="memo"))


# --- parts ------------------------------------------------------------------------------------

def test_nip_is_grouped_8_6_1_3():
    from pmks_desktop.reports.letter_signature import format_nip

    assert format_nip("197001011990031005") == "NIP 19700101 199003 1 005"
    assert format_nip("19700101 199003 1 005") == "NIP 19700101 199003 1 005"
    assert format_nip("") == ""
    assert format_nip("12345") == "NIP 12345"


class _FakeCanvas:
    """Records what draw_qr asks of a canvas."""

    def __init__(self):
        self.literals, self.transforms = [], []

    def saveState(self):
        pass

    def restoreState(self):
        pass

    def translate(self, x, y):
        self.transforms.append(("translate", x, y))

    def scale(self, x, y):
        self.transforms.append(("scale", x, y))

    def setFillColorRGB(self, *rgb):
        pass

    def addLiteral(self, text):
        self.literals.append(text)


def test_qr_path_covers_exactly_the_dark_modules():
    import segno

    from pmks_desktop.reports.qr_draw import QR_MASK, draw_qr

    canvas = _FakeCanvas()
    modules = draw_qr(canvas, PAYLOAD, 10, 20, 66)
    matrix = segno.make(PAYLOAD, error="m", micro=False, mask=QR_MASK).matrix
    assert modules == len(matrix) and ("scale", 66 / modules, 66 / modules) in canvas.transforms
    (ops,) = canvas.literals
    assert ops.endswith("f") and ops.count(" f") == 0  # one fill for the whole symbol
    painted = set()
    for line in ops.splitlines()[:-1]:
        x, y, width, height, op = line.split()
        assert op == "re" and height == "1"
        for dx in range(int(width)):
            cell = (int(x) + dx, modules - 1 - int(y))
            assert cell not in painted
            painted.add(cell)
    dark = {(x, y) for y, row in enumerate(matrix) for x, value in enumerate(row) if value}
    assert painted == dark


def test_dark_runs_merge_neighbours():
    from pmks_desktop.reports.qr_draw import dark_runs

    matrix = (bytearray([1, 1, 0, 1]), bytearray([0, 0, 0, 0]), bytearray([1, 1, 1, 1]))
    assert dark_runs(matrix) == [(0, 0, 2), (3, 0, 1), (0, 2, 4)]


def test_fixed_mask_still_gives_a_valid_symbol_for_long_payloads():
    from pmks_desktop.reports.qr_draw import qr_matrix

    matrix = qr_matrix(PAYLOAD)
    assert len(matrix) == len(matrix[0]) and (len(matrix) - 17) % 4 == 0  # versions 1..40


@pytest.mark.skipif(not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
                    reason="needs zbarimg (zbar-tools) and pdftoppm (poppler-utils)")
def test_printed_qr_code_scans_back(tmp_path):
    from pmks_desktop.reports.letter_pdf import render_letter

    path = tmp_path / "letter.pdf"
    path.write_bytes(render_letter(dinas(qr_payload=PAYLOAD, qr_caption="Pindai")))
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(path), str(tmp_path / "page")],
                   check=True)
    (image,) = tmp_path.glob("page*.png")
    scanned = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True,
                             text=True, check=True)
    assert scanned.stdout.strip() == PAYLOAD
