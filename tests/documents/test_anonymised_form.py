"""The monitoring form without the child's identifying details: nothing that identifies
the child is printed anywhere in it, including what was typed in free text."""

from __future__ import annotations

from datetime import date

import pytest

from app.demo import create_demo
from app.domain.records import Action, MonitoringForm
from app.policy import PolicyLibrary
from app.services import records as rec
from app.services.documents import DocumentKind, generate_document, monitoring_form_review
from tests.documents.test_documents import DSL, SETTING, make, pages_text, ref_of
from tests.plain_store import PlainStore

# The demo's Zoë Nguyễn, born 12/05/2014, UPN-A1001, written as people write them.
TYPED = (
    "Referral about Zoe made 02/03/2027; ZOË's mother says Nguyen family moving. "
    "DOB 12 May 2014 (12.5.2014, 2014-05-12), pupil A1001. Annual review booked."
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary) -> PlainStore:
    store = PlainStore(tmp_path_factory.mktemp("anon") / "demo.db")
    create_demo(store, library)
    ref = ref_of(store, "gloucestershire", "resolution")
    rec.record_monitoring_form(
        store,
        ref,
        MonitoringForm(actions_to_date=TYPED, copied_to_partnership_on=date(2027, 3, 2)),
        actor=DSL,
    )
    rec.add_action(
        store, ref, Action(description="Ring Zoë Nguyễn's dad", owner="Ms H Okafor"), actor=DSL
    )
    return store


def test_no_name_date_of_birth_or_identifier_anywhere(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = ref_of(store, "gloucestershire", "resolution")
    doc = make(store, library, DocumentKind.MONITORING_FORM, ref, identify_child=False)
    text = " ".join(pages_text(doc.pdf))
    for identifying in ("Zoe", "Zoë", "ZOË", "Nguy", "12 May 2014", "12.5.2014", "2014-05-12"):
        assert identifying not in text, identifying
    assert "A1001" not in text and "12/05/2014" not in text
    # What is not the child's stays: another date, a word that starts like a name.
    assert "Referral about [child] made 02/03/2027; [child]'s mother" in text
    assert "Annual review booked" in text and "Ring [child]'s dad" in text
    assert "[date of birth]" in text and "[identifier]" in text
    where = [r.field for r in doc.redactions]
    assert where.count("Actions taken to date") == 7  # Zoe, ZOË, Nguyen, 3 dates, A1001
    assert [w for w in where if w.startswith("Action ")] == ["Action 2"]  # the demo's first


def test_the_form_that_names_the_child_is_unchanged(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = ref_of(store, "gloucestershire", "resolution")
    doc = make(store, library, DocumentKind.MONITORING_FORM, ref)
    text = " ".join(pages_text(doc.pdf))
    assert "Zoë Nguyễn" in text and "Referral about Zoe made" in text
    assert doc.redactions == []


def test_words_added_by_hand_are_taken_out_too(store: PlainStore, library: PolicyLibrary) -> None:
    ref = ref_of(store, "gloucestershire", "resolution")
    review = monitoring_form_review(store, ref)
    assert any(r.found == "ZOË" for r in review.run().redactions)
    added = review.run(["mother"])
    assert "[redacted]" in added.texts["Actions taken to date"]
    doc = generate_document(
        store,
        library,
        DocumentKind.MONITORING_FORM,
        ref,
        setting=SETTING,
        dsl=DSL,
        actor=DSL,
        identify_child=False,
        by_hand=["mother"],
    )
    text = " ".join(pages_text(doc.pdf))
    assert "mother" not in text and "[child]'s [redacted] says" in text
