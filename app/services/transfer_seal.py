"""What proves a transfer file is the one the sender made: its manifest and its seal.

Whoever knows a transfer file's passphrase can rewrite it and its audit chain, so the
chain alone proves nothing (docs/reliability.md, "Transfers"). The export ends with one
last audit entry, the manifest, whose digest covers every row of every table in the
file (and the transfer's own details); its id and hash are the transfer's seal, printed
on the covering page and by the CLI. The receiving DSL types the seal in (from the
page, or read out by the sender on the phone): if any row or the chain was changed
after the seal was given, the manifest's digest or the chain's hash no longer matches.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.domain.seal import Seal
from app.errors import InputError
from app.services.provenance import NOT_IMPORTED
from app.storage import audit
from app.storage.models import FileInfo
from app.storage.seals import current_seal, history_problem

MANIFEST_ACTION = "transfer manifest"
PREFIX = "transfer."  # file_info keys of the transfer's own details
# The details a transfer file carries about itself (file_info "transfer.<key>").
DETAIL_KEYS = ("id", "from_setting", "from_file", "exported_at", "format")
FORMAT = "1"
# What the export has always called its copy of the child (``transfer_write``): in a file
# with no transfer details, the mark of an export from before transfers were sealed.
COPIED_CHILD_ACTION = "transfer copy: child"
MADE_BY_OLDER_VERSION = (
    "This transfer file was made by an older version of Escalation Tracker. Ask the sender "
    "to export it again."
)


@dataclass(frozen=True)
class TransferDetails:
    id: str
    from_setting: str
    from_file: str
    exported_at: datetime


def _plain(value: object) -> object:
    """A stored value as JSON can hold it (a blob as hex)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return {"hex": bytes(value).hex()}
    return value


def manifest_digest(session: Session) -> str:
    """The SHA-256 of every row of every table (but the audit trail, which the seal's
    chain covers, and the file's own bookkeeping), in an order that does not depend on
    how the rows are stored."""
    tables = session.scalars(
        text(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ).all()
    content: dict[str, list[str]] = {}
    for table in tables:
        if table == "audit_entry":
            continue
        quoted = '"' + str(table).replace('"', '""') + '"'
        rows = session.execute(text(f"SELECT * FROM {quoted}")).mappings()
        listed = [audit.canonical({k: _plain(v) for k, v in r.items()}) for r in rows]
        if table == "file_info":
            listed = [r for r in listed if json.loads(r).get("key", "").startswith(PREFIX)]
        content[str(table)] = sorted(listed)
    return audit.sha256(audit.canonical(content))


def seal_transfer(session: Session, details: TransferDetails, *, actor: str) -> Seal:
    """Write the transfer's details and its manifest entry; the seal is that entry."""
    values = {
        "id": details.id,
        "from_setting": details.from_setting,
        "from_file": details.from_file,
        "exported_at": details.exported_at.isoformat(timespec="minutes"),
        "format": FORMAT,
    }
    for key, value in values.items():
        session.add(FileInfo(key=PREFIX + key, value=value))
    session.flush()
    audit.append(
        session,
        actor=actor,
        action=MANIFEST_ACTION,
        target=f"transfer:{details.id}",
        content=None,
        digest=manifest_digest(session),
    )
    session.flush()
    return current_seal(session)


def made_before_seals(session: Session) -> bool:
    """True for a transfer file exported before transfers carried a seal: it holds the
    export's copy of a child but no transfer details (so no seal the DSL could type in,
    and likely an older schema too). Asked before anything else, so the DSL is told what
    to do rather than that the seal or the version does not match."""
    try:
        copied = session.execute(
            text("SELECT 1 FROM audit_entry WHERE action = :action LIMIT 1"),
            {"action": COPIED_CHILD_ACTION},
        ).first()
        detailed = session.execute(
            text("SELECT 1 FROM file_info WHERE key = :key"), {"key": PREFIX + "format"}
        ).first()
    except SQLAlchemyError:  # not even those tables: the later checks say what it is
        return False
    return copied is not None and detailed is None


def _details(session: Session) -> TransferDetails:
    rows = session.execute(
        text("SELECT key, value FROM file_info WHERE substr(key, 1, 9) = 'transfer.'")
    ).all()
    values = {str(k).removeprefix(PREFIX): v for k, v in rows}
    if not all(isinstance(values.get(k), str) for k in DETAIL_KEYS):
        raise InputError(
            "This is not a transfer file this version of the app can read (it has no "
            f"transfer details: it may be from an older version). {NOT_IMPORTED}"
        )
    if values["format"] != FORMAT:
        raise InputError(f"This transfer file is in a format this app cannot read. {NOT_IMPORTED}")
    try:
        exported = datetime.fromisoformat(values["exported_at"])
    except ValueError:
        raise InputError(f"The transfer file's details cannot be read. {NOT_IMPORTED}") from None
    return TransferDetails(values["id"], values["from_setting"], values["from_file"], exported)


def verify_transfer(session: Session, seal: Seal) -> tuple[TransferDetails, list[str]]:
    """The transfer's details, once its chain, its seal and its manifest all check out
    (else a plain refusal: nothing but the audit trail is read before the chain), and
    what its own ``check`` finds in the rows the chain pins (a value it cannot even read
    is named by the reader: ``app.services.transfer_content``)."""
    mismatch = (
        f"The transfer file does not match the seal you typed (transfer seal {seal.entry} · "
        f"{seal.grouped}): it was changed after it was sent, or the seal was mistyped. "
        f"{NOT_IMPORTED}"
    )
    try:
        problem = history_problem(session, seal)
        last = current_seal(session)
        entry = session.execute(
            text("SELECT action, target, digest FROM audit_entry WHERE id = :id"),
            {"id": seal.entry},
        ).first()
        if problem is not None or last.entry != seal.entry or entry is None:
            raise InputError(mismatch)
    except (SQLAlchemyError, ValueError, TypeError, KeyError):
        raise InputError(
            f"The transfer file's own audit trail cannot be read. {NOT_IMPORTED}"
        ) from None
    details = _details(session)
    action, target, digest = entry
    if action != MANIFEST_ACTION or target != f"transfer:{details.id}":
        raise InputError(mismatch)
    try:
        recomputed = manifest_digest(session)
    except (SQLAlchemyError, ValueError, TypeError):
        recomputed = ""
    if recomputed != digest:
        raise InputError(mismatch)
    try:
        pins = [
            f"The transfer file's own audit trail does not check out: {p}"
            for p in audit.verify(session)
        ]
    except (SQLAlchemyError, ValueError, TypeError, KeyError):
        pins = ["The transfer file's own audit trail cannot be read."]
    return details, pins
