"""The deadlines' calendar as an iCalendar file (RFC 5545), written with ``icalendar``.

What each event holds is decided in ``app.domain.calendar_events``; this only writes it
in the form Outlook, Google Calendar and Apple Calendar read: METHOD:PUBLISH (a
published calendar, not a meeting invitation), an all-day event (DTSTART;VALUE=DATE,
DTEND the next day) for a deadline that is a date, a 30-minute event in UTC for one with
a time (UK time as the app stores it, converted, so no VTIMEZONE block is needed), and
the reminder as a VALARM after the event's own properties. No DESCRIPTION or LOCATION:
the summary is all an event says.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from app.domain.calendar_events import TIMED_EVENT_LENGTH, CalendarEvent

PRODID = "-//Escalation Tracker//Deadlines//EN"
CALENDAR_NAME = "Escalation deadlines"
UK_TIME = ZoneInfo("Europe/London")


def to_utc(moment: datetime) -> datetime:
    """A stored deadline time (UK local time, naive) as UTC."""
    return moment.replace(tzinfo=UK_TIME).astimezone(UTC)


def calendar_file(events: Iterable[CalendarEvent], *, stamp: datetime) -> bytes:
    """The .ics bytes; ``stamp`` (aware) is every event's DTSTAMP."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    stamp = stamp.astimezone(UTC)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", item.sequence)
        event.add("summary", item.summary)
        if isinstance(item.due, datetime):
            start = to_utc(item.due)
            event.add("dtstart", start)
            event.add("dtend", start + TIMED_EVENT_LENGTH)
        else:
            event.add("dtstart", item.due)
            event.add("dtend", item.due + timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a deadline does not make the DSL busy
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        if item.alarm_before is not None and not item.cancelled:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", item.summary)
            alarm.add("trigger", -item.alarm_before)
            event.add_component(alarm)  # written after the event's properties
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
