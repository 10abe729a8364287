"""The tables of a recap sheet as reportlab flowables, cut into bands that fit the page.

A matrix of 28 PMKS types x L/P/Jml (84 number columns) cannot be read on one landscape page,
so the column groups are cut into *bands* of whole groups that fit the width; each band repeats
the No. and label columns and its two header rows on every page, and the JUMLAH group closes
the last band. Bands are balanced (29 groups on A4 become 8 + 7 + 7 + 7, not 8 + 8 + 8 + 5).
Zero prints as "-", the usual habit of such sheets, so the few non-empty cells stand out.
"""
from __future__ import annotations

from functools import lru_cache

from pmks_desktop.domain.formatting import number_id
from pmks_desktop.reports.fonts import BOLD, REGULAR
from pmks_desktop.reports.recap_model import Column, RecapTable

MM = 72 / 25.4
CELL_SIZE, HEADER_SIZE = 7.5, 7
NO_WIDTH = 20
MIN_LEAF = 22
PAD = 6  # cell padding left + right
LABEL_MIN, LABEL_MAX = 55, 170
STRETCH = 2.0
GREY, LIGHT = (0.85, 0.85, 0.85), (0.93, 0.93, 0.93)


# ------------------------------------------------------------------ styles and text


@lru_cache(maxsize=1)
def styles() -> dict:
    """Paragraph styles by role (built once; callers must not change them)."""
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    def style(name, size, font=REGULAR, align=TA_LEFT, leading=None, **kw):
        return ParagraphStyle(name, fontName=font, fontSize=size, alignment=align,
                              leading=leading or size * 1.2, **kw)

    return {
        "title": style("title", 11, BOLD, TA_CENTER, 14),
        "info": style("info", 8.5, REGULAR, TA_CENTER),
        "heading": style("heading", 9, BOLD),
        "band": style("band", 7.5, REGULAR, textColor=(0.25, 0.25, 0.25)),
        "head": style("head", HEADER_SIZE, BOLD, TA_CENTER),
        "cell": style("cell", CELL_SIZE),
        "note": style("note", 7.5, leading=9.5),
        "sign": style("sign", 9, REGULAR, TA_CENTER, 11.5),
    }


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cell_text(value, column: Column) -> str:
    if value is None:
        return ""
    if value == 0:
        return "-"
    if column.kind == "decimal":
        return number_id(round(value, 3))
    return number_id(value, decimals=0)


def text_width(text: str, font: str = REGULAR, size: float = CELL_SIZE) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


# ------------------------------------------------------------------ tables in bands


def table_flowables(table: RecapTable, width: float, height: float) -> list:
    """Flowables for one table on a frame of `width` x `height` points."""
    from reportlab.platypus import CondPageBreak, Spacer

    labels = _label_widths(table)
    leaves = _leaf_widths(table)
    bands = split_bands(table, leaves, width - sum(labels))
    shaped = [(band, _band_widths(table, band, labels, leaves, width)) for band in bands]
    story = [CondPageBreak(40 * MM)]
    # The heading travels with the first band, so it never ends a page alone.
    lead = [Spacer(1, 3 * MM), _above(table.heading, "heading", sum(shaped[0][1]))] \
        if table.heading else []
    for number, (band, widths) in enumerate(shaped, start=1):
        caption = [_above(_band_caption(table, band, number, len(bands)), "band",
                          sum(widths), escaped=True)] if len(bands) > 1 else []
        story += _kept(lead + caption + [_band_table(table, band, widths)], width, height)
        lead = []
    return story


def _kept(flowables: list, width: float, height: float) -> list:
    """A band that fits on one page moves whole to the next page when this one is too full;
    a longer band starts right here (unless the page is nearly full) and continues on the
    next with its header rows repeated. (KeepTogether alone would leave the rest of this page
    empty before a long band.)"""
    from reportlab.platypus import CondPageBreak, KeepTogether

    needed = sum(f.wrap(width, height)[1] for f in flowables)
    return [KeepTogether(flowables)] if needed <= height else [CondPageBreak(40 * MM)] + flowables


def _above(text: str, style: str, width: float, escaped: bool = False):
    """A heading over a centred table, starting at the table's left edge."""
    from reportlab.platypus import Paragraph, Table, TableStyle

    paragraph = Paragraph(text if escaped else escape(text), styles()[style])
    holder = Table([[paragraph]], colWidths=[width], hAlign="CENTER")
    holder.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return holder


def _label_widths(table: RecapTable) -> list[float]:
    widths = [NO_WIDTH]
    for index, header in enumerate(table.label_headers):
        texts = [row.labels[index] for row in table.rows] + [table.total_label]
        longest = max([text_width(t) for t in texts] + [text_width(header, BOLD, HEADER_SIZE)])
        widths.append(min(LABEL_MAX, max(LABEL_MIN, longest + PAD)))
    return widths


def _leaf_widths(table: RecapTable) -> list[float]:
    """Wide enough for the widest figure and the leaf label; a group is wide enough for the
    longest word of its label (labels wrap between words, never inside one)."""
    widths = []
    for index, (_g, column) in enumerate(table.leaves()):
        values = [row.values[index] for row in table.rows] + [(table.totals or (None,) * (
            index + 1))[index]]
        texts = [cell_text(v, column) for v in values] + column.label.split()
        widths.append(max(MIN_LEAF, max(text_width(t, BOLD) for t in texts) + PAD))
    for group, part in zip(table.groups, table.leaf_slices()):
        word = max(text_width(w, BOLD, HEADER_SIZE) for w in group.label.split() or [""]) + PAD
        have = sum(widths[part])
        if word > have:
            widths[part] = [w * word / have for w in widths[part]]
    return widths


