"""The pieces behind names in any script (app.documents: script_runs, bidi_order,
shaping, rich_text): which font sets each character, the order right-to-left runs are
drawn in, what HarfBuzz makes of Arabic and Indic text and how it reads back, and that
user text is never read as markup."""

from __future__ import annotations

import io
import subprocess
import sys
import unicodedata
from datetime import datetime

import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from app.documents.fonts import REGULAR, register_fonts


@pytest.fixture(autouse=True, scope="module")
def fonts() -> None:
    register_fonts()


def pdf_of(texts: list[str], width: float | None = None) -> bytes:
    from app.documents.layout import DocumentMeta, Styles, build_pdf, grid_table, para

    s = Styles()
    story = (
        [grid_table(["Name"], [[t] for t in texts], s, [width])]
        if width
        else [para(t, s.body) for t in texts]
    )
    return build_pdf(story, DocumentMeta("t", "ref", "a", "s", datetime(2026, 1, 5, 9, 0)))


def text_of(pdf: bytes) -> str:
    """pypdf's text, in NFC (a vowel drawn in two parts reads back as its two parts)."""
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
    return unicodedata.normalize("NFC", text)


def test_plain_text_needs_nothing_more() -> None:
    from app.documents.script_runs import plain

    assert plain("Zoë Nguyễn, Łucja Wiśniewska, Ștefan Țăranu, Αλέξανδρος, Олександр")
    assert not plain("Zoë 王")
    assert not plain("محمد")
    assert not plain("প্রিয়া")


def test_runs_split_by_font_direction_and_space() -> None:
    from app.documents.bidi_order import levels
    from app.documents.script_runs import runs

    text = "Ali (محمد 12) 王小明"
    got = [(r.font, r.text, r.level) for r in runs(text, levels(text))]
    assert got == [
        (REGULAR, "Ali", 0),
        (REGULAR, " ", 0),
        (REGULAR, "(", 0),
        ("ETArabic", "محمد", 1),
        ("ETArabic", " ", 1),
        # Digits inside a right-to-left name run left to right again (level 2).
        ("ETArabic", "12", 2),
        # Noto Sans Arabic has no brackets: DejaVu sets them.
        (REGULAR, ")", 0),
        (REGULAR, " ", 0),
        ("ETCJK", "王小明", 0),
    ]


def test_combining_marks_stay_with_their_letter() -> None:
    from app.documents.script_runs import runs

    # A decomposed Vietnamese ễ, and an Arabic letter with a vowel mark.
    assert [r.font for r in runs("Nguye\u0302\u0303n")] == [REGULAR]
    assert [r.font for r in runs("بِ")] == ["ETArabic"]


def test_right_to_left_runs_are_put_in_visual_order() -> None:
    from app.documents.bidi_order import levels, visual_order
    from app.documents.script_runs import runs

    text = "Child: محمد عبد الله 12 and Ali"
    drawn = [r.text for r in visual_order(runs(text, levels(text)))]
    # The Arabic words right to left, the number inside them left to right.
    assert drawn == [
        "Child:",
        " ",
        "12",
        " ",
        "الله",
        " ",
        "عبد",
        " ",
        "محمد",
        " ",
        "and",
        " ",
        "Ali",
    ]


def test_isolates_and_unassigned_characters_do_not_stop_a_document() -> None:
    """Pasted text can hold isolate controls (U+2066-2069) and characters newer than
    Python's Unicode tables; python-bidi's algorithm stopped at both (hypothesis found
    the second through test_bad_input)."""
    from app.documents.bidi_order import levels

    # The invisible controls take the level before them.
    assert levels("abc \u2067محمد\u2069 def") == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    assert levels("א\U00018d09") == [1, 0]
    pdf = pdf_of(["Ali \u2068محمد\u2069 x", "א\U00018d09", "\u2066x\u2069 א"])
    assert "محمد" in text_of(pdf)


