"""The audit trail as a person reads it: each entry's number, moment, who (the member
who signed in, as the trail names them), what and to what. For ``python -m app audit``,
so an IT technician or a reviewer can read who added or removed a member, used the
recovery key, backed up or printed, without opening the file's tables.

Only what the trail itself holds: an entry carries a digest of its content, never the
content, so no child's details are printed (targets name a row or a reference)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.services.store import ReadStore

# Targets of the file itself (its members, key, backups, exports), not of one record.
FILE_TARGET = "file"


@dataclass(frozen=True)
class AuditLine:
    number: int
    at: datetime
    actor: str
    action: str
    target: str


def audit_lines(store: ReadStore, *, file_only: bool = False) -> list[AuditLine]:
    """Every entry in the order recorded (``file_only``: the file's own events)."""
    sql = "SELECT id, at, actor, action, target FROM audit_entry"
    parameters: tuple[str, ...] = ()
    if file_only:
        sql += " WHERE target = ?"
        parameters = (FILE_TARGET,)
    with store.read() as connection:
        rows = connection.execute(sql + " ORDER BY id", parameters).fetchall()
    return [
        AuditLine(int(number), _moment(at), str(actor), str(action), str(target))
        for number, at, actor, action, target in rows
    ]


def _moment(stored: object) -> datetime:
    return stored if isinstance(stored, datetime) else datetime.fromisoformat(str(stored))
