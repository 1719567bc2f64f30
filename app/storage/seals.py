"""Record seals against a file: the seal of the chain as it stands, whether the file's
history still holds a seal, and what was produced under one.

What a seal names, precisely (docs/reliability.md, "Record seals"): seal ``N`` is the
audit entry with id ``N`` and its hash, the last entry of the chain at the moment
something was produced. The thing produced under it is recorded by the very next entry,
``N + 1``: a document (its PDF's SHA-256 as the digest, so the printed seal is part of
what that digest covers), a backup (the copy holds entries 1 to N, so its own head is
its seal), a transfer's covering page. The history "still holds" a seal when the chain
recomputed from its start reaches entry N with that hash: rewriting any earlier entry
or the row it pins (and recomputing every later hash), cutting the tail below N, or
replacing the whole file by another all break that.

Audit entries are read here as stored text, not through the ORM's types, so a value
changed outside the app is reported, never raised.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain.seal import Seal
from app.storage.audit import GENESIS, append, entry_hash
from app.storage.models import FileInfo

FILE_ID_KEY = "file_id"
# The actions that mean "a thing was produced under the seal just before me".
SEALED_ACTIONS = ("generate ", "back up", "restore")

_ENTRIES = text(
    "SELECT id, at, actor, action, target, digest, prev_hash, hash FROM audit_entry "
    "WHERE id <= :last ORDER BY id"
)
_LAST = text("SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1")
_ENTRY = text("SELECT id, at, actor, action, target, digest FROM audit_entry WHERE id = :id")


def current_seal(session: Session) -> Seal:
    """The seal of the chain as it stands: its last entry (the genesis, 0, if none)."""
    row = session.execute(_LAST).first()
    if row is None:
        return Seal(0, GENESIS)
    return Seal(int(row[0]), str(row[1]).lower())


def file_id(session: Session) -> str:
    """The file's own identifier (made on first use: files made before seals have none),
    recorded in the audit trail when it is made. Copies of a file (backups) share it; the
    per-user settings key seals by it."""
    row = session.get(FileInfo, FILE_ID_KEY)
    if row is None:
        row = FileInfo(key=FILE_ID_KEY, value=uuid.uuid4().hex)
        session.add(row)
        append(
            session,
            actor="Escalation Tracker",
            action="identify file",
            target=f"file_info:{FILE_ID_KEY}",
            content={"file_id": row.value},
        )
        session.flush()
    return row.value


def _stored_at(value: object) -> datetime:
    """An entry's time as the ORM would load it (stored as ISO text)."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _recomputed(
    prev_hash: str,
    entry_id: int,
    at: object,
    actor: object,
    action: object,
    target: object,
    digest: object,
) -> str:
    """The hash a stored entry should have after ``prev_hash``; "" when a value in it
    cannot even be read (an altered row), which then never matches."""
    try:
        return entry_hash(
            prev_hash,
            id=entry_id,
            at=_stored_at(at),
            actor=str(actor),
            action=str(action),
            target=str(target),
            digest=str(digest),
        )
    except (TypeError, ValueError):
        return ""


def history_problem(session: Session, seal: Seal, name: str = "") -> str | None:
    """Why the file's history no longer holds ``seal`` (one plain sentence), or None.
    ``name``: where the seal came from, for the sentence (``on report.pdf``)."""
    where = f" ({name})" if name else ""
    said = f"Record seal {seal.entry} · {seal.grouped}{where}"
    if seal.entry == 0:
        return None if GENESIS.startswith(seal.digits) else f"{said} is not a seal of this file."
    prev_hash, expected = GENESIS, 1
    for row in session.execute(_ENTRIES, {"last": seal.entry}):
        entry_id, at, actor, action, target, digest, prev, stored = row
        if entry_id != expected:
            break
        recomputed = _recomputed(prev_hash, entry_id, at, actor, action, target, digest)
        if prev != prev_hash or recomputed != stored:
            return (
                f"{said}: the file's history before it has been changed (audit entry "
                f"{entry_id} no longer links to the entries before it)."
            )
        prev_hash, expected = recomputed, expected + 1
    if expected <= seal.entry:
        return (
            f"{said}: the file's history no longer reaches it (audit entry {expected} is "
            "missing: entries were removed, or this is an older or a different file)."
        )
    if not prev_hash.startswith(seal.digits):
        return (
            f"{said} does not match the file's history: it has been rewritten since the seal "
            "was given, or this is not the file the seal came from."
        )
    return None


@dataclass(frozen=True)
class SealedProduct:
    """What the entry after a seal records: a document, a backup, a covering page."""

    entry: int
    at: datetime
    actor: str
    action: str  # as recorded: "generate Case chronology", "back up"...
    target: str  # "document:ESC-2026-0001", "child:3", "file"...
    digest: str  # the PDF's SHA-256 for a document


def sealed_product(session: Session, seal: Seal) -> SealedProduct | None:
    """The thing produced under ``seal`` (entry N + 1), if that entry records one."""
    row = session.execute(_ENTRY, {"id": seal.entry + 1}).first()
    if row is None:
        return None
    entry_id, at, actor, action, target, digest = row
    if not str(action).startswith(SEALED_ACTIONS):
        return None
    try:
        when = _stored_at(at)
    except ValueError:
        return None
    return SealedProduct(int(entry_id), when, str(actor), str(action), str(target), str(digest))


def describe(product: SealedProduct) -> str:
    """What was produced, for a person: ``Case chronology for escalation ESC-2026-0001``."""
    action, target = product.action, product.target
    what = action.removeprefix("generate ") if action.startswith("generate ") else action
    what = what[:1].upper() + what[1:]
    kind, _, name = target.partition(":")
    if action == "back up":
        return "A backup of this file"
    if action.startswith("restore"):
        return "This file as restored from a backup"
    if kind == "document":
        return f"{what} for escalation {name}"
    if kind == "child":
        return f"{what} (the records of child number {name} in this file)"
    if kind == "transfer":
        return f"{what} of transfer {name}"
    return what


def against_problem(session: Session, seal: Seal, pdf_sha256: str, name: str) -> str | None:
    """Why the file no longer stands behind the document ``name`` sealed with ``seal``
    (its full hash, from the PDF), whose bytes hash to ``pdf_sha256``; or None. Beyond
    the seal itself, the document's own entry (N + 1) must still follow it and record
    exactly these bytes."""
    problem = history_problem(session, seal, f"on {name}")
    if problem is not None:
        return problem
    said = f"{name} (record seal {seal.entry} · {seal.grouped})"
    row = session.execute(
        text(
            "SELECT id, at, actor, action, target, digest, prev_hash, hash FROM audit_entry "
            "WHERE id = :id"
        ),
        {"id": seal.entry + 1},
    ).first()
    if row is None:
        return (
            f"{said}: the audit entry that recorded this document is no longer in the file "
            "(entries were removed from the end)."
        )
    entry_id, at, actor, action, target, digest, prev, stored = row
    recomputed = _recomputed(str(prev), entry_id, at, actor, action, target, digest)
    if not seal.full or prev != seal.digits or recomputed != stored:
        return f"{said}: the file's record of this document has been changed."
    if digest != pdf_sha256:
        return (
            f"{said} is not the document the file recorded under its seal: the PDF was changed "
            "after it was generated, or the file's record of it was."
        )
    return None
