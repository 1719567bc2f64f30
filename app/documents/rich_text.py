"""User text as it is set in every document: as typed, in a font that has each of its
characters, complex scripts shaped, right-to-left runs drawn right to left.

``paragraph`` is what ``layout.para`` (and so every table cell) uses; ``draw_string``
and ``label`` are the same for text drawn at a point (page furniture, the timeline).

The text is always escaped first and only then wrapped in ``<font name=...>`` runs, so
nothing a person typed is read as markup. Text that DejaVu Sans sets on its own, left
to right (nearly all of it), is laid out as it always was, with nothing extra to do."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Group, String
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from app.documents.bidi_order import has_strong_rtl, levels, mirrored, visual_order
from app.documents.fonts import REGULAR, SHAPED
from app.documents.script_runs import Run, plain, runs
from app.documents.shaping import shaped, width

# Lines are broken a little short of the measure: ReportLab measures the same runs
# again and must not find one a hair too wide.
_SLACK = 1.0


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text, line breaks kept."""
    if plain(text):
        return _plain_paragraph(text, style)
    if has_strong_rtl(text):
        return BidiParagraph.of(text, style)
    logical = [runs(line) for line in text.split("\n")]
    markup = "<br/>".join("".join(_markup(r, style) for r in line) for line in logical)
    shaped_runs = any(r.font in SHAPED for line in logical for r in line)
    return Paragraph(markup, _shaping(style) if shaped_runs else style)


# A plain one-line paragraph is one fragment: the style's, holding the text. ReportLab
# would get it by escaping the text and parsing it as markup (a tenth of a document's
# time); it is the same fragment, so each style is parsed once and the fragment copied.
_STYLE_FRAGMENT: WeakKeyDictionary[ParagraphStyle, ParaFrag] = WeakKeyDictionary()
_MARKUP_CHARACTERS = frozenset("&<>")


def _plain_paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    cleaned = cleanBlockQuotedText(text)  # whitespace as ReportLab sets it
    # ReportLab parses "&", "<" and ">" (escaped) into fragments of their own: the same
    # page, but not the same bytes, so such text takes ReportLab's way.
    if "\n" in text or not cleaned or style.textTransform or _MARKUP_CHARACTERS & set(text):
        return Paragraph(escape(text).replace("\n", "<br/>"), style)
    fragment = _STYLE_FRAGMENT.get(style)
    if fragment is None:
        _, parsed, _ = ParaParser().parse("x", style)
        fragment = _STYLE_FRAGMENT[style] = parsed[0]
    # Fresh lists: ReportLab appends a fragment's underlines and links to them.
    frags = [fragment.clone(text=cleaned, us_lines=[], link=[])]
    return _PlainParagraph(cleaned, style, frags=frags)


class _PlainParagraph(Paragraph):  # type: ignore[misc]
    """A table lays each cell out twice at the same width (to measure the row, then
    again to draw it); the second time the lines already found are kept (unless a
    split dropped them: ``Paragraph.split`` deletes ``blPara``)."""

    _wrapped: tuple[float, float, float] | None = None  # width given, width, height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        wrapped = self._wrapped
        if wrapped is not None and wrapped[0] == availWidth and "blPara" in self.__dict__:
            return wrapped[1], wrapped[2]
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, width, height)
        return width, height


class BidiParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph with right-to-left text. The bidirectional algorithm reorders each
    line after the text is broken into lines (rule L2), so this paragraph breaks its
    own lines whenever it is given a width, puts each in visual order, and hands
    ReportLab lines that already fit. (ReportLab's own reordering needs rlbidi and is
    switched off for paragraphs of more than one font.) The pieces ReportLab splits off
    at a page or cell boundary are laid out already and are plain paragraphs again."""

    _source: str | None = None
    _laid_for: float | None = None

    @classmethod
    def of(cls, text: str, style: ParagraphStyle) -> BidiParagraph:
        laid = cls(_bidi_markup(text, style, None), _shaping(style))
        laid._source = text
        return laid

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._source is not None and availWidth != self._laid_for:
            style = self.style
            measure = availWidth - style.leftIndent - style.rightIndent - style.firstLineIndent
            markup = _bidi_markup(self._source, style, measure - _SLACK)
            self._setup(markup, style, self.bulletText, None, cleanBlockQuotedText)
            self._laid_for = availWidth
        return super().wrap(availWidth, availHeight)  # type: ignore[no-any-return]


def _shaping(style: ParagraphStyle) -> ParagraphStyle:
    """The style with ReportLab's shaping hook on (``shaping.shape_frag_word``). A word
    too long for its line is not cut: ReportLab cuts a word between characters, which
    would split a shaped syllable (and loses the shaping); it stands out past the
    margin instead, whole."""
    return ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1, splitLongWords=0)


def _font(run: Run, base: str) -> str:
    return base if run.font == REGULAR else run.font


def _drawn(run: Run) -> str:
    """The run's characters as they go to the page: in logical order when HarfBuzz
    shapes the run (it puts right-to-left glyphs in order itself), else reversed and
    mirrored if the run is right to left."""
    if run.rtl and not (run.font in SHAPED and has_strong_rtl(run.text)):
        return mirrored(run.text)
    return run.text


def _markup(run: Run, style: ParagraphStyle) -> str:
    escaped = escape(_drawn(run))
    # Runs in DejaVu take the style's own face (bold in a bold style).
    return escaped if run.font == REGULAR else f'<font name="{run.font}">{escaped}</font>'


def _bidi_markup(text: str, style: ParagraphStyle, measure: float | None) -> str:
    lines: list[str] = []
    for hard_line in text.split("\n"):
        logical = runs(hard_line, levels(hard_line))
        for line in _break(logical, style, measure) if measure else [logical]:
            lines.append("".join(_markup(r, style) for r in visual_order(line)))
    return "<br/>".join(lines)


def _break(logical: list[Run], style: ParagraphStyle, measure: float) -> list[list[Run]]:
    """Greedy line breaking at spaces, as ReportLab does, measured as drawn. A space is
    counted at its widest in the fonts either side of it, so that ReportLab, which may
    count it in the other font, never finds the line too long."""
    base, size = style.fontName, style.fontSize
    lines: list[list[Run]] = []
    line: list[Run] = []
    used = 0.0
    for gap, word in _words(logical):
        wide = sum(width(_drawn(r), _font(r, base), size) for r in word)
        space = 0.0
        if line:
            fonts = (_font(line[-1], base), _font(word[0], base), base)
            space = max(width(" ", f, size) for f in fonts)
        if line and used + space + wide > measure:
            lines.append(line)
            line, used, space = [], 0.0, 0.0
        if line:
            line.append(gap)
        line += word
        used += space + wide
    lines.append(line)
    return lines


def _words(logical: list[Run]) -> list[tuple[Run, list[Run]]]:
    """Each word with the space before it (at the level the algorithm gave that space;
    several spaces count as one, as ReportLab sets them)."""
    words: list[tuple[Run, list[Run]]] = []
    gap = Run(REGULAR, " ")
    after_space = True
    for run in logical:
        if run.space:
            gap, after_space = run, True
        elif after_space:
            words.append((gap, [run]))
            after_space = False
        else:
            words[-1][1].append(run)
    return words


def _pieces(text: str, font: str, size: float) -> list[tuple[str, Any, float]]:
    """One line's runs left to right: font, text to draw (shaped or not), width."""
    if plain(text):
        return [(font, text, width(text, font, size))]
    logical = runs(text, levels(text)) if has_strong_rtl(text) else runs(text)
    out: list[tuple[str, Any, float]] = []
    for run in visual_order(logical):
        name, drawn = _font(run, font), _drawn(run)
        out.append(
            (name, shaped(name, drawn) if name in SHAPED else drawn, width(drawn, name, size))
        )
    return out


def text_width(text: str, font: str, size: float) -> float:
    return sum(w for _, _, w in _pieces(text, font, size))


def draw_string(
    canvas: Canvas, x: float, y: float, text: str, font: str, size: float, anchor: str = "start"
) -> None:
    """``canvas.drawString`` (or Right/Centred, by ``anchor``) for user text."""
    pieces = _pieces(text, font, size)
    x -= _offset(anchor, sum(w for _, _, w in pieces))
    for name, drawn, wide in pieces:
        canvas.setFont(name, size)
        canvas.drawString(x, y, drawn)
        x += wide


def label(x: float, y: float, text: str, font: str, size: float, anchor: str = "start") -> Any:
    """A graphics ``String`` for user text in a drawing (a Group when it needs more than
    one font)."""
    if plain(text):
        return String(x, y, text, fontName=font, fontSize=size, textAnchor=anchor)
    pieces = _pieces(text, font, size)
    x -= _offset(anchor, sum(w for _, _, w in pieces))
    group = Group()
    for name, drawn, wide in pieces:
        group.add(String(x, y, drawn, fontName=name, fontSize=size))
        x += wide
    return group


def _offset(anchor: str, total: float) -> float:
    return {"start": 0.0, "middle": total / 2, "end": total}[anchor]
