"""Record transfer when a child moves setting: the child's records go into a new
encrypted transfer file with its own passphrase (shared with the receiving DSL by a
different route), which another copy of the app imports. Transfer and receipt are both
recorded in the audit trail; every record keeps who wrote it and when."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Mapper, Session

from app import clock
from app.errors import InputError
from app.services.common import Store
from app.services.escalations import next_ref, snapshot_for
from app.storage import audit
from app.storage.datafile import create_data_file, open_data_file
from app.storage.models import Approval, Child, Escalation, Record, RecordVersion, StageEvent


def _fields(model: type[Child] | type[Escalation], *skip: str) -> list[str]:
    """Every column a copy carries over: all but the keys the receiving file assigns."""
    mapper: Mapper[Any] = inspect(model)
    return [c.key for c in mapper.column_attrs if c.key not in {"id", *skip}]


@dataclass(frozen=True)
class TransferResult:
    child_name: str
    refs: list[str]  # in the file written to
    sha256: str | None = None  # of the transfer file, when one was written


def _copy_child(
    source: Session,
    target: Session,
    child_id: int,
    *,
    actor: str,
    action: str,
    new_ref: Callable[[Session, Escalation], str],
) -> TransferResult:
    child = source.get(Child, child_id)
    if child is None:
        raise InputError("That child's records are not in the file.")
    copy = Child(**{f: getattr(child, f) for f in _fields(Child)})
    target.add(copy)
    target.flush()
    audit.append(
        target,
        actor=actor,
        action=f"{action}: child",
        target=f"child:{copy.id}",
        content=audit.row_content(copy),
    )
    refs: list[str] = []
    escalations = source.scalars(
        select(Escalation).where(Escalation.child_id == child_id).order_by(Escalation.id)
    )
    for old in escalations:
        esc = _copy_escalation(target, old, copy, actor=actor, action=action, new_ref=new_ref)
        refs.append(esc.ref)
        _copy_stage_events(target, old, esc, actor=actor, action=action)
        _copy_records(target, old, esc, actor=actor, action=action)
    return TransferResult(child.name, refs)


def _copy_escalation(
    target: Session,
    old: Escalation,
    child: Child,
    *,
    actor: str,
    action: str,
    new_ref: Callable[[Session, Escalation], str],
) -> Escalation:
    """``old``'s escalation form, for ``child`` in ``target`` under a new reference, with
    its pathway snapshot and its audit entries (the row, and the form pinned)."""
    esc = Escalation(
        **{
            f: getattr(old, f)
            for f in _fields(
                # current_due: the receiving file's triggers set it from the events.
                Escalation,
                "ref",
                "child_id",
                "transferred_from",
                "snapshot_id",
                "current_due",
            )
        },
        child=child,
        snapshot=snapshot_for(
            target,
            old.snapshot.policy_id,
            old.snapshot.policy_version,
            old.snapshot.pathway_id,
            old.snapshot.content,
            actor=actor,
        ),
        ref=new_ref(target, old),
        transferred_from=old.transferred_from or old.ref,
    )
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


def _copy_stage_events(
    target: Session, old: Escalation, esc: Escalation, *, actor: str, action: str
) -> None:
    for event in old.stage_events:
        row = StageEvent(
            escalation=esc,
            number=event.number,
            kind=event.kind,
            at=event.at,
            due=event.due,
            rule=event.rule,
            note=event.note,
            recorded_by=event.recorded_by,
        )
        target.add(row)
        audit.append_row(target, actor=actor, action=f"{action}: stage event", row=row)


def _copy_records(
    target: Session, old: Escalation, esc: Escalation, *, actor: str, action: str
) -> None:
    """Every record of ``old``, each version as it was saved, and each version's
    approvals, into ``esc``; each row with its audit entry."""
    for record in old.records:
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
            for approval in version.approvals:
                a = Approval(
                    version=v,
                    approved_at=approval.approved_at,
                    approved_by=approval.approved_by,
                )
                target.add(a)
                audit.append_row(target, actor=actor, action=f"{action}: approval", row=a)


def export_child(
    store: Store, child_id: int, destination: Path, passphrase: str, *, actor: str
) -> TransferResult:
    """Write the child's records to a new encrypted transfer file."""
    if destination.exists():
        raise InputError(f"{destination} already exists; choose a new name for the transfer file.")
    transfer = create_data_file(destination, passphrase)
    try:
        with store.session() as source, transfer.session() as target:
            result = _copy_child(
                source,
                target,
                child_id,
                actor=actor,
                action="transfer copy",
                # In the transfer file each escalation keeps the sender's reference.
                new_ref=lambda _session, old: old.ref,
            )
    except BaseException:
        transfer.close()
        destination.unlink(missing_ok=True)
        raise
    transfer.close()
    destination.with_name(destination.name + ".lock").unlink(missing_ok=True)
    digest = hashlib.sha256(destination.read_bytes()).hexdigest()
    with store.session() as session:
        audit.append(
            session,
            actor=actor,
            action="transfer records out",
            target=f"child:{child_id}",
            content=None,
            digest=digest,
            at=clock.now(),
        )
    return TransferResult(result.child_name, result.refs, digest)


def import_transfer(
    store: Store, source_path: Path, passphrase: str, *, actor: str
) -> TransferResult:
    """Bring a transfer file's records into this file, under new references; each keeps
    the reference it had before in ``transferred_from``."""
    transfer = open_data_file(source_path, passphrase)
    try:
        with transfer.session() as source:
            child_ids = list(source.scalars(select(Child.id)))
            if len(child_ids) != 1:
                raise InputError("This is not a transfer file: it should hold one child's records.")
            with store.session() as target:
                result = _copy_child(
                    source,
                    target,
                    child_ids[0],
                    actor=actor,
                    action="transfer received",
                    new_ref=lambda session, old: next_ref(session, old.raised_at.year),
                )
                audit.append(
                    target,
                    actor=actor,
                    action="transfer records in",
                    target=f"file:{source_path.name}",
                    content=None,
                    digest=hashlib.sha256(source_path.read_bytes()).hexdigest(),
                    at=clock.now(),
                )
    finally:
        transfer.close()
    return result
