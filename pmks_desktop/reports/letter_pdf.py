"""Letters (naskah dinas) to PDF: LetterDocument in, PDF bytes out. No database, no Qt.

    render_letter(doc) -> bytes
    render_letters(docs, total=..., progress=..., cancelled=...) -> bytes   # many, one PDF

A batch is laid out in ONE reportlab build, letter after letter, each starting on a new page,
and the stories are made one letter at a time (a 1,000-letter batch never holds 1,000
stories). Per-letter page numbers ("Halaman 2 dari 3") need the letter's page count before it
is known: every page that is not known to be a letter's last draws a named Form XObject, and
the form is written when the letter ends (PDF allows forms to be defined after use). So one
pass suffices, and a one-page letter carries no page number at all.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from io import BytesIO

from reportlab.platypus import ActionFlowable, BaseDocTemplate, Frame, PageTemplate

from pmks_desktop.reports.fonts import BOLD, REGULAR, register_fonts
from pmks_desktop.reports.letter_model import PAPER_SIZES_MM, LetterDocument
from pmks_desktop.reports.letter_story import letter_story, plain_title
from pmks_desktop.reports.letter_style import (
    FOOTER_BASELINE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    SMALL_SIZE,
    page_size,
    text_width,
    wrap,
)

CREATOR = "PMKS Desktop"
PAGE_LABEL_SIZE = 8.0
PAGE_LABEL_ROOM = 32 * 72 / 25.4   # footer text keeps clear of "Halaman 12 dari 12"

Progress = Callable[[int, int], None]


class RenderCancelled(Exception):
    """The user cancelled a batch; no PDF is produced."""


def render_letter(doc: LetterDocument) -> bytes:
    """One letter as PDF bytes."""
    return render_letters([doc], total=1)


def render_letters(docs: Iterable[LetterDocument], *, total: int | None = None,
                   progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> bytes:
    """Many letters into one PDF, each starting on a new page. `progress(done, total)` is
    called after each letter; `total` defaults to len(docs) when docs has one, else 0
    (unknown). `cancelled()` is asked before each letter; True raises RenderCancelled."""
    register_fonts()
    if total is None:
        total = len(docs) if hasattr(docs, "__len__") else 0
    letters = iter(docs)
    first = next(letters, None)
    if first is None:
        raise ValueError("Tidak ada surat untuk dicetak")
    buffer = BytesIO()
    template = _LetterDocTemplate(buffer, first, total, progress, cancelled)
    template.build(_LetterStream(_chain(first, letters)))
    return buffer.getvalue()


def _chain(first: LetterDocument, rest):
    yield first
    yield from rest


class _LetterStart(ActionFlowable):
    """Marks where a letter begins in the stream of flowables."""

    def __init__(self, letter: LetterDocument, index: int):
        super().__init__()
        self.letter, self.index = letter, index

    def apply(self, doc):
        # Not ActionFlowable.apply: that one rewraps exceptions, and RenderCancelled must
        # reach the caller as itself.
        doc.start_letter(self.letter, self.index)


class _BatchEnd(ActionFlowable):
    def apply(self, doc):
        doc.finish_batch()


class _LetterStream(list):
    """The flowable list handed to build(), refilled with the next letter's story whenever it
    runs empty. reportlab deletes flowables from the front of this list; a 20,000-item list
    would make every deletion shift the rest, and hold every story in memory at once."""

    def __init__(self, letters):
        super().__init__()
        self._letters = enumerate(letters)
        self._open = True
        self._refill()

    def __delitem__(self, key):
        super().__delitem__(key)
        if not self and self._open:
            self._refill()

    def _refill(self) -> None:
        for index, letter in self._letters:
            self.append(_LetterStart(letter, index))
            self.extend(letter_story(letter, text_width(letter.paper)))
            return
        self._open = False
        self.append(_BatchEnd())


class _LetterDocTemplate(BaseDocTemplate):
    """Knows which letter is on the page and where it began, for the draft mark, the footer
    and the per-letter page numbers."""

    def __init__(self, buffer, first: LetterDocument, total: int, progress, cancelled):
        head = first.letterhead
        super().__init__(buffer, pagesize=page_size(first.paper), title=plain_title(first),
                         author=", ".join(t for t in (head.office, head.government) if t),
                         subject=first.hal or first.title, creator=CREATOR,
                         initialFontName=REGULAR)  # else every page names Helvetica
        papers = [first.paper] + [p for p in PAPER_SIZES_MM if p != first.paper]
        self.addPageTemplates([self._page_template(paper) for paper in papers])
        self._letter, self._index, self._first_page = first, 0, 1
        self._ending = False
        self._pending: list[tuple[str, int]] = []   # page-label forms awaiting the total
        self._total, self._progress, self._cancelled = total, progress, cancelled
        self._done = 0

    def _page_template(self, paper: str) -> PageTemplate:
        width, height = page_size(paper)
        frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, width - MARGIN_LEFT - MARGIN_RIGHT,
                      height - MARGIN_TOP - MARGIN_BOTTOM, leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0, id=paper)
        return PageTemplate(id=paper, frames=[frame], pagesize=(width, height),
                            onPage=self._page_begin, onPageEnd=self._page_end)

    # --- letters ------------------------------------------------------------------------------

    def start_letter(self, letter: LetterDocument, index: int) -> None:
        if self._cancelled is not None and self._cancelled():
            raise RenderCancelled()
        if index == 0:
            return  # the first page is already open for it
        if letter.paper != self.pageTemplate.id:
            self.handle_nextPageTemplate(letter.paper)
        self._finish_letter()
        self._letter, self._index = letter, index
        self._first_page = self.page + 1

    def finish_batch(self) -> None:
        self._finish_letter()
        if self._done > 1:
            self.canv.setTitle(f"{self._done} surat: {self.title}")

    def _finish_letter(self) -> None:
        """Ends the letter's last page, then writes its pending "Halaman k dari n" forms."""
        self._ending = True
        try:
            self.handle_pageBreak()
        finally:
            self._ending = False
        pages = self.page - self._first_page + 1
        for name, number in self._pending:
            self._define_page_label(name, f"Halaman {number} dari {pages}")
        self._pending.clear()
        self._done += 1
        if self._progress is not None:
            self._progress(self._done, self._total)

    # --- page furniture -----------------------------------------------------------------------

    def _page_begin(self, canv, doc) -> None:
        if self._letter.draft:
            _draw_draft_mark(canv, self._letter.paper)

    def _page_end(self, canv, doc) -> None:
        letter = self._letter
        number = self.page - self._first_page + 1
        if letter.footer:
            _draw_footer(canv, letter)
        if self._ending:
            if number > 1:  # the last page of a long letter: the total is known now
                _draw_page_label(canv, letter.paper, f"Halaman {number} dari {number}")
            return
        name = f"pmksHal{self._index}p{number}"
        canv.doForm(name)
        self._pending.append((name, number))

    def _define_page_label(self, name: str, text: str) -> None:
        width, height = page_size(self._letter.paper)
        self.canv.beginForm(name, 0, 0, width, height)
        _draw_page_label(self.canv, self._letter.paper, text)
        self.canv.endForm()


