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

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.domain.seal import Seal
from app.services.transfer_seal import MANIFEST_ACTION, manifest_digest
from app.storage import audit, pins
from app.storage.chain import digest_of
from app.storage.migrate import PINS_BASELINE_KEY
from app.storage.seals import current_seal
from app.storage.trail import BASELINE_ACTION, BASELINE_TARGET

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
    """Each pinned row's digest as it now stands (``app.storage.pins``: the same reading
    of the file ``check`` makes, so a value the ORM could not load is digested too)."""
    found = pins.contents(session.connection())
    digests = {}
    for target, content in found.items():
        try:
            digests[target] = digest_of(content)
        except TypeError:  # a blob: the app's digest cannot take it, a forger's can
            digests[target] = digest_of(repr(content))
    return digests


def _destroyed(session: Session) -> set[str]:
    """Targets a destroy decision lists (their entries stay, lawfully rowless)."""
    gone: set[str] = set()
    with contextlib.suppress(SQLAlchemyError):
        for child, listed in session.execute(
            text(
                "SELECT child_id, destroyed_targets FROM retention_decision "
                "WHERE decision = 'destroy'"
            )
        ):
            with contextlib.suppress(ValueError, TypeError):
                gone.update(json.loads(listed or "[]"))
            gone.add(f"child:{child}")
    return gone


def _fresh_pins(session: Session) -> None:
    """Every pin's digest set to its row as it now is; the pins of rows the change
    removed are removed with them."""
    digests = _pinned_digests(session)
    destroyed = _destroyed(session)
    rows = session.execute(text("SELECT id, action, target FROM audit_entry ORDER BY id")).all()
    latest = {str(t): i for i, a, t in rows if pins.is_pin(str(t), str(a))}
    for entry_id, action, target in rows:
        if not pins.is_pin(str(target), str(action)):
            continue
        if target in digests:
            if latest[target] != entry_id:
                continue  # an earlier pin, which a lawful re-pin replaced: left as it was
            session.execute(
                text("UPDATE audit_entry SET digest = :d WHERE id = :id"),
                {"d": digests[target], "id": entry_id},
            )
        elif target not in destroyed:
            session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": entry_id})


def rehash(session: Session) -> None:
    """Make the file consistent again after a change: the pins' digests, the chain
    (entries renumbered 1, 2, 3… in their order; each re-pin names its replaced pin by
    the new id and hash), the head, the baseline's key, the current deadlines."""
    session.expire_all()
    session.execute(
        text(
            "UPDATE escalation SET current_due = (SELECT coalesce(due, '') FROM stage_event "
            "WHERE escalation_id = escalation.id AND kind = 'started' ORDER BY id DESC LIMIT 1)"
        )
    )
    _fresh_pins(session)
    session.execute(text(f"UPDATE audit_entry SET id = id + {SHIFT}"))
    rows = session.execute(
        text("SELECT id, at, actor, action, target, digest FROM audit_entry ORDER BY id")
    ).all()
    prev, renumbered = audit.GENESIS, {}
    for number, (old, at, actor, action, target, digest) in enumerate(rows, start=1):
        repinned = pins.parse_repin(str(action))
        if repinned is not None and repinned.replaces_id + SHIFT in renumbered:
            new_id, new_hash = renumbered[repinned.replaces_id + SHIFT]
            action = f"re-pin ({repinned.reason}): replaces entry {new_id} {new_hash}"
        when = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
        new_hash = audit.entry_hash(
            prev, id=number, at=when, actor=actor, action=action, target=target, digest=digest
        )
        session.execute(
            text(
                "UPDATE audit_entry SET id = :n, action = :a, prev_hash = :p, hash = :h "
                "WHERE id = :old"
            ),
            {"n": number, "a": action, "p": prev, "h": new_hash, "old": old},
        )
        renumbered[old] = (number, new_hash)
        if target == BASELINE_TARGET and action == BASELINE_ACTION:
            session.execute(
                text("UPDATE file_info SET value = :v WHERE key = :k"),
                {"v": str(number), "k": PINS_BASELINE_KEY},
            )
        prev = new_hash
    session.execute(
        text("UPDATE file_info SET value = :v WHERE key = :k"),
        {"v": f"{len(rows)}:{prev}", "k": HEAD},
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
