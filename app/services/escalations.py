"""Opening, moving, closing and reading escalations: one function per use case, each one
transaction with its audit entry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.deadlines import day_of, iso, project_pathway, stage_deadline
from app.domain import validation as check
from app.domain.records import CATEGORIES, Outcome, RecordKind, Withdrawal
from app.domain.views import EscalationDetail, EscalationRow, StageMove, StageView
from app.errors import InputError
from app.policy import Nation, PolicyLibrary
from app.services.common import (
    Sessions,
    Store,
    current_stage_event,
    get_escalation,
    parse_moment,
    pathway_of,
    require_open,
    stage_prompts,
)
from app.services.escalation_rows import list_escalations as list_escalations
from app.services.escalation_rows import pathway_titles
from app.services.people import child_view
from app.services.records import add_record, record_view
from app.storage import audit
from app.storage.models import (
    AuditEntry,
    Child,
    Escalation,
    PathwaySnapshot,
    Record,
    StageEvent,
)


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


def _validate(form: NewEscalation, when: datetime) -> None:
    check.plausible(form.raised_at.date(), "Date raised")
    check.not_future(form.raised_at, "Date raised", when)
    check.text(form.raised_by, "Raised by", limit=200)
    check.text(form.other_agency, "Other agency", limit=200)
    check.text(form.other_practitioner, "Other practitioner", required=False, limit=200)
    check.text(form.disputed, "What is disputed")
    check.text(form.change_wanted, "What we want to change for the child")
    check.text(form.impact, "Impact on the child")
    if form.category not in CATEGORIES:
        raise check.FieldError("Category", f"'{form.category}' is not one of the categories.")
    if form.protect_by is not None:
        check.plausible(form.protect_by, "Child-safety date")
        check.not_before(form.protect_by, form.raised_at, "Child-safety date", "the date raised")


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
    _validate(form, clock.now())
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
            policy_version=policy.document.version,
            pathway_id=pathway.id,
            snapshot=snapshot_for(
                session, policy.id, policy.document.version, pathway.id, pathway.model_dump_json()
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
        # The row's status and closed date change when it closes; the form does not.
        audit.pin_form(
            session, actor=actor, action="pin escalation form", escalation=escalation, at=when
        )
        move = _start_stage(session, escalation, 1, form.raised_at, actor)
        if form.immediate_risk:
            prompts = [policy.immediate_risk, *move.prompts]
            move = StageMove(**{**move.__dict__, "prompts": prompts})
        return move


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
    check.text(result, "Result of this stage")
    with store.session() as session:
        escalation = get_escalation(session, ref)
        require_open(escalation)
        pathway = pathway_of(escalation)
        current = current_stage_event(escalation)
        check.not_before(when, current.at, "Date moved", f"the start of stage {current.number}")
        check.not_future(when, "Date moved", clock.now())
        target = to_stage if to_stage is not None else current.number + 1
        if target > len(pathway.stages):
            raise InputError(
                f"Stage {current.number} is the last stage of this pathway. "
                "Agree the outcome or withdraw the escalation."
            )
        if target <= current.number:
            raise InputError(
                f"{ref} is at stage {current.number}; it can only move forward "
                f"(stages {current.number + 1} to {len(pathway.stages)})."
            )
        if target > current.number + 1:
            check.text(skip_reason, "Reason for skipping a stage")
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


def agree_outcome(
    store: Store, ref: str, outcome: Outcome, *, actor: str, at: datetime | None = None
) -> int:
    """Record the agreed outcome (the basis of the written confirmation) and resolve the
    escalation. Returns the outcome record's id."""
    when = at or clock.now()
    check.text(outcome.agreed, "What was agreed")
    check.text(outcome.outstanding, "Outstanding issues", required=False)
    check.text(outcome.how_pursued, "How outstanding issues will be pursued", required=False)
    check.not_future(outcome.agreed_on, "Date agreed", clock.now())
    if not outcome.parties:
        raise check.FieldError("Parties", "name at least one party to the agreement.")
    for party in outcome.parties:
        check.text(party.name, "Party's name", limit=200)
    with store.session() as session:
        escalation = get_escalation(session, ref)
        require_open(escalation)
        check.not_before(outcome.agreed_on, escalation.raised_at, "Date agreed", "the date raised")
        record = add_record(session, escalation, RecordKind.OUTCOME, outcome, actor, when)
        _close(session, escalation, "resolved", "Outcome agreed", when, actor)
        return record.id


