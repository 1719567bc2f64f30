"""Names in any script print as real text: a written confirmation, a
monitoring form and a chronology carry a child, a practitioner and parties named in
sixteen scripts, and each name must come back out of the PDF as typed, set in a font
that has every one of its characters, right-to-left names drawn right to left.

How the text is read back, and why it is compared as it is:

* Two extractors, since viewers differ: pypdf, and PDFium (the engine of Chrome, Edge
  and the app's own preview). A right-to-left name is drawn right to left, its first
  letter rightmost. Both give each right-to-left word back in typed order. pypdf also
  gives the words in typed order; PDFium does in a line that starts right to left, but
  in a line that starts left to right ("Referral for عائشہ خان") it leaves the words
  of a right-to-left name in the order they are drawn, left to right ("خان عائشہ").
  So a right-to-left name counts as read back in either word order, each word exact;
  the test below checks from the glyphs' positions that it is drawn right to left. Each
  name is looked for on its own, since PDFium turns a line that starts right to left
  the other way round as a whole ("محمد عبد الله :Child").
* Both sides are compared in Unicode NFC and with runs of white space as one space: a
  vowel drawn in two parts (Bengali ো, Tamil ோ) reads back as its two canonical parts,
  which NFC puts together again, and a name that wraps in a table cell comes back with
  a line break where it wrapped.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import timedelta

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from pypdf.generic import ByteStringObject, ContentStream, TextStringObject

from app import clock
from app.domain.records import Outcome, Party
from app.policy import PolicyLibrary
from app.services import escalations as esc
from app.services.documents import DocumentKind, generate_document
from app.services.people import add_child
from tests.plain_store import PlainStore

DSL = "Ms Hannah Okafor"
# Script, a name in it, the font that must set it (the embedded font's PostScript name).
NAMES = [
    ("Arabic", "محمد عبد الله", "NotoSansArabic"),
    ("Urdu", "عائشہ خان", "NotoSansArabic"),
    ("Bengali", "রোকসানা বেগম ক্ষমা", "NotoSansBengali"),
    ("Gurmukhi", "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ", "NotoSansGurmukhi"),
    ("Gujarati", "પ્રિયા પટેલ", "NotoSansGujarati"),
    ("Tamil", "கோபிநாத் சுப்ரமணியம்", "NotoSansTamil"),
    ("Devanagari", "प्रिया शर्मा", "NotoSansDevanagari"),
    ("Chinese", "王小明", "DroidSansFallback"),
    ("Korean", "김민준", "DroidSansFallback"),
    ("Hebrew", "יוסף כהן", "NotoSansHebrew"),
    ("Ethiopic", "ሰላም ተስፋዬ", "NotoSansEthiopic"),
    ("Greek", "Αλέξανδρος Παπαδόπουλος", "DejaVuSans"),
    ("Cyrillic", "Олександр Шевченко", "DejaVuSans"),
    ("Polish", "Łucja Wiśniewska", "DejaVuSans"),
    ("Romanian", "Ștefan Țăranu", "DejaVuSans"),
    ("Vietnamese", "Nguyễn Thị Ánh", "DejaVuSans"),
]
CHILD = "محمد عبد الله"  # the Arabic name, as the child's
PRACTITIONER = "王小明 (Wang Xiaoming)"
RAISED_BY = "Ολυμπία Γεωργίου (Deputy DSL)"
RTL = {"Arabic", "Urdu", "Hebrew"}
# What each document must show, and the fonts it must embed to show it.
EXPECTED = {
    "confirmation": (
        [CHILD, PRACTITIONER, RAISED_BY, *(name for _, name, _ in NAMES)],
        {font for _, _, font in NAMES},
    ),
    "monitoring-form": (
        [CHILD, PRACTITIONER, RAISED_BY, "عائشہ خان", "রোকসানা"],
        {"NotoSansArabic", "DroidSansFallback", "NotoSansBengali", "DejaVuSans"},
    ),
    "chronology": (
        [CHILD, RAISED_BY, "عائشہ خان", "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ"],
        {"NotoSansArabic", "NotoSansBengali", "NotoSansGurmukhi", "DejaVuSans"},
    ),
}


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def readings(name: str) -> list[str]:
    """The name as an extractor may give it back (see the module's docstring)."""
    if not any(unicodedata.bidirectional(c) in ("R", "AL") for c in name):
        return [fold(name)]
    return [fold(name), fold(" ".join(reversed(name.split())))]


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary) -> dict[str, bytes]:
    store = PlainStore(tmp_path_factory.mktemp("scripts") / "scripts.db")
    now = clock.now()
    child = add_child(store, name=CHILD, date_of_birth=now.date() - timedelta(days=3650), actor=DSL)
    form = esc.NewEscalation(
        child_id=child.id,
        policy_id="suffolk",
        pathway_id="resolution",
        raised_at=now - timedelta(days=10),
        raised_by=RAISED_BY,
        other_agency="Children's Social Care",
        other_practitioner=PRACTITIONER,
        category="threshold",
        disputed="Referral for عائشہ خان closed with no assessment.",
        change_wanted="A child and family assessment.",
        impact="রোকসানা and 王小明 both said the child is hungry.",
    )
    ref = esc.open_escalation(store, library, form, actor=DSL, at=now - timedelta(days=10)).ref
    parties = [
        Party(name=name, role=f"{script} speaker", agency="Agency") for script, name, _ in NAMES
    ]
    outcome = Outcome(
        agreed="Assessment agreed with " + ", ".join(n for _, n, _ in NAMES[:4]) + ".",
        parties=parties,
        agreed_on=now.date(),
    )
    esc.agree_outcome(store, ref, outcome, actor=DSL, at=now)
    return {
        kind.value: generate_document(
            store, library, kind, ref, setting="St Aidan's Primary School", dsl=DSL, actor=DSL
        ).pdf
        for kind in (
            DocumentKind.CONFIRMATION,
            DocumentKind.MONITORING_FORM,
            DocumentKind.CHRONOLOGY,
        )
    }


