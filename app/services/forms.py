"""What the desktop forms need besides saving: live deadline previews, the pathway an
escalation follows, and every problem with what was typed at once.

The save functions in ``escalations`` and ``records`` stay the authority: they check
again and raise the first problem. The ``*_errors`` functions here run the same checks
one by one and collect them all, so a long form can mark every field that needs
attention in one go instead of one per click of Save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from app import clock
from app.deadlines import Moment, fmt_moment, stage_deadline
from app.domain import validation as check
from app.domain.records import (
    CATEGORIES,
    Action,
    ConferenceDissent,
    Discussion,
    MonitoringForm,
    Outcome,
    StopAndReview,
)
from app.domain.typed_dates import BIRTH_DATES
from app.domain.validation import FieldError
from app.errors import InputError
from app.policy import Nation, Pathway, PolicyLibrary
from app.services.common import (
    Store,
    current_stage_event,
    get_escalation,
    pathway_of,
    require_open,
    stage_prompts,
)
from app.services.escalations import NewEscalation, open_escalation
from app.services.people import add_child
from app.services.store import OneTransaction
from app.services.views import ChildView, EscalationDetail, StageMove


@dataclass(frozen=True)
class DeadlinePreview:
    due: Moment | None
    text: str  # "Tue 29/12/2026" or "No fixed timescale"
    rule: str  # how it was worked out, in words


def _preview(due: Moment | None, rule: str) -> DeadlinePreview:
    return DeadlinePreview(due, fmt_moment(due) if due is not None else "No fixed timescale", rule)


def preview_first_deadline(
    library: PolicyLibrary,
    policy_id: str,
    pathway_id: str,
    raised_at: datetime,
    protect_by: date | None = None,
    nation: Nation | None = None,
) -> DeadlinePreview:
    """Stage 1's deadline if the escalation were opened with these dates (nothing
    stored). The new-escalation form shows it as the DSL types."""
    policy = library.get(policy_id)
    stage = policy.pathway(pathway_id).stage(1)
    deadline = stage_deadline(
        stage,
        raised_at,
        raised_at,
        protect_by=protect_by,
        nation=nation or policy.default_nation,
    )
    return _preview(deadline.due, deadline.rule)


def escalation_pathway(store: Store, ref: str) -> Pathway:
    """The pathway as the policy stood when the escalation opened (its stored copy):
    forms take their roles, owners and outcome lists from it."""
    with store.session() as session:
        return pathway_of(get_escalation(session, ref))


def preview_stage(store: Store, ref: str, to_stage: int, at: datetime) -> StageMove:
    """What moving to ``to_stage`` at ``at`` would start: the stage, its owner, what to
    do, who to notify and its deadline. Nothing is stored."""
    with store.session() as session:
        escalation = get_escalation(session, ref)
        require_open(escalation)
        pathway = pathway_of(escalation)
        current = current_stage_event(escalation)
        if not current.number < to_stage <= len(pathway.stages):
            raise InputError(
                f"{ref} is at stage {current.number}; it can move to stages "
                f"{current.number + 1} to {len(pathway.stages)}."
            )
        stage = pathway.stage(to_stage)
        deadline = stage_deadline(
            stage,
            at,
            escalation.raised_at,
            protect_by=escalation.protect_by,
            nation=Nation(escalation.nation),
        )
        return StageMove(
            ref=ref,
            number=to_stage,
            title=stage.title,
            owner=stage.owner,
            action=stage.action,
            due=deadline.due,
            rule=deadline.rule,
            prompts=stage_prompts(stage, escalation.child),
        )


# --- Every problem at once ------------------------------------------------------------------


def _gather(*checks: Callable[[], object]) -> list[FieldError]:
    found: list[FieldError] = []
    for run in checks:
        try:
            run()
        except FieldError as exc:
            if all(e.field != exc.field for e in found):
                found.append(exc)
    return found


def _required(value: str, field: str, limit: int = check.MAX_TEXT) -> Callable[[], object]:
    return lambda: check.text(value, field, limit=limit)


def _optional(value: str, field: str, limit: int = check.MAX_TEXT) -> Callable[[], object]:
    return lambda: check.text(value, field, required=False, limit=limit)


def _fail(field: str, reason: str) -> Callable[[], object]:
    def run() -> None:
        raise FieldError(field, reason)

    return run


@dataclass(frozen=True)
class NewChild:
    """A child added from the new-escalation form."""

    name: str
    date_of_birth: date | None  # None: not known, as the DSL said
    identifier: str = ""
    cp_plan: bool = False
    looked_after: bool = False
    child_in_need: bool = False


def new_child_errors(child: NewChild) -> list[FieldError]:
    now = clock.now()
    checks = [
        _required(child.name, "Child's name", 200),
        _optional(child.identifier, "Identifier", 100),
    ]
    if child.date_of_birth is not None:
        born = child.date_of_birth
        checks += [
            lambda: check.plausible(born, "Date of birth", BIRTH_DATES),
            lambda: check.not_future(born, "Date of birth", now),
        ]
    return _gather(*checks)


def new_escalation_errors(form: NewEscalation, child: NewChild | None) -> list[FieldError]:
    """Every problem with the Escalation Monitoring Form as typed (``form.child_id`` 0
    with no ``child``: no child chosen)."""
    now = clock.now()
    checks: list[Callable[[], object]] = []
    if child is None and form.child_id <= 0:
        checks.append(_fail("Child", "choose the child, or add a new one."))
    checks += [
        lambda: check.plausible(form.raised_at.date(), "Date raised"),
        lambda: check.not_future(form.raised_at, "Date raised", now),
        _required(form.raised_by, "Raised by", 200),
        _required(form.other_agency, "Other agency", 200),
        _optional(form.other_practitioner, "Other practitioner", 200),
        _required(form.disputed, "What is disputed"),
        _required(form.change_wanted, "What we want to change for the child"),
        _required(form.impact, "Impact on the child"),
    ]
    if form.category not in CATEGORIES:
        checks.append(_fail("Category", "choose a category."))
    if form.protect_by is not None:
        protect_by = form.protect_by
        checks += [
            lambda: check.plausible(protect_by, "Child-safety date"),
            lambda: check.not_before(
                protect_by, form.raised_at, "Child-safety date", "the date raised"
            ),
        ]
    found = _gather(*checks)
    if child is not None:
        found = new_child_errors(child) + found
    return found


def open_new_escalation(
    store: Store,
    library: PolicyLibrary,
    form: NewEscalation,
    child: NewChild | None,
    *,
    actor: str,
) -> StageMove:
    """Open an escalation, adding the child first when they are new. Everything is
    checked before anything is written, so a rejected form never leaves a child behind
    (which would be added twice when the DSL corrects the form and saves again)."""
    errors = new_escalation_errors(form, child)
    if errors:
        raise errors[0]
    if child is None:
        return open_escalation(store, library, form, actor=actor)
    # One transaction for both: if the escalation cannot be saved (a full disk), the
    # child is not left behind to be added twice when the DSL saves again.
    with store.session() as session:
        both = OneTransaction(session)
        added: ChildView = add_child(
            both,
            name=child.name,
            date_of_birth=child.date_of_birth,
            identifier=child.identifier,
            cp_plan=child.cp_plan,
            looked_after=child.looked_after,
            child_in_need=child.child_in_need,
            actor=actor,
        )
        return open_escalation(both, library, replace(form, child_id=added.id), actor=actor)


def discussion_errors(d: Discussion) -> list[FieldError]:
    now = clock.now()
    people = [p for p in d.participants if p.strip()]
    return _gather(
        lambda: check.not_future(d.held_at, "When the discussion took place", now),
        lambda: check.plausible(d.held_at.date(), "When the discussion took place"),
        (
            _fail("Who took part", "name at least one person who took part.")
            if not people
            else lambda: [check.text(p, "Who took part", limit=200) for p in people]
        ),
        _required(d.summary, "Summary of the discussion"),
        _optional(d.agreed_actions, "Agreed actions"),
    )


def action_errors(a: Action) -> list[FieldError]:
    checks: list[Callable[[], object]] = [
        _required(a.description, "Action"),
        _required(a.owner, "Owner", 200),
    ]
    if a.due is not None:
        due = a.due
        checks.append(lambda: check.plausible(due, "Due date"))
    return _gather(*checks)


def conference_dissent_errors(d: ConferenceDissent, further_risk_chosen: bool) -> list[FieldError]:
    """``further_risk_chosen``: False when neither Yes nor No was picked (the record
    must say one or the other)."""
    now = clock.now()
    checks: list[Callable[[], object]] = [
        lambda: check.not_future(d.conference_date, "Conference date", now),
        lambda: check.plausible(d.conference_date, "Conference date"),
        _required(d.chair, "Conference chair"),
        _required(d.decision_disputed, "Decision disputed"),
        _required(d.dissenting, "Who dissents"),
        _required(d.reasons, "Why"),
    ]
    if not further_risk_chosen:
        checks.append(_fail("Further risk", "choose Yes or No."))
    checks.append(_required(d.raised_with, "Raised with"))
    if d.raised_on is not None:
        raised_on = d.raised_on
        checks += [
            lambda: check.not_before(
                raised_on, d.conference_date, "Date raised", "the conference date"
            ),
            lambda: check.not_future(raised_on, "Date raised", now),
        ]
    return _gather(*checks)


def stop_and_review_errors(s: StopAndReview) -> list[FieldError]:
    now = clock.now()
    checks: list[Callable[[], object]] = [
        _required(s.requested_of, "Requested of"),
        lambda: check.not_future(s.requested_on, "Date requested", now),
        lambda: check.plausible(s.requested_on, "Date requested"),
        _required(s.manager_consulted, "Manager consulted"),
        _required(s.not_progressing, "Why the plan is not progressing"),
        _required(s.interventions, "Interventions in use"),
        _required(s.why_not_effective, "Why they are not working"),
        lambda: [check.text(a, "Proposed attendees", limit=200) for a in s.attendees],
    ]
    if s.meeting_date is not None:
        meeting = s.meeting_date
        checks.append(
            lambda: check.not_before(meeting, s.requested_on, "Meeting date", "the request")
        )
    checks.append(_optional(s.outcome, "Outcome of the meeting"))
    return _gather(*checks)


def outcome_errors(o: Outcome, raised_at: datetime) -> list[FieldError]:
    now = clock.now()
    checks: list[Callable[[], object]] = [
        (
            _fail("Parties", "name at least one party to the agreement.")
            if not o.parties
            else _fail("Parties", "give each party a name, or remove the row.")
            if any(not p.name.strip() for p in o.parties)
            else lambda: [check.text(p.name, "Parties", limit=200) for p in o.parties]
        ),
        _required(o.agreed, "What was agreed"),
        _optional(o.outstanding, "Outstanding issues"),
        _optional(o.how_pursued, "How outstanding issues will be pursued"),
        lambda: check.not_future(o.agreed_on, "Date agreed", now),
        lambda: check.not_before(o.agreed_on, raised_at, "Date agreed", "the date raised"),
        _optional(o.learning, "Learning"),
    ]
    return _gather(*checks)


def monitoring_form_errors(form: MonitoringForm) -> list[FieldError]:
    return _gather(_required(form.actions_to_date, "Actions taken to date"))


def amendment_errors(reason: str) -> list[FieldError]:
    return _gather(_required(reason, "Reason for the amendment"))


def withdraw_errors(reason: str) -> list[FieldError]:
    return _gather(_required(reason, "Reason for withdrawing"))


def move_errors(
    detail: EscalationDetail, to_stage: int, at: datetime, result: str, skip_reason: str
) -> list[FieldError]:
    """Every problem with a move to ``to_stage`` at ``at`` (``move_to_next_stage``
    checks the same and stays the authority)."""
    now = clock.now()
    current = detail.stages[detail.row.stage_number - 1]
    checks: list[Callable[[], object]] = [_required(result, "Result of this stage")]
    if to_stage > current.number + 1:
        checks.append(_required(skip_reason, "Reason for skipping a stage"))
    if current.started_at is not None:
        started = current.started_at
        checks.append(
            lambda: check.not_before(
                at, started, "Date moved", f"the start of stage {current.number}"
            )
        )
    checks.append(lambda: check.not_future(at, "Date moved", now))
    return _gather(*checks)


def completion_errors(completed_on: date) -> list[FieldError]:
    now = clock.now()
    return _gather(
        lambda: check.not_future(completed_on, "Date completed", now),
        lambda: check.plausible(completed_on, "Date completed"),
    )
