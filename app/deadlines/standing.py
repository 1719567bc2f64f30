"""Where a stage stands against its deadline: overdue, due today, N working days left,
or no fixed timescale. The one rule the list, the dashboard counts, the escalation window,
the timeline and every document read, so they cannot disagree:

- a deadline with a time is overdue from that minute;
- a deadline that is a date is due all that day, and overdue from the next;
- "working days left" counts the working days after today up to and including the due
  date (a calendar-day deadline on a Saturday, looked at on Friday, has none left);
  "overdue by" counts those after the due date up to and including today;
- a stage with no fixed timescale has no deadline to stand against: what it has is how
  long it has waited, the working days after the day it started up to and including
  today (``waited``).

Plain dates and a calendar only, so the dashboard can use it before the deadline engine
and the policy schema load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from app.deadlines.calendar import WorkingCalendar
from app.deadlines.moments import Moment, day_of
from app.english_dates import SHORT_MONTHS, SHORT_WEEKDAYS
from app.english_plurals import count


class Standing(StrEnum):
    OVERDUE = "overdue"
    DUE_TODAY = "due-today"
    DUE_LATER = "due-later"
    NO_TIMESCALE = "no-timescale"


def is_overdue(due: Moment, now: datetime) -> bool:
    """The rule's first two lines, alone: what the dashboard counts need."""
    if isinstance(due, datetime):
        return now >= due
    return now.date() > due


def waited(started: datetime, now: datetime, calendar: WorkingCalendar) -> int:
    """Working days a stage started at ``started`` has waited at ``now``: as every
    interval is counted, the day it started never counts (0 on that day)."""
    return max(calendar.working_days_between(started.date(), now.date()), 0)


def met(due: Moment, done_at: datetime) -> bool:
    """Whether a stage done at ``done_at`` met its deadline: done before it was overdue."""
    return not is_overdue(due, done_at)


def short_day(day: date, today: date) -> str:
    """ "Tue 29 Dec", with the year when it is not this year's."""
    text = f"{SHORT_WEEKDAYS[day.weekday()]} {day.day} {SHORT_MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def _working_days(n: int) -> str:
    return count(n, "working day")


@dataclass(slots=True)  # slots, not frozen (slower to build): the list makes thousands
class StageStanding:
    """Treat as read-only."""

    standing: Standing
    due: Moment | None
    today: date
    # Working days left (due later: 0 when none is left before it) or overdue by
    # (overdue: 0 when it fell due earlier today, or on a non-working day since); 0 when
    # due today; None with no fixed timescale.
    working_days: int | None

    @property
    def overdue(self) -> bool:
        return self.standing is Standing.OVERDUE

    @property
    def words(self) -> str:
        """ "Overdue by 2 working days", "Overdue: was due 10:00 today", "Due today by
        10:00", "3 working days left", "no working days left", "no fixed timescale"."""
        due, n = self.due, self.working_days
        if due is None or n is None:
            return "no fixed timescale"
        at_time = f"{due:%H:%M}" if isinstance(due, datetime) else ""
        if self.standing is Standing.OVERDUE:
            if n > 0:
                return f"Overdue by {_working_days(n)}"
            day = day_of(due)
            when = f"{at_time} today" if day == self.today else short_day(day, self.today)
            return f"Overdue: was due {when}"
        if self.standing is Standing.DUE_TODAY:
            return f"Due today by {at_time}" if at_time else "Due today"
        return f"{_working_days(n)} left" if n else "no working days left"

    @property
    def when(self) -> str:
        """The deadline, short: "Tue 29 Dec", "Mon 30 Nov by 09:00"."""
        if self.due is None:
            return ""
        at_time = f" by {self.due:%H:%M}" if isinstance(self.due, datetime) else ""
        return short_day(day_of(self.due), self.today) + at_time


def standing(due: Moment | None, now: datetime, calendar: WorkingCalendar) -> StageStanding:
    """Where a stage due at ``due`` stands at ``now``, counting ``calendar``'s working
    days (the escalation's own nation)."""
    today = now.date()
    if due is None:
        return StageStanding(Standing.NO_TIMESCALE, None, today, None)
    day = day_of(due)
    if is_overdue(due, now):
        late = max(calendar.working_days_between(day, today), 0)
        return StageStanding(Standing.OVERDUE, due, today, late)
    if day == today:
        return StageStanding(Standing.DUE_TODAY, due, today, 0)
    return StageStanding(Standing.DUE_LATER, due, today, calendar.working_days_between(today, day))
