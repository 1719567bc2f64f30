"""The embedded fonts and which one sets each character.

DejaVu Sans (regular and bold) sets Latin, Greek and Cyrillic, as before. A name in any
other script is set in a Noto Sans font for that script, or, for Chinese, Japanese and
Korean, in Droid Sans Fallback: all TrueType (ReportLab embeds TrueType outlines, not
CFF), each embedded subset to the glyphs used, their licences in resources/fonts/.

The files are stored gzip-compressed (NAME.ttf.gz): 3.5 MB instead of 7.5 MB in the
installed app, for a few milliseconds' unpacking when a font is first read. Only the two
DejaVu faces are read with the first document; every other font the first time a
character needs it (the CJK font takes ~100 ms to unpack and read)."""

from __future__ import annotations

import gzip
import io
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import resource_path

REGULAR = "ETSans"
BOLD = "ETSans-Bold"


@dataclass(frozen=True)
class ScriptFont:
    name: str  # the name documents use for it (ReportLab's registry)
    file: str  # in resources/fonts/
    # Complex scripts: letters change shape with their neighbours (Arabic joining, Indic
    # conjuncts and reordered vowel signs), so HarfBuzz shapes their runs.
    shaped: bool
    blocks: tuple[tuple[int, int], ...]  # the Unicode blocks it sets


def _noto(script: str, shaped: bool, *blocks: tuple[int, int]) -> ScriptFont:
    return ScriptFont(f"ET{script}", f"NotoSans{script}-Regular.ttf", shaped, blocks)


# Arabic also sets Urdu, Persian, Pashto and Sorani; Devanagari sets Hindi, Nepali and
# Marathi; Ethiopic sets Tigrinya and Amharic.
SCRIPT_FONTS = (
    _noto(
        "Arabic",
        True,
        (0x0600, 0x06FF),
        (0x0750, 0x077F),
        (0x08A0, 0x08FF),
        (0xFB50, 0xFDFF),
        (0xFE70, 0xFEFF),
    ),
    _noto("Hebrew", True, (0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    _noto("Devanagari", True, (0x0900, 0x097F), (0xA8E0, 0xA8FF)),
    _noto("Bengali", True, (0x0980, 0x09FF)),
    _noto("Gurmukhi", True, (0x0A00, 0x0A7F)),
    _noto("Gujarati", True, (0x0A80, 0x0AFF)),
    _noto("Tamil", True, (0x0B80, 0x0BFF)),
    _noto("Telugu", True, (0x0C00, 0x0C7F)),
    _noto("Kannada", True, (0x0C80, 0x0CFF)),
    _noto("Malayalam", True, (0x0D00, 0x0D7F)),
    _noto("Sinhala", True, (0x0D80, 0x0DFF)),
    _noto("Thai", True, (0x0E00, 0x0E7F)),
    _noto("Lao", True, (0x0E80, 0x0EFF)),
    _noto("Myanmar", True, (0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)),
    _noto("Khmer", True, (0x1780, 0x17FF), (0x19E0, 0x19FF)),
    _noto("Ethiopic", False, (0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)),
    _noto("Armenian", False, (0x0530, 0x058F), (0xFB13, 0xFB17)),
    _noto("Georgian", False, (0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)),
)
# Han, kana and Hangul. Used for any character DejaVu lacks that this font has.
CJK = ScriptFont("ETCJK", "DroidSansFallback.ttf", False, ())
SHAPED = frozenset(f.name for f in SCRIPT_FONTS if f.shaped)
_BY_NAME = {f.name: f for f in (*SCRIPT_FONTS, CJK)}
_BLOCKS = sorted((start, end, font) for font in SCRIPT_FONTS for start, end in font.blocks)


@cache
def register_fonts() -> tuple[str, str]:
    """The two DejaVu faces, and the hooks that shape and map the other scripts."""
    from app.documents import shaping

    pdfmetrics.registerFont(TTFont(REGULAR, _read("DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, _read("DejaVuSans-Bold.ttf")))
    # So that <b> in paragraphs picks the bold face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    shaping.install()
    return REGULAR, BOLD


@cache
def script_font(font: ScriptFont) -> TTFont:
    """The font, registered on first use."""
    register_fonts()
    # shapable (the default): ReportLab then draws HarfBuzz's glyph positions.
    ttf = TTFont(font.name, _read(font.file))
    pdfmetrics.registerFont(ttf)
    # <font name=...> markup looks the family up; each of these has one face.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(font.name, bold, italic, font.name)
    return ttf


def document_font(name: str) -> TTFont:
    """A document font by name, registered first if it is a script font not read yet."""
    if name in _BY_NAME:
        return script_font(_BY_NAME[name])
    register_fonts()
    return pdfmetrics.getFont(name)


def font_data(name: str) -> bytes:
    """A document font's file, unpacked (HarfBuzz reads it too)."""
    return bytes(document_font(name).face._ttf_data)


def _read(file: str) -> io.BytesIO:
    packed = resource_path("resources", "fonts", file + ".gz").read_bytes()
    data = io.BytesIO(gzip.decompress(packed))
    data.name = file  # what ReportLab calls the font in the PDF's object names
    return data


def covers(name: str, char: str) -> bool:
    """Whether the font has a glyph for the character (not .notdef)."""
    return ord(char) in _cmap(name)


@cache
def _cmap(name: str) -> frozenset[int]:
    # A snapshot: the shaping module later maps private-use codes of its own.
    return frozenset(pdfmetrics.getFont(name).face.charToGlyph)


def _block_font(code: int) -> ScriptFont | None:
    for start, end, font in _BLOCKS:
        if start <= code <= end:
            return font
        if code < start:
            return None
    return None


@lru_cache(maxsize=8192)
def font_for(char: str) -> str:
    """The font that sets a character on its own: its script's font when the character
    is in one of their blocks, else DejaVu Sans, else the CJK font, else DejaVu Sans
    (which shows .notdef: no font here has the character)."""
    register_fonts()
    code = ord(char)
    block = _block_font(code)
    if block is not None and code in script_font(block).face.charToGlyph:
        return block.name
    if covers(REGULAR, char):
        return REGULAR
    if code >= 0x1100 and code in script_font(CJK).face.charToGlyph:
        return CJK.name
    return REGULAR


def is_joiner(char: str) -> bool:
    """A character that belongs with the one before it, whatever its own script:
    combining marks, joiners, variation selectors (they must reach the same font, or
    the mark would float on its own)."""
    return unicodedata.category(char) in ("Mn", "Mc", "Me") or char in "\u200c\u200d\ufe0f"
