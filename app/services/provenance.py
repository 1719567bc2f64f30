"""Where imported records were recorded: each import is kept in the receiving file
(``file_info`` "transfer-in.<transfer id>", recorded in the audit trail), so every view
and document can say "recorded at St Aidan's, imported 03/12/2026" beside what came
from another setting, and never show it as this setting's own; and so the same transfer
is never imported twice."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.seal import Seal
from app.errors import InputError
from app.storage import audit
from app.storage.models import FileInfo
from app.storage.seals import file_id

if TYPE_CHECKING:  # not at run time: the escalation views read this module
    from app.services.transfer_seal import TransferDetails
    from app.services.transfer_write import Written

PREFIX = "transfer-in."
NOT_IMPORTED = "Nothing was imported."


@dataclass(frozen=True)
class Provenance:
    transfer_id: str
    from_setting: str
    from_file: str
    exported_at: datetime
    imported_at: datetime
    seal: str  # the transfer's seal as confirmed, "N HASH"
    refs: dict[str, str]  # reference here -> reference at the sending setting
    versions: list[int] = field(default_factory=list)  # record_version ids imported
    approvals: list[int] = field(default_factory=list)
    events: list[int] = field(default_factory=list)

    @classmethod
    def of(
        cls, details: TransferDetails, written: Written, seal: Seal, now: datetime
    ) -> Provenance:
        return cls(
            transfer_id=details.id,
            from_setting=details.from_setting,
            from_file=details.from_file,
            exported_at=details.exported_at,
            imported_at=now,
            seal=seal.typed,
            refs=dict(written.refs),
            versions=list(written.versions),
            approvals=list(written.approvals),
            events=list(written.events),
        )

    @property
    def words(self) -> str:
        """ "recorded at St Aidan's, imported 03/12/2026"."""
        where = self.from_setting or "another setting"
        return f"recorded at {where}, imported {self.imported_at:%d/%m/%Y}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, value: str) -> Provenance:
        data = json.loads(value)
        data["exported_at"] = datetime.fromisoformat(data["exported_at"])
        data["imported_at"] = datetime.fromisoformat(data["imported_at"])
        return cls(**data)


def imports(session: Session) -> list[Provenance]:
    """Every import this file has taken (one that cannot be read is left out: it is
    what ``check`` reports, never a reason a view fails)."""
    found = []
    rows = session.scalars(select(FileInfo).where(FileInfo.key.startswith(PREFIX)))
    for row in rows:
        try:
            found.append(Provenance.from_json(row.value))
        except (ValueError, TypeError, KeyError):
            continue
    return found


def provenance_for(session: Session, ref: str) -> Provenance | None:
    """Where escalation ``ref`` came from, if it was imported."""
    return next((p for p in imports(session) if ref in p.refs), None)


def already_imported(session: Session, details: TransferDetails, refs: list[str]) -> None:
    """Refuse a transfer this file has taken before, by its identifier, or by its
    escalations' references at the same sending file (a second export of the same
    records), or one this very file sent."""
    if details.from_file == file_id(session):
        raise InputError(f"This transfer was exported from this very file. {NOT_IMPORTED}")
    for earlier in imports(session):
        if earlier.transfer_id == details.id:
            raise InputError(
                f"This transfer was already imported on {earlier.imported_at:%d/%m/%Y}. "
                f"{NOT_IMPORTED}"
            )
        same = set(earlier.refs.values()) & set(refs)
        if earlier.from_file == details.from_file and same:
            raise InputError(
                f"Escalation {sorted(same)[0]} from that setting was already imported on "
                f"{earlier.imported_at:%d/%m/%Y}. {NOT_IMPORTED}"
            )


def record_import(session: Session, provenance: Provenance, *, actor: str) -> None:
    """Keep where the records came from, in the import's own transaction."""
    content = provenance.to_dict()
    session.add(FileInfo(key=PREFIX + provenance.transfer_id, value=audit.canonical(content)))
    audit.append(
        session,
        actor=actor,
        action="transfer records in",
        target=f"transfer:{provenance.transfer_id}",
        content=content,
        at=provenance.imported_at,
    )
