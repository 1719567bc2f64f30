"""The open escalations at a stage with no fixed timescale. With no deadline to count
down to, they never reach "overdue" or "due today"; how long they have waited at their
stage is what keeps them in the DSL's view (the dashboard's count and headline)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.deadlines import calendar_for
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
    for this, nation, started in stages:
        try:
            calendar = calendar_for(Nation(nation))
        except ValueError:  # not a nation: the list shows the escalation as damaged
            continue
        count += 1
        try:
            days = waited(started, now, calendar) if started is not None else -1
        except ValueError:  # a start outside the calendar's years: no wait known
            days = -1
        if days > longest or (days == longest >= 0 and this < ref):
            longest, ref = days, this
    return Waiting(count, max(longest, 0), ref)
