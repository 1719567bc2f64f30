"""Each service's rules: deadlines stored, stage skipping, prompts, amendments, audit."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from app import clock
from app.domain.records import Action, Discussion, Outcome, Party, StopAndReview
from app.domain.validation import ProblemsError
from app.errors import InputError
from app.policy import PolicyLibrary
from app.services import escalations as esc
from app.services import records as rec
from app.services.people import add_child, retention_review_date
from app.storage import audit
from tests.plain_store import PlainStore
from tests.services.neglect_form import neglect_form

ACTOR = "Ms A Lead (DSL)"
APPROVER = "Mr B Deputy (Deputy DSL)"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlainStore:
    # Pretend today is 6 January 2027 so December 2026 dates are in the past.
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 1, 6, 9, 0))
    return PlainStore(tmp_path / "plain.db")


def _open(
    store: PlainStore,
    library: PolicyLibrary,
    policy: str = "gloucestershire",
    pathway: str = "resolution",
    *,
    cp_plan: bool = False,
    raised: datetime = datetime(2026, 12, 18, 10, 0),
    protect_by: date | None = None,
    immediate_risk: bool = False,
) -> esc.StageMove:
    child = add_child(
        store, name="Zoë Nguyễn", date_of_birth=date(2015, 3, 1), cp_plan=cp_plan, actor=ACTOR
    )
    form = neglect_form(
        child.id, raised, policy, pathway, protect_by=protect_by, immediate_risk=immediate_risk
    )
    return esc.open_escalation(store, library, form, actor=ACTOR)


def test_open_stores_stage_one_deadline_and_ref(store: PlainStore, library: PolicyLibrary) -> None:
    move = _open(store, library)
    assert move.ref == "ESC-2026-0001"
    assert move.number == 1 and move.due == date(2026, 12, 29)
    rows = esc.list_escalations(store)
    assert rows[0].next_due == date(2026, 12, 29) and rows[0].stage_number == 1
    assert _open(store, library).ref == "ESC-2026-0002"


def test_immediate_risk_puts_the_policy_warning_first(
    store: PlainStore, library: PolicyLibrary
) -> None:
    move = _open(store, library, immediate_risk=True)
    assert move.prompts[0] == (
        "GSCP's document says: “If a child is thought to be at immediate harm, the "
        "designated safeguarding lead in your agency should be informed immediately.” "
        "(GSCP Escalation Policy, 1.7)"  # the citation after the closing quotation mark
    )


def test_move_computes_and_stores_next_deadline_with_iro_prompt(
    store: PlainStore, library: PolicyLibrary
) -> None:
    move = _open(store, library, cp_plan=True)
    second = esc.move_to_next_stage(
        store, move.ref, result="Not resolved", actor=ACTOR, at=datetime(2026, 12, 29, 16, 0)
    )
    assert second.number == 2
    assert second.due == date(2027, 1, 6)  # 5 working days; 1 Jan is a bank holiday
    assert any("Independent Reviewing Officer" in p for p in second.prompts)
    detail = esc.escalation_detail(store, move.ref)
    assert [s.projected for s in detail.stages] == [False, False, True, True]
    assert detail.stages[0].completed_at == datetime(2026, 12, 29, 16, 0)
    assert detail.stages[1].due == date(2027, 1, 6)


def test_no_iro_prompt_when_child_not_on_plan(store: PlainStore, library: PolicyLibrary) -> None:
    move = _open(store, library, cp_plan=False)
    second = esc.move_to_next_stage(store, move.ref, result="Not resolved", actor=ACTOR)
    assert not any("Independent Reviewing Officer" in p for p in second.prompts)


def test_skipping_needs_a_reason_and_is_recorded(store: PlainStore, library: PolicyLibrary) -> None:
    move = _open(store, library)
    with pytest.raises(ProblemsError, match="Reason for skipping"):
        esc.move_to_next_stage(store, move.ref, result="No reply", actor=ACTOR, to_stage=3)
    third = esc.move_to_next_stage(
        store,
        move.ref,
        result="No reply",
        actor=ACTOR,
        to_stage=3,
        skip_reason="Line manager on leave; senior manager agreed to take it",
    )
    assert third.number == 3
    assert any("Escalation Monitoring Form" in p for p in third.prompts)
    detail = esc.escalation_detail(store, move.ref)
    assert detail.stages[1].skipped and "on leave" in detail.stages[1].result
    with pytest.raises(InputError, match="only move forward"):
        esc.move_to_next_stage(store, move.ref, result="x", actor=ACTOR, to_stage=2)


def test_last_stage_cannot_move_on(store: PlainStore, library: PolicyLibrary) -> None:
    move = _open(store, library, policy="york", pathway="conference-dissent")
    esc.move_to_next_stage(store, move.ref, result="Raised with IRO Manager", actor=ACTOR)
    with pytest.raises(InputError, match="last stage"):
        esc.move_to_next_stage(store, move.ref, result="x", actor=ACTOR)


def test_child_safety_date_limits_stored_deadline(
    store: PlainStore, library: PolicyLibrary
) -> None:
    move = _open(store, library, protect_by=date(2026, 12, 22))
    assert move.due == date(2026, 12, 22)
    assert "Child-safety date" in move.rule


def test_discussion_approve_amend_keeps_every_version(
    store: PlainStore, library: PolicyLibrary
) -> None:
    move = _open(store, library)
    discussion = Discussion(
        held_at=datetime(2026, 12, 21, 11, 0),
        method="phone",
        participants=["Mr B Teacher", "Ms C Social Worker"],
        summary="Discussed the closure decision.",
    )
    record_id = rec.record_discussion(store, move.ref, discussion, actor=ACTOR)
    with pytest.raises(InputError, match="recorded this version, so a different member"):
        rec.approve_record(store, record_id, actor=ACTOR)
    rec.approve_record(store, record_id, actor=APPROVER)
    with pytest.raises(InputError, match="already approved"):
        rec.approve_record(store, record_id, actor=APPROVER)
    amended = discussion.model_copy(update={"summary": "Discussed the closure; CSC to review."})
    with pytest.raises(ProblemsError, match="Reason for the amendment"):
        rec.amend_record(store, record_id, amended, reason=" ", actor=ACTOR)
    assert rec.amend_record(store, record_id, amended, reason="Typo", actor=ACTOR) == 2
    view = rec.records_for(store, move.ref)[0]
    assert [v.content["summary"] for v in view.versions] == [
        "Discussed the closure decision.",
        "Discussed the closure; CSC to review.",
    ]
    assert view.versions[1].reason == "Typo" and view.amended
    assert view.versions[0].approvals and not view.approved  # amendment needs approving
    with pytest.raises(InputError, match="Nothing has changed"):
        rec.amend_record(store, record_id, amended, reason="again", actor=ACTOR)


def test_saved_versions_cannot_be_overwritten_even_with_sql(
    store: PlainStore, library: PolicyLibrary
) -> None:
    move = _open(store, library)
    with pytest.raises(Exception, match="never overwritten"), store.session() as session:
        session.execute(text("UPDATE stage_event SET due = '2030-01-01'"))
    detail = esc.escalation_detail(store, move.ref)
    assert detail.stages[0].due == date(2026, 12, 29)


def test_discussion_validation(store: PlainStore, library: PolicyLibrary) -> None:
    move = _open(store, library)
    future = Discussion(
        held_at=datetime(2027, 2, 1, 9, 0), method="phone", participants=["A"], summary="s"
    )
    with pytest.raises(
        ProblemsError, match="When the discussion took place: cannot be in the future"
    ):
        rec.record_discussion(store, move.ref, future, actor=ACTOR)
    nobody = Discussion(
        held_at=datetime(2026, 12, 21), method="phone", participants=[" "], summary="s"
    )
    with pytest.raises(ProblemsError, match="Who took part"):
        rec.record_discussion(store, move.ref, nobody, actor=ACTOR)


def test_actions_complete_as_a_new_version(store: PlainStore, library: PolicyLibrary) -> None:
    move = _open(store, library)
    action_id = rec.add_action(
        store,
        move.ref,
        Action(description="Send chronology", owner="Ms C", due=date(2027, 1, 4)),
        actor=ACTOR,
    )
    rec.complete_action(store, action_id, completed_on=datetime(2027, 1, 4, 12, 0), actor=ACTOR)
    view = rec.records_for(store, move.ref)[0]
    assert view.current.content["completed_on"] == "2027-01-04"
    assert view.versions[0].content["completed_on"] is None
    with pytest.raises(InputError, match="already completed"):
        rec.complete_action(store, action_id, completed_on=datetime(2027, 1, 5), actor=ACTOR)


def test_agree_outcome_resolves_and_closes(store: PlainStore, library: PolicyLibrary) -> None:
    move = _open(store, library)
    outcome = Outcome(
        agreed="CSC will complete a child and family assessment.",
        parties=[Party(name="Ms C Social Worker", role="Team Manager", agency="CSC")],
        agreed_on=date(2026, 12, 23),
        debrief_offered=True,
    )
    esc.agree_outcome(store, move.ref, outcome, actor=ACTOR)
    row = esc.list_escalations(store)[0]
    assert row.status == "resolved" and row.next_due is None
    with pytest.raises(InputError, match="resolved"):
        esc.withdraw(store, move.ref, "changed mind", actor=ACTOR)


def test_withdraw(store: PlainStore, library: PolicyLibrary) -> None:
    move = _open(store, library)
    with pytest.raises(ProblemsError):
        esc.withdraw(store, move.ref, "", actor=ACTOR)
    esc.withdraw(store, move.ref, "CSC reversed the decision", actor=ACTOR)
    assert esc.list_escalations(store)[0].status == "withdrawn"


def test_stop_and_review_only_on_its_pathway(store: PlainStore, library: PolicyLibrary) -> None:
    request = StopAndReview(
        variant="cp-plan",
        requested_of="Chair of the Conference",
        requested_on=date(2026, 12, 21),
        manager_consulted="Mrs D Head",
        not_progressing="No core group since October.",
        interventions="Parenting programme.",
        why_not_effective="Not attended.",
        attendees=["CYP Service Manager", "Safeguarding Manager"],
        meeting_date=date(2026, 12, 20),
    )
    wrong = _open(store, library)
    with pytest.raises(InputError, match="not a 'stop-and-review'"):
        rec.request_stop_and_review(store, wrong.ref, request, actor=ACTOR)
    right = _open(store, library, policy="suffolk", pathway="stop-and-review")
    with pytest.raises(ProblemsError, match="Meeting date: cannot be before the request"):
        rec.request_stop_and_review(store, right.ref, request, actor=ACTOR)
    fixed = request.model_copy(update={"meeting_date": date(2027, 1, 5)})
    assert rec.request_stop_and_review(store, right.ref, fixed, actor=ACTOR) > 0


def test_open_validation_messages(store: PlainStore, library: PolicyLibrary) -> None:
    child = add_child(store, name="Łucja Wiśniewska", date_of_birth=date(2016, 1, 1), actor=ACTOR)
    form = esc.NewEscalation(
        child_id=child.id,
        policy_id="york",
        pathway_id="resolution",
        raised_at=datetime(2027, 3, 1, 9, 0),
        raised_by="A",
        other_agency="B",
        category="threshold",
        disputed="d",
        change_wanted="c",
        impact="i",
    )
    with pytest.raises(ProblemsError, match="Date raised: cannot be in the future"):
        esc.open_escalation(store, library, form, actor=ACTOR)
    with pytest.raises(ProblemsError, match="What is disputed: is required"):
        esc.open_escalation(
            store,
            library,
            esc.NewEscalation(
                **{**form.__dict__, "raised_at": datetime(2026, 12, 1), "disputed": ""}
            ),
            actor=ACTOR,
        )
    with pytest.raises(ProblemsError, match="Date of birth: cannot be in the future"):
        add_child(store, name="X", date_of_birth=date(2027, 5, 1), actor=ACTOR)


def test_every_change_is_audited_and_chain_verifies(
    store: PlainStore, library: PolicyLibrary
) -> None:
    move = _open(store, library)
    esc.move_to_next_stage(store, move.ref, result="Not resolved", actor=ACTOR)
    with store.session() as session:
        assert audit.verify(session) == []
        actions = [
            a for (a,) in session.execute(text("SELECT action FROM audit_entry ORDER BY id"))
        ]
    assert actions == [
        "pin every record (schema update)",  # a new file: every row is pinned from here
        "add child",
        "store pathway",
        "open escalation",
        "pin escalation form",
        "pin escalation status",
        "start stage 1",
        "complete stage 1",
        "start stage 2",
    ]


def test_retention_review_date() -> None:
    assert retention_review_date(date(2015, 3, 1)) == date(2040, 3, 1)
    assert retention_review_date(date(2012, 2, 29)) == date(2037, 3, 1)
    assert retention_review_date(date(2015, 3, 1), date(2050, 1, 1)) == date(2050, 1, 1)
