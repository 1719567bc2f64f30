"""The hash-chained audit trail as the services write it, and the checks
``python -m app check`` runs on it (docs/architecture.md: the audit chain).

Each entry's hash covers the previous entry's and its own content (``app.storage.chain``).
Every row that makes up the record is pinned by an entry holding the digest of its
content (``app.storage.pins``): children, each escalation's form and its status, records
and their versions, stage events, approvals, retention decisions, contacts, pathway
snapshots and the setting's details. ``verify`` finds an altered, inserted or removed
entry, a pin replaced other than by the app's own amendment, a missing, changed or
added database trigger, and any row changed, added, deleted or moved since it was pinned.

The entries hold digests, not content: the audit trail itself holds no child data.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, text

from app.storage import chain, pins, triggers
from app.storage.baseline import key_problems
from app.storage.chain import Entry, append_entry, chain_problems, digest_of, read_entries
from app.storage.models import Base, Escalation
from app.storage.pin_check import row_problems
from app.storage.pins import RepinReason as RepinReason
from app.storage.pins import form_target as form_target
from app.storage.pins import status_target as status_target
from app.storage.trail import expected

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

# The chain's primitives and the pins' names, where the services and migration 0004
# have always found them.
GENESIS = chain.GENESIS
HEAD_KEY = chain.HEAD_KEY
canonical = chain.canonical
sha256 = chain.sha256
entry_hash = chain.entry_hash
FORM_MUTABLE = pins.FORM_MUTABLE


def row_content(row: Base) -> dict[str, Any]:
    """A row's columns as the ORM holds them (for entries that record an event)."""
    return {c.key: getattr(row, c.key) for c in inspect(row).mapper.column_attrs}


def row_target(row: Base) -> str:
    return f"{row.__tablename__}:{row_content(row)['id']}"


def _connection(session: Session) -> Connection:
    session.flush()  # the rows the entry is about, and their ids, are in the file
    return session.connection()


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str,
    content: Any,
    at: datetime | None = None,
    digest: str | None = None,
) -> Entry:
    """Add one audit entry in the caller's transaction. ``content`` is digested, not
    stored. ``digest`` gives the digest directly (a generated PDF's own SHA-256, so a
    printed copy can be matched)."""
    return append_entry(
        _connection(session),
        actor=actor,
        action=action,
        target=target,
        digest=digest or digest_of(content),
        at=at,
    )


def append_row(
    session: Session, *, actor: str, action: str, row: Base, at: datetime | None = None
) -> Entry:
    """Pin a new row: an entry holding the digest of its content as the file holds it."""
    return pins.pin(_connection(session), actor=actor, action=action, target=row_target(row), at=at)


def pin_form(
    session: Session,
    *,
    actor: str,
    action: str,
    escalation: Escalation,
    at: datetime | None = None,
) -> Entry:
    """Pin what was recorded when the escalation opened, and its status."""
    connection = _connection(session)
    ref = escalation.ref
    form = pins.pin(connection, actor=actor, action=action, target=form_target(ref), at=at)
    pins.pin(
        connection, actor=actor, action="pin escalation status", target=status_target(ref), at=at
    )
    return form


def repin(
    session: Session,
    *,
    actor: str,
    target: str,
    reason: RepinReason,
    first_action: str,
    at: datetime | None = None,
) -> Entry:
    """Pin a row the app has lawfully changed again, naming the pin it replaces."""
    return pins.repin(
        _connection(session),
        actor=actor,
        target=target,
        reason=reason,
        first_action=first_action,
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


def _current_deadline_problems(connection: Connection, revision: str) -> list[str]:
    """current_due is derived from the pinned stage events, but the list, its counts and
    its order read it: edited, it would hide or misplace an escalation without any
    pinned row changing (its triggers are checked with the others)."""
    if revision < "0006":
        return []
    stale = connection.execute(text(CURRENT_DUE_DISAGREES)).first()
    if stale is None:
        return []
    return [
        f"Escalation {stale[0]}: the current deadline the list shows it by does not match "
        "its stage events (the file was changed outside the app)."
    ]


def revision_of(connection: Connection) -> str:
    found = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return str(found[0]) if found is not None else ""


def verify_connection(connection: Connection) -> list[str]:
    """Every problem with the audit chain, the triggers and the pinned rows, first one
    first; [] when the record is as the app wrote it. Reads a file at any schema
    revision, so it can run before a migration."""
    revision = revision_of(connection)
    entries = read_entries(connection)
    trail = expected(connection, entries)
    changed, missing = row_problems(connection, trail, revision)
    return (
        chain_problems(connection, entries)
        + triggers.problems(connection, revision)
        + key_problems(connection, trail.baseline.id if trail.baseline else None)
        + trail.problems
        + changed
        + _current_deadline_problems(connection, revision)
        + missing
    )


def verify(session: Session) -> list[str]:
    """``verify_connection`` in an ORM session's transaction."""
    return verify_connection(_connection(session))
