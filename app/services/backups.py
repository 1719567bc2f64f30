"""Backups that happen: the reminder when the last backup is too old, and the automatic
backup at lock or close, verified as every backup is, with the older automatic ones
pruned. The rules (when to remind, which files to prune) are
``app.domain.backup_schedule``.

The last backup is read from the file's own audit trail ("back up" entries), so a
backup made from the command line or on another computer counts too.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app import clock
from app.domain.backup_schedule import automatic_backup_name, backup_reminder, to_prune
from app.errors import KnownError
from app.services.store import ReadStore

if TYPE_CHECKING:  # the reminder is read at every unlock, before SQLAlchemy is loaded
    from app.services.security import BackupMade
    from app.storage.database import Database

# Newest first, stopping at the first match: a recent backup is found at once.
_LAST_BACKUP = "SELECT at FROM audit_entry WHERE action = 'back up' ORDER BY id DESC LIMIT 1"
_FIRST_ENTRY = "SELECT at FROM audit_entry ORDER BY id LIMIT 1"


def _when(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def last_backup(store: ReadStore) -> tuple[datetime | None, datetime | None]:
    """(when the file was last backed up, when its history began), from the trail."""
    with store.read() as connection:
        last = connection.execute(_LAST_BACKUP).fetchone()
        first = connection.execute(_FIRST_ENTRY).fetchone()
    return _when(last[0] if last else None), _when(first[0] if first else None)


def reminder(store: ReadStore, remind_after_days: int, now: datetime | None = None) -> str | None:
    """The reminder to show after unlock and on the dashboard, or None."""
    last, started = last_backup(store)
    return backup_reminder(last, started, now or clock.now(), remind_after_days)


@dataclass(frozen=True)
class AutomaticBackup:
    made: BackupMade
    pruned: list[Path]


def automatic_backup(
    db: Database, folder: Path, keep: int, *, actor: str, now: datetime | None = None
) -> AutomaticBackup:
    """A verified encrypted backup into ``folder``, named by the time only, then the
    automatic backups beyond the newest ``keep`` deleted. A plain message if it cannot
    be made; nothing is pruned then."""
    from app.services.security import back_up_sealed

    if not folder.is_dir():
        raise KnownError(
            f"The automatic backup was not made: the folder {folder} could not be found. "
            "Choose another in Settings."
        )
    destination = folder / automatic_backup_name(now or datetime.now())
    try:
        made = back_up_sealed(db, destination, actor=actor)
    except KnownError as exc:
        raise KnownError(f"The automatic backup was not made. {exc}") from None
    except OSError as exc:
        raise KnownError(
            f"The automatic backup was not made: {folder} could not be written to "
            f"({exc.strerror}). Choose another folder in Settings."
        ) from None
    return AutomaticBackup(made, prune(folder, keep))


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the automatic backups beyond the newest ``keep`` (best effort)."""
    try:
        names = [e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False)]
    except OSError:
        return []
    removed = []
    for name in to_prune(names, keep):
        with contextlib.suppress(OSError):
            (folder / name).unlink()
            removed.append(folder / name)
            # A team's backup has its key file beside it: the pair goes together.
            (folder / (name + ".keys")).unlink(missing_ok=True)
    return removed
