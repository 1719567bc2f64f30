"""The deadlines' calendar: which events a calendar file holds, and how each one is
named, kept stable and updated (docs/installing.md, "Deadlines in Outlook").

An event says only "ESC-2026-0010: stage 2 of 5 due": the reference and the stage
number, never the child, the agency, the pathway or the policy's words, because a
calendar is synchronised, shared and shown in notifications. Its UID is a hash of the
data file's own identifier, the reference and the stage number, so exporting again
names the same events. What the last export said of each event (the ledger) decides
its SEQUENCE, raised whenever its time or status changes, so a calendar that opens the
newer file replaces the older event instead of keeping both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.deadlines.calendar import WorkingCalendar
from app.deadlines.moments import Moment, iso, parse_moment, sort_key

UID_DOMAIN = "escalation-tracker.invalid"  # reserved: never a real host (RFC 2606)
DEFAULT_REMIND_WORKING_DAYS = 1
DEFAULT_REMIND_HOURS = 2
MAX_REMIND_WORKING_DAYS = 10
MAX_REMIND_HOURS = 48
REMIND_AT_HOUR = 9  # a date deadline's reminder goes off at 09:00 on a working day
TIMED_EVENT_LENGTH = timedelta(minutes=30)


@dataclass(frozen=True)
class Reminders:
    """How long before a deadline the calendar reminds: working days for a deadline
    that is a date (at 09:00 that day), hours for one with a time; 0 for no reminder."""

    working_days: int = DEFAULT_REMIND_WORKING_DAYS
    hours: int = DEFAULT_REMIND_HOURS

    def problem(self) -> str | None:
        if not 0 <= self.working_days <= MAX_REMIND_WORKING_DAYS:
            return (
                f"The reminder for a date deadline must be 0 to {MAX_REMIND_WORKING_DAYS} "
                "working days before it."
            )
        if not 0 <= self.hours <= MAX_REMIND_HOURS:
            return f"The reminder for a timed deadline must be 0 to {MAX_REMIND_HOURS} hours."
        return None


@dataclass(frozen=True)
class OpenDeadline:
    """An open escalation's current stage and its deadline, as the app stored it."""

    ref: str
    stage_number: int
    stage_count: int
    due: Moment
    calendar: WorkingCalendar  # the escalation's nation's working days


@dataclass(frozen=True)
class Exported:
    """What the last calendar file said of one event (a ledger row)."""

    uid: str
    summary: str
    due: str  # ISO, as ``moments.iso`` writes it
    sequence: int
    cancelled: bool


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    due: Moment
    sequence: int
    cancelled: bool
    alarm_before: timedelta | None  # before the event's start; None: no reminder

    @property
    def timed(self) -> bool:
        return isinstance(self.due, datetime)

    def exported(self) -> Exported:
        due = iso(self.due)
        assert due is not None
        return Exported(self.uid, self.summary, due, self.sequence, self.cancelled)


def event_uid(file_id: str, ref: str, stage_number: int) -> str:
    """Stable across exports, distinct across data files; nothing about the child."""
    digest = hashlib.sha256(f"{file_id}\n{ref}\n{stage_number}".encode()).hexdigest()
    return f"{digest[:32]}@{UID_DOMAIN}"


def event_summary(ref: str, stage_number: int, stage_count: int) -> str:
    return f"{ref}: stage {stage_number} of {stage_count} due"


def alarm_before(due: Moment, reminders: Reminders, calendar: WorkingCalendar) -> timedelta | None:
    """How long before the event's start the reminder goes off. A date deadline's event
    starts at midnight; its reminder is at 09:00 on the working day ``working_days``
    before it (a Monday deadline reminds on the Friday, not the Sunday)."""
    if isinstance(due, datetime):
        return timedelta(hours=reminders.hours) if reminders.hours else None
    if not reminders.working_days:
        return None
    day = due
    for _ in range(reminders.working_days):
        day = _working_day_before(day, calendar)
    return datetime.combine(due, datetime.min.time()) - datetime(
        day.year, day.month, day.day, REMIND_AT_HOUR
    )


def _working_day_before(day: date, calendar: WorkingCalendar) -> date:
    day -= timedelta(days=1)
    try:
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
    except ValueError:  # before the years the calendar covers: count plain days
        pass
    return day


def calendar_events(
    deadlines: Iterable[OpenDeadline],
    ledger: Mapping[str, Exported],
    file_id: str,
    reminders: Reminders,
) -> list[CalendarEvent]:
    """Every event the file holds: one per open deadline, and a cancelled one for each
    event exported before whose deadline is no longer open (the escalation closed, or
    moved on to its next stage). Soonest first."""
    events: dict[str, CalendarEvent] = {}
    for deadline in deadlines:
        uid = event_uid(file_id, deadline.ref, deadline.stage_number)
        before = ledger.get(uid)
        due = iso(deadline.due)
        if before is None:
            sequence = 0
        elif before.due == due and not before.cancelled:
            sequence = before.sequence
        else:
            sequence = before.sequence + 1  # moved, or open again
        events[uid] = CalendarEvent(
            uid,
            event_summary(deadline.ref, deadline.stage_number, deadline.stage_count),
            deadline.due,
            sequence,
            False,
            alarm_before(deadline.due, reminders, deadline.calendar),
        )
    for uid, before in ledger.items():
        if uid in events:
            continue
        moment = parse_moment(before.due)
        assert moment is not None
        sequence = before.sequence if before.cancelled else before.sequence + 1
        events[uid] = CalendarEvent(uid, before.summary, moment, sequence, True, None)
    return sorted(events.values(), key=lambda e: (sort_key(e.due), e.uid))
