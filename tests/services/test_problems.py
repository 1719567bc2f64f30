"""Each write use case refuses exactly what its form refuses, all at once.

A form marks the problems its use case's ``*_problems`` function finds; the service calls
the same function before writing and raises one ``ProblemsError`` holding all of them.
So for each use case: what the service refuses (field and reason) equals what the form
is shown, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_args

import pytest
from sqlalchemy import text

from app import clock
from app.domain import record_problems as problems
from app.domain.records import (
    CONTENT_TYPES,
    Action,
    ConferenceDissent,
    Content,
    Discussion,
    MonitoringForm,
    Outcome,
    Party,
    RecordKind,
    StopAndReview,
    Withdrawal,
)
from app.domain.validation import FieldError, ProblemsError
from app.policy import PolicyLibrary
from app.services import escalations as esc
from app.services import records as rec
from app.services.people import NewChild, add_child, new_child_problems
from tests.plain_store import PlainStore

ACTOR = "Ms A Lead (DSL)"
NOW = datetime(2027, 1, 6, 9, 0)
RAISED = datetime(2026, 12, 18, 10, 0)
Found = list[tuple[str, str]]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlainStore:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return PlainStore(tmp_path / "plain.db")


def form(child_id: int, **changes: Any) -> esc.NewEscalation:
    values: dict[str, Any] = {
        "child_id": child_id,
        "policy_id": "suffolk",
        "pathway_id": "resolution",
        "raised_at": RAISED,
        "raised_by": "Mr B Teacher",
        "other_agency": "Children's Social Care",
        "category": "threshold",
        "disputed": "Referral closed with no assessment.",
        "change_wanted": "An assessment of the child's needs.",
        "impact": "Child remains at home with escalating neglect.",
        **changes,
    }
    return esc.NewEscalation(**values)


def opened(store: PlainStore, library: PolicyLibrary, pathway: str = "resolution") -> str:
    child = add_child(store, name="Zoë Nguyễn", date_of_birth=date(2015, 3, 1), actor=ACTOR)
    return esc.open_escalation(store, library, form(child.id, pathway_id=pathway), actor=ACTOR).ref


def listed(found: list[FieldError]) -> Found:
    return [(p.field, p.reason) for p in found]


def refused(store: PlainStore, call: Callable[[], object]) -> Found:
    """What the service refused with; and that it wrote nothing."""
    with store.session() as session:
        before = session.execute(text("SELECT count(*) FROM audit_entry")).scalar_one()
    with pytest.raises(ProblemsError) as caught:
        call()
    with store.session() as session:
        assert session.execute(text("SELECT count(*) FROM audit_entry")).scalar_one() == before
    found = listed(caught.value.problems)
    message = str(caught.value)
    assert all(f"{field}: {reason}" in message for field, reason in found), message
    return found


DISCUSSION = Discussion(
    held_at=datetime(2026, 12, 21, 11, 0), method="phone", participants=["Ms C"], summary="s"
)
ACTION = Action(description="Send the chronology", owner="Ms C", due=date(2027, 1, 8))
DISSENT = ConferenceDissent(
    conference_date=date(2026, 12, 17),
    chair="Mr D Chair",
    decision_disputed="No child protection plan.",
    dissenting="Ms A Lead",
    reasons="Bruising seen twice.",
    further_risk=True,
    raised_with="IRO Manager",
    event_dates={"receiving the minutes of the conference": date(2026, 12, 21)},
)
REVIEW = StopAndReview(
    variant="cp-plan",
    requested_of="Chair of the Conference",
    requested_on=date(2026, 12, 21),
    manager_consulted="Mrs D Head",
    not_progressing="No core group since October.",
    interventions="Parenting programme.",
    why_not_effective="Not attended.",
    attendees=["CYP Service Manager"],
)
OUTCOME = Outcome(
    agreed="CSC will assess.", parties=[Party(name="Ms C")], agreed_on=date(2026, 12, 23)
)


def test_a_discussion_dated_1985_is_refused_by_the_service_as_by_the_form(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = opened(store, library)
    old = DISCUSSION.model_copy(update={"held_at": datetime(1985, 6, 3, 10, 0)})
    shown = listed(problems.discussion_problems(old))
    assert shown == [
        (
            "When the discussion took place",
            "03/06/1985 is outside the dates this app takes for a date in an escalation "
            "(01/01/2000 to 31/12/2075).",
        ),
    ]
    assert refused(store, lambda: rec.record_discussion(store, ref, old, actor=ACTOR)) == shown


def test_an_empty_discussion_is_refused_with_every_problem_at_once(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = opened(store, library)
    empty = DISCUSSION.model_copy(update={"participants": [" "], "summary": "  "})
    shown = listed(problems.discussion_problems(empty))
    assert [field for field, _ in shown] == ["Who took part", "Summary of the discussion"]
    assert refused(store, lambda: rec.record_discussion(store, ref, empty, actor=ACTOR)) == shown


def test_an_action_is_refused_with_every_problem(store: PlainStore, library: PolicyLibrary) -> None:
    ref = opened(store, library)
    bad = Action(description="", owner="", due=date(1985, 1, 1))
    shown = listed(problems.action_problems(bad))
    assert [field for field, _ in shown] == ["Action", "Owner", "Due date"]
    assert refused(store, lambda: rec.add_action(store, ref, bad, actor=ACTOR)) == shown


def test_completing_an_action_in_the_future_is_refused(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = opened(store, library)
    action_id = rec.add_action(store, ref, ACTION, actor=ACTOR)
    later = datetime(2027, 2, 1, 9, 0)
    shown = listed(problems.completion_problems(later.date()))
    assert shown == [("Date completed", "cannot be in the future (01/02/2027).")]
    assert (
        refused(
            store, lambda: rec.complete_action(store, action_id, completed_on=later, actor=ACTOR)
        )
        == shown
    )


def test_conference_dissent_raised_in_the_future_is_refused(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = opened(store, library, "conference-dissent")
    pathway = library.get("suffolk").pathway("conference-dissent")
    bad = DISSENT.model_copy(
        update={"raised_on": date(2027, 3, 1), "chair": "", "determination": "Overruled"}
    )
    shown = listed(
        problems.conference_dissent_problems(
            bad,
            determinations=problems.determinations(pathway),
            events=problems.other_events(pathway),
        )
    )
    assert [field for field, _ in shown] == ["Conference chair", "Date raised", "Determination"]
    assert (
        refused(store, lambda: rec.record_conference_dissent(store, ref, bad, actor=ACTOR)) == shown
    )


def test_a_stop_and_review_requested_in_1985_is_refused(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = opened(store, library, "stop-and-review")
    bad = REVIEW.model_copy(update={"requested_on": date(1985, 1, 7), "attendees": ["x" * 201]})
    shown = listed(problems.stop_and_review_problems(bad))
    assert [field for field, _ in shown] == ["Date requested", "Proposed attendees"]
    assert (
        refused(store, lambda: rec.request_stop_and_review(store, ref, bad, actor=ACTOR)) == shown
    )


def test_a_monitoring_form_with_no_actions_is_refused(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = opened(store, library)
    bad = MonitoringForm(actions_to_date=" ")
    shown = listed(problems.monitoring_form_problems(bad))
    assert shown == [("Actions taken to date", "is required.")]
    assert refused(store, lambda: rec.record_monitoring_form(store, ref, bad, actor=ACTOR)) == shown


def test_an_outcome_with_a_blank_party_is_refused_as_the_form_words_it(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = opened(store, library)
    bad = OUTCOME.model_copy(
        update={"parties": [Party(name="Ms C"), Party(name=" ")], "agreed_on": date(2026, 12, 1)}
    )
    shown = listed(problems.outcome_problems(bad, raised_at=RAISED))
    assert shown == [
        ("Parties", "give each party a name, or remove the row."),
        ("Date agreed", "cannot be before the date raised (18/12/2026)."),
    ]
    assert refused(store, lambda: esc.agree_outcome(store, ref, bad, actor=ACTOR)) == shown


def test_withdrawing_without_a_reason_is_refused(store: PlainStore, library: PolicyLibrary) -> None:
    ref = opened(store, library)
    shown = listed(problems.withdrawal_problems(""))
    assert shown == [("Reason for withdrawing", "is required.")]
    assert refused(store, lambda: esc.withdraw(store, ref, "", actor=ACTOR)) == shown


def test_an_amendment_is_refused_for_its_reason_and_its_content_together(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = opened(store, library)
    record_id = rec.record_discussion(store, ref, DISCUSSION, actor=ACTOR)
    bad = DISCUSSION.model_copy(update={"held_at": datetime(1985, 6, 3, 10, 0)})
    shown = listed(problems.amendment_problems(" ") + problems.discussion_problems(bad))
    assert [field for field, _ in shown] == [
        "Reason for the amendment",
        "When the discussion took place",
    ]
    assert (
        refused(store, lambda: rec.amend_record(store, record_id, bad, reason=" ", actor=ACTOR))
        == shown
    )


def test_a_move_is_refused_with_every_problem(store: PlainStore, library: PolicyLibrary) -> None:
    ref = opened(store, library)
    before = datetime(2026, 12, 17, 9, 0)  # before stage 1 started
    shown = listed(
        esc.move_problems(
            current=1, started=RAISED, to_stage=3, at=before, result="", skip_reason=""
        )
    )
    assert [field for field, _ in shown] == [
        "Result of this stage",
        "Reason for skipping a stage",
        "Date moved",
    ]
    assert (
        refused(
            store,
            lambda: esc.move_to_next_stage(
                store, ref, result="", actor=ACTOR, at=before, to_stage=3
            ),
        )
        == shown
    )


def test_opening_is_refused_with_every_problem_in_the_forms_words(
    store: PlainStore, library: PolicyLibrary
) -> None:
    child = add_child(store, name="Zoë Nguyễn", date_of_birth=date(2015, 3, 1), actor=ACTOR)
    bad = form(child.id, raised_at=datetime(1985, 1, 2, 9, 0), category="made-up", impact="")
    shown = listed(esc.new_escalation_problems(bad))
    assert shown == [
        (
            "Date raised",
            "02/01/1985 is outside the dates this app takes for a date in an escalation "
            "(01/01/2000 to 31/12/2075).",
        ),
        ("Impact on the child", "is required."),
        ("Category", "choose a category."),
    ]
    assert refused(store, lambda: esc.open_escalation(store, library, bad, actor=ACTOR)) == shown


def test_a_new_child_and_their_escalation_are_refused_together(
    store: PlainStore, library: PolicyLibrary
) -> None:
    child = NewChild(name="", date_of_birth=date(2030, 1, 1))
    bad = form(0, disputed="")
    shown = listed(esc.new_escalation_problems(bad, child))
    assert [field for field, _ in shown] == ["Child's name", "Date of birth", "What is disputed"]
    assert (
        refused(store, lambda: esc.open_new_escalation(store, library, bad, child, actor=ACTOR))
        == shown
    )
    assert listed(new_child_problems(child)) == shown[:2]
    assert refused(
        store,
        lambda: add_child(store, name="", date_of_birth=date(2030, 1, 1), actor=ACTOR),
    ) == listed(new_child_problems(child))


# Every text a record holds, set to a control character, is a problem of that record's
# own check (so a broken character is a message beside a field, never a failed save).
SAMPLES: dict[RecordKind, Content] = {
    RecordKind.DISCUSSION: DISCUSSION,
    RecordKind.ACTION: ACTION,
    RecordKind.OUTCOME: OUTCOME.model_copy(update={"parties": [Party(name="Ms C", role="r")]}),
    RecordKind.CONFERENCE_DISSENT: DISSENT.model_copy(update={"determination": "Upheld"}),
    RecordKind.STOP_AND_REVIEW: REVIEW,
    RecordKind.MONITORING_FORM: MonitoringForm(actions_to_date="Rang CSC."),
    RecordKind.WITHDRAWAL: Withdrawal(reason="Resolved informally."),
}


def _problems_of(content: Content) -> list[FieldError]:
    if isinstance(content, Discussion):
        return problems.discussion_problems(content)
    if isinstance(content, Action):
        return problems.action_problems(content)
    if isinstance(content, Outcome):
        return problems.outcome_problems(content, raised_at=RAISED)
    if isinstance(content, ConferenceDissent):
        return problems.conference_dissent_problems(
            content,
            determinations=["Upheld"],
            events=["receiving the minutes of the conference"],
        )
    if isinstance(content, StopAndReview):
        return problems.stop_and_review_problems(content)
    if isinstance(content, MonitoringForm):
        return problems.monitoring_form_problems(content)
    assert isinstance(content, Withdrawal)
    return problems.withdrawal_problems(content.reason)


def _broken(value: object) -> object:
    if isinstance(value, str):
        return value + "\x07"
    if isinstance(value, list):
        return [_broken(item) for item in value]
    if isinstance(value, dict):  # keyed by text: an unknown key
        return {_broken(key): item for key, item in value.items()}
    if isinstance(value, Content):
        return value.model_copy(update={name: _broken(v) for name, v in value})
    return value


# Written by the app itself, never typed: adopting a policy version records the versions'
# own words (app/services/policy_adoption.py), so it has no form to check.
APP_WRITTEN = {RecordKind.POLICY_VERSION}


@pytest.mark.parametrize("kind", [k for k in RecordKind if k not in APP_WRITTEN])
def test_every_text_of_every_record_is_checked(kind: RecordKind, store: PlainStore) -> None:
    sample = SAMPLES[kind]
    assert isinstance(sample, CONTENT_TYPES[kind])
    assert _problems_of(sample) == []
    texts = [
        name
        for name, info in type(sample).model_fields.items()
        if str in (info.annotation, *get_args(info.annotation)) or "list" in str(info.annotation)
    ]
    assert texts
    for name in texts:
        broken = sample.model_copy(update={name: _broken(getattr(sample, name))})
        assert _problems_of(broken), f"{kind.value}.{name} is not checked"
