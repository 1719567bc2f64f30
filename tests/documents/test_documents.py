"""The PDFs: required sections, parties, non-Latin names, marking, page numbering,
metadata, the embedded font, pagination of a long chronology, SHA-256 in the audit."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import clock
from app.demo import create_demo
from app.domain.records import Discussion
from app.policy import PolicyLibrary
from app.services import records as rec
from app.services.documents import DocumentKind, GeneratedDocument, generate_document
from app.services.escalations import escalation_detail, list_escalations
from tests.plain_store import PlainStore

SETTING, DSL = "St Aidan's Primary School", "Ms Hannah Okafor"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary) -> PlainStore:
    store = PlainStore(tmp_path_factory.mktemp("docs") / "demo.db")
    create_demo(store, library)
    return store


def ref_of(store: PlainStore, policy: str, pathway: str, status: str = "open") -> str:
    return next(
        r.ref
        for r in list_escalations(store)
        if (r.policy_id, r.pathway_id, r.status) == (policy, pathway, status)
    )


def make(
    store: PlainStore, library: PolicyLibrary, kind: DocumentKind, ref: str, **kw: bool
) -> GeneratedDocument:
    return generate_document(store, library, kind, ref, setting=SETTING, dsl=DSL, actor=DSL, **kw)


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text with line breaks folded, since table cells wrap."""
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def assert_furniture(pdf: bytes, ref: str) -> None:
    pages = pages_text(pdf)
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, f"page {number} lacks the marking twice"
        assert f"Page {number} of {len(pages)}" in text
        assert ref in text
        assert re.search(r"Generated \d\d/\d\d/\d{4} \d\d:\d\d", text)


def test_confirmation_has_every_section_party_and_name(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = ref_of(store, "suffolk", "resolution", "resolved")
    doc = make(store, library, DocumentKind.CONFIRMATION, ref)
    text = "\n".join(pages_text(doc.pdf))
    for section in (
        "Written confirmation of agreed outcome",
        "The parties",
        "The child",
        "The disagreement in brief",
        "Stages followed",
        "The agreed outcome",
        "Actions",
        "Outstanding issues and how they will be pursued",
        "Debrief offered",
        "Policy followed",
        "Signatures",
    ):
        assert section in text, section
    for party in ("Ms Hannah Okafor", "Ms Grace Adeyemi", "Children's Social Care"):
        assert party in text
    assert "Kacper Zieliński" in text and "30/12/2011" in text
    assert SETTING in text
    assert "Suffolk LSCB Escalation Policy" in text and "version 3" in text
    assert_furniture(doc.pdf, ref)


def test_confirmation_needs_an_outcome(store: PlainStore, library: PolicyLibrary) -> None:
    from app.errors import InputError

    with pytest.raises(InputError, match="no agreed outcome"):
        make(store, library, DocumentKind.CONFIRMATION, ref_of(store, "york", "resolution"))


def test_metadata_font_and_language(store: PlainStore, library: PolicyLibrary) -> None:
    doc = make(
        store,
        library,
        DocumentKind.CONFIRMATION,
        ref_of(store, "suffolk", "resolution", "resolved"),
    )
    reader = PdfReader(io.BytesIO(doc.pdf))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Written confirmation of agreed outcome"
    assert meta.author == SETTING
    assert meta.subject and "ESC-" in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    used: set[str] = set()
    for page in reader.pages:
        names = {
            k: str(f.get_object()["/BaseFont"]) for k, f in page["/Resources"]["/Font"].items()
        }
        content = page.get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
        used |= {names[m] for m in re.findall(r"(/\S+) [\d.]+ Tf", content)}
    # Every piece of text is set in the embedded DejaVu font, none in a built-in one.
    assert used and all("DejaVuSans" in f for f in used), used
    assert b"/FontFile2" in doc.pdf  # the TrueType font is embedded
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points


@pytest.mark.parametrize(
    ("policy", "pathway", "kind", "must"),
    [
        (
            "gloucestershire",
            "resolution",
            DocumentKind.MONITORING_FORM,
            ["For monitoring purposes only", "Actions taken to date", "Zoë Nguyễn"],
        ),
        (
            "york",
            "conference-dissent",
            DocumentKind.CONFERENCE_DISSENT,
            ["Decision disputed", "IRO Manager", "Αλέξανδρος Παπαδόπουλος"],
        ),
        (
            "suffolk",
            "stop-and-review",
            DocumentKind.STOP_AND_REVIEW,
            ["Why the plan is not progressing", "Proposed attendees", "Oliver Bennett"],
        ),
        (
            "suffolk",
            "stop-and-review-cic",
            DocumentKind.STOP_AND_REVIEW,
            ["Child in care", "IRO consulted", "Siobhán Ó Briain"],
        ),
        (
            "north-yorkshire",
            "resolution",
            DocumentKind.CHRONOLOGY,
            ["Case chronology", "Stage 6 started", "Łucja Wiśniewska"],
        ),
    ],
)
def test_other_documents(
    store: PlainStore,
    library: PolicyLibrary,
    policy: str,
    pathway: str,
    kind: DocumentKind,
    must: list[str],
) -> None:
    ref = ref_of(store, policy, pathway)
    doc = make(store, library, kind, ref)
    text = "\n".join(pages_text(doc.pdf))
    for words in must:
        assert words in text, words
    assert_furniture(doc.pdf, ref)


def test_monitoring_form_can_leave_out_the_child(store: PlainStore, library: PolicyLibrary) -> None:
    ref = ref_of(store, "gloucestershire", "resolution")
    text = "\n".join(
        pages_text(
            make(store, library, DocumentKind.MONITORING_FORM, ref, identify_child=False).pdf
        )
    )
    assert "Zoë Nguyễn" not in text and "12/05/2014" not in text
    assert "Identifying details left out" in text and ref in text


def test_sha256_of_each_document_is_in_the_audit_trail(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = ref_of(store, "gloucestershire", "resolution")
    doc = make(store, library, DocumentKind.MONITORING_FORM, ref)
    assert doc.sha256 == hashlib.sha256(doc.pdf).hexdigest()
    recorded = [d.sha256 for d in escalation_detail(store, ref).documents]
    assert doc.sha256 in recorded


def test_long_chronology_paginates_with_repeated_headers(
    tmp_path: Path, library: PolicyLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 6, 30, 17, 0))
    store = PlainStore(tmp_path / "long.db")
    create_demo(store, library)
    ref = ref_of(store, "york", "resolution")
    for n in range(200):
        rec.record_discussion(
            store,
            ref,
            Discussion(
                held_at=datetime(2027, 1, 4, 9, 0),
                method="meeting",
                participants=["Ms Hannah Okafor", "Zoë's social worker"],
                summary=f"Entry marker {n:03d}: discussed progress. " + "Detail. " * (n % 7),
            ),
            actor=DSL,
            at=datetime(2027, 1, 4, 9, 0)
            + (datetime(2027, 1, 5) - datetime(2027, 1, 4)) * (n / 200),
        )
    doc = make(store, library, DocumentKind.CHRONOLOGY, ref)
    pages = pages_text(doc.pdf)
    assert len(pages) >= 4
    full = "\n".join(pages)
    for n in range(200):
        assert f"Entry marker {n:03d}" in full, n  # nothing cut off
    for text in pages[1:]:
        assert "When" in text and "Event" in text and "Detail" in text  # header repeated
    assert_furniture(doc.pdf, ref)
    assert date(2027, 1, 4).strftime("%d/%m/%Y") in full
