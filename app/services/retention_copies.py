"""Retention destruction beyond the data file: the other copies that may still hold the
child's records. The copies the app kept beside the file on its own (before a schema
update, before a restore) are destroyed with the records, when they were made after the
child was first recorded; the backups the file's audit trail records made since then
are listed by date for the DSL to delete, since the app does not know where each went
(backups are saved wherever the DSL chose). Nothing here names the child."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from app.services import retention
from app.services.common import MaintainedStore
from app.storage.copies import destroy_copy, kept_copies

BACKUP_ACTION = "back up"  # the backup's entry (app.services.seals.sealed_backup)


@dataclass(frozen=True)
class OtherCopies:
    """What else held the child's records, each named by when it was made."""

    destroyed: list[datetime] = field(default_factory=list)  # the app's own copies
    not_destroyed: list[Path] = field(default_factory=list)  # could not be deleted
    backups: list[datetime] = field(default_factory=list)  # made while the child was in

    def words(self) -> str:
        """What happened and what the DSL still has to do, in plain English."""
        lines = []
        if self.destroyed:
            lines.append(
                "The copies the app kept beside the data file before an update or a "
                f"restore, made on {_dates(self.destroyed)}, held these records too and "
                "were destroyed with them."
            )
        if self.not_destroyed:
            names = ", ".join(str(p) for p in self.not_destroyed)
            lines.append(
                f"These copies the app kept could not be deleted: {names}. Close any "
                "program using them and delete them by hand."
            )
        if self.backups:
            lines.append(
                f"Backups made on {_dates(self.backups)} still hold these records. Make a "
                "new backup now, then delete those older backup files (and any copy of "
                "them), so the records are gone from every copy."
            )
        else:
            lines.append("No backup made while these records were in the file is recorded.")
        lines.append(
            "Copies made outside the app (the school's own backup of this computer, a "
            "copy on a memory stick) are not known to the app: ask whoever keeps them."
        )
        return "\n\n".join(lines)


@dataclass(frozen=True)
class Destruction:
    escalations: int  # how many escalations went
    copies: OtherCopies


def _dates(moments: list[datetime]) -> str:
    return ", ".join(f"{m:%d/%m/%Y at %H:%M}" for m in moments)


def _first_recorded(store: MaintainedStore, child_id: int) -> datetime | None:
    """When the child first came into this file (added, or imported)."""
    with store.session() as session:
        found = session.execute(
            text("SELECT MIN(at) FROM audit_entry WHERE target = :target"),
            {"target": f"child:{child_id}"},
        ).scalar()
    if found is None:
        return None
    return found if isinstance(found, datetime) else datetime.fromisoformat(str(found))


def _backups_since(store: MaintainedStore, since: datetime | None) -> list[datetime]:
    with store.session() as session:
        rows = session.execute(
            text("SELECT at FROM audit_entry WHERE action = :action ORDER BY id"),
            {"action": BACKUP_ACTION},
        ).scalars()
        moments = [r if isinstance(r, datetime) else datetime.fromisoformat(str(r)) for r in rows]
    return [m for m in moments if since is None or m >= since]


def destroy_with_copies(
    store: MaintainedStore, child_id: int, *, reason: str, actor: str
) -> Destruction:
    """``retention.destroy``, then the other copies: the app's own kept beside the
    data file since the child was first recorded are destroyed, and the backups
    made since then are listed."""
    # Read before the destruction, which ends what the file knows of the child but its
    # audit entries: a copy from before the child was recorded never held them.
    since = _first_recorded(store, child_id)
    backups = _backups_since(store, since)
    count = retention.destroy(store, child_id, reason=reason, actor=actor)
    destroyed, left = [], []
    for path, made in kept_copies(store.path):
        if since is not None and made < since.replace(second=0, microsecond=0):
            continue
        if destroy_copy(path):
            destroyed.append(made)
        else:
            left.append(path)
    return Destruction(count, OtherCopies(destroyed, left, backups))
