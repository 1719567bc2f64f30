"""Reading one escalation in full: where it stands against its stored pathway, its
records, the documents produced from it. What the escalation window and the documents
show; nothing here writes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.deadlines import day_of, project_pathway
from app.domain.views import DocumentView, EscalationDetail, EscalationRow, StageView
from app.policy import Nation, Pathway
from app.services.common import (
    Store,
    current_stage_event,
    get_escalation,
    parse_moment,
    pathway_of,
    stage_prompts,
)
from app.services.damage import DamagedEscalationError, damaged_escalations, damaged_message
from app.services.escalation_rows import stored_pathway
from app.services.people import child_view
from app.services.provenance import Provenance, provenance_for
from app.services.records import record_view
from app.storage import audit
from app.storage.models import AuditEntry, Base, Escalation, Record, StageEvent

TARGETS_PER_QUERY = 500


def escalation_pathway(store: Store, ref: str) -> Pathway:
    """The pathway as the policy stood when the escalation opened (its stored copy):
    forms take their roles, owners and outcome lists from it."""
    try:
        with store.session() as session:
            return pathway_of(get_escalation(session, ref))
    except ValueError:
        problem = damaged_escalations(store).get(ref)
        if problem is None:
            raise
        raise DamagedEscalationError(damaged_message(ref, problem)) from None


def _row(escalation: Escalation) -> EscalationRow:
    """One escalation's list row, from the ORM object (single-escalation views)."""
    current = current_stage_event(escalation)
    stored = stored_pathway(escalation.snapshot.content)
    return EscalationRow(
        ref=escalation.ref,
        child_name=escalation.child.name,
        other_agency=escalation.other_agency,
        policy_id=escalation.policy_id,
        pathway_id=escalation.pathway_id,
        stage_number=current.number,
        stage_count=len(stored.stage_titles),
        stage_title=stored.stage_titles[current.number - 1],
        next_due=parse_moment(current.due) if escalation.status == "open" else None,
        status=escalation.status,
        raised_at=escalation.raised_at,
        closed_at=escalation.closed_at,
        nation=escalation.nation,
        pathway_title=stored.title,
        pathway_kind=stored.kind,
        stage_started_at=current.at,
    )


def escalation_detail(store: Store, ref: str) -> EscalationDetail:
    """Everything about one escalation; a ``DamagedEscalationError`` (a plain message)
    if a stored value in it cannot be read."""
    try:
        return _detail(store, ref)
    except (ValueError, KeyError, IndexError, TypeError):
        problem = damaged_escalations(store).get(ref)
        if problem is None:
            raise  # not a damaged value: a bug
        raise DamagedEscalationError(damaged_message(ref, problem)) from None