def split_bands(table: RecapTable, leaves: list[float], room: float) -> list[list[int]]:
    """Group indices per band: whole groups, as few bands as fit, balanced in count."""
    sizes = [sum(leaves[part]) for part in table.leaf_slices()]
    greedy, current, used = [], [], 0.0
    for index, size in enumerate(sizes):
        if current and used + size > room:
            greedy.append(current)
            current, used = [], 0.0
        current.append(index)
        used += size
    greedy.append(current)
    # The same number of bands, the groups shared out as evenly as possible (8, 7, 7, 7).
    base, extra = divmod(len(sizes), len(greedy))
    balanced, start = [], 0
    for number in range(len(greedy)):
        end = start + base + (1 if number < extra else 0)
        balanced.append(list(range(start, end)))
        start = end
    fits = all(sum(sizes[i] for i in band) <= room for band in balanced)
    return balanced if fits else greedy


def _band_caption(table: RecapTable, band: list[int], number: int, count: int) -> str:
    groups = [table.groups[i] for i in band]
    codes = [g.code for g in groups if g.code]
    what = f"jenis {codes[0]} s.d. {codes[-1]}" if len(codes) > 1 else \
        f"jenis {codes[0]}" if codes else ", ".join(escape(g.label) for g in groups)
    if codes and any(g.total for g in groups):
        what += " dan jumlah seluruhnya"
    return f"Bagian {number} dari {count}: {what}"


def _band_widths(table: RecapTable, band: list[int], labels: list[float],
                 leaves: list[float], width: float) -> list[float]:
    """Label columns, then the band's leaves widened towards the page width: at most
    STRETCH times, so a band of two groups stays a compact table in the middle."""
    slices = table.leaf_slices()
    columns = [i for g in band for i in range(slices[g].start, slices[g].stop)]
    room, used = width - sum(labels), sum(leaves[i] for i in columns)
    stretch = min(room / used, STRETCH) if used else 1.0
    return labels + [leaves[i] * stretch for i in columns]


def _band_table(table: RecapTable, band: list[int], widths: list[float]):
    from reportlab.platypus import Table

    slices = table.leaf_slices()
    columns = [i for g in band for i in range(slices[g].start, slices[g].stop)]
    rows = _header_rows(table, band) + _body_rows(table, columns, widths)
    if table.totals is not None:
        rows.append(_total_row(table, columns))
    out = Table(rows, colWidths=widths, repeatRows=2, hAlign="CENTER")
    out.setStyle(_band_style(table, band, 1 + len(table.label_headers), len(rows)))
    return out


def _header_rows(table: RecapTable, band: list[int]) -> list[list]:
    from reportlab.platypus import Paragraph

    head = styles()["head"]
    top = [Paragraph("No.", head)] + [Paragraph(escape(h), head) for h in table.label_headers]
    second = [""] * len(top)
    for g in band:
        group = table.groups[g]
        text = escape(group.label)
        if group.code and group.label.startswith(group.code + " "):
            text = f"{escape(group.code)}<br/>{escape(group.label[len(group.code) + 1:])}"
        top.append(Paragraph(text, head))
        top += [""] * (len(group.columns) - 1)
        second += ["" if group.single else Paragraph(escape(c.label), head)
                   for c in group.columns]
    return [top, second]


def _body_rows(table: RecapTable, columns: list[int], widths: list[float]) -> list[list]:
    leaves = [c for _g, c in table.leaves()]
    return [[str(number)] + [_label_cell(label, widths[1 + i]) for i, label in
                             enumerate(row.labels)]
            + [cell_text(row.values[i], leaves[i]) for i in columns]
            for number, row in enumerate(table.rows, start=1)]


def _label_cell(label: str, width: float):
    """Plain text when it fits the column (fast); a wrapping paragraph when it does not."""
    from reportlab.platypus import Paragraph

    if text_width(label) <= width - PAD:
        return label
    return Paragraph(escape(label), styles()["cell"])


def _total_row(table: RecapTable, columns: list[int]) -> list:
    leaves = [c for _g, c in table.leaves()]
    return ([table.total_label] + [""] * len(table.label_headers)
            + [cell_text(table.totals[i], leaves[i]) for i in columns])


def _band_style(table: RecapTable, band: list[int], label_count: int, row_count: int):
    from reportlab.platypus import TableStyle

    last_row = row_count - 1
    commands = [
        ("FONT", (0, 0), (-1, -1), REGULAR, CELL_SIZE),
        ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 1), GREY),
        ("ALIGN", (0, 2), (0, -1), "CENTER"),
        ("ALIGN", (label_count, 2), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("SPAN", (c, 0), (c, 1)) for c in range(label_count)]
    column = label_count
    for g in band:
        group = table.groups[g]
        end = column + len(group.columns) - 1
        commands.append(("SPAN", (column, 0), (end, 0 if not group.single else 1)))
        if group.total:
            commands += [("BACKGROUND", (column, 2), (end, -1), LIGHT),
                         ("FONT", (column, 2), (end, -1), BOLD, CELL_SIZE)]
        column = end + 1
    if table.totals is not None:
        commands += [("SPAN", (0, last_row), (label_count - 1, last_row)),
                     ("ALIGN", (0, last_row), (label_count - 1, last_row), "CENTER"),
                     ("FONT", (0, last_row), (-1, last_row), BOLD, CELL_SIZE),
                     ("BACKGROUND", (0, last_row), (-1, last_row), LIGHT)]
    return TableStyle(commands)


