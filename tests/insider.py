"""What an insider with the passphrase can do to a file: change rows, then recompute
every pinned digest, the hash chain and its head, and put the append-only triggers
back, so the file checks out on its own. Only a seal held outside the file (a printed
document's) can then show the history was rewritten.

Works on any SQLAlchemy session over the real schema: ``PlainStore`` (fast, for the
figures) or an encrypted file's ``Database``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.storage import audit
from app.storage.models import Escalation, PathwaySnapshot

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
    for model in audit.PINNED:
        for row in session.scalars(select(model)):
            digests[audit.row_target(row)] = audit.sha256(audit.canonical(audit.row_content(row)))
    pathways = dict(session.execute(select(PathwaySnapshot.id, PathwaySnapshot.content)).all())
    for escalation in session.scalars(select(Escalation)):
        content = audit.form_content(escalation, pathways.get(escalation.snapshot_id))
        digests[audit.form_target(escalation.ref)] = audit.sha256(audit.canonical(content))
    return digests


def rehash(session: Session) -> None:
    """Make the file consistent again after a change: digests, chain, head, the
    escalations' current deadlines. Entries are renumbered 1, 2, 3… in their order."""
    session.expire_all()
    digests = _pinned_digests(session)
    for entry_id, target in session.execute(text("SELECT id, target FROM audit_entry")).all():
        if target in digests:
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
    for sql in triggers:
        session.execute(text(sql))