def _detail(store: Store, ref: str) -> EscalationDetail:
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
            decision=escalation.decided_on,
            stored_dues={n: parse_moment(e.due) for n, e in started.items()},
        )
        current = current_stage_event(escalation)
        records = session.scalars(
            select(Record).where(Record.escalation_id == escalation.id).order_by(Record.id)
        ).all()
        order, documents = _trail(session, escalation.ref, [*events, *_versions(records)])
        imported = provenance_for(session, escalation.ref)
        by = _recorded_by(imported)
        stages: list[StageView] = []
        for projected in projection:
            n = projected.number
            start_event, end_event = started.get(n), completed.get(n)
            unneeded = not_needed(escalation.status, current.number, n)
            stages.append(
                StageView(
                    number=n,
                    title=projected.stage.title,
                    owner=projected.stage.owner,
                    action=projected.stage.action,
                    started_at=start_event.at if start_event else None,
                    # A started stage keeps the deadline stored when it started; one
                    # never needed has none.
                    due=parse_moment(start_event.due)
                    if start_event
                    else (None if unneeded else projected.due),
                    rule=start_event.rule if start_event else ("" if unneeded else projected.rule),
                    completed_at=end_event.at if end_event else None,
                    result=end_event.note if end_event else "",
                    skipped=bool(end_event and end_event.kind == "skipped"),
                    projected=start_event is None and not unneeded,
                    waits_for=None if start_event or unneeded else projected.due_waits_for,
                    not_needed=unneeded,
                    started_by=by(start_event),
                    completed_by=by(end_event),
                    started_order=order.get(audit.row_target(start_event), 0) if start_event else 0,
                    completed_order=order.get(audit.row_target(end_event), 0) if end_event else 0,
                )
            )
        caps: dict[date, str] = {}
        for projected_stage in projection:
            for cap in projected_stage.caps:
                if cap.due is not None:
                    # Stages sharing one limit (NY stages 6 and 7) give one marker.
                    caps.setdefault(day_of(cap.due), f"{cap.timescale.amount}-working-day cap")
        prompts = (
            stage_prompts(pathway.stage(current.number), escalation.child)
            if escalation.status == "open"
            else []
        )
        return EscalationDetail(
            row=_row(escalation),
            child=child_view(escalation.child),
            policy_version=escalation.policy_version,
            raised_by=escalation.raised_by,
            recorded_by=escalation.created_by,
            other_practitioner=escalation.other_practitioner,
            category=escalation.category,
            disputed=escalation.disputed,
            change_wanted=escalation.change_wanted,
            impact=escalation.impact,
            immediate_risk=escalation.immediate_risk,
            protect_by=escalation.protect_by,
            decided_on=escalation.decided_on,
            stages=stages,
            records=[record_view(r, imported, order) for r in records],
            prompts=prompts,
            caps=sorted(caps.items()),
            documents=documents,
            provenance=_provenance_words(escalation, imported),
        )


def _versions(records: Sequence[Record]) -> Iterator[Base]:
    """Every version of ``records`` and every approval of each."""
    for record in records:
        for version in record.versions:
            yield version
            yield from version.approvals


def _trail(
    session: Session, ref: str, rows: Sequence[Base]
) -> tuple[dict[str, int], list[DocumentView]]:
    """Where each of ``rows`` was pinned in the audit trail (its entry's id, by pin
    target), and the documents produced from escalation ``ref``, in one reading of the
    trail. The chronology orders entries of the same minute by the first."""
    document = f"document:{ref}"
    targets = [audit.row_target(row) for row in rows]
    order: dict[str, int] = {}
    documents: list[DocumentView] = []
    # In slices: SQLite caps the parameters of one statement.
    for start in range(0, max(len(targets), 1), TARGETS_PER_QUERY):
        wanted = targets[start : start + TARGETS_PER_QUERY]
        query = select(AuditEntry).where(
            or_(AuditEntry.target.in_(wanted), AuditEntry.target == document)
            if start == 0
            else AuditEntry.target.in_(wanted)
        )
        for entry in session.scalars(query.order_by(AuditEntry.id)):
            if entry.target == document:
                title = entry.action.removeprefix("generate ")
                documents.append(DocumentView(entry.at, title, entry.digest, entry.actor, entry.id))
            else:
                order.setdefault(entry.target, entry.id)  # its pin; a re-pin comes later
    return order, documents


def not_needed(status: str, current: int, number: int) -> str:
    """Why stage ``number`` is not needed, if it is: the escalation was closed at stage
    ``current``, before reaching it ("Not needed (resolved at stage 2)"); "" if it is."""
    if status == "open" or number <= current:
        return ""
    return f"Not needed ({status} at stage {current})"


def _recorded_by(imported: Provenance | None) -> Callable[[StageEvent | None], str]:
    """Who recorded a stage event; one imported names where it was recorded, as the
    records do, so it is never shown as this setting's own."""
    events = set(imported.events) if imported else set()
    there = f", {imported.words}" if imported else ""

    def by(event: StageEvent | None) -> str:
        if event is None:
            return ""
        return event.recorded_by + (there if event.id in events else "")

    return by


def _provenance_words(escalation: Escalation, imported: Provenance | None) -> str:
    """Where an imported escalation was recorded, and its reference there."""
    if imported is not None:
        before = imported.refs.get(escalation.ref, escalation.transferred_from or "")
        return f"{imported.words[0].upper()}{imported.words[1:]} (their reference {before})"
    if escalation.transferred_from:
        return f"Imported from another setting (their reference {escalation.transferred_from})"
    return ""