def _draw_page_label(canv, paper: str, text: str) -> None:
    width, _ = page_size(paper)
    canv.setFont(REGULAR, PAGE_LABEL_SIZE)
    canv.setFillGray(0)
    canv.drawRightString(width - MARGIN_RIGHT, FOOTER_BASELINE, text)


def _draw_footer(canv, letter: LetterDocument) -> None:
    lines = wrap(letter.footer, REGULAR, SMALL_SIZE, text_width(letter.paper) - PAGE_LABEL_ROOM)
    canv.saveState()
    canv.setFont(REGULAR, SMALL_SIZE)
    canv.setFillGray(0.25)
    for i, line in enumerate(reversed(lines)):  # a second line goes above, not into the edge
        canv.drawString(MARGIN_LEFT, FOOTER_BASELINE + i * SMALL_SIZE * 1.2, line)
    canv.restoreState()


def _draw_draft_mark(canv, paper: str) -> None:
    """A large light "DRAF" across the page, under the text (drawn first), as a form so a
    batch of drafts stores it once."""
    name = f"pmksDraf{paper}"
    width, height = page_size(paper)
    if not canv.hasForm(name):
        canv.beginForm(name, 0, 0, width, height)
        canv.setFillGray(0.85)
        canv.setFont(BOLD, 150)
        canv.translate(width / 2, height / 2)
        canv.rotate(math.degrees(math.atan2(height, width)))
        canv.drawCentredString(0, -50, "DRAF")
        canv.endForm()
    canv.doForm(name)
