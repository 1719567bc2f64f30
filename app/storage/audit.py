"""The hash-chained audit trail and the checks ``python -m app check`` runs on it.

Each entry stores a digest of the row it records. Each entry's hash covers the previous
entry's hash and its own canonical content; the file records the chain's head (last id
and hash). So ``verify`` finds: an altered entry (its hash no longer matches), an
inserted or removed entry (the next entry's link breaks, or the head no longer matches),
and an altered, inserted or removed history row (its digest no longer matches its entry).

An escalation's own row is not history (closing it sets its status and closed date), so
what was recorded when it was opened is pinned by an entry of its own, ``escalation-form:
<ref>``: every column except those that change lawfully, plus the SHA-256 of the pathway
it follows. ``verify`` compares each escalation with the latest such entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from app.storage.models import (
    Approval,
    AuditEntry,
    Base,
    Escalation,
    FileInfo,
    PathwaySnapshot,
    RecordVersion,
    RetentionDecision,
    StageEvent,
)

GENESIS = "0" * 64
HEAD_KEY = "audit_head"
# History rows whose content is pinned by an audit entry's digest.
PINNED: tuple[type[Base], ...] = (RecordVersion, StageEvent, Approval, RetentionDecision)
# The escalation's columns that change lawfully after it opens: closing it (resolved or
# withdrawn) sets status and closed_at. snapshot_id only says which row holds the shared
# copy of the pathway; the pathway itself is pinned by its content (see form_content).
# current_due is derived from the stage events (migration 0006), each pinned itself.
# Everything else (the form's text, the dates, the child, the policy, the reference) is
# fixed when the escalation opens. Nothing amends it: if a way to amend the form is ever
# added, it must pin the form again (pin_form), and a migration that adds a column to
# escalation must re-pin every escalation, or check will report them all.
FORM_MUTABLE = frozenset({"status", "closed_at", "snapshot_id", "current_due"})
FORM_PREFIX = "escalation-form:"


def _default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def canonical(content: Any) -> str:
    """One stable text form of a value: sorted keys, no spaces, ISO dates."""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def row_content(row: Base) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in inspect(row).mapper.column_attrs}


def row_target(row: Base) -> str:
    return f"{row.__tablename__}:{row_content(row)['id']}"


def form_target(ref: str) -> str:
    return f"{FORM_PREFIX}{ref}"


def form_content(escalation: Escalation, pathway: str | None) -> dict[str, Any]:
    """What an escalation's form pin covers: every column but the lawfully mutable ones,
    and the SHA-256 of ``pathway``, the content of the pathway snapshot it follows."""
    content = {k: v for k, v in row_content(escalation).items() if k not in FORM_MUTABLE}
    content["pathway_sha256"] = sha256(pathway) if pathway is not None else None
    return content


def entry_hash(
    prev_hash: str, *, id: int, at: datetime, actor: str, action: str, target: str, digest: str
) -> str:
    """An entry's link in the chain (also used by migrations, which write entries
    without the ORM)."""
    body = canonical(
        {"id": id, "at": at, "actor": actor, "action": action, "target": target, "digest": digest}
    )
    return sha256(prev_hash + body)


def _entry_hash(entry: AuditEntry) -> str:
    return entry_hash(
        entry.prev_hash,
        id=entry.id,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        target=entry.target,
        digest=entry.digest,
    )


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str,
    content: Any,
    at: datetime | None = None,
    digest: str | None = None,
) -> AuditEntry:
    """Add one audit entry in the caller's transaction. ``content`` is digested, not
    stored: the audit row itself holds no child data. ``digest`` gives the digest
    directly (a generated PDF's own SHA-256, so a printed copy can be matched)."""
    head = session.get(FileInfo, HEAD_KEY)
    last_id, prev_hash = (0, GENESIS)
    if head is not None:
        last, _, prev_hash = head.value.partition(":")
        last_id = int(last)
    entry = AuditEntry(
        id=last_id + 1,
        at=at or datetime.now().replace(microsecond=0),
        actor=actor,
        action=action,
        target=target,
        digest=digest or sha256(canonical(content)),
        prev_hash=prev_hash,
    )
    entry.hash = _entry_hash(entry)
    session.add(entry)
    if head is None:
        session.add(FileInfo(key=HEAD_KEY, value=f"{entry.id}:{entry.hash}"))
    else:
        head.value = f"{entry.id}:{entry.hash}"
    return entry


def append_row(
    session: Session, *, actor: str, action: str, row: Base, at: datetime | None = None
) -> AuditEntry:
    """Audit a row, pinning its content by digest (flushes to get its id)."""
    session.flush()
    return append(
        session,
        actor=actor,
        action=action,
        target=row_target(row),
        content=row_content(row),
        at=at,
    )


def pin_form(
    session: Session,
    *,
    actor: str,
    action: str,
    escalation: Escalation,
    at: datetime | None = None,
) -> AuditEntry:
    """Pin what was recorded when the escalation opened (flushes to get its id)."""
    session.flush()
    return append(
        session,
        actor=actor,
        action=action,
        target=form_target(escalation.ref),
        content=form_content(escalation, escalation.snapshot.content),
        at=at,
    )


# Each escalation whose current_due (migration 0006) is not its latest start's deadline,
# marked as the column is: '' for no fixed timescale, NULL for no start.
CURRENT_DUE_DISAGREES = """
    SELECT e.ref FROM escalation AS e
    WHERE e.current_due IS NOT (
        SELECT coalesce(due, '') FROM stage_event
        WHERE escalation_id = e.id AND kind = 'started' ORDER BY id DESC LIMIT 1
    )
    ORDER BY e.id
"""
CURRENT_DUE_TRIGGERS = frozenset(
    {"stage_event_insert_current_due", "stage_event_delete_current_due"}
)


def _current_deadline_problems(session: Session) -> list[str]:
    """current_due is derived from the pinned stage events, but the list, its counts and
    its order read it: edited, or its triggers lost, it would hide or misplace an
    escalation without any pinned row changing."""
    problems = []
    triggers = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    if not triggers >= CURRENT_DUE_TRIGGERS:
        problems.append(
            "The file has lost the triggers that keep each escalation's current deadline "
            "up to date (it was changed outside the app)."
        )
    stale = session.scalars(text(CURRENT_DUE_DISAGREES)).first()
    if stale is not None:
        problems.append(
            f"Escalation {stale}: the current deadline the list shows it by does not match "
            "its stage events (the file was changed outside the app)."
        )
    return problems


def verify(session: Session) -> list[str]:
    """Problems with the audit chain, the pinned history rows and the escalations' pinned
    forms, first one first. An empty list means the chain is intact."""
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    problems = _chain_problems(session, entries)
    digests = {e.target: e.digest for e in entries}
    # Each check takes the entries it matched off ``digests``, so that what is left at
    # the end is what the trail records but the file no longer holds.
    problems.extend(_pinned_row_problems(session, digests))
    problems.extend(_form_problems(session, digests))
    problems.extend(_current_deadline_problems(session))
    problems.extend(_missing_problems(session, digests))
    return problems


def _chain_problems(session: Session, entries: Sequence[AuditEntry]) -> list[str]:
    """The first break in the hash chain, or else a head that does not match its end."""
    problems: list[str] = []
    prev_hash, expected_id = GENESIS, 1
    for entry in entries:
        if entry.id != expected_id:
            problems.append(
                f"Audit entry {expected_id} is missing (the next entry found is {entry.id})."
            )
            break
        if entry.prev_hash != prev_hash:
            problems.append(
                f"Audit entry {entry.id} does not link to the entry before it "
                "(an entry was removed, inserted or changed)."
            )
            break
        if _entry_hash(entry) != entry.hash:
            problems.append(f"Audit entry {entry.id} has been altered.")
            break
        prev_hash, expected_id = entry.hash, expected_id + 1
    head = session.get(FileInfo, HEAD_KEY)
    if not problems:
        last = entries[-1] if entries else None
        recorded = head.value if head is not None else None
        actual = f"{last.id}:{last.hash}" if last is not None else None
        if recorded != actual:
            problems.append(
                "The audit trail's last entry does not match the file's record of it "
                "(entries were removed from the end)."
            )
    return problems


def _pinned_row_problems(session: Session, digests: dict[str, str]) -> list[str]:
    """The first history row inserted or altered since its audit entry, per table; takes
    each row's entry off ``digests``."""
    problems: list[str] = []
    # Every row is compared (and its entry taken off ``digests``, so it is not then
    # reported missing), but only the first finding of each kind is reported.
    for model in PINNED:
        found: list[str] = []
        for row in session.scalars(select(model)):
            target = row_target(row)
            if target not in digests:
                found.append(f"History row {target} has no audit entry (it was inserted).")
            elif sha256(canonical(row_content(row))) != digests.pop(target):
                found.append(f"History row {target} has been altered.")
        problems.extend(found[:1])
    return problems


def _form_problems(session: Session, digests: dict[str, str]) -> list[str]:
    """The first escalation whose form was inserted or altered since it was pinned; takes
    each form's entry off ``digests``."""
    pathways = {
        snapshot_id: content
        for snapshot_id, content in session.execute(
            select(PathwaySnapshot.id, PathwaySnapshot.content)
        )
    }
    found: list[str] = []
    for escalation in session.scalars(select(Escalation).order_by(Escalation.id)):
        target = form_target(escalation.ref)
        content = form_content(escalation, pathways.get(escalation.snapshot_id))
        if target not in digests:
            found.append(
                f"Escalation {escalation.ref} has no audit entry for its form "
                "(it was inserted, or its reference was changed)."
            )
        elif sha256(canonical(content)) != digests.pop(target):
            found.append(
                f"Escalation {escalation.ref}: the form as recorded when it was opened (its "
                "text, dates, child, policy or pathway) has been altered since it was saved."
            )
    return found[:1]


def _missing_problems(session: Session, unmatched: dict[str, str]) -> list[str]:
    """The first history row and the first escalation the trail records but the file no
    longer holds (``unmatched``: the entries no row or form was found for)."""
    problems: list[str] = []
    pinned_tables = {m.__tablename__ for m in PINNED}
    # Rows removed by a recorded retention decision are gone lawfully, not tampered with.
    destroyed: set[str] = set()
    for listed in session.scalars(select(RetentionDecision.destroyed_targets)):
        destroyed.update(json.loads(listed) if listed else [])
    for target in unmatched:
        if target.split(":")[0] in pinned_tables and target not in destroyed:
            problems.append(f"History row {target} is recorded in the audit trail but missing.")
            break
    for target in unmatched:
        if target.startswith(FORM_PREFIX) and target not in destroyed:
            problems.append(
                f"Escalation {target.removeprefix(FORM_PREFIX)} is recorded in the audit "
                "trail but missing."
            )
            break
    return problems
