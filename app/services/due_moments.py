"""The due moments the tray reminder counts from (``app.reminders.due_file``), read from
the open file as it is locked: the current stage's deadline of each open escalation,
and nothing else about it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from app.deadlines.moments import Moment, parse_moment
from app.domain.backup_schedule import backup_overdue_from
from app.nation import Nation
from app.reminders import due_file
from app.services.backups import last_backup
from app.services.store import ReadStore

# ``current_due`` is what the dashboard counts from (over ``ix_escalation_counts``);
# '' is a stage with no fixed timescale, which has nothing to be overdue against.
_OPEN_DEADLINES = """
    SELECT current_due FROM escalation
    WHERE status = 'open' AND current_due IS NOT NULL AND current_due != ''
"""


def open_deadlines(store: ReadStore) -> list[Moment]:
    with store.read() as connection:
        texts = [row[0] for row in connection.execute(_OPEN_DEADLINES)]
    moments: list[Moment] = []
    for text in texts:
        try:
            moment = parse_moment(str(text))
        except ValueError:  # damaged: the list says so when unlocked
            continue
        if moment is not None:
            moments.append(moment)
    return moments


def remember(
    store: ReadStore, path: Path, nation: Nation, now: datetime, backup_days: int | None = None
) -> None:
    """Write the due-moments file for the tray; raises OSError when it cannot.
    ``backup_days``: the DSL's backup reminder, in days (None: no backup line)."""
    overdue_from = None
    if backup_days is not None:
        overdue_from = backup_overdue_from(*last_backup(store), backup_days)
    moments = due_file.DueMoments(tuple(open_deadlines(store)), nation, now, overdue_from)
    due_file.write(path, moments)
