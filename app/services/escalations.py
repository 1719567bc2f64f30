"""Opening, moving and closing escalations: one function per use case, each one
transaction with its audit entry, each refusing with every problem its ``*_problems``
function finds (the forms show the same problems beside their fields)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.deadlines import iso, stage_deadline
from app.domain import validation as check
from app.domain.escalation_actions import EscalationAction, require
from app.domain.record_problems import outcome_problems, withdrawal_problems
from app.domain.records import CATEGORIES, Outcome, RecordKind, Withdrawal
from app.domain.validation import Check, FieldError, fail, gather, optional, refuse, required
from app.domain.views import ChildView, StageMove
from app.errors import InputError
from app.policy import Nation, PolicyLibrary
from app.policy.immediate_risk import policy_words_on_immediate_risk
from app.policy.versions import version_key
from app.services.common import (
    Sessions,
    Store,
    current_stage_event,
    get_escalation,
    pathway_of,
    stage_prompts,
)
from app.services.escalation_detail import escalation_detail as escalation_detail
from app.services.escalation_rows import list_escalations as list_escalations
from app.services.people import NewChild, add_child, new_child_problems
from app.services.records import StoredSituation, add_record
from app.services.store import OneTransaction
from app.storage import audit
from app.storage.models import AuditEntry, Child, Escalation, PathwaySnapshot, StageEvent


@dataclass(frozen=True)
class NewEscalation:
    """The Escalation Monitoring Form, as typed."""

    child_id: int
    policy_id: str
    pathway_id: str
    raised_at: datetime
    raised_by: str
    other_agency: str
    category: str
    disputed: str
    change_wanted: str
    impact: str
    other_practitioner: str = ""
    immediate_risk: bool = False
    protect_by: date | None = None
    nation: Nation | None = None  # None: the policy's default
    # The disputed decision, for timescales that run from it; None: the date raised.
    decided_on: date | None = None


DECISION_FIELD = "Date of the decision"


def new_escalation_problems(form: NewEscalation, child: NewChild | None = None) -> list[FieldError]:
    """Every problem with the Escalation Monitoring Form as typed, and with the new child
    it adds, if any (``form.child_id`` 0 with no ``child``: no child chosen)."""
    now = clock.now()
    checks: list[Check] = []
    if child is None and form.child_id <= 0:
        checks.append(fail("Child", "choose the child, or add a new one."))
    checks += [
        lambda: check.plausible(form.raised_at.date(), "Date raised"),
        lambda: check.not_future(form.raised_at, "Date raised", now),
        required(form.raised_by, "Raised by", 200),
        required(form.other_agency, "Other agency", 200),
        optional(form.other_practitioner, "Other practitioner", 200),
        required(form.disputed, "What is disputed"),
        required(form.change_wanted, "What we want to change for the child"),
        required(form.impact, "Impact on the child"),
    ]
    if form.category not in CATEGORIES:
        checks.append(fail("Category", "choose a category."))
    if form.protect_by is not None:
        protect_by = form.protect_by
        checks += [
            lambda: check.plausible(protect_by, "Child-safety date"),
            lambda: check.not_before(
                protect_by, form.raised_at, "Child-safety date", "the date raised"
            ),
        ]
    if form.decided_on is not None:
        decided_on = form.decided_on
        checks += [
            lambda: check.plausible(decided_on, DECISION_FIELD),
            # A disagreement is raised about a decision already made.
            lambda: check.not_after(decided_on, form.raised_at, DECISION_FIELD, "the date raised"),
        ]
    found = gather(*checks)
    return (new_child_problems(child) if child is not None else []) + found


def next_ref(session: Session, year: int) -> str:
    """The next unused reference for the year. Counted from the highest ever issued,
    including escalations since destroyed (their refs live on in the audit trail), so a
    reference is never reused."""
    prefix = f"ESC-{year}-"
    issued = list(session.scalars(select(Escalation.ref).where(Escalation.ref.like(f"{prefix}%"))))
    issued += [
        target.removeprefix("escalation:")
        for target in session.scalars(
            select(AuditEntry.target).where(AuditEntry.target.like(f"escalation:{prefix}%"))
        )
    ]
    highest = max(
        (int(ref.removeprefix(prefix)) for ref in issued if ref.removeprefix(prefix).isdigit()),
        default=0,
    )
    return f"{prefix}{highest + 1:04d}"


def _start_stage(
    session: Session, escalation: Escalation, number: int, at: datetime, actor: str
) -> StageMove:
    pathway = pathway_of(escalation)
    stage = pathway.stage(number)
    deadline = stage_deadline(
        stage,
        at,
        escalation.raised_at,
        protect_by=escalation.protect_by,
        nation=Nation(escalation.nation),
        decision=escalation.decided_on,
    )
    event = StageEvent(
        escalation=escalation,
        number=number,
        kind="started",
        at=at,
        due=iso(deadline.due),
        rule=deadline.rule,
        recorded_by=actor,
    )
    session.add(event)
    audit.append_row(session, actor=actor, action=f"start stage {number}", row=event)
    return StageMove(
        ref=escalation.ref,
        number=number,
        title=stage.title,
        owner=stage.owner,
        action=stage.action,
        due=deadline.due,
        rule=deadline.rule,
        prompts=stage_prompts(stage, escalation.child),
    )


def open_escalation(
    store: Sessions,
    library: PolicyLibrary,
    form: NewEscalation,
    *,
    actor: str,
    at: datetime | None = None,
) -> StageMove:
    when = at or clock.now()
    refuse(new_escalation_problems(form))
    policy = library.get(form.policy_id)
    pathway = policy.pathway(form.pathway_id)
    with store.session() as session:
        child = session.get(Child, form.child_id)
        if child is None:
            raise InputError("Choose the child this escalation is about.")
        escalation = Escalation(
            ref=next_ref(session, form.raised_at.year),
            child=child,
            policy_id=policy.id,
            policy_version=version_key(policy),
            pathway_id=pathway.id,
            snapshot=snapshot_for(
                session,
                policy.id,
                version_key(policy),
                pathway.id,
                pathway.model_dump_json(),
                actor=actor,
            ),
            nation=(form.nation or policy.default_nation).value,
            raised_at=form.raised_at,
            raised_by=form.raised_by,
            other_agency=form.other_agency,
            other_practitioner=form.other_practitioner,
            category=form.category,
            disputed=form.disputed,
            change_wanted=form.change_wanted,
            impact=form.impact,
            immediate_risk=form.immediate_risk,
            protect_by=form.protect_by,
            decided_on=form.decided_on,
            status="open",
            created_at=when,
            created_by=actor,
        )
        session.add(escalation)
        session.flush()
        audit.append(
            session,
            actor=actor,
            action="open escalation",
            target=f"escalation:{escalation.ref}",
            content=audit.row_content(escalation),
            at=when,
        )
        # The row's status and closed date change when it closes (re-pinned then, see
        # _close); the form does not.
        audit.pin_form(
            session, actor=actor, action="pin escalation form", escalation=escalation, at=when
        )
        move = _start_stage(session, escalation, 1, form.raised_at, actor)
        if form.immediate_risk:
            prompts = [policy_words_on_immediate_risk(policy), *move.prompts]
            move = StageMove(**{**move.__dict__, "prompts": prompts})
        return move


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
    refuse(new_escalation_problems(form, child))
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


def move_problems(
    *,
    current: int,
    started: datetime | None,
    to_stage: int,
    at: datetime,
    result: str,
    skip_reason: str,
) -> list[FieldError]:
    """Every problem with moving from stage ``current`` (started at ``started``) to
    ``to_stage`` at ``at``."""
    now = clock.now()
    checks: list[Check] = [required(result, "Result of this stage")]
    if to_stage > current + 1:
        checks.append(required(skip_reason, "Reason for skipping a stage"))
    if started is not None:
        begun = started
        checks.append(
            lambda: check.not_before(at, begun, "Date moved", f"the start of stage {current}")
        )
    checks.append(lambda: check.not_future(at, "Date moved", now))
    return gather(*checks)


def check_move_target(ref: str, current: int, target: int, count: int) -> None:
    """A move goes forward, to a stage the pathway has."""
    if not current < target <= count:
        raise InputError(
            f"{ref} is at stage {current}; it can only move forward, to stages "
            f"{current + 1} to {count}."
        )


def move_to_next_stage(
    store: Store,
    ref: str,
    *,
    result: str,
    actor: str,
    at: datetime | None = None,
    to_stage: int | None = None,
    skip_reason: str = "",
) -> StageMove:
    """Complete the current stage with its result and start the next one (or a later
    one, with a recorded reason for skipping). The new stage's deadline is computed from
    the policy as it stood when the escalation opened, and stored."""
    when = at or clock.now()
    with store.session() as session:
        escalation = get_escalation(session, ref)
        require(EscalationAction.MOVE_STAGE, StoredSituation(escalation))
        current = current_stage_event(escalation)
        target = to_stage if to_stage is not None else current.number + 1
        check_move_target(ref, current.number, target, len(pathway_of(escalation).stages))
        refuse(
            move_problems(
                current=current.number,
                started=current.at,
                to_stage=target,
                at=when,
                result=result,
                skip_reason=skip_reason,
            )
        )
        done = StageEvent(
            escalation=escalation,
            number=current.number,
            kind="completed",
            at=when,
            note=result,
            recorded_by=actor,
        )
        session.add(done)
        audit.append_row(session, actor=actor, action=f"complete stage {current.number}", row=done)
        for skipped in range(current.number + 1, target):
            event = StageEvent(
                escalation=escalation,
                number=skipped,
                kind="skipped",
                at=when,
                note=skip_reason,
                recorded_by=actor,
            )
            session.add(event)
            audit.append_row(session, actor=actor, action=f"skip stage {skipped}", row=event)
        return _start_stage(session, escalation, target, when, actor)


def _close(
    session: Session, escalation: Escalation, status: str, note: str, when: datetime, actor: str
) -> None:
    current = current_stage_event(escalation)
    done = StageEvent(
        escalation=escalation,
        number=current.number,
        kind="completed",
        at=when,
        note=note,
        recorded_by=actor,
    )
    session.add(done)
    audit.append_row(session, actor=actor, action=f"complete stage {current.number}", row=done)
    escalation.status = status
    escalation.closed_at = when
    audit.append(
        session,
        actor=actor,
        action=f"{status} escalation",
        target=f"escalation:{escalation.ref}",
        content={"status": status, "closed_at": when},
        at=when,
    )
    # Closing is the one lawful change to an escalation's row: its status pin is
    # replaced, naming the pin it replaces and why.
    audit.repin(
        session,
        actor=actor,
        target=audit.status_target(escalation.ref),
        reason=audit.RepinReason.ESCALATION_CLOSED,
        first_action="pin escalation status",
        at=when,
    )


def agree_outcome(
    store: Store, ref: str, outcome: Outcome, *, actor: str, at: datetime | None = None
) -> int:
    """Record the agreed outcome (the basis of the written confirmation) and resolve the
    escalation. Returns the outcome record's id."""
    when = at or clock.now()
    with store.session() as session:
        escalation = get_escalation(session, ref)
        require(EscalationAction.AGREE_OUTCOME, StoredSituation(escalation))
        refuse(outcome_problems(outcome, raised_at=escalation.raised_at))
        record = add_record(session, escalation, RecordKind.OUTCOME, outcome, actor, when)
        _close(session, escalation, "resolved", "Outcome agreed", when, actor)
        return record.id


def withdraw(
    store: Store, ref: str, reason: str, *, actor: str, at: datetime | None = None
) -> None:
    when = at or clock.now()
    with store.session() as session:
        escalation = get_escalation(session, ref)
        require(EscalationAction.WITHDRAW, StoredSituation(escalation))
        refuse(withdrawal_problems(reason))
        add_record(
            session, escalation, RecordKind.WITHDRAWAL, Withdrawal(reason=reason), actor, when
        )
        _close(session, escalation, "withdrawn", f"Withdrawn: {reason}", when, actor)


def snapshot_for(
    session: Session,
    policy_id: str,
    version: str,
    pathway_id: str,
    content: str,
    *,
    actor: str,
) -> PathwaySnapshot:
    """The stored copy of a pathway as a policy version defines it (made once, and
    pinned then)."""
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    found = session.scalar(select(PathwaySnapshot).where(PathwaySnapshot.digest == digest))
    if found is None:
        found = PathwaySnapshot(
            digest=digest,
            policy_id=policy_id,
            policy_version=version,
            pathway_id=pathway_id,
            content=content,
        )
        session.add(found)
        audit.append_row(session, actor=actor, action="store pathway", row=found)
    return found