SCRIPTS = st.sampled_from(
    [
        "محمد",
        "עברית",
        "প্রিয়া",
        "ਸਿੰਘ",
        "கோ",
        "王小明",
        "김",
        "ሰላም",
        "สวัสดี",
        "Zoë",
        " ",
        "\n",
        "(",
        "12",
        # Soft hyphen, isolate, override and joiner controls, markup characters.
        "\xad",
        "\u2068",
        "\u202e",
        "\u200d",
        "&",
        "<",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=12), SCRIPTS), max_size=8).map("".join))
def test_any_text_makes_a_document(text: str) -> None:
    """Whatever is typed, in whatever mix of scripts and controls, the PDF is made."""
    assert pdf_of([text]).startswith(b"%PDF-")
    assert pdf_of([text], width=60).startswith(b"%PDF-")


def test_arabic_letters_join_and_read_back_as_typed() -> None:
    from app.documents.shaping import shaped

    name = "محمد"
    glyphs = shaped("ETArabic", name)
    # Drawn right to left: four glyphs, none the letter's isolated form (all joined).
    assert len(glyphs) == 4
    assert not set(glyphs) & set(name)
    assert "محمد" in text_of(pdf_of([name]))


def test_indic_conjuncts_form_and_read_back_as_typed() -> None:
    from app.documents.shaping import shaped

    assert len(shaped("ETBengali", "ক্ষ")) == 1  # three characters, one conjunct glyph
    assert len(shaped("ETDevanagari", "प्र")) == 1
    # The vowel sign of কি is drawn before its consonant, and still reads after it.
    words = ["ক্ষমা", "কি", "প্রিয়া", "ਸਿੰਘ", "கோபி"]
    pdf = pdf_of(words)
    document = pdfium.PdfDocument(pdf)
    by_pdfium = unicodedata.normalize("NFC", document[0].get_textpage().get_text_range())
    for word in words:
        assert word in text_of(pdf), word
        assert word in by_pdfium, word


def test_discretionary_ligatures_are_not_used() -> None:
    """Noto Sans Arabic draws محمد as one ligature with vowel marks nobody typed when
    discretionary ligatures are on (ReportLab's default): what prints must be what was
    typed."""
    from app.documents.shaping import _ACTUAL, shaped

    shaped("ETArabic", "محمد")
    assert "\ufdf4" not in shaped("ETArabic", "محمد")
    assert all(len(read) == 1 for read in _ACTUAL.get("NotoSansArabic-Regular", {}).values())


def test_user_text_is_never_markup() -> None:
    names = ['<b>Zoë</b> & "محمد" <font name="x">', "王 <br/> &amp; প্রিয়া", "a\nمحمد\nb"]
    text = text_of(pdf_of(names))
    # Piece by piece: pypdf puts the quotes around an Arabic word in its own order.
    for piece in ("<b>Zoë</b> &", "محمد", 'font name="x">', "王 <br/> &amp; প্রিয়া"):
        assert piece in text, piece


def test_a_long_right_to_left_paragraph_reads_line_by_line() -> None:
    """The first words typed are on the first line, rightmost, however narrow."""
    from app.documents.layout import Styles
    from app.documents.rich_text import _bidi_markup

    words = ["واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية"]
    lines = _bidi_markup(" ".join(words), Styles().body, 60).split("<br/>")
    assert len(lines) > 2
    first = [w for w in words if w in lines[0]]
    assert first == words[: len(first)]
    # Drawn right to left: the first word comes last in the line's markup.
    assert lines[0].rindex(words[0]) > lines[0].rindex(first[-1])


