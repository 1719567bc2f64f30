"""The open escalations at a stage with no fixed timescale. With no deadline to count
down to, they never reach "overdue" or "due today"; how long they have waited at their
stage is what keeps them in the DSL's view (the dashboard's count and headline)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from app.deadlines import calendar_for
from app.deadlines.calendar import WorkingCalendar
from app.deadlines.standing import waited
from app.nation import Nation


@dataclass(frozen=True)
class Waiting:
    count: int = 0
    longest: int = 0  # working days the longest-waiting one has been at its stage
    ref: str = ""  # that one (of those waiting as long, the first by reference)


def waiting(stages: Iterable[tuple[str, str, datetime | None]], now: datetime) -> Waiting:
    """``stages``: each such escalation's reference, nation and when its stage started
    (None if not known: counted, with no wait). Working days are counted in the
    escalation's own nation by the standing rule (``app.deadlines.standing.waited``:
    the day the stage started never counts)."""
    count, longest, ref = 0, -1, ""
    # Many stages start on the same day: each day is counted once per nation (the
    # dashboard of a large file counts thousands on every unlock).
    counted: dict[tuple[str, date | None], int] = {}
    for this, nation, started in stages:
        try:
            calendar = calendar_for(Nation(nation))
        except ValueError:  # not a nation: the list shows the escalation as damaged
            continue
        count += 1
        day = started.date() if started is not None else None
        days = counted.get((nation, day))
        if days is None:
            counted[(nation, day)] = days = _waited(started, now, calendar)
        if days > longest or (days == longest >= 0 and this < ref):
            longest, ref = days, this
    return Waiting(count, max(longest, 0), ref)


def _waited(started: datetime | None, now: datetime, calendar: WorkingCalendar) -> int:
    if started is None:
        return -1
    try:
        return waited(started, now, calendar)
    except ValueError:  # a start outside the calendar's years: no wait known
        return -1
