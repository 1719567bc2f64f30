"""The embedded Unicode font. The 14 built-in PDF fonts cannot show names such as
Zoë Nguyễn or Αλέξανδρος, so DejaVu Sans (permissive licence, in resources/fonts/) is
embedded, subset to the glyphs used."""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import resource_path

REGULAR = "ETSans"
BOLD = "ETSans-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    fonts = resource_path("resources", "fonts")
    pdfmetrics.registerFont(TTFont(REGULAR, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    # So that <b> in paragraphs picks the bold face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
