"""The disputed decision's date: asked on the form, stored, and the clock for the
timescales a policy runs from it (York's conference dissent: "raise the matter with the
IRO Manager within two working days")."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app import clock
from app.domain.validation import ProblemsError
from app.policy import PolicyLibrary
from app.services import escalations as esc
from app.services.forms import preview_first_deadline
from app.services.people import add_child
from app.storage import audit
from tests.plain_store import PlainStore

ACTOR = "Ms A Lead (DSL)"
RAISED = datetime(2026, 12, 18, 10, 0)  # a Friday


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlainStore:
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 1, 6, 9, 0))
    return PlainStore(tmp_path / "plain.db")


def _form(store: PlainStore, pathway: str, decided_on: date | None) -> esc.NewEscalation:
    child = add_child(store, name="Zoë Nguyễn", date_of_birth=date(2015, 3, 1), actor=ACTOR)
    return esc.NewEscalation(
        child_id=child.id,
        policy_id="york",
        pathway_id=pathway,
        raised_at=RAISED,
        raised_by="Mr B Teacher",
        other_agency="Children's Social Care",
        category="conference-decision",
        disputed="No child protection plan.",
        change_wanted="A plan.",
        impact="Bruising continues.",
        decided_on=decided_on,
    )


def test_york_dissent_runs_from_the_conference_not_the_day_raised(
    store: PlainStore, library: PolicyLibrary
) -> None:
    # Conference Wednesday 16/12: two working days end Friday 18/12, the day it was
    # raised; counted from the day raised it would be Tuesday 22/12, four days late.
    move = esc.open_escalation(
        store, library, _form(store, "conference-dissent", date(2026, 12, 16)), actor=ACTOR
    )
    assert move.due == date(2026, 12, 18)
    detail = esc.escalation_detail(store, move.ref)
    assert detail.decided_on == date(2026, 12, 16)
    assert detail.stages[0].due == date(2026, 12, 18)
    assert "the disputed decision on" in detail.stages[0].rule
    with store.session() as session:
        assert audit.verify(session) == []  # the new column is pinned with the form


def test_no_decision_date_counts_from_the_day_raised(
    store: PlainStore, library: PolicyLibrary
) -> None:
    move = esc.open_escalation(
        store, library, _form(store, "conference-dissent", None), actor=ACTOR
    )
    assert move.due == date(2026, 12, 22)
    assert esc.escalation_detail(store, move.ref).decided_on is None


def test_the_form_preview_uses_the_decision(library: PolicyLibrary) -> None:
    shown = preview_first_deadline(
        library, "york", "conference-dissent", RAISED, decided_on=date(2026, 12, 16)
    )
    assert shown.due == date(2026, 12, 18)


@pytest.mark.parametrize(
    ("decided_on", "words"),
    [
        (date(2026, 12, 21), "cannot be after the date raised (18/12/2026)"),
        (date(1985, 1, 1), "01/01/1985"),
    ],
)
def test_an_impossible_decision_date_is_refused_beside_its_field(
    store: PlainStore, library: PolicyLibrary, decided_on: date, words: str
) -> None:
    form = _form(store, "conference-dissent", decided_on)
    problems = esc.new_escalation_problems(form)
    assert [p.field for p in problems] == [esc.DECISION_FIELD]
    assert words in problems[0].reason
    with pytest.raises(ProblemsError):
        esc.open_escalation(store, library, form, actor=ACTOR)


def test_which_pathways_ask_for_it(library: PolicyLibrary) -> None:
    york = library.get("york")
    assert york.pathway("conference-dissent").counts_from_decision
    assert not york.pathway("resolution").counts_from_decision
