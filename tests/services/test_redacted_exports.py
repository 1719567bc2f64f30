"""The same redaction in the other documents that must leave people out: the figures
and the partnership monitoring return carry no child's details even where an agency's
name was typed with one, and a subject access disclosure takes out other children and
other practitioners but keeps the child's own names (app/domain/redaction.py)."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from app import clock
from app.domain.records import Discussion
from app.domain.statistics_figures import to_csv
from app.policy import PolicyLibrary
from app.services import records as rec
from app.services.people import add_child, add_contact
from app.services.statistics import statistics
from app.services.subject_access import subject_access_pdf, subject_access_review
from tests.plain_store import PlainStore
from tests.services.test_oversight import ACTOR, NOW, _open

SUMMARY = (
    "Ms Grace Adeyemi said Kai and his friend Zoe Nguyen (UPN A1001) were seen; "
    "Grace will call Mr B Teacher and Ms A Lead. Brown family informed."
)


@pytest.fixture
def store(tmp_path: object, library: PolicyLibrary, monkeypatch: pytest.MonkeyPatch) -> PlainStore:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    store = PlainStore(tmp_path / "exports.db")  # type: ignore[operator]
    add_child(
        store,
        name="Zoë Nguyễn",
        date_of_birth=date(2014, 5, 12),
        identifier="UPN-A1001",
        actor=ACTOR,
    )
    kai = add_child(store, name="Kai Brown", date_of_birth=date(2015, 1, 10), actor=ACTOR).id
    add_contact(store, name="Mr B Teacher", agency="Our school", internal=True, actor=ACTOR)
    ref = _open(store, library, kai, "york", "resolution", datetime(2027, 1, 11, 9))
    _open(
        store,
        library,
        kai,
        "york",
        "resolution",
        datetime(2027, 1, 12, 9),
        agency="Zoe Nguyen's GP",
    )
    rec.record_discussion(
        store,
        ref,
        Discussion(
            held_at=datetime(2027, 1, 13, 10),
            method="phone",
            participants=["Ms Grace Adeyemi"],
            summary=SUMMARY,
        ),
        actor=ACTOR,
    )
    return store


def kai_id(store: PlainStore) -> int:
    from app.services.people import list_children

    return next(c.id for c in list_children(store) if c.name == "Kai Brown")


def text_of(pdf: bytes) -> str:
    return " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )


def test_figures_and_their_exports_name_no_child(store: PlainStore) -> None:
    figures = statistics(store)
    assert figures.by_agency == {"Children's Social Care": 1, "[child]'s GP": 1}
    exported = to_csv(figures, setting="St Aidan's")
    assert "Zoe" not in exported and "Nguyen" not in exported and "[child]'s GP" in exported


def test_subject_access_takes_out_other_people_and_keeps_the_child(store: PlainStore) -> None:
    disclosure = subject_access_pdf(
        store,
        kai_id(store),
        setting="St Aidan's",
        dsl="Ms A Lead",
        actor=ACTOR,
        redact_third_parties=True,
    )
    text = text_of(disclosure.pdf)
    for other in ("Grace", "Adeyemi", "Zoe", "Nguyen", "A1001"):
        assert other not in text, other
    assert (
        "[third party] said Kai and his friend [another child] ([another child]) were seen" in text
    )
    assert "Mr B Teacher and Ms A Lead. Brown family" in text  # our staff, the child's own name
    assert "Kai Brown" in text
    assert {r.what for r in disclosure.redactions} >= {
        "another practitioner",
        "another child's name",
    }


def test_subject_access_review_and_words_added_by_hand(store: PlainStore) -> None:
    review = subject_access_review(store, kai_id(store), dsl="Ms A Lead")
    found = {r.found for r in review.run().redactions}
    assert {"Ms Grace Adeyemi", "Grace", "Zoe Nguyen", "UPN A1001"} <= found
    assert not found & {"Kai", "Brown", "Mr B Teacher"}
    disclosure = subject_access_pdf(
        store,
        kai_id(store),
        setting="St Aidan's",
        dsl="Ms A Lead",
        actor=ACTOR,
        redact_third_parties=True,
        by_hand=["his friend"],
    )
    assert "Kai and [redacted] [another child]" in text_of(disclosure.pdf)
