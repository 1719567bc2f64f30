"""A quick proof, for the self-test of a build, that names in any script will print:
every font is in the bundle, HarfBuzz shapes and the bidirectional algorithm orders."""

from __future__ import annotations

from app.documents.bidi_order import levels, visual_order
from app.documents.fonts import CJK, SCRIPT_FONTS, script_font
from app.documents.script_runs import runs
from app.documents.shaping import shaped


def check_scripts() -> str:
    """A summary, or ValueError saying what does not work."""
    for font in (*SCRIPT_FONTS, CJK):
        script_font(font)
    arabic = "محمد"
    if set(shaped("ETArabic", arabic)) & set(arabic):
        raise ValueError("Arabic letters were not joined")
    if len(shaped("ETBengali", "ক্ষ")) != 1:
        raise ValueError("the Bengali conjunct ক্ষ was not formed")
    text = "Child: محمد علي"
    if [r.text for r in visual_order(runs(text, levels(text)))][-1] != "محمد":
        raise ValueError("right-to-left words were not put right to left")
    return f"{len(SCRIPT_FONTS) + 1} script fonts; Arabic joined, Indic conjunct, right to left"
