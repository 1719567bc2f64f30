"""What the tray reminder says, and when: counts only, never a name or reference.

The counts stand each deadline at ``now`` with ``app.deadlines.standing`` (the rule the
dashboard uses), so a deadline that passed while the records were locked is overdue in
the next reminder, exactly as the dashboard will show it once unlocked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from app.deadlines.calendar import WorkingCalendar
from app.deadlines.moments import Moment
from app.deadlines.standing import Standing, standing
from app.errors import InputError

TITLE = "Escalation Tracker"
DEFAULT_MORNING = time(8, 30)
# Christmas to the New Year is the longest run of days without a working one.
_MAX_DAYS_AHEAD = 31


@dataclass(frozen=True)
class DueCounts:
    overdue: int = 0
    due_today: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.overdue or self.due_today)

    @property
    def words(self) -> str:
        """ "1 overdue, 2 due today", or "Nothing overdue or due today"."""
        parts = []
        if self.overdue:
            parts.append(f"{self.overdue} overdue")
        if self.due_today:
            parts.append(f"{self.due_today} due today")
        return ", ".join(parts) if parts else "Nothing overdue or due today"


def count(due: Iterable[Moment], now: datetime, calendar: WorkingCalendar) -> DueCounts:
    overdue = due_today = 0
    for moment in due:
        try:
            where = standing(moment, now, calendar).standing
        except InputError:  # a date outside the calendar's years: not one the app wrote
            continue
        overdue += where is Standing.OVERDUE
        due_today += where is Standing.DUE_TODAY
    return DueCounts(overdue, due_today)


@dataclass(frozen=True)
class Reminder:
    title: str
    body: str

    @property
    def line(self) -> str:
        """ "Escalation Tracker: 1 overdue, 2 due today. Unlock to see them." """
        return f"{self.title}: {self.body}"


def reminder(counts: DueCounts, extra: Sequence[str] = ()) -> Reminder | None:
    """The notification for ``counts``, or None when there is nothing to say."""
    lines = []
    if counts.anything:
        them = "it" if counts.overdue + counts.due_today == 1 else "them"
        lines.append(f"{counts.words}. Unlock to see {them}.")
    lines.extend(extra)
    return Reminder(TITLE, "\n".join(lines)) if lines else None


BACKUP_OVERDUE = "A backup of the records is overdue. Unlock to back up."


def extra_lines(now: datetime, backup_overdue_from: datetime | None = None) -> list[str]:
    """Lines added below the counts, each a sentence with no child's details: that a
    backup is overdue, from when the app worked out at its last lock that it would be
    (``app.domain.backup_schedule.backup_overdue_from``, the dashboard's rule)."""
    if backup_overdue_from is not None and now >= backup_overdue_from:
        return [BACKUP_OVERDUE]
    return []


def next_morning(after: datetime, at: time, calendar: WorkingCalendar) -> datetime | None:
    """The first working day's ``at`` strictly after ``after`` (Monday to Friday, not a
    bank holiday in ``calendar``'s nation); None if there is none within a month."""
    day = after.date()
    for _ in range(_MAX_DAYS_AHEAD):
        moment = datetime.combine(day, at)
        if calendar.is_working_day(day) and moment > after:
            return moment
        day += timedelta(days=1)
    return None
