"""The chronology reads in the order things happened. The clock counts in minutes, so
several entries often share one: within a minute they keep the order they were recorded
in (the audit trail's), never grouped by kind. A document produced names who produced it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app import clock
from app.chronology import entries
from app.domain.records import Discussion, Outcome, Party
from app.policy import PolicyLibrary
from app.services import escalations as esc
from app.services import records as rec
from app.services.documents import DocumentKind, generate_document
from app.services.people import add_child
from tests.plain_store import PlainStore
from tests.services.neglect_form import neglect_form

MINUTE = datetime(2027, 1, 6, 10, 4)
DSL = "Ms A Lead (DSL)"
DEPUTY = "Mr B Deputy (Deputy DSL)"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlainStore:
    monkeypatch.setattr(clock, "now", lambda: MINUTE)
    return PlainStore(tmp_path / "plain.db")


def _open(store: PlainStore, library: PolicyLibrary) -> str:
    child = add_child(store, name="Zoë Nguyễn", date_of_birth=date(2015, 3, 1), actor=DSL)
    form = neglect_form(child.id, datetime(2027, 1, 4, 9, 30))
    return esc.open_escalation(store, library, form, actor=DSL).ref


def _discuss(store: PlainStore, ref: str) -> int:
    talk = Discussion(
        held_at=datetime(2027, 1, 6, 9, 45),
        method="phone",
        participants=["Ms Hannah Okafor"],
        summary="Manager will not reopen the referral.",
    )
    return rec.record_discussion(store, ref, talk, actor=DSL)


def _minute(store: PlainStore, ref: str) -> list[str]:
    """The headings of the entries at MINUTE, in the chronology's order."""
    return [e.what for e in entries(esc.escalation_detail(store, ref)) if e.at == MINUTE]


def test_a_discussion_recorded_before_a_stage_move_reads_before_it(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = _open(store, library)
    record_id = _discuss(store, ref)
    rec.approve_record(store, record_id, actor=DEPUTY)
    esc.move_to_next_stage(store, ref, result="Not resolved.", actor=DSL, at=MINUTE)
    assert _minute(store, ref) == [
        "Discussion recorded",
        "Discussion approved (version 1)",
        "Stage 1 completed",
        "Stage 2 started: Escalate to line manager",
    ]


def test_a_stage_move_recorded_before_a_discussion_reads_before_it(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = _open(store, library)
    esc.move_to_next_stage(store, ref, result="Not resolved.", actor=DSL, at=MINUTE)
    _discuss(store, ref)
    assert _minute(store, ref) == [
        "Stage 1 completed",
        "Stage 2 started: Escalate to line manager",
        "Discussion recorded",
    ]


def test_a_document_produced_names_who_produced_it_in_its_place(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = _open(store, library)
    generate_document(
        store, library, DocumentKind.CHRONOLOGY, ref, setting="St Mary's", dsl=DSL, actor=DEPUTY
    )
    _discuss(store, ref)
    chronology = entries(esc.escalation_detail(store, ref))
    produced = [e for e in chronology if e.what == "Document produced: Case chronology"]
    assert [e.by for e in produced] == [DEPUTY]
    assert _minute(store, ref) == ["Document produced: Case chronology", "Discussion recorded"]


def test_an_approval_after_the_outcome_reads_as_late(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = _open(store, library)
    before = _discuss(store, ref)
    after = _discuss(store, ref)
    rec.approve_record(store, before, actor=DEPUTY)
    outcome = Outcome(
        agreed="CSC will assess.",
        parties=[Party(name="Ms Hannah Okafor"), Party(name="Ms Grace Adeyemi")],
        agreed_on=date(2027, 1, 6),
    )
    esc.agree_outcome(store, ref, outcome, actor=DSL)
    rec.approve_record(store, after, actor=DEPUTY)  # allowed: see escalation_actions
    approvals = [e for e in entries(esc.escalation_detail(store, ref)) if "approved" in e.what]
    assert [e.what for e in approvals] == [
        "Discussion approved (version 1)",
        "Discussion approved (version 1), after the escalation was resolved",
    ]


def test_the_raised_row_names_the_member_who_recorded_it(
    store: PlainStore, library: PolicyLibrary
) -> None:
    """Seen in the real-window run: "Escalation raised" named the practitioner typed on
    the form, without a role, where every other row names the member signed in. The
    practitioner stays in the row's text; By is who recorded it."""
    ref = _open(store, library)
    raised = entries(esc.escalation_detail(store, ref))[0]
    assert raised.what == "Escalation raised"
    assert raised.by == DSL
    assert "raised by Mr B Teacher" in raised.detail