def withdraw(
    store: Store, ref: str, reason: str, *, actor: str, at: datetime | None = None
) -> None:
    when = at or clock.now()
    check.text(reason, "Reason for withdrawing")
    with store.session() as session:
        escalation = get_escalation(session, ref)
        require_open(escalation)
        add_record(
            session, escalation, RecordKind.WITHDRAWAL, Withdrawal(reason=reason), actor, when
        )
        _close(session, escalation, "withdrawn", f"Withdrawn: {reason}", when, actor)


def _row(escalation: Escalation) -> EscalationRow:
    """One escalation's list row, from the ORM object (single-escalation views)."""
    current = current_stage_event(escalation)
    pathway_title, titles = pathway_titles(escalation.snapshot.content)
    return EscalationRow(
        ref=escalation.ref,
        child_name=escalation.child.name,
        other_agency=escalation.other_agency,
        policy_id=escalation.policy_id,
        pathway_id=escalation.pathway_id,
        stage_number=current.number,
        stage_count=len(titles),
        stage_title=titles[current.number - 1],
        next_due=parse_moment(current.due) if escalation.status == "open" else None,
        status=escalation.status,
        raised_at=escalation.raised_at,
        closed_at=escalation.closed_at,
        nation=escalation.nation,
        pathway_title=pathway_title,
    )


def snapshot_for(
    session: Session, policy_id: str, version: str, pathway_id: str, content: str
) -> PathwaySnapshot:
    """The stored copy of a pathway as a policy version defines it (made once)."""
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
    return found


def escalation_detail(store: Store, ref: str) -> EscalationDetail:
    with store.session() as session:
        escalation = get_escalation(session, ref)
        pathway = pathway_of(escalation)
        events = escalation.stage_events
        started = {e.number: e for e in events if e.kind == "started"}
        completed = {e.number: e for e in events if e.kind in ("completed", "skipped")}
        projection = project_pathway(
            pathway,
            escalation.raised_at,
            {n: e.at for n, e in started.items()},
            protect_by=escalation.protect_by,
            nation=Nation(escalation.nation),
        )
        stages: list[StageView] = []
        for projected in projection:
            n = projected.number
            start_event, end_event = started.get(n), completed.get(n)
            stages.append(
                StageView(
                    number=n,
                    title=projected.stage.title,
                    owner=projected.stage.owner,
                    action=projected.stage.action,
                    started_at=start_event.at if start_event else None,
                    # A started stage keeps the deadline stored when it started.
                    due=parse_moment(start_event.due) if start_event else projected.due,
                    rule=start_event.rule if start_event else projected.rule,
                    completed_at=end_event.at if end_event else None,
                    result=end_event.note if end_event else "",
                    skipped=bool(end_event and end_event.kind == "skipped"),
                    projected=start_event is None,
                )
            )
        caps: dict[date, str] = {}
        for projected_stage in projection:
            for cap in projected_stage.caps:
                if cap.due is not None:
                    # Stages sharing one limit (NY stages 6 and 7) give one marker.
                    caps.setdefault(day_of(cap.due), f"{cap.timescale.amount}-working-day cap")
        current = current_stage_event(escalation)
        prompts = (
            stage_prompts(pathway.stage(current.number), escalation.child)
            if escalation.status == "open"
            else []
        )
        records = session.scalars(
            select(Record).where(Record.escalation_id == escalation.id).order_by(Record.id)
        ).all()
        documents = [
            (entry.at, entry.action.removeprefix("generate "), entry.digest)
            for entry in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.target == f"document:{escalation.ref}")
                .order_by(AuditEntry.id)
            )
        ]
        return EscalationDetail(
            row=_row(escalation),
            child=child_view(escalation.child),
            policy_version=escalation.policy_version,
            raised_by=escalation.raised_by,
            other_practitioner=escalation.other_practitioner,
            category=escalation.category,
            disputed=escalation.disputed,
            change_wanted=escalation.change_wanted,
            impact=escalation.impact,
            immediate_risk=escalation.immediate_risk,
            protect_by=escalation.protect_by,
            stages=stages,
            records=[record_view(r) for r in records],
            prompts=prompts,
            caps=sorted(caps.items()),
            documents=documents,
        )
