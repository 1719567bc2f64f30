"""Stage timeline geometry, shared by the Qt widget and the PDF documents.

The layout is computed here, in plain numbers, so the painted widget and the printed
confirmation show the same thing and the geometry can be tested without pixels. Every
calendar day gets the same width; weekends and bank holidays are shaded, so a deadline
that jumps over Christmas visibly does so. State is carried by shape and words as well
as colour (completed lanes are a light tint marked "✓ Done" on the bar, never a solid
black that reads as a redaction; the current one outlined heavy, projected ones dashed,
and stages a closed escalation never reached have no bar at all, only their words), so
the timeline reads in greyscale and for colour-blind users. The "Today" marker is
labelled at the top, where the eye meets it with the dates, as well as under the lanes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from app.deadlines import calendar_for, day_of, fmt_day
from app.deadlines.moments import due_words
from app.deadlines.standing import met, standing
from app.domain.views import StageView
from app.english_plurals import count
from app.policy import Nation
from app.policy.stage_names import stage_heading


class LaneState(StrEnum):
    COMPLETED = "completed"
    SKIPPED = "skipped"
    CURRENT = "current"
    PROJECTED = "projected"
    NOT_NEEDED = "not-needed"  # the escalation closed before reaching it: no bar


@dataclass(frozen=True)
class Lane:
    number: int
    title: str
    owner: str
    state: LaneState
    start: date
    due: date | None
    x0: float
    x1: float
    y: float
    height: float
    status: str  # in words: "Completed on time", "Overdue by 2 working days"…
    tooltip: str
    overdue: bool
    # Words on the bar itself where they fit ("✓ Done"): a finished stage looks done.
    bar_label: str = ""


@dataclass(frozen=True)
class Marker:
    kind: str  # "today" | "cap" | "protect-by"
    day: date
    x: float
    label: str
    # Also labelled in the row above the dates (Today: where it is looked for first).
    at_top: bool = False


@dataclass(frozen=True)
class Shade:
    day: date
    x0: float
    x1: float
    reason: str  # "weekend" or the bank holiday's name


@dataclass(frozen=True)
class Tick:
    day: date
    x: float
    label: str


@dataclass(frozen=True)
class TimelineLayout:
    width: float
    height: float
    axis_top: float  # the top of the lanes; the dates are above it
    first_day: date
    last_day: date
    day_width: float
    label_width: float
    lanes: list[Lane]
    markers: list[Marker]
    shades: list[Shade]
    ticks: list[Tick]
    label_row: float = 0.0  # the row at the very top for the labels of markers at_top

    def x_of(self, day: date) -> float:
        """The left edge of a day's column."""
        return self.label_width + (day - self.first_day).days * self.day_width


# What a bar says of itself where it fits: done is done at a glance, in any printer's ink.
BAR_LABELS = {LaneState.COMPLETED: "✓ Done", LaneState.SKIPPED: "Skipped"}


def _plural(n: int) -> str:
    return count(n, "working day")


def _status(stage: StageView, now: datetime, nation: Nation) -> tuple[LaneState, str, bool]:
    calendar = calendar_for(nation)
    due = day_of(stage.due) if stage.due is not None else None
    if stage.skipped:
        return LaneState.SKIPPED, "Skipped", False
    if stage.not_needed:
        return LaneState.NOT_NEEDED, stage.not_needed, False
    if stage.completed_at is not None:
        done = stage.completed_at.date()
        if stage.due is None or due is None:
            return LaneState.COMPLETED, f"Completed {done:%d/%m/%Y}", False
        if met(stage.due, stage.completed_at):
            return LaneState.COMPLETED, "Completed on time", False
        late = calendar.working_days_between(due, done)
        text = f"Completed {_plural(late)} late" if late > 0 else "Completed late"
        return LaneState.COMPLETED, text, False
    if stage.projected:
        if due:
            return LaneState.PROJECTED, f"Projected: due {fmt_day(due)}", False
        words = due_words(None, stage.waits_for)
        text = f"Not started; {words[:1].lower()}{words[1:]}"
        return LaneState.PROJECTED, text, False
    where = standing(stage.due, now, calendar)
    if where.overdue:
        return LaneState.CURRENT, where.words, True
    words = where.words
    return LaneState.CURRENT, f"Current: {words[:1].lower()}{words[1:]}", False


def _spans(
    stages: Sequence[StageView], today: date
) -> tuple[list[date], list[date | None], list[date]]:
    """Each lane's first day, due day and last day."""
    starts = [s.started_at.date() if s.started_at else None for s in stages]
    dues = [day_of(s.due) if s.due is not None else None for s in stages]
    # Projected stages start where the previous one is due: the latest path.
    resolved_starts: list[date] = []
    for i, start in enumerate(starts):
        if start is None:
            previous_end = dues[i - 1] if i and dues[i - 1] else None
            start = previous_end or (resolved_starts[-1] if resolved_starts else today)
        resolved_starts.append(start)
    # Where each lane ends: a completed stage at the day it was done (so a late one runs
    # past its deadline, and one with no fixed timescale still shows how long it took);
    # a current stage with no deadline runs to today; any other at its due day.
    ends: list[date] = []
    for i, stage in enumerate(stages):
        if stage.not_needed:  # no span of its own: where the escalation ended
            resolved_starts[i] = ends[-1] if ends else resolved_starts[i]
            ends.append(resolved_starts[i])
            continue
        last = dues[i] or resolved_starts[i]
        if stage.completed_at is not None and not stage.skipped:
            last = stage.completed_at.date()
        elif stage.started_at is not None and dues[i] is None and stage.completed_at is None:
            last = max(today, resolved_starts[i])
        ends.append(max(last, resolved_starts[i]))
    return resolved_starts, dues, ends


