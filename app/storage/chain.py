"""The hash chain itself: each audit entry's hash covers the previous entry's hash and its
own canonical content, and the file records the chain's head (last id and hash). So an
altered, inserted or removed entry breaks a link, or the head no longer matches.

Plain SQL on a Core connection, so that the services (through ``app.storage.audit``),
the migrations and the check before a migration all append and read entries one way.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from app.storage.rows import read

if TYPE_CHECKING:
    from sqlalchemy import Connection

GENESIS = "0" * 64
HEAD_KEY = "audit_head"


def _default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        # The app never stores bytes; a blob written into a row from outside must be
        # compared with its pin (and found changed), not stop check with a traceback.
        return "blob:" + value.hex()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def canonical(content: Any) -> str:
    """One stable text form of a value: sorted keys, no spaces, ISO dates."""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest_of(content: Any) -> str:
    return sha256(canonical(content))


def entry_hash(
    prev_hash: str, *, id: int, at: datetime, actor: str, action: str, target: str, digest: str
) -> str:
    """An entry's link in the chain."""
    body = canonical(
        {"id": id, "at": at, "actor": actor, "action": action, "target": target, "digest": digest}
    )
    return sha256(prev_hash + body)


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    digest: str
    prev_hash: str
    hash: str

    def link(self) -> str:
        """The hash this entry should have, from its content."""
        return entry_hash(
            self.prev_hash,
            id=self.id,
            at=self.at,
            actor=self.actor,
            action=self.action,
            target=self.target,
            digest=self.digest,
        )


def read_head(connection: Connection) -> str | None:
    found = connection.exec_driver_sql(
        "SELECT value FROM file_info WHERE key = ?", (HEAD_KEY,)
    ).first()
    return None if found is None else str(found[0])


def append_entry(
    connection: Connection,
    *,
    actor: str,
    action: str,
    target: str,
    digest: str,
    at: datetime | None = None,
) -> Entry:
    """Add one entry after the head, in the caller's transaction, and move the head."""
    head = read_head(connection)
    last_id, prev_hash = 0, GENESIS
    if head is not None:
        last, _, prev_hash = head.partition(":")
        last_id = int(last)
    entry = Entry(
        id=last_id + 1,
        at=at or datetime.now().replace(microsecond=0),
        actor=actor,
        action=action,
        target=target,
        digest=digest,
        prev_hash=prev_hash,
        hash="",
    )
    link = entry.link()
    # Stored as SQLAlchemy's DateTime stores it, so the ORM and ``rows.read`` read it back.
    connection.exec_driver_sql(
        "INSERT INTO audit_entry (id, at, actor, action, target, digest, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry.id,
            entry.at.strftime("%Y-%m-%d %H:%M:%S.%f"),
            actor,
            action,
            target,
            digest,
            prev_hash,
            link,
        ),
    )
    connection.exec_driver_sql(
        "INSERT OR REPLACE INTO file_info (key, value) VALUES (?, ?)",
        (HEAD_KEY, f"{entry.id}:{link}"),
    )
    return Entry(**{**entry.__dict__, "hash": link})


def read_entries(connection: Connection) -> list[Entry]:
    fields = ("id", "at", "actor", "action", "target", "digest", "prev_hash", "hash")
    return [Entry(*(row[f] for f in fields)) for row in read(connection, "audit_entry", order="id")]


def chain_problems(connection: Connection, entries: list[Entry]) -> list[str]:
    """The first break in the hash chain, or else a head that does not match its end."""
    prev_hash, expected_id = GENESIS, 1
    for entry in entries:
        if entry.id != expected_id:
            return [f"Audit entry {expected_id} is missing (the next entry found is {entry.id})."]
        if entry.prev_hash != prev_hash:
            return [
                f"Audit entry {entry.id} does not link to the entry before it "
                "(an entry was removed, inserted or changed)."
            ]
        if not isinstance(entry.at, datetime) or entry.link() != entry.hash:
            return [f"Audit entry {entry.id} has been altered."]
        prev_hash, expected_id = entry.hash, expected_id + 1
    last = entries[-1] if entries else None
    if read_head(connection) != (f"{last.id}:{last.hash}" if last is not None else None):
        return [
            "The audit trail's last entry does not match the file's record of it "
            "(entries were removed from the end)."
        ]
    return []
