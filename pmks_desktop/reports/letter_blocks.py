"""The drawn parts of a letter: kop surat, label/colon/value blocks, plain lines of text.

These are small reportlab Flowables that wrap with simpleSplit and draw with one text object,
instead of Tables of Paragraphs: in a 1,000-letter batch they are several times cheaper, and
the layout is exactly the fixed one naskah dinas asks for. All text here is plain (not markup).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from pmks_desktop.reports.fonts import BOLD, REGULAR
from pmks_desktop.reports.letter_model import Letterhead
from pmks_desktop.reports.letter_style import (
    BODY_LEADING,
    BODY_SIZE,
    centred_runs,
    draw_runs,
    string_width,
    underline,
    wrap,
)

EMBLEM_W, EMBLEM_H = 22 * mm, 26 * mm
EMBLEM_GAP = 3 * mm
THICK_RULE, THIN_RULE, RULE_GAP = 2.5, 0.75, 1.5
COLON_W = 4 * mm


def _baseline(top: float, line_index: int, leading: float) -> float:
    """Baseline of line `line_index` of a block whose top edge is at `top`."""
    return top - line_index * leading - 0.8 * leading


# --- kop surat --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _KopLayout:
    height: float
    runs: tuple
    emblem_y: float
    form_name: str


def _fitted_size(text: str, font: str, size: float, width: float, smallest: float) -> float:
    """A long regency or office name shrinks to stay on one line, as offices do by hand."""
    while size > smallest and string_width(text, font, size) > width:
        size -= 0.5
    return size


@lru_cache(maxsize=32)
def _kop_layout(head: Letterhead, width: float) -> _KopLayout:
    """Computed once per letterhead and width: every letter of a batch shares it."""
    left = EMBLEM_W + EMBLEM_GAP
    region = width - left
    lines = []
    for text, size, smallest in ((head.government, 14, 10), (head.office, 16, 11)):
        if text:
            lines.append((text, BOLD, _fitted_size(text, BOLD, size, region, smallest)))
    for address in head.address_lines:
        lines.extend((part, REGULAR, 10) for part in wrap(address, REGULAR, 10, region))
    text_h = sum(size * 1.2 for _, _, size in lines)
    content_h = max(text_h, EMBLEM_H)
    bottom = THIN_RULE + RULE_GAP + THICK_RULE + 4
    y = bottom + (content_h + text_h) / 2
    runs = []
    centre = left + region / 2
    for text, font, size in lines:
        runs.extend(centred_runs([text], font, size, size * 1.2, centre, y - 0.96 * size))
        y -= size * 1.2
    digest = hashlib.sha1(repr((head.government, head.office, head.address_lines, width))
                          .encode("utf-8") + (head.emblem or b"")).hexdigest()[:16]
    return _KopLayout(bottom + content_h, tuple(runs), bottom + (content_h - EMBLEM_H) / 2,
                      "pmksKop" + digest)


class Kop(Flowable):
    """The kop surat, drawn once per PDF as a Form XObject and placed on every letter: the emblem
    image and the text are stored once, not once per page of a 1,000-letter batch."""

    def __init__(self, head: Letterhead):
        super().__init__()
        self.head = head
        self.spaceAfter = 10

    def wrap(self, availWidth, availHeight):
        self._layout = _kop_layout(self.head, availWidth)
        self.width = availWidth
        self.height = self._layout.height
        return self.width, self.height

    def draw(self):
        canv, layout = self.canv, self._layout
        if not canv.hasForm(layout.form_name):
            canv.beginForm(layout.form_name, 0, 0, self.width, self.height)
            self._draw_content(canv, layout)
            canv.endForm()
        canv.doForm(layout.form_name)

    def _draw_content(self, canv, layout: _KopLayout) -> None:
        if self.head.emblem:
            from io import BytesIO

            from reportlab.lib.utils import ImageReader

            canv.drawImage(ImageReader(BytesIO(self.head.emblem)), 0, layout.emblem_y,
                           EMBLEM_W, EMBLEM_H, mask="auto", preserveAspectRatio=True,
                           anchor="c")
        draw_runs(canv, layout.runs)
        thin_y = THIN_RULE / 2
        thick_y = THIN_RULE + RULE_GAP + THICK_RULE / 2
        canv.setLineWidth(THICK_RULE)
        canv.line(0, thick_y, self.width, thick_y)
        canv.setLineWidth(THIN_RULE)
        canv.line(0, thin_y, self.width, thin_y)


# --- label : value ----------------------------------------------------------------------------

class LabelValueBlock(Flowable):
    """Rows of "label : value" with the values in one aligned, wrapping column: the number
    block (Nomor, Sifat, Lampiran, Hal, with the place and date at the right of the first line)
    and identity blocks (Nama, NIK, Alamat...). Splits between rows across pages."""

    def __init__(self, rows, label_width: float, *, indent: float = 0.0, right_text: str = "",
                 value_share: float = 1.0, space_after: float = 0.0):
        super().__init__()
        self.rows = tuple(rows)
        self.label_width = label_width
        self.indent = indent
        self.right_text = right_text
        self.value_share = value_share  # the share of the width the values may use
        self.spaceAfter = space_after

    def _value_width(self, avail: float) -> float:
        left = self.indent + self.label_width + COLON_W
        width = avail * self.value_share - left
        if self.right_text:
            width = min(width, avail - left - string_width(self.right_text) - 6 * mm)
        return max(width, 20 * mm)

    def wrap(self, availWidth, availHeight):
        value_w = self._value_width(availWidth)
        self._lines = [(wrap(label, REGULAR, BODY_SIZE, self.label_width - 2),
                        wrap(value, REGULAR, BODY_SIZE, value_w)) for label, value in self.rows]
        self.width = availWidth
        self.height = sum(max(len(a), len(b)) for a, b in self._lines) * BODY_LEADING
        return self.width, self.height

    def draw(self):
        x_label, x_value = self.indent, self.indent + self.label_width + COLON_W
        runs, line = [], 0
        for labels, values in self._lines:
            y = _baseline(self.height, line, BODY_LEADING)
            runs.append((x_label + self.label_width, y, ":", REGULAR, BODY_SIZE))
            runs.extend((x_label, y - i * BODY_LEADING, t, REGULAR, BODY_SIZE)
                        for i, t in enumerate(labels))
            runs.extend((x_value, y - i * BODY_LEADING, t, REGULAR, BODY_SIZE)
                        for i, t in enumerate(values))
            line += max(len(labels), len(values))
        if self.right_text:
            x = self.width - string_width(self.right_text)
            runs.append((x, _baseline(self.height, 0, BODY_LEADING), self.right_text, REGULAR,
                         BODY_SIZE))
        draw_runs(self.canv, runs)

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        used, fit = 0.0, 0
        for labels, values in self._lines:
            used += max(len(labels), len(values)) * BODY_LEADING
            if used > availHeight:
                break
            fit += 1
        if fit == 0 or fit == len(self.rows):
            return []
        first = LabelValueBlock(self.rows[:fit], self.label_width, indent=self.indent,
                                right_text=self.right_text, value_share=self.value_share)
        rest = LabelValueBlock(self.rows[fit:], self.label_width, indent=self.indent,
                               value_share=self.value_share, space_after=self.spaceAfter)
        return [first, rest]


def label_width_for(labels, smallest: float = 30 * mm, largest: float = 55 * mm) -> float:
    """Wide enough for the longest label (plus a gap), within sensible bounds."""
    widest = max((string_width(label) for label in labels), default=0.0) + 8
    return min(max(widest, smallest), largest)


# --- lines of text ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    """One logical line; it wraps. `prefix` (e.g. "1.") hangs at `indent`, the text at
    indent + hang, so numbered lists align like a typed tembusan."""

    text: str
    font: str = REGULAR
    size: float = BODY_SIZE
    align: str = "left"              # left | centre | right
    indent: float = 0.0
    hang: float = 0.0
    prefix: str = ""
    underline: bool = False


class TextBlock(Flowable):
    """Lines of plain text (addressee, title, tembusan, captions); splits between lines."""

    def __init__(self, lines, *, leading: float = BODY_LEADING, space_after: float = 0.0,
                 space_before: float = 0.0):
        super().__init__()
        self.lines = tuple(lines)
        self.leading = leading
        self.spaceAfter = space_after
        self.spaceBefore = space_before

    def wrap(self, availWidth, availHeight):
        self._wrapped = [wrap(item.text, item.font, item.size,
                              availWidth - item.indent - item.hang) for item in self.lines]
        self.width = availWidth
        self.height = sum(len(parts) for parts in self._wrapped) * self.leading
        return self.width, self.height

    def draw(self):
        runs, index = [], 0
        for item, parts in zip(self.lines, self._wrapped):
            y0 = _baseline(self.height, index, self.leading)
            if item.prefix:
                runs.append((item.indent, y0, item.prefix, item.font, item.size))
            for i, part in enumerate(parts):
                x, w = self._x(item, part)
                runs.append((x, y0 - i * self.leading, part, item.font, item.size))
                if item.underline and part:
                    underline(self.canv, x, y0 - i * self.leading, w, item.size)
            index += len(parts)
        draw_runs(self.canv, runs)

    def _x(self, item: Line, text: str) -> tuple[float, float]:
        w = string_width(text, item.font, item.size)
        if item.align == "centre":
            return (self.width - w) / 2, w
        if item.align == "right":
            return self.width - w, w
        return item.indent + item.hang, w

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        used, fit = 0.0, 0
        for parts in self._wrapped:
            used += len(parts) * self.leading
            if used > availHeight:
                break
            fit += 1
        if fit == 0 or fit == len(self.lines):
            return []
        return [TextBlock(self.lines[:fit], leading=self.leading, space_before=self.spaceBefore),
                TextBlock(self.lines[fit:], leading=self.leading, space_after=self.spaceAfter)]
