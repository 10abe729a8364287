"""One LetterDocument as a list of flowables, in reading order. No page handling here: the
document template in letter_pdf.py decides where letters and pages start."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak
from reportlab.platypus import Paragraph as RLParagraph

from pmks_desktop.reports.fonts import BOLD
from pmks_desktop.reports.letter_blocks import (
    Kop,
    LabelValueBlock,
    Line,
    TextBlock,
    label_width_for,
)
from pmks_desktop.reports.letter_model import Fields, LetterDocument, Paragraph, Table
from pmks_desktop.reports.letter_signature import QrBlock, SignatureSection
from pmks_desktop.reports.letter_style import (
    BLOCK_GAP,
    BODY_SIZE,
    FIELDS_INDENT,
    paragraph_style,
    string_width,
)
from pmks_desktop.reports.letter_table import table_flowable

LAYOUTS = ("dinas", "keterangan")
NUMBER_LABELS = ("Nomor", "Sifat", "Lampiran", "Hal")
ADDRESSEE_INDENT = 8 * mm


def block_flowables(block, avail_width: float) -> list:
    """Flowables for one body block. Paragraph text is markup the services already escaped;
    every other text is plain and is never read as markup."""
    if isinstance(block, Paragraph):
        style = paragraph_style("body" if block.indent_first else "body-flat")
        return [RLParagraph(block.text, style)]
    if isinstance(block, Fields):
        width = label_width_for(label for label, _ in block.rows)
        return [LabelValueBlock(block.rows, width, indent=FIELDS_INDENT, space_after=BLOCK_GAP)]
    if isinstance(block, Table):
        return [table_flowable(block, avail_width)]
    raise TypeError(f"Bagian surat tidak dikenal: {type(block).__name__}")


def _dinas_head(doc: LetterDocument) -> list:
    """Nomor/Sifat/Lampiran/Hal at the left with the place and date on the Nomor line, then
    the addressee; lines after "di" are indented, as in a typed letter."""
    rows = tuple(zip(NUMBER_LABELS, (doc.number, doc.sifat, doc.lampiran, doc.hal)))
    width = max(string_width(label) for label in NUMBER_LABELS) + 8
    head = [LabelValueBlock(rows, width, right_text=doc.place_date, value_share=0.62,
                            space_after=14)]
    if doc.addressee:
        lines, after_di = [], False
        for text in doc.addressee:
            lines.append(Line(text, indent=ADDRESSEE_INDENT if after_di else 0.0))
            after_di = after_di or text.strip().lower() == "di"
        head.append(TextBlock(lines, space_after=14))
    return head


def _keterangan_head(doc: LetterDocument) -> list:
    lines = [Line(doc.title, font=BOLD, size=BODY_SIZE + 1, align="centre", underline=True)]
    lines.append(Line(f"Nomor: {doc.number}", align="centre"))
    return [TextBlock(lines, space_after=14)]


def _closing(doc: LetterDocument) -> list:
    """Signatures, then tembusan, then (with several signatures) the QR code."""
    qr = (doc.qr_payload, doc.qr_caption) if doc.qr_payload else None
    place_date = doc.place_date if doc.layout == "keterangan" else ""
    out = []
    if doc.signatures:
        out.append(SignatureSection(doc.signatures, place_date=place_date, qr=qr))
    if doc.tembusan:
        lines = [Line("Tembusan:", size=BODY_SIZE - 1)]
        lines += [Line(text, size=BODY_SIZE - 1, prefix=f"{i}.", hang=6 * mm)
                  for i, text in enumerate(doc.tembusan, start=1)]
        out.append(TextBlock(lines, leading=13, space_before=12))
    if qr and (len(doc.signatures) != 1):
        out.append(QrBlock(*qr))
    return out


def _attachments(doc: LetterDocument, avail_width: float) -> list:
    title = TextBlock([Line("LAMPIRAN", font=BOLD, align="centre"),
                       Line(f"Surat Nomor {doc.number}", align="centre")], space_after=14)
    body = [f for block in doc.attachments for f in block_flowables(block, avail_width)]
    return [PageBreak(), title, *body]


def letter_story(doc: LetterDocument, avail_width: float) -> list:
    """The flowables of one letter, starting with its kop."""
    if doc.layout not in LAYOUTS:
        raise ValueError(f"Tata letak surat '{doc.layout}' tidak dikenal "
                         f"(pilihan: {', '.join(LAYOUTS)})")
    story = [Kop(doc.letterhead)]
    story += _dinas_head(doc) if doc.layout == "dinas" else _keterangan_head(doc)
    body = [f for block in doc.blocks for f in block_flowables(block, avail_width)]
    closing = _closing(doc)
    if body and closing and isinstance(doc.blocks[-1], Paragraph) and doc.signatures:
        # The closing sentence moves with the signature: a signature alone on a page is
        # not accepted by offices (anyone could write the page above it).
        body[-1] = KeepTogether([body[-1], closing.pop(0)])
    story += body + closing
    if doc.attachments:
        story += _attachments(doc, avail_width)
    return story


def plain_title(doc: LetterDocument) -> str:
    """PDF title metadata: what the letter is about and its number."""
    subject = doc.hal or doc.title or "Surat"
    return f"{subject} ({doc.number})" if doc.number else subject

