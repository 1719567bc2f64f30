"""HarfBuzz shaping for complex scripts, through ReportLab's own shaped-text drawing.

Arabic letters join and take the form their neighbours call for; Indic consonants form
conjuncts and vowel signs move before or around them. HarfBuzz (uharfbuzz) works out
which glyphs to draw and where; ReportLab draws a ``ShapedStr`` (characters plus
HarfBuzz's offsets and advances) with those positions.

Two of ReportLab's functions are replaced (``install``), each for a reason:

* ``reportlab.platypus.paragraph.shapeFragWord``, which shapes each word of a paragraph
  whose style has ``shaping`` set. ReportLab's shapes a whole word in the font of its
  first letter, so ``(محمد)`` or ``Zoë-王`` came out as the wrong glyphs, and it shapes
  Latin words too. Ours shapes each run of a word in its own font, and only runs in a
  complex-script font, with default features only: ReportLab's turns on discretionary
  ligatures, which print ``محمد`` as the ligature ``ﷴ`` with vowel marks nobody typed.
* ``reportlab.pdfbase.ttfonts.makeToUnicodeCMap``: a glyph that is no character's own
  (a conjunct, a joined form) is drawn through a private-use code, and the PDF's
  ToUnicode map then gives those codes the characters they stand for, so the text is
  still found by search and copied as typed. ReportLab's map also wrote characters
  beyond U+FFFF wrongly (rare Chinese characters); ours writes them as UTF-16.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

import reportlab.pdfbase.ttfonts as rl_ttfonts
import reportlab.platypus.paragraph as rl_paragraph
import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedFragWord, ShapedStr, makeShapedFragWord

from app.documents.bidi_order import has_strong_rtl
from app.documents.fonts import SHAPED, document_font, font_data

# Codes for glyphs that are no character's own: plane 15 is private use, so no text
# can hold them by accident, and no font here maps them.
_PRIVATE = 0xF0000
# Per font (its PostScript name, as the PDF subset names it): private code -> the text
# that code's glyph stands for.
_ACTUAL: dict[str, dict[int, str]] = {}
_CODES: dict[tuple[str, int, str], int] = {}


def install() -> None:
    rl_paragraph.shapeFragWord = shape_frag_word
    rl_ttfonts.makeToUnicodeCMap = to_unicode_cmap


def shaped(font_name: str, text: str) -> ShapedStr:
    """``text`` (logical order, one direction) shaped in the font: characters in the
    order they are drawn, each with HarfBuzz's position. A run that holds Arabic or
    Hebrew letters is right to left; anything else left to right."""
    # A plain str: ReportLab hands over str subclasses (a word with a soft hyphen), which
    # HarfBuzz's bindings refuse.
    chars, data = _shape(font_name, str(text))
    return ShapedStr(chars, shapeData=list(data))


def width(text: str, font_name: str, size: float) -> float:
    if font_name in SHAPED:
        return float(sum(d.x_advance for d in _shape(font_name, str(text))[1]) * size / 1000)
    return float(pdfmetrics.stringWidth(text, font_name, size))


def shape_frag_word(w: list[Any], features: object = None, force: bool = False) -> list[Any]:
    """ReportLab's word ``[width, (frag, text), ...]`` with each complex-script part
    shaped in its own font; the word itself when it has none."""
    if isinstance(w, ShapedFragWord) or not any(
        getattr(f, "fontName", None) in SHAPED for f, _ in w[1:]
    ):
        return w
    new = makeShapedFragWord(w)([0.0])
    for frag, text in w[1:]:
        if isinstance(text, ShapedStr):  # shaped already (ReportLab split the word)
            new.append((frag, text))
            new[0] += sum(d.x_advance for d in text.__shapeData__) * frag.fontSize / 1000
            continue
        if hasattr(frag, "cbDefn") or frag.fontName not in SHAPED or not text:
            new.append((frag, text))
            if not hasattr(frag, "cbDefn"):
                new[0] += pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize)
            continue
        shaped_text = shaped(frag.fontName, text)
        new.append((frag, shaped_text))
        new[0] += sum(d.x_advance for d in shaped_text.__shapeData__) * frag.fontSize / 1000
    return new  # type: ignore[no-any-return]


@cache
def _hb_font(font_name: str) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob(font_data(font_name))))


@lru_cache(maxsize=4096)
def _shape(font_name: str, text: str) -> tuple[str, tuple[ShapeData, ...]]:
    ttf = document_font(font_name)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if has_strong_rtl(text) else "ltr"
    # Each glyph's cluster is the index of the first character of the grapheme (letter
    # with its marks, or Indic syllable) it belongs to.
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_GRAPHEMES
    hb.shape(_hb_font(font_name), buf)
    infos, positions = buf.glyph_infos, buf.glyph_positions
    starts = [*sorted({info.cluster for info in infos}), len(text)]
    ends = dict(pairwise(starts))
    scale = ttf.face._pdfScale
    rtl = buf.direction == "rtl"
    chars: list[str] = []
    data: list[ShapeData] = []
    i = 0
    while i < len(infos):
        cluster = infos[i].cluster
        end = i
        while end < len(infos) and infos[end].cluster == cluster:
            end += 1
        reads = _cluster_reading(text[cluster : ends[cluster]], end - i, rtl)
        for info, pos, read in zip(infos[i:end], positions[i:end], reads, strict=True):
            code = _code(ttf, info.codepoint, read)
            chars.append(chr(code))
            data.append(
                ShapeData(
                    cluster,
                    scale(pos.x_advance),
                    scale(pos.y_advance),
                    scale(pos.x_offset),
                    scale(pos.y_offset),
                    ttf.face.charWidths[code],
                )
            )
        i = end
    return "".join(chars), tuple(data)


def _cluster_reading(text: str, glyphs: int, rtl: bool) -> list[str]:
    """What each glyph of a cluster reads as, in drawing order, so that reading the
    glyphs in order gives the text typed. The glyphs of a syllable are not in typed
    order (in কি the vowel sign is drawn before the consonant), so the characters are
    dealt out in order instead, one a glyph, the last glyph taking the rest; a vowel
    drawn in two parts (কো) is taken as its two canonical parts. Every glyph reads as
    something: a viewer shows the raw code for a glyph mapped to nothing."""
    chars = list(text)
    for form in ("NFD", "NFKD"):
        if len(chars) < glyphs:
            chars = list(unicodedata.normalize(form, text))
    # Rare (a Khmer vowel in two parts): the extra glyphs read as a word joiner, which is
    # invisible and, unlike a zero-width (non-)joiner, changes nothing if pasted.
    chars += ["\u2060"] * (glyphs - len(chars))
    reads = [*chars[: glyphs - 1], "".join(chars[glyphs - 1 :])]
    # A right-to-left cluster is drawn right to left: its first glyph is the last.
    return reads[::-1] if rtl else reads


def _code(ttf: Any, gid: int, text: str) -> int:
    """The character code that draws glyph ``gid`` and reads as ``text``: the
    character itself when the glyph is its own, else a private code mapped to both."""
    face = ttf.face
    if len(text) == 1 and face.charToGlyph.get(ord(text)) == gid:
        return ord(text)
    postscript = bytes(face.name).decode("latin-1")
    key = (postscript, gid, text)
    code = _CODES.get(key)
    if code is None:
        code = _CODES[key] = _PRIVATE + len(_CODES)
        face.charToGlyph[code] = gid
        face.glyphToChar.setdefault(gid, []).append(code)
        face.charWidths[code] = face._pdfScale(face.hmetrics[gid][0])
        _ACTUAL.setdefault(postscript, {})[code] = text
    return code


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap for one 256-glyph subset, with the private codes read
    as the text they stand for, and at most 100 entries a block as the PDF format asks."""
    actual = _ACTUAL.get(fontname.split("+", 1)[-1], {})
    entries = [f"<{i:02X}> <{_utf16(actual.get(c, chr(c)))}>" for i, c in enumerate(subset)]
    blocks: list[str] = []
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            *blocks,
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


def _utf16(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()