def _lane(
    stage: StageView,
    now: datetime,
    nation: Nation,
    span: tuple[date, date | None, date],
    x: Callable[[date], float],
    day_width: float,
) -> Lane:
    """One stage's lane across the axis (placed vertically by the caller)."""
    state, status, overdue = _status(stage, now, nation)
    start, due, last = span
    end = last + timedelta(days=1)  # a lane covers its last day
    return Lane(
        number=stage.number,
        title=stage.title,
        owner=stage.owner,
        state=state,
        start=start,
        due=due,
        x0=x(start),
        x1=max(x(end), x(start) + day_width),
        y=0.0,
        height=0.0,
        status=status,
        tooltip="\n".join(
            t for t in (stage_heading(stage.number, stage.title), status, stage.rule) if t
        ),
        overdue=overdue,
        bar_label=BAR_LABELS.get(state, ""),
    )


def layout_timeline(
    stages: Sequence[StageView],
    *,
    today: date,
    nation: Nation,
    protect_by: date | None = None,
    caps: Sequence[tuple[date, str]] = (),
    width: float = 720.0,
    label_width: float = 200.0,
    lane_height: float = 22.0,
    lane_gap: float = 8.0,
    axis_height: float = 28.0,
    label_row: float = 14.0,
    today_label: str = "Today",
    now: datetime | None = None,
    tick_room: float = 0.0,
) -> TimelineLayout:
    """Lay out one lane per stage, from its start to its due date (a completed stage:
    to the day it was completed). ``now``: the moment the current stage's standing is
    judged at (a deadline with a time is overdue from that minute); by default the start
    of ``today``. ``label_row``: the row above the dates where Today is labelled.
    ``tick_room``: the width a date under the axis needs, so no two run together."""
    calendar = calendar_for(nation)
    judged_at = now if now is not None else datetime.combine(today, time.min)
    resolved_starts, dues, ends = _spans(stages, today)
    days = [*resolved_starts, *(d for d in dues if d), *ends, today]
    days += [d for d, _ in caps]
    if protect_by:
        days.append(protect_by)
    first_day, last_day = min(days), max(days) + timedelta(days=1)
    span = (last_day - first_day).days + 1
    day_width = (width - label_width) / span

    def x(day: date) -> float:
        return label_width + (day - first_day).days * day_width

    lanes = [
        _lane(stage, judged_at, nation, (resolved_starts[i], dues[i], ends[i]), x, day_width)
        for i, stage in enumerate(stages)
    ]
    axis_top = label_row + axis_height
    lanes = [
        replace(lane, y=axis_top + i * (lane_height + lane_gap), height=lane_height)
        for i, lane in enumerate(lanes)
    ]
    today_words = f"{today_label} {today:%d/%m}"
    markers = [Marker("today", today, x(today) + day_width / 2, today_words, at_top=True)]
    # A cap or child-safety date marks the end of its day.
    markers += [
        Marker("cap", d, x(d + timedelta(days=1)), f"{label} {d:%d/%m}") for d, label in caps
    ]
    if protect_by:
        label = f"Child-safety date {protect_by:%d/%m}"
        markers.append(Marker("protect-by", protect_by, x(protect_by + timedelta(days=1)), label))
    shades = [
        Shade(d, x(d), x(d) + day_width, reason)
        for d, reason in calendar.non_working_days(first_day, last_day)
    ]
    # Every day on a short axis (every other day, or fewer, where a day is narrower
    # than a date); Mondays on a longer one (every other Monday, or fewer, likewise).
    every_day = [first_day + timedelta(days=n) for n in range(span)]
    if span <= 10:
        step = max(1, math.ceil(tick_room / day_width)) if day_width > 0 else 1
        labelled = every_day[::step]
    else:
        weeks = 1
        while weeks * 7 * day_width < tick_room and weeks * 7 < span:
            weeks *= 2
        labelled = [day for day in every_day if day.weekday() == 0][::weeks]
    ticks = [Tick(day, x(day), "") for day in labelled]
    ticks = [Tick(t.day, t.x, f"{t.day:%d/%m}") for t in ticks]
    height = axis_top + len(stages) * (lane_height + lane_gap)
    return TimelineLayout(
        width=width,
        height=height,
        axis_top=axis_top,
        first_day=first_day,
        last_day=last_day,
        day_width=day_width,
        label_width=label_width,
        lanes=lanes,
        markers=markers,
        shades=shades,
        ticks=ticks,
        label_row=label_row,
    )
