"""Contemporaneous records: discussions, approvals, actions, amendments, conference
dissent, stop and review, the monitoring form. Saved content is never edited: an
amendment is a new version with who, when and why."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.domain import validation as check
from app.domain.records import (
    CONTENT_TYPES,
    Action,
    ConferenceDissent,
    Content,
    Discussion,
    MonitoringForm,
    RecordKind,
    StopAndReview,
)
from app.domain.views import RecordView, VersionView
from app.errors import InputError
from app.services.common import Store, get_escalation, pathway_of, require_open
from app.storage import audit
from app.storage.models import Approval, Escalation, Record, RecordVersion


def _content_json(content: Content) -> str:
    return audit.canonical(content.model_dump(mode="json"))


def check_all_text(content: Content) -> None:
    """Every text in a record, including those no form marks as required (an outcome's
    learning, a party's agency, a meeting's attendees), passes the basic text check: no
    control or broken characters, within the length limit. Without it a broken character
    in such a field failed the save as a bug rather than a plain message."""
    for name, value in content:
        label = name.replace("_", " ").capitalize()
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                check.text(item, label, required=False)
            elif isinstance(item, Content):
                check_all_text(item)


def add_record(
    session: Session,
    escalation: Escalation,
    kind: RecordKind,
    content: Content,
    actor: str,
    when: datetime,
) -> Record:
    check_all_text(content)
    record = Record(escalation=escalation, kind=kind.value, created_at=when)
    version = RecordVersion(
        record=record,
        version=1,
        content=_content_json(content),
        recorded_at=when,
        recorded_by=actor,
    )
    session.add_all([record, version])
    audit.append_row(session, actor=actor, action=f"record {kind.value}", row=version)
    return record


def record_view(record: Record) -> RecordView:
    return RecordView(
        id=record.id,
        kind=record.kind,
        created_at=record.created_at,
        versions=[
            VersionView(
                version=v.version,
                content=json.loads(v.content),
                recorded_at=v.recorded_at,
                recorded_by=v.recorded_by,
                reason=v.reason,
                approvals=[(a.approved_by, a.approved_at) for a in v.approvals],
            )
            for v in record.versions
        ],
    )


def _check_discussion(d: Discussion) -> None:
    check.not_future(d.held_at, "When the discussion took place", clock.now())
    check.text(d.summary, "Summary of the discussion")
    check.text(d.agreed_actions, "Agreed actions", required=False)
    if not [p for p in d.participants if p.strip()]:
        raise check.FieldError("Who took part", "name at least one person who took part.")
    for p in d.participants:
        check.text(p, "Who took part", limit=200)


def _check_action(a: Action) -> None:
    check.text(a.description, "Action")
    check.text(a.owner, "Owner", limit=200)
    if a.due is not None:
        check.plausible(a.due, "Due date")


def _check_dissent(d: ConferenceDissent) -> None:
    check.not_future(d.conference_date, "Conference date", clock.now())
    check.plausible(d.conference_date, "Conference date")
    for value, label in (
        (d.chair, "Conference chair"),
        (d.decision_disputed, "Decision disputed"),
        (d.dissenting, "Who dissents"),
        (d.reasons, "Why"),
        (d.raised_with, "Raised with"),
    ):
        check.text(value, label)
    if d.raised_on is not None:
        check.not_before(d.raised_on, d.conference_date, "Date raised", "the conference date")


def _check_stop_and_review(s: StopAndReview) -> None:
    check.not_future(s.requested_on, "Date requested", clock.now())
    for value, label in (
        (s.requested_of, "Requested of"),
        (s.manager_consulted, "Manager consulted"),
        (s.not_progressing, "Why the plan is not progressing"),
        (s.interventions, "Interventions in use"),
        (s.why_not_effective, "Why they are not working"),
    ):
        check.text(value, label)
    if s.meeting_date is not None:
        check.not_before(s.meeting_date, s.requested_on, "Meeting date", "the request")


CHECKS = {
    RecordKind.DISCUSSION: _check_discussion,
    RecordKind.ACTION: _check_action,
    RecordKind.CONFERENCE_DISSENT: _check_dissent,
    RecordKind.STOP_AND_REVIEW: _check_stop_and_review,
}


def _validate(kind: RecordKind, content: Content) -> None:
    if not isinstance(content, CONTENT_TYPES[kind]):
        raise TypeError(f"{kind.value} records hold {CONTENT_TYPES[kind].__name__}")
    validator = CHECKS.get(kind)
    if validator is not None:
        validator(content)  # type: ignore[operator]


def _save(
    store: Store, ref: str, kind: RecordKind, content: Content, actor: str, at: datetime | None
) -> int:
    _validate(kind, content)
    with store.session() as session:
        escalation = get_escalation(session, ref)
        require_open(escalation)
        return add_record(session, escalation, kind, content, actor, at or clock.now()).id


def record_discussion(
    store: Store, ref: str, discussion: Discussion, *, actor: str, at: datetime | None = None
) -> int:
    return _save(store, ref, RecordKind.DISCUSSION, discussion, actor, at)


def add_action(
    store: Store, ref: str, action: Action, *, actor: str, at: datetime | None = None
) -> int:
    return _save(store, ref, RecordKind.ACTION, action, actor, at)


def record_conference_dissent(
    store: Store, ref: str, dissent: ConferenceDissent, *, actor: str, at: datetime | None = None
) -> int:
    with store.session() as session:
        escalation = get_escalation(session, ref)
        if escalation.pathway_id != "conference-dissent":
            raise InputError(f"{ref} is not a conference dissent escalation.")
        outcomes = [o for s in pathway_of(escalation).stages for o in s.outcomes]
    if dissent.determination is not None and dissent.determination not in outcomes:
        raise check.FieldError(
            "Determination", "choose one of the determinations the policy lists."
        )
    return _save(store, ref, RecordKind.CONFERENCE_DISSENT, dissent, actor, at)


def request_stop_and_review(
    store: Store, ref: str, request: StopAndReview, *, actor: str, at: datetime | None = None
) -> int:
    with store.session() as session:
        pathway_id = get_escalation(session, ref).pathway_id
    expected = {"cp-plan": "stop-and-review", "cic": "stop-and-review-cic"}[request.variant]
    if pathway_id != expected:
        raise InputError(f"{ref} is not a '{expected}' escalation.")
    return _save(store, ref, RecordKind.STOP_AND_REVIEW, request, actor, at)


def record_monitoring_form(
    store: Store, ref: str, form: MonitoringForm, *, actor: str, at: datetime | None = None
) -> int:
    check.text(form.actions_to_date, "Actions taken to date")
    return _save(store, ref, RecordKind.MONITORING_FORM, form, actor, at)


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
    check.text(reason, "Reason for the amendment")
    when = at or clock.now()
    with store.session() as session:
        record, latest = _latest(session, record_id)
        require_open(record.escalation)
        kind = RecordKind(record.kind)
        _validate(kind, content)
        check_all_text(content)
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
        _, latest = _latest(session, record_id)
        if any(a.approved_by == actor for a in latest.approvals):
            raise InputError(f"{actor} has already approved this version.")
        approval = Approval(version=latest, approved_at=when, approved_by=actor)
        session.add(approval)
        audit.append_row(session, actor=actor, action="approve record", row=approval)


def complete_action(store: Store, record_id: int, *, completed_on: datetime, actor: str) -> int:
    """Mark an action done: a new version of the action with its completion date."""
    with store.session() as session:
        record, latest = _latest(session, record_id)
        if record.kind != RecordKind.ACTION:
            raise InputError("Only an action can be completed.")
        action = Action.model_validate_json(latest.content)
    if action.completed_on is not None:
        raise InputError(f"This action was already completed on {action.completed_on:%d/%m/%Y}.")
    done = action.model_copy(update={"completed_on": completed_on.date()})
    return amend_record(store, record_id, done, reason="Completed", actor=actor, at=completed_on)


def records_for(store: Store, ref: str) -> list[RecordView]:
    with store.session() as session:
        escalation = get_escalation(session, ref)
        rows = session.scalars(select(Record).where(Record.escalation_id == escalation.id))
        return [record_view(r) for r in rows]
