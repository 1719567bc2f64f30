"""Contemporaneous records: discussions, approvals, actions, amendments, conference
dissent, stop and review, the monitoring form. Saved content is never edited: an
amendment is a new version with who, when and why."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.domain.escalation_actions import (
    AMENDABLE,
    EscalationAction,
    own_approval,
    require,
    unapproved_discussions,
)
from app.domain.record_problems import (
    action_problems,
    amendment_problems,
    completion_problems,
    conference_dissent_problems,
    determinations,
    discussion_problems,
    monitoring_form_problems,
    other_events,
    outcome_problems,
    stop_and_review_problems,
    withdrawal_problems,
)
from app.domain.records import (
    CONTENT_TYPES,
    STOP_AND_REVIEW_VARIANTS,
    Action,
    ConferenceDissent,
    Content,
    Discussion,
    MonitoringForm,
    Outcome,
    RecordKind,
    StopAndReview,
    Withdrawal,
)
from app.domain.validation import FieldError, refuse
from app.domain.views import ApprovalView, RecordView, VersionView
from app.errors import InputError
from app.policy.pathway_kind import PathwayKind
from app.services.common import (
    Store,
    current_stage_event,
    get_escalation,
    pathway_kind,
    pathway_of,
    require_open,
)
from app.services.escalation_rows import stored_pathway
from app.services.provenance import Provenance
from app.storage import audit
from app.storage.models import Approval, Escalation, Record, RecordVersion


def _content_json(content: Content) -> str:
    return audit.canonical(content.model_dump(mode="json"))


def add_record(
    session: Session,
    escalation: Escalation,
    kind: RecordKind,
    content: Content,
    actor: str,
    when: datetime,
) -> Record:
    """Store a record's first version; ``content`` has been checked by the caller."""
    record = Record(escalation=escalation, kind=kind.value, created_at=when)
    version = RecordVersion(
        record=record,
        version=1,
        content=_content_json(content),
        recorded_at=when,
        recorded_by=actor,
    )
    session.add_all([record, version])
    audit.append_row(session, actor=actor, action=f"record {kind.value}", row=record)
    audit.append_row(session, actor=actor, action=f"record {kind.value}", row=version)
    return record


def record_view(
    record: Record, imported: Provenance | None = None, order: Mapping[str, int] | None = None
) -> RecordView:
    """``imported``: where the escalation came from, if it did. What was recorded there
    names its author with that ("Ms Jones (DSL), recorded at St Aidan's, imported
    03/12/2026"), so it is never shown as this setting's own. ``order``: each row's
    position in the audit trail, by pin target (``escalation_detail``)."""
    versions = set(imported.versions) if imported else set()
    approvals = set(imported.approvals) if imported else set()
    there = f", {imported.words}" if imported else ""
    position = order or {}
    return RecordView(
        id=record.id,
        kind=record.kind,
        created_at=record.created_at,
        versions=[
            VersionView(
                version=v.version,
                content=json.loads(v.content),
                recorded_at=v.recorded_at,
                recorded_by=v.recorded_by + (there if v.id in versions else ""),
                reason=v.reason,
                approvals=[
                    ApprovalView(
                        a.approved_by + (there if a.id in approvals else ""),
                        a.approved_at,
                        position.get(audit.row_target(a), 0),
                    )
                    for a in v.approvals
                ],
                order=position.get(audit.row_target(v), 0),
            )
            for v in record.versions
        ],
    )


def content_problems(escalation: Escalation, content: Content) -> list[FieldError]:
    """What the form for this kind of record shows, with what only the escalation knows
    (the date it was raised, its policy's determinations)."""
    if isinstance(content, Discussion):
        return discussion_problems(content)
    if isinstance(content, Action):
        return action_problems(content)
    if isinstance(content, ConferenceDissent):
        pathway = pathway_of(escalation)
        return conference_dissent_problems(
            content, determinations=determinations(pathway), events=other_events(pathway)
        )
    if isinstance(content, StopAndReview):
        return stop_and_review_problems(content)
    if isinstance(content, MonitoringForm):
        return monitoring_form_problems(content)
    if isinstance(content, Outcome):
        return outcome_problems(content, raised_at=escalation.raised_at)
    if isinstance(content, Withdrawal):
        return withdrawal_problems(content.reason)
    raise TypeError(f"no checks for {type(content).__name__}")


def _require_type(kind: RecordKind, content: Content) -> None:
    if not isinstance(content, CONTENT_TYPES[kind]):
        raise TypeError(f"{kind.value} records hold {CONTENT_TYPES[kind].__name__}")


class StoredSituation:
    """An escalation's situation as stored, for the rules of what may be done now; each
    fact is read only when a rule asks for it (most need only the status)."""

    def __init__(self, escalation: Escalation, newer_version: str = "") -> None:
        self._escalation = escalation
        self.ref = escalation.ref
        self.status = escalation.status
        self.newer_version = newer_version  # only the adoption service knows the library

    @cached_property
    def stage_number(self) -> int:
        return current_stage_event(self._escalation).number

    @cached_property
    def stage_count(self) -> int:
        return len(stored_pathway(self._escalation.snapshot.content).stage_titles)

    @cached_property
    def kind(self) -> PathwayKind:
        return pathway_kind(self._escalation)

    @cached_property
    def records(self) -> list[RecordView]:
        return [record_view(r) for r in self._escalation.records]


