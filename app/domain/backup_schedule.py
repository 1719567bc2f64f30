"""Backups that happen: when the DSL is reminded to back up, what the automatic backups
are called, and which of them are pruned.

Automatic backups are named ``escalations-auto-backup-YYYY-MM-DD-HHMMSS.etdb``: the time
only, nothing about a child. Only files with exactly that name are ever pruned, so a
backup the DSL made by hand, or any other file in the folder, is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.deadlines.moments import fmt_day
from app.english_plurals import count

DEFAULT_REMIND_AFTER_DAYS = 7
MIN_REMIND_AFTER_DAYS = 1
MAX_REMIND_AFTER_DAYS = 90
DEFAULT_KEEP = 5
MIN_KEEP = 1
MAX_KEEP = 50
_PREFIX = "escalations-auto-backup-"
_STAMP = "%Y-%m-%d-%H%M%S"
_AUTOMATIC = re.compile(r"^escalations-auto-backup-\d{4}-\d{2}-\d{2}-\d{6}\.etdb$")


@dataclass(frozen=True)
class BackupChoices:
    """What the DSL chose in Settings (kept on this computer, not in the file)."""

    remind_after_days: int = DEFAULT_REMIND_AFTER_DAYS
    automatic: bool = False
    folder: Path | None = None
    keep: int = DEFAULT_KEEP

    def problem(self) -> str | None:
        """Why these choices cannot be saved, in words; None if they can."""
        if not MIN_REMIND_AFTER_DAYS <= self.remind_after_days <= MAX_REMIND_AFTER_DAYS:
            return (
                f"Remind about backups after {MIN_REMIND_AFTER_DAYS} to "
                f"{MAX_REMIND_AFTER_DAYS} days."
            )
        if not MIN_KEEP <= self.keep <= MAX_KEEP:
            return f"Keep {MIN_KEEP} to {MAX_KEEP} automatic backups."
        if self.automatic and self.folder is None:
            return "Choose a folder for the automatic backups, or turn them off."
        if self.automatic and self.folder is not None and not self.folder.is_dir():
            return f"The folder {self.folder} for automatic backups could not be found."
        return None


def backup_overdue_from(
    last_backup: datetime | None, file_started: datetime | None, days: int
) -> datetime | None:
    """When a backup falls overdue: ``days`` days after the last one (or, with none,
    after the file's history began); None when neither is known."""
    since = last_backup or file_started
    return None if since is None else since + timedelta(days=days)


def backup_reminder(
    last_backup: datetime | None, file_started: datetime | None, now: datetime, days: int
) -> str | None:
    """What to tell the DSL when the last backup is more than ``days`` days old (or
    there is none and the file itself is), else None."""
    overdue_from = backup_overdue_from(last_backup, file_started, days)
    if overdue_from is None or now < overdue_from:
        return None
    if last_backup is None:
        return (
            "This file has never been backed up. Back up now (File, Back up now…) and keep "
            "the copy somewhere safe, away from this computer."
        )
    age = (now.date() - last_backup.date()).days
    return (
        f"The last backup was made {count(age, 'day')} ago, on {fmt_day(last_backup.date())}. "
        "Back up now (File, Back up now…), or turn on automatic backups in Settings."
    )


def automatic_backup_name(now: datetime) -> str:
    return f"{_PREFIX}{now:{_STAMP}}.etdb"


def is_automatic_backup(name: str) -> bool:
    return _AUTOMATIC.match(name) is not None


def to_prune(names: Iterable[str], keep: int) -> list[str]:
    """The automatic backups beyond the newest ``keep``, oldest first. Names sort by
    their time, so the newest are last."""
    automatic = sorted(n for n in names if is_automatic_backup(n))
    return automatic[: max(len(automatic) - max(keep, MIN_KEEP), 0)]