def pypdf_text(pdf: bytes) -> str:
    return fold(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))


def pdfium_pages(pdf: bytes) -> list[tuple[str, pdfium.PdfTextPage]]:
    document = pdfium.PdfDocument(pdf)
    pages = []
    for page in document:
        text_page = page.get_textpage()
        pages.append((text_page.get_text_range(), text_page))
    return pages


def test_every_name_reads_back_as_typed(documents: dict[str, bytes]) -> None:
    for kind, pdf in documents.items():
        by_pypdf = pypdf_text(pdf)
        by_pdfium = fold(" ".join(text for text, _ in pdfium_pages(pdf)))
        for name in EXPECTED[kind][0]:
            assert any(r in by_pypdf for r in readings(name)), (kind, "pypdf", name)
            assert any(r in by_pdfium for r in readings(name)), (kind, "pdfium", name)


def test_right_to_left_names_are_drawn_right_to_left(documents: dict[str, bytes]) -> None:
    """PDFium gives each character's box: the first letter typed is the rightmost."""
    found = 0
    for text, text_page in pdfium_pages(documents["confirmation"]):
        for script, name, _ in NAMES:
            if script not in RTL:
                continue
            for match in re.finditer(re.escape(name), text):
                first = text_page.get_charbox(match.start())
                last = text_page.get_charbox(match.end() - 1)
                assert first[0] > last[2] - 0.01, (script, name, first, last)
                found += 1
    assert found >= len(RTL)


def _drawn_codes(pdf: bytes) -> dict[str, set[int]]:
    """Every character code drawn, by the font's PostScript name (subset tag dropped)."""
    drawn: dict[str, set[int]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = {
            k: str(f.get_object()["/BaseFont"]) for k, f in page["/Resources"]["/Font"].items()
        }
        font = ""
        for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
            if operator == b"Tf":
                font = fonts[operands[0]].split("+", 1)[-1]
            elif operator in (b"Tj", b"TJ"):
                strings = operands[0] if operator == b"TJ" else [operands[0]]
                for s in strings:
                    if isinstance(s, (ByteStringObject, TextStringObject)):
                        data = s if isinstance(s, bytes) else s.get_original_bytes()
                        drawn.setdefault(font, set()).update(data)
    return drawn


def test_no_missing_glyph_and_each_script_in_its_font(documents: dict[str, bytes]) -> None:
    """Code 0 of every embedded subset is .notdef, the box drawn for a character the font
    does not have: no document draws it. Each script's font is embedded and used."""
    for kind, pdf in documents.items():
        drawn = _drawn_codes(pdf)
        for font, codes in drawn.items():
            assert 0 not in codes, (kind, font, "draws .notdef")
        used = {name.split("-")[0] for name in drawn}
        assert EXPECTED[kind][1] <= used, (kind, EXPECTED[kind][1] - used)


def test_each_name_is_set_in_a_font_that_has_all_its_characters() -> None:
    from app.documents.fonts import covers, register_fonts
    from app.documents.script_runs import runs

    register_fonts()
    for script, name, font in NAMES:
        for run in runs(name):
            for char in run.text:
                assert covers(run.font, char), (script, name, run.font, f"U+{ord(char):04X}")
        from reportlab.pdfbase.pdfmetrics import getFont

        faces = {bytes(getFont(r.font).face.name).decode() for r in runs(name) if not r.space}
        assert all(f.startswith(font) for f in faces), (script, faces)
