"""Deadline moments: a date-only deadline means "by the end of that day"; one with a
time means by then. Plain helpers with no policy schema, so the dashboard and the list
can use them before the deadline engine (and pydantic) is loaded."""

from __future__ import annotations

from datetime import date, datetime, time

Moment = date | datetime  # a date-only deadline means "by the end of that day"


def day_of(moment: Moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def sort_key(moment: Moment) -> datetime:
    """A date-only moment sorts at the end of its day."""
    if isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time.max)


def fmt_day(day: date) -> str:
    return f"{day:%a} {day:%d/%m/%Y}"


def fmt_moment(moment: Moment) -> str:
    if isinstance(moment, datetime):
        return f"{fmt_day(moment.date())} {moment:%H:%M}"
    return fmt_day(moment)


def iso(moment: Moment | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%dT%H:%M")
    return moment.isoformat()


def parse_moment(text: str | None) -> Moment | None:
    """A stored deadline: ``YYYY-MM-DD`` (by the end of that day) or ``...THH:MM``."""
    if text is None:
        return None
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


def due_words(due: Moment | None, waits_for: int | None = None) -> str:
    """A stage's deadline in words; a stage waiting for an open-ended one has none yet."""
    if due is not None:
        return fmt_moment(due)
    if waits_for is not None:
        return f"No date until stage {waits_for} ends"
    return "No fixed timescale"
