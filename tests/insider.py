"""What an insider with the passphrase can do to a file: change rows, then recompute
every pinned digest, the hash chain and its head, and put the append-only triggers
back, so the file checks out on its own. Only a seal held outside the file (a printed
document's) can then show the history was rewritten.

Works on any SQLAlchemy session over the real schema: ``PlainStore`` (fast, for the
figures) or an encrypted file's ``Database``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.domain.seal import Seal
from app.services.transfer_seal import MANIFEST_ACTION, manifest_digest
from app.storage import audit
from app.storage.models import Escalation, PathwaySnapshot
from app.storage.seals import current_seal

HEAD = audit.HEAD_KEY
SHIFT = 1_000_000  # ids moved out of the way while entries are renumbered


def drop_triggers(session: Session) -> list[str]:
    """Lift every trigger (the append-only ones and the current deadline's); returns
    their SQL to put back."""
    rows = session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
    for name, _sql in rows:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    return [str(sql) for _name, sql in rows]


def _pinned_digests(session: Session) -> dict[str, str]:
    """Each pinned row's and form's digest as it now stands."""
    digests: dict[str, str] = {}
    # A row the ORM cannot load (a value that is not a date) keeps its old digest: the
    # forger need not, and the reader refuses it before any digest matters.
    for model in audit.PINNED:
        with contextlib.suppress(ValueError, TypeError, SQLAlchemyError):
            for row in session.scalars(select(model)):
                content = audit.row_content(row)
                digests[audit.row_target(row)] = audit.sha256(audit.canonical(content))
    pathways = dict(session.execute(select(PathwaySnapshot.id, PathwaySnapshot.content)).all())
    with contextlib.suppress(ValueError, TypeError, SQLAlchemyError):
        for escalation in session.scalars(select(Escalation)):
            form = audit.form_content(escalation, pathways.get(escalation.snapshot_id))
            digests[audit.form_target(escalation.ref)] = audit.sha256(audit.canonical(form))
    return digests


def rehash(session: Session) -> None:
    """Make the file consistent again after a change: digests, chain, head, the
    escalations' current deadlines. Entries are renumbered 1, 2, 3… in their order."""
    session.expire_all()
    digests = _pinned_digests(session)
    pinned = {model.__tablename__ for model in audit.PINNED} | {"escalation-form"}
    destroyed = {
        target
        for listed in session.scalars(text("SELECT destroyed_targets FROM retention_decision"))
        for target in (json.loads(listed) if listed else [])
    }
    for entry_id, target in session.execute(text("SELECT id, target FROM audit_entry")).all():
        gone = target not in digests and target not in destroyed
        if gone and target.split(":")[0] in pinned:  # its row was removed: so is its entry
            session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": entry_id})
        elif target in digests:
            session.execute(
                text("UPDATE audit_entry SET digest = :d WHERE id = :id"),
                {"d": digests[target], "id": entry_id},
            )
    session.execute(text(f"UPDATE audit_entry SET id = id + {SHIFT}"))
    rows = session.execute(
        text("SELECT id, at, actor, action, target, digest FROM audit_entry ORDER BY id")
    ).all()
    prev = audit.GENESIS
    for number, (old, at, actor, action, target, digest) in enumerate(rows, start=1):
        when = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
        new_hash = audit.entry_hash(
            prev, id=number, at=when, actor=actor, action=action, target=target, digest=digest
        )
        session.execute(
            text("UPDATE audit_entry SET id = :n, prev_hash = :p, hash = :h WHERE id = :old"),
            {"n": number, "p": prev, "h": new_hash, "old": old},
        )
        prev = new_hash
    session.execute(
        text("UPDATE file_info SET value = :v WHERE key = :k"),
        {"v": f"{len(rows)}:{prev}", "k": HEAD},
    )
    session.execute(
        text(
            "UPDATE escalation SET current_due = (SELECT coalesce(due, '') FROM stage_event "
            "WHERE escalation_id = escalation.id AND kind = 'started' ORDER BY id DESC LIMIT 1)"
        )
    )


def as_insider(session: Session, change: Callable[[Session], Any]) -> None:
    """Lift the triggers, ``change(session)`` (raw SQL), recompute everything, and put
    the triggers back, in the caller's transaction."""
    triggers = drop_triggers(session)
    change(session)
    session.flush()
    rehash(session)
    _restore(session, triggers)


def forge_transfer(session: Session, change: Callable[[Session], Any]) -> Seal:
    """As a sender (or anyone with the transfer passphrase) who means harm would: change
    the transfer's rows, then recompute every digest, the manifest and the chain, so the
    file checks out and carries a new seal that matches it; returns that seal."""
    triggers = drop_triggers(session)
    change(session)
    session.flush()
    rehash(session)  # the pins and the current deadlines first: the manifest covers them
    session.execute(
        text("UPDATE audit_entry SET digest = :d WHERE action = :a"),
        {"d": manifest_digest(session), "a": MANIFEST_ACTION},
    )
    rehash(session)
    _restore(session, triggers)
    return current_seal(session)


def _restore(session: Session, triggers: list[str]) -> None:
    """Put the triggers back (those of a table the change dropped cannot be)."""
    for sql in triggers:
        with contextlib.suppress(SQLAlchemyError):
            session.execute(text(sql))