def _save(
    store: Store,
    ref: str,
    kind: RecordKind,
    content: Content,
    actor: str,
    at: datetime | None,
    action: EscalationAction,
) -> int:
    _require_type(kind, content)
    with store.session() as session:
        escalation = get_escalation(session, ref)
        require(action, StoredSituation(escalation))
        require_open(escalation)
        refuse(content_problems(escalation, content))
        return add_record(session, escalation, kind, content, actor, at or clock.now()).id


def record_discussion(
    store: Store, ref: str, discussion: Discussion, *, actor: str, at: datetime | None = None
) -> int:
    return _save(
        store, ref, RecordKind.DISCUSSION, discussion, actor, at, EscalationAction.RECORD_DISCUSSION
    )


def add_action(
    store: Store, ref: str, action: Action, *, actor: str, at: datetime | None = None
) -> int:
    return _save(store, ref, RecordKind.ACTION, action, actor, at, EscalationAction.ADD_ACTION)


def record_conference_dissent(
    store: Store, ref: str, dissent: ConferenceDissent, *, actor: str, at: datetime | None = None
) -> int:
    return _save(
        store,
        ref,
        RecordKind.CONFERENCE_DISSENT,
        dissent,
        actor,
        at,
        EscalationAction.CONFERENCE_DISSENT,
    )


def request_stop_and_review(
    store: Store, ref: str, request: StopAndReview, *, actor: str, at: datetime | None = None
) -> int:
    with store.session() as session:
        kind = pathway_kind(get_escalation(session, ref))
    if STOP_AND_REVIEW_VARIANTS.get(kind) != request.variant:
        expected = next(k for k, v in STOP_AND_REVIEW_VARIANTS.items() if v == request.variant)
        raise InputError(f"{ref} is not a '{expected}' escalation.")
    return _save(
        store, ref, RecordKind.STOP_AND_REVIEW, request, actor, at, EscalationAction.STOP_AND_REVIEW
    )


def record_monitoring_form(
    store: Store, ref: str, form: MonitoringForm, *, actor: str, at: datetime | None = None
) -> int:
    return _save(
        store, ref, RecordKind.MONITORING_FORM, form, actor, at, EscalationAction.MONITORING_FORM
    )


def _latest(session: Session, record_id: int) -> tuple[Record, RecordVersion]:
    record = session.get(Record, record_id)
    if record is None:
        raise InputError(f"There is no record {record_id}.")
    return record, record.versions[-1]


def amend_record(
    store: Store,
    record_id: int,
    content: Content,
    *,
    reason: str,
    actor: str,
    at: datetime | None = None,
) -> int:
    """Store a new version beside the old one; returns the new version number."""
    when = at or clock.now()
    with store.session() as session:
        record, latest = _latest(session, record_id)
        require(EscalationAction.AMEND, StoredSituation(record.escalation))
        require_open(record.escalation)
        if record.kind not in AMENDABLE:
            raise InputError(f"A {record.kind.replace('-', ' ')} record is not amended.")
        kind = RecordKind(record.kind)
        _require_type(kind, content)
        refuse(amendment_problems(reason) + content_problems(record.escalation, content))
        if _content_json(content) == latest.content:
            raise InputError("Nothing has changed, so there is nothing to amend.")
        version = RecordVersion(
            record=record,
            version=latest.version + 1,
            content=_content_json(content),
            recorded_at=when,
            recorded_by=actor,
            reason=reason,
        )
        session.add(version)
        audit.append_row(session, actor=actor, action=f"amend {kind.value}", row=version)
        return version.version


def approve_record(store: Store, record_id: int, *, actor: str, at: datetime | None = None) -> None:
    """'Approve and date the record': approves the latest version (an amendment needs
    approving again)."""
    when = at or clock.now()
    with store.session() as session:
        record, latest = _latest(session, record_id)
        if any(a.approved_by == actor for a in latest.approvals):
            raise InputError(f"{actor} has already approved this version.")
        refusal = own_approval(latest.recorded_by, actor)
        if refusal:
            raise InputError(refusal)
        situation = StoredSituation(record.escalation)
        require(EscalationAction.APPROVE, situation)
        if record.id not in {r.id for r in unapproved_discussions(situation.records)}:
            raise InputError("Only a discussion not yet approved can be approved here.")
        approval = Approval(version=latest, approved_at=when, approved_by=actor)
        session.add(approval)
        audit.append_row(session, actor=actor, action="approve record", row=approval)


def complete_action(store: Store, record_id: int, *, completed_on: datetime, actor: str) -> int:
    """Mark an action done: a new version of the action with its completion date."""
    refuse(completion_problems(completed_on.date()))
    with store.session() as session:
        record, latest = _latest(session, record_id)
        if record.kind != RecordKind.ACTION:
            raise InputError("Only an action can be completed.")
        action = Action.model_validate_json(latest.content)
        if action.completed_on is not None:
            raise InputError(
                f"This action was already completed on {action.completed_on:%d/%m/%Y}."
            )
        require(EscalationAction.COMPLETE_ACTION, StoredSituation(record.escalation))
    done = action.model_copy(update={"completed_on": completed_on.date()})
    return amend_record(store, record_id, done, reason="Completed", actor=actor, at=completed_on)


def records_for(store: Store, ref: str) -> list[RecordView]:
    with store.session() as session:
        escalation = get_escalation(session, ref)
        rows = session.scalars(select(Record).where(Record.escalation_id == escalation.id))
        return [record_view(r) for r in rows]
