"""What a letter page is made of, as plain data: the services fill it in, the renderer
(reports/letter_pdf.py) draws it. Nothing here knows the database, the templates or Qt.

All text is final (already formatted dates, rupiah, names); the renderer only lays it out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

PAPER_SIZES_MM = {"A4": (210.0, 297.0), "F4": (215.0, 330.0)}


@dataclass(frozen=True)
class Letterhead:
    """The kop surat: emblem left, centred capitals, address line(s), a thick and a thin rule."""

    government: str                       # "PEMERINTAH KABUPATEN SERANG"
    office: str                           # "KECAMATAN KRAMATWATU"
    address_lines: tuple[str, ...] = ()   # ("Jl. Raya Kramatwatu No. 1 Telp. (0254) 123 ...",)
    emblem: bytes | None = None           # PNG or JPEG bytes; None leaves the space empty


@dataclass(frozen=True)
class Signature:
    """One signature block. `lines` are printed above the signing space, e.g.
    ("a.n. CAMAT KRAMATWATU", "Sekretaris Kecamatan,") or ("PIHAK KEDUA,", "Ketua KUBE Melati").
    The name prints bold and underlined; rank and NIP lines are left out when empty."""

    lines: tuple[str, ...]
    name: str
    rank: str = ""
    nip: str = ""                         # 18 digits; printed as "NIP 19700101 199003 1 005"


@dataclass(frozen=True)
class Paragraph:
    """Body text. `indent_first` indents the first line (a normal paragraph); a few words may
    be marked <b>bold</b> (the services escape everything else)."""

    text: str
    indent_first: bool = True


@dataclass(frozen=True)
class Fields:
    """An identity block: label, colon, value, indented under the paragraph before it."""

    rows: tuple[tuple[str, str], ...]     # (("Nama", "SITI AMINAH"), ("NIK", "3604...."), ...)


@dataclass(frozen=True)
class Table:
    """A list (recipients of aid): repeated header row when it spans pages. When
    `signature_column` is set, the last column is a signing space whose numbers alternate left
    and right (the usual daftar tanda terima)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]             # relative widths, one per column
    numeric_columns: tuple[int, ...] = () # right-aligned columns
    signature_column: bool = False
    total_row: tuple[str, ...] | None = None


Block = Union[Paragraph, Fields, Table]


@dataclass(frozen=True)
class LetterDocument:
    """One letter (one or more pages).

    layout:
      "dinas":      number block at left (Nomor, Sifat, Lampiran, Hal), place/date at right,
                    addressee (Yth. ... / di / ...), body, signature at right, tembusan.
      "keterangan": centred underlined title with "Nomor: ..." under it, body, place/date above
                    the signature at right (Surat Keterangan, Berita Acara).
    """

    paper: str                            # "A4" or "F4"
    layout: str                           # "dinas" or "keterangan"
    letterhead: Letterhead
    number: str                           # "400.9.1/0012/Kec.Kmt/2024"; a draft shows "(draf)"
    place_date: str                       # "Kramatwatu, 27 Juli 2024"
    blocks: tuple[Block, ...]
    signatures: tuple[Signature, ...]     # 1: right; 2: left and right; 3: two, then the third
                                          # centred below under "Mengetahui,"
    title: str = ""                       # "SURAT KETERANGAN" (layout "keterangan")
    sifat: str = "Biasa"
    lampiran: str = "-"
    hal: str = ""
    addressee: tuple[str, ...] = ()       # ("Yth. Direktur RSUD ...", "di", "Serang")
    tembusan: tuple[str, ...] = ()
    qr_payload: str | None = None         # drawn bottom-left of the last page with a caption
    qr_caption: str = ""
    draft: bool = False                   # a light "DRAF" mark across every page
    footer: str = ""                      # small print at the foot of every page
    attachments: tuple[Block, ...] = field(default_factory=tuple)  # on a new page ("Lampiran")
