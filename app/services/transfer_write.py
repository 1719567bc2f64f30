"""Writing a child's checked records (``app.services.transfer_content``) into a file:
the transfer file when exporting, the receiving file when importing. Every row gets its
audit entry as the app's own writes do, so the receiving file's check covers them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.services.escalations import snapshot_for
from app.services.transfer_content import ChildIn, EscalationIn
from app.storage import audit
from app.storage.models import Approval, Child, Escalation, Record, RecordVersion, StageEvent


@dataclass
class Written:
    """What was written: the child's row id, and per escalation its reference in the
    file written to and in the file it came from; the ids of the history rows (an
    import remembers them, so each is shown with where it was recorded)."""

    child_id: int = 0
    refs: dict[str, str] = field(default_factory=dict)  # new reference -> reference before
    versions: list[int] = field(default_factory=list)
    approvals: list[int] = field(default_factory=list)
    events: list[int] = field(default_factory=list)


def write_child(
    target: Session,
    child: ChildIn,
    *,
    actor: str,
    action: str,
    new_ref: Callable[[Session, EscalationIn], str],
    transferred_from: Callable[[EscalationIn], str | None],
) -> Written:
    row = Child(**child.columns)
    target.add(row)
    audit.append_row(target, actor=actor, action=f"{action}: child", row=row)
    written = Written(child_id=row.id)
    for escalation in child.escalations:
        esc = _write_escalation(
            target,
            escalation,
            row,
            ref=new_ref(target, escalation),
            transferred_from=transferred_from(escalation),
            actor=actor,
            action=action,
        )
        written.refs[esc.ref] = escalation.ref
        for event in escalation.events:
            stage_event = StageEvent(escalation=esc, **event.__dict__)
            target.add(stage_event)
            audit.append_row(target, actor=actor, action=f"{action}: stage event", row=stage_event)
            written.events.append(stage_event.id)
        _write_records(target, escalation, esc, written, actor=actor, action=action)
    return written


def _write_escalation(
    target: Session,
    escalation: EscalationIn,
    child: Child,
    *,
    ref: str,
    transferred_from: str | None,
    actor: str,
    action: str,
) -> Escalation:
    snapshot = snapshot_for(target, *escalation.snapshot, actor=actor)  # pinned when new
    columns = {**escalation.columns, "transferred_from": transferred_from}
    esc = Escalation(**columns, ref=ref, child=child, snapshot=snapshot)
    target.add(esc)
    target.flush()
    audit.append(
        target,
        actor=actor,
        action=f"{action}: escalation",
        target=f"escalation:{esc.ref}",
        content=audit.row_content(esc),
    )
    audit.pin_form(target, actor=actor, action=f"{action}: escalation form", escalation=esc)
    return esc


def _write_records(
    target: Session,
    escalation: EscalationIn,
    esc: Escalation,
    written: Written,
    *,
    actor: str,
    action: str,
) -> None:
    """Every record, each version as it was saved and each version's approvals."""
    for record in escalation.records:
        new_record = Record(escalation=esc, kind=record.kind, created_at=record.created_at)
        target.add(new_record)
        audit.append_row(target, actor=actor, action=f"{action}: record", row=new_record)
        for version in record.versions:
            v = RecordVersion(
                record=new_record,
                version=version.version,
                content=version.content,
                recorded_at=version.recorded_at,
                recorded_by=version.recorded_by,
                reason=version.reason,
            )
            target.add(v)
            audit.append_row(target, actor=actor, action=f"{action}: record version", row=v)
            written.versions.append(v.id)
            for approval in version.approvals:
                a = Approval(
                    version=v, approved_at=approval.approved_at, approved_by=approval.approved_by
                )
                target.add(a)
                audit.append_row(target, actor=actor, action=f"{action}: approval", row=a)
                written.approvals.append(a.id)
