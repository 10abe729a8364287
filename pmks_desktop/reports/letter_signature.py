"""Signature blocks (and the QR code that sits beside them).

One flowable draws all signatures of a letter, so it can never be split: a name always stays
with its title and the space for the signature and the stamp. Layout, as offices sign:
1 signature at the right half; 2 side by side; 3 as two side by side and the third centred
below under "Mengetahui,"; more keep pairing, an odd last one centred.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from pmks_desktop.reports.fonts import BOLD, REGULAR
from pmks_desktop.reports.letter_model import Signature
from pmks_desktop.reports.letter_style import (
    BODY_LEADING,
    BODY_SIZE,
    QR_SIZE,
    SIGNING_SPACE,
    SMALL_SIZE,
    centred_runs,
    draw_runs,
    string_width,
    underline,
    wrap,
)
from pmks_desktop.reports.qr_draw import draw_qr

ROW_GAP = 10.0
QR_CAPTION_GAP = 3 * mm            # more than the 4-module quiet zone at our module size


def format_nip(nip: str) -> str:
    """"NIP 19700101 199003 1 005" (birth date, appointment month, sex, serial); anything not
    18 digits is printed as given, empty stays empty."""
    digits = nip.replace(" ", "")
    if not digits:
        return ""
    if len(digits) == 18 and digits.isdigit():
        return f"NIP {digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    return f"NIP {nip.strip()}"


@dataclass
class _Block:
    """One signature, wrapped to its column."""

    header: list[str]
    name: list[str]
    tail: list[str]

    @classmethod
    def build(cls, sig: Signature, width: float, above: tuple[str, ...]) -> _Block:
        header = [part for line in (*above, *sig.lines) for part in wrap(line, REGULAR,
                                                                         BODY_SIZE, width)]
        tail = [part for line in (sig.rank, format_nip(sig.nip)) if line
                for part in wrap(line, REGULAR, BODY_SIZE, width)]
        return cls(header, wrap(sig.name, BOLD, BODY_SIZE, width), tail)

    def lines_below_space(self) -> int:
        return len(self.name) + len(self.tail)


def _rows(signatures, place_date: str, width: float) -> list[list[tuple[float, _Block]]]:
    """Signature rows as (column centre, block). `place_date` (layout "keterangan") goes above
    the right-hand signature of the first row, where the signer dates the letter."""
    half = width / 2
    inner = half - 6 * mm
    count = len(signatures)
    rows = []
    for start in range(0, count, 2):
        pair = signatures[start:start + 2]
        first_row = start == 0
        if len(pair) == 2:
            rows.append([(half / 2, _Block.build(pair[0], inner, ())),
                         (half + half / 2, _Block.build(pair[1], inner,
                                                        (place_date,) if first_row and place_date
                                                        else ()))])
        elif count == 1:
            above = (place_date,) if place_date else ()
            rows.append([(half + half / 2, _Block.build(pair[0], inner, above))])
        else:  # the odd last one, under "Mengetahui," (the Camat acknowledging)
            rows.append([(half, _Block.build(pair[0], inner, ("Mengetahui,",)))])
    return rows


def _row_height(row) -> tuple[int, int, float]:
    """(header lines, lines below the signing space, height) so names of a row line up."""
    head = max(len(block.header) for _, block in row)
    below = max(block.lines_below_space() for _, block in row)
    return head, below, (head + below) * BODY_LEADING + SIGNING_SPACE


class SignatureSection(Flowable):
    """All signature blocks of a letter; with one signature the QR code (if any) sits at the
    left, so the last page keeps its usual look."""

    def __init__(self, signatures, *, place_date: str = "", qr: tuple[str, str] | None = None):
        super().__init__()
        self.signatures = tuple(signatures)
        self.place_date = place_date
        self.qr = qr if len(self.signatures) == 1 else None
        self.spaceBefore = 12

    def wrap(self, availWidth, availHeight):
        self._rows = _rows(self.signatures, self.place_date, availWidth)
        heights = [_row_height(row)[2] for row in self._rows]
        self.width = availWidth
        self.height = sum(heights) + ROW_GAP * (len(heights) - 1)
        if self.qr:
            self.height = max(self.height, QR_SIZE)
        return self.width, self.height

    def draw(self):
        top, runs = self.height, []
        for row in self._rows:
            head, _below, height = _row_height(row)
            for centre, block in row:
                runs.extend(self._block_runs(block, centre, top, head))
            top -= height + ROW_GAP
        draw_runs(self.canv, runs)
        if self.qr:
            draw_qr_with_caption(self.canv, self.qr, 0, 0, self.width / 2 - 4 * mm)

    def _block_runs(self, block: _Block, centre: float, top: float, head: int):
        # Headers end on the same line, so "PIHAK PERTAMA," and "PIHAK KEDUA," line up even
        # when the place and date stand above one of them.
        skip = head - len(block.header)
        yield from centred_runs(block.header, REGULAR, BODY_SIZE, BODY_LEADING, centre,
                                top - (skip + 0.8) * BODY_LEADING)
        name_top = top - head * BODY_LEADING - SIGNING_SPACE - 0.8 * BODY_LEADING
        for x, y, text, font, size in centred_runs(block.name, BOLD, BODY_SIZE, BODY_LEADING,
                                                   centre, name_top):
            underline(self.canv, x, y, string_width(text, font, size), size)
            yield x, y, text, font, size
        yield from centred_runs(block.tail, REGULAR, BODY_SIZE, BODY_LEADING, centre,
                                name_top - len(block.name) * BODY_LEADING)


def draw_qr_with_caption(canv, qr: tuple[str, str], x: float, y: float, width: float) -> None:
    """QR code at (x, y) with its caption in small print to its right, centred on it."""
    payload, caption = qr
    draw_qr(canv, payload, x, y, QR_SIZE)
    text_x = x + QR_SIZE + QR_CAPTION_GAP
    lines = wrap(caption, REGULAR, SMALL_SIZE, max(width - QR_SIZE - QR_CAPTION_GAP, 20 * mm))
    leading = SMALL_SIZE * 1.25
    first = y + QR_SIZE / 2 + (len(lines) * leading) / 2 - SMALL_SIZE
    draw_runs(canv, [(text_x, first - i * leading, line, REGULAR, SMALL_SIZE)
                     for i, line in enumerate(lines) if caption])


class QrBlock(Flowable):
    """The QR code on its own (letters with two or more signatures), bottom-left."""

    def __init__(self, payload: str, caption: str):
        super().__init__()
        self.qr = (payload, caption)
        self.spaceBefore = 8

    def wrap(self, availWidth, availHeight):
        self.width, self.height = availWidth, QR_SIZE
        return self.width, self.height

    def draw(self):
        draw_qr_with_caption(self.canv, self.qr, 0, 0, self.width / 2)
