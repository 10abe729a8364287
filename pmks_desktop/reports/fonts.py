"""The fonts every PDF embeds: Liberation Sans (metric-compatible with Arial, the usual face of
naskah dinas), shipped in resources/fonts under the SIL Open Font License.

Embedding our own TTF (not one of the 14 standard PDF fonts) means a name like "Ni Luh Putu
Ayu Ṡ" or "Ma'ruf Amîn" prints the same on every printer, whatever fonts the PC has.
"""
from __future__ import annotations

from functools import lru_cache

from pmks_desktop.paths import resources_dir

REGULAR = "PMKSSans"
BOLD = "PMKSSans-Bold"
ITALIC = "PMKSSans-Italic"
BOLD_ITALIC = "PMKSSans-BoldItalic"

_FILES = {
    REGULAR: "LiberationSans-Regular.ttf",
    BOLD: "LiberationSans-Bold.ttf",
    ITALIC: "LiberationSans-Italic.ttf",
    BOLD_ITALIC: "LiberationSans-BoldItalic.ttf",
}


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Registers the family once per process and returns the regular face's name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = resources_dir() / "fonts"
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    # <b> and <i> inside Paragraph markup pick the right face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)
    return REGULAR


def missing_glyphs(text: str) -> set[str]:
    """Characters of `text` the embedded font cannot draw (a test checks Indonesian names)."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    face = pdfmetrics.getFont(REGULAR).face
    return {ch for ch in text if not ch.isspace() and ord(ch) not in face.charWidths}
