"""What may be done to an escalation now: one map, read by the window and the services.

The first table is the rule itself; the second holds the services to it, so a button
the window disables (with the reason as its tooltip) is an action the service refuses
with the same words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest

from app import clock
from app.domain.escalation_actions import (
    EscalationAction,
    Permission,
    permission,
    situation_of,
    what_may_be_done,
)
from app.domain.records import (
    Action,
    ConferenceDissent,
    Discussion,
    MonitoringForm,
    Outcome,
    Party,
    StopAndReview,
)
from app.domain.views import ApprovalView, RecordView, VersionView
from app.errors import InputError
from app.policy import PolicyLibrary, default_library
from app.policy.pathway_kind import PathwayKind
from app.services import escalations as esc
from app.services import records as rec
from app.services.documents import DocumentKind, generate_document
from app.services.people import add_child
from tests.plain_store import PlainStore

A = EscalationAction
ACTOR = "Ms A Lead (DSL)"
WHEN = datetime(2026, 12, 21, 11, 0)


def record(kind: str, approved: bool = False, **content: object) -> RecordView:
    approvals = [ApprovalView(ACTOR, WHEN)] if approved else []
    version = VersionView(1, dict(content), WHEN, ACTOR, "", approvals)
    return RecordView(id=1, kind=kind, created_at=WHEN, versions=[version])


@dataclass(frozen=True)
class Case:
    ref: str = "ESC-2026-0001"
    status: str = "open"
    stage_number: int = 1
    stage_count: int = 4
    kind: PathwayKind = PathwayKind.RESOLUTION
    records: Sequence[RecordView] = field(default_factory=list)
    newer_version: str = ""


CLOSED = "ESC-2026-0001 is resolved; a closed escalation cannot be changed."
LAST = "Stage 4 is the last stage of this pathway"
TALK = record("discussion")
APPROVED_TALK = record("discussion", approved=True)
TODO = record("action", completed_on=None)
DONE = record("action", completed_on="2026-12-22")

# (situation, action, expected): "" allowed; "hidden" not part of the pathway; otherwise
# words the reason starts with.
TABLE: list[tuple[str, Case, EscalationAction, str]] = [
    ("open: talk", Case(), A.RECORD_DISCUSSION, ""),
    ("closed: no talk", Case(status="resolved"), A.RECORD_DISCUSSION, CLOSED),
    ("closed: no action", Case(status="resolved"), A.ADD_ACTION, CLOSED),
    ("closed: no outcome", Case(status="resolved"), A.AGREE_OUTCOME, CLOSED),
    ("closed: no withdrawing", Case(status="withdrawn"), A.WITHDRAW, "ESC-2026-0001 is withdrawn"),
    (
        "nothing to approve",
        Case(records=[APPROVED_TALK]),
        A.APPROVE,
        "Every discussion is approved",
    ),
    ("a talk to approve", Case(records=[APPROVED_TALK, TALK]), A.APPROVE, ""),
    ("closed, still approvable", Case(status="resolved", records=[TALK]), A.APPROVE, ""),
    ("no open action", Case(records=[DONE]), A.COMPLETE_ACTION, "There is no open action"),
    ("an open action", Case(records=[DONE, TODO]), A.COMPLETE_ACTION, ""),
    ("closed action", Case(status="resolved", records=[TODO]), A.COMPLETE_ACTION, CLOSED),
    ("nothing to amend", Case(records=[record("monitoring-form")]), A.AMEND, "There is nothing"),
    ("a talk to amend", Case(records=[TALK]), A.AMEND, ""),
    ("move on", Case(stage_number=3), A.MOVE_STAGE, ""),
    ("last stage", Case(stage_number=4), A.MOVE_STAGE, LAST),
    ("closed at stage 2", Case(status="resolved", stage_number=2), A.MOVE_STAGE, CLOSED),
    ("dissent elsewhere", Case(), A.CONFERENCE_DISSENT, "hidden"),
    ("dissent", Case(kind=PathwayKind.CONFERENCE_DISSENT), A.CONFERENCE_DISSENT, ""),
    (
        "no dissent record",
        Case(kind=PathwayKind.CONFERENCE_DISSENT),
        A.CONFERENCE_DISSENT_RECORD,
        "Record the conference dissent first",
    ),
    ("stop elsewhere", Case(kind=PathwayKind.PLAN_DISSENT), A.STOP_AND_REVIEW, "hidden"),
    ("stop (in care)", Case(kind=PathwayKind.STOP_AND_REVIEW_CIC), A.STOP_AND_REVIEW, ""),
    (
        "no request yet",
        Case(kind=PathwayKind.STOP_AND_REVIEW),
        A.STOP_AND_REVIEW_REQUEST,
        "Make the stop and review request first",
    ),
    (
        "a request",
        Case(kind=PathwayKind.STOP_AND_REVIEW, records=[record("stop-and-review")]),
        A.STOP_AND_REVIEW_REQUEST,
        "",
    ),
    ("no outcome", Case(), A.CONFIRMATION, "ESC-2026-0001 has no agreed outcome yet"),
    ("an outcome", Case(status="resolved", records=[record("outcome")]), A.CONFIRMATION, ""),
    ("no newer version", Case(), A.ADOPT_POLICY_VERSION, "hidden: No newer version"),
    (
        "newer version, closed",
        Case(status="resolved", newer_version="the version of 03/12/2026"),
        A.ADOPT_POLICY_VERSION,
        "hidden: " + CLOSED,
    ),
    (
        "newer version",
        Case(newer_version="the version of 03/12/2026"),
        A.ADOPT_POLICY_VERSION,
        "",
    ),
    ("monitoring form", Case(status="withdrawn"), A.MONITORING_FORM, ""),
    ("chronology", Case(status="withdrawn"), A.CHRONOLOGY, ""),
]


@pytest.mark.parametrize(
    ("case", "action", "expected"), [t[1:] for t in TABLE], ids=[t[0] for t in TABLE]
)
def test_what_may_be_done(case: Case, action: EscalationAction, expected: str) -> None:
    found = permission(action, case)
    if expected == "":
        assert found.allowed and found.applies
    elif expected == "hidden":
        assert not found.applies and not found.allowed
        assert found.reason.startswith("ESC-2026-0001 is not a ")
    elif expected.startswith("hidden: "):
        # Offered only when it can be done: otherwise hidden, with the reason kept.
        assert not found.applies and not found.allowed
        assert found.reason.startswith(expected.removeprefix("hidden: ")), found.reason
    else:
        assert found.applies and not found.allowed
        assert found.reason.startswith(expected), found.reason


def test_approving_on_a_closed_escalation_is_allowed_and_says_what_it_does() -> None:
    """Approving adds a dated sign-off to a discussion recorded while it was open and
    changes nothing saved, so it stays allowed once closed; the window says so."""
    assert permission(A.APPROVE, Case(records=[TALK])) == Permission()
    closed = permission(A.APPROVE, Case(status="resolved", records=[TALK]))
    assert closed.allowed and closed.note == (
        "ESC-2026-0001 is resolved. A discussion recorded before then may still be "
        "approved: the approval is dated today and changes nothing in the discussion."
    )
    assert not permission(A.APPROVE, Case(status="resolved", records=[APPROVED_TALK])).allowed
    for action in EscalationAction:  # the note is approving's alone
        if action is not A.APPROVE:
            assert permission(action, Case(status="resolved", records=[TALK, TODO])).note == ""


def test_the_map_covers_every_action() -> None:
    assert set(what_may_be_done(Case())) == set(EscalationAction)
    assert {t[2] for t in TABLE} == set(EscalationAction)


# --- The services refuse what the map refuses, in its words -----------------------------


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlainStore:
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 1, 6, 9, 0))
    return PlainStore(tmp_path / "plain.db")


def opened(store: PlainStore, library: PolicyLibrary, policy: str, pathway: str) -> str:
    child = add_child(store, name="Zoë Nguyễn", date_of_birth=date(2015, 3, 1), actor=ACTOR)
    form = esc.NewEscalation(
        child_id=child.id,
        policy_id=policy,
        pathway_id=pathway,
        raised_at=datetime(2026, 12, 18, 10, 0),
        raised_by="Mr B Teacher",
        other_agency="Children's Social Care",
        category="threshold",
        disputed="Referral closed with no assessment.",
        change_wanted="An assessment of the child's needs.",
        impact="Child remains at home with escalating neglect.",
    )
    return esc.open_escalation(store, library, form, actor=ACTOR).ref


TALK_CONTENT = Discussion(held_at=WHEN, method="phone", participants=["Ms C"], summary="s")
OUTCOME = Outcome(agreed="Assess.", parties=[Party(name="Ms C")], agreed_on=date(2026, 12, 23))
DISSENT = ConferenceDissent(
    conference_date=date(2026, 12, 17),
    chair="Mr D",
    decision_disputed="No plan.",
    dissenting="Ms A",
    reasons="Bruising.",
    further_risk=True,
    raised_with="IRO Manager",
)
REVIEW = StopAndReview(
    variant="cp-plan",
    requested_of="Chair",
    requested_on=date(2026, 12, 21),
    manager_consulted="Mrs D",
    not_progressing="No core group.",
    interventions="Parenting.",
    why_not_effective="Not attended.",
    attendees=[],
)
Call = Callable[[PlainStore, str, dict[str, int]], object]

# Each service that performs an action, called on an escalation the map refuses it for.
SERVICES: list[tuple[EscalationAction, Call]] = [
    (
        A.RECORD_DISCUSSION,
        lambda s, ref, ids: rec.record_discussion(s, ref, TALK_CONTENT, actor=ACTOR),
    ),
    (
        A.ADD_ACTION,
        lambda s, ref, ids: rec.add_action(s, ref, Action(description="d", owner="o"), actor=ACTOR),
    ),
    (
        A.CONFERENCE_DISSENT,
        lambda s, ref, ids: rec.record_conference_dissent(s, ref, DISSENT, actor=ACTOR),
    ),
    (A.MOVE_STAGE, lambda s, ref, ids: esc.move_to_next_stage(s, ref, result="r", actor=ACTOR)),
    (A.AGREE_OUTCOME, lambda s, ref, ids: esc.agree_outcome(s, ref, OUTCOME, actor=ACTOR)),
    (A.WITHDRAW, lambda s, ref, ids: esc.withdraw(s, ref, "reason", actor=ACTOR)),
    (
        A.AMEND,
        lambda s, ref, ids: rec.amend_record(
            s,
            ids["talk"],
            TALK_CONTENT.model_copy(update={"summary": "t"}),
            reason="r",
            actor=ACTOR,
        ),
    ),
    (
        A.COMPLETE_ACTION,
        lambda s, ref, ids: rec.complete_action(
            s, ids["action"], completed_on=datetime(2027, 1, 5), actor=ACTOR
        ),
    ),
    (A.APPROVE, lambda s, ref, ids: rec.approve_record(s, ids["talk"], actor="Mr E Deputy")),
    (
        A.CONFIRMATION,
        lambda s, ref, ids: generate_document(
            s, default_library(), DocumentKind.CONFIRMATION, ref, setting="S", dsl="D", actor=ACTOR
        ),
    ),
    (
        A.STOP_AND_REVIEW_REQUEST,
        lambda s, ref, ids: generate_document(
            s,
            default_library(),
            DocumentKind.STOP_AND_REVIEW,
            ref,
            setting="S",
            dsl="D",
            actor=ACTOR,
        ),
    ),
]


@pytest.mark.parametrize(("action", "call"), SERVICES, ids=[a.value for a, _ in SERVICES])
def test_a_service_refuses_what_the_window_disables(
    store: PlainStore, library: PolicyLibrary, action: EscalationAction, call: Call
) -> None:
    """Each on a withdrawn resolution escalation (the last test: one at its last stage)."""
    ref = opened(store, library, "york", "conference-dissent")
    ids = {
        "talk": rec.record_discussion(store, ref, TALK_CONTENT, actor=ACTOR),
        "action": rec.add_action(store, ref, Action(description="d", owner="o"), actor=ACTOR),
    }
    rec.approve_record(store, ids["talk"], actor="Ms F Second (Deputy DSL)")
    if action is A.MOVE_STAGE:
        esc.move_to_next_stage(store, ref, result="r", actor=ACTOR)  # now at its last stage
    elif action is not A.APPROVE:
        esc.withdraw(store, ref, "Resolved informally", actor=ACTOR)
    detail = esc.escalation_detail(store, ref)
    reason = permission(action, situation_of(detail)).reason
    assert reason
    with pytest.raises(InputError) as caught:
        call(store, ref, ids)
    assert str(caught.value) == reason


def test_conference_dissent_is_refused_on_another_kind_of_pathway(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = opened(store, library, "suffolk", "resolution")
    detail = esc.escalation_detail(store, ref)
    reason = permission(A.CONFERENCE_DISSENT, situation_of(detail)).reason
    assert reason == f"{ref} is not a conference dissent escalation."
    with pytest.raises(InputError, match=reason):
        rec.record_conference_dissent(store, ref, DISSENT, actor=ACTOR)
    with pytest.raises(InputError, match="not a 'stop-and-review'"):
        rec.request_stop_and_review(store, ref, REVIEW, actor=ACTOR)


def test_a_monitoring_form_is_not_amended(store: PlainStore, library: PolicyLibrary) -> None:
    ref = opened(store, library, "suffolk", "resolution")
    form_id = rec.record_monitoring_form(
        store, ref, MonitoringForm(actions_to_date="a"), actor=ACTOR
    )
    rec.record_discussion(store, ref, TALK_CONTENT, actor=ACTOR)  # so amending is allowed
    with pytest.raises(InputError, match="monitoring form record is not amended"):
        rec.amend_record(
            store, form_id, MonitoringForm(actions_to_date="b"), reason="r", actor=ACTOR
        )