def test_a_word_too_long_for_its_cell_stays_whole_and_shaped() -> None:
    """ReportLab would cut it between characters and lose its shaping (empty boxes)."""
    long_names = ["கோபிநாத்சுப்ரமணியம்கோபிநாத்", "محمدعبداللهالهاشميمحمد"]
    pdf = pdf_of(long_names, width=40)
    reader = PdfReader(io.BytesIO(pdf))
    assert "கோபிநாத்சுப்ரமணியம்கோபிநாத்" in text_of(pdf)
    for name in ("NotoSansTamil", "NotoSansArabic"):
        assert any(name in str(f.get_object()["/BaseFont"]) for f in _fonts(reader)), name


def _fonts(reader: PdfReader) -> list[object]:
    return [f for page in reader.pages for f in page["/Resources"]["/Font"].values()]


def test_header_and_timeline_text_go_through_the_same_fonts() -> None:
    from reportlab.graphics.shapes import Group, String

    from app.documents.rich_text import label, text_width

    assert isinstance(label(0, 0, "Stage 1", REGULAR, 7), String)
    group = label(100, 0, "Stage محمد 王", REGULAR, 7, anchor="end")
    assert isinstance(group, Group)
    fonts = {s.fontName for s in group.contents}
    assert {"ETArabic", "ETCJK"} <= fonts
    assert group.contents[0].x == pytest.approx(100 - text_width("Stage محمد 王", REGULAR, 7))


def test_fonts_for_other_scripts_are_read_only_when_needed() -> None:
    """A document in Latin script reads no other font (the CJK font alone takes ~80 ms)."""
    probe = (
        "from datetime import datetime\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "from app.documents.layout import DocumentMeta, Styles, build_pdf, para\n"
        "s = Styles()\n"
        "build_pdf([para('Zoë Łucja Αλέξανδρος', s.body)],"
        " DocumentMeta('t', 'r', 'a', 's', datetime(2026, 1, 5)))\n"
        "print(sorted(pdfmetrics.getRegisteredFontNames()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert "ETSans" in out
    assert "ETCJK" not in out and "ETArabic" not in out


PLAIN = [
    "Referral closed without a strategy discussion",
    "  Spaces   inside,\tand a tab ",
    "Zoë Nguyễn's school: St Aidan's (Year 4)",
    "Smith & Jones <b>not bold</b> & AT&T",
    "A long note " * 30,
]


def _laid_out(make: object) -> bytes:
    """The PDF of PLAIN set as body paragraphs and as a two-column table (whose cells
    are laid out twice: to measure the rows, then to draw them), made by ``make``."""
    from reportlab import rl_config

    from app.documents.layout import DocumentMeta, Styles, build_pdf

    s = Styles()
    cells = [[make(t, s.small), make(t.upper(), s.small)] for t in PLAIN]  # type: ignore[operator]
    from reportlab.platypus import Table

    story = [make(t, s.body) for t in PLAIN] + [Table(cells, colWidths=[200, 120])]  # type: ignore[operator]
    meta = DocumentMeta("t", "ref", "a", "s", datetime(2026, 1, 5, 9, 0))
    invariant = rl_config.invariant
    rl_config.invariant = 1  # no time or random id in the file
    try:
        return build_pdf(story, meta)
    finally:
        rl_config.invariant = invariant


def test_plain_text_is_laid_out_exactly_as_reportlab_parses_it() -> None:
    """``rich_text.paragraph`` builds a plain paragraph's fragment itself and keeps a
    cell's lines between the two layouts at one width, instead of ReportLab parsing the
    escaped text as markup and breaking the lines again: the file is the same, byte for
    byte."""
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    from app.documents.rich_text import paragraph

    ours = _laid_out(paragraph)
    reportlabs = _laid_out(lambda text, style: Paragraph(escape(text), style))
    assert ours == reportlabs


def test_a_plain_paragraph_is_laid_out_again_at_another_width() -> None:
    from app.documents.layout import Styles
    from app.documents.rich_text import paragraph

    note = paragraph("A long note " * 30, Styles().body)
    _, narrow = note.wrap(120, 1000)
    _, wide = note.wrap(400, 1000)
    assert wide < narrow
    assert note.wrap(120, 1000)[1] == narrow
