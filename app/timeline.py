"""Stage timeline geometry, shared by the Qt widget and the PDF documents.

The layout is computed here, in plain numbers, so the painted widget and the printed
confirmation show the same thing and the geometry can be tested without pixels. Every
calendar day gets the same width; weekends and bank holidays are shaded, so a deadline
that jumps over Christmas visibly does so. State is carried by shape and words as well
as colour (completed lanes are solid, the current one outlined heavy, projected ones
dashed), so the timeline reads in greyscale and for colour-blind users.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.deadlines import calendar_for, day_of, fmt_day
from app.domain.views import StageView
from app.policy import Nation


class LaneState(StrEnum):
    COMPLETED = "completed"
    SKIPPED = "skipped"
    CURRENT = "current"
    PROJECTED = "projected"


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


@dataclass(frozen=True)
class Marker:
    kind: str  # "today" | "cap" | "protect-by"
    day: date
    x: float
    label: str


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
    axis_top: float
    first_day: date
    last_day: date
    day_width: float
    label_width: float
    lanes: list[Lane]
    markers: list[Marker]
    shades: list[Shade]
    ticks: list[Tick]

    def x_of(self, day: date) -> float:
        """The left edge of a day's column."""
        return self.label_width + (day - self.first_day).days * self.day_width


def _plural(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


def _status(stage: StageView, today: date, nation: Nation) -> tuple[LaneState, str, bool]:
    calendar = calendar_for(nation)
    due = day_of(stage.due) if stage.due is not None else None
    if stage.skipped:
        return LaneState.SKIPPED, "Skipped", False
    if stage.completed_at is not None:
        done = stage.completed_at.date()
        if due is None:
            return LaneState.COMPLETED, f"Completed {done:%d/%m/%Y}", False
        late = calendar.working_days_between(due, done)
        if late > 0:
            return LaneState.COMPLETED, f"Completed {_plural(late)} late", False
        return LaneState.COMPLETED, "Completed on time", False
    if stage.projected:
        text = f"Projected: due {fmt_day(due)}" if due else "Not started; no fixed timescale"
        return LaneState.PROJECTED, text, False
    if due is None:
        return LaneState.CURRENT, "Current: no fixed timescale", False
    left = calendar.working_days_between(today, due)
    if left < 0 or (left == 0 and today > due):
        return LaneState.CURRENT, f"Overdue by {_plural(-left)}", True
    if today == due:
        return LaneState.CURRENT, "Current: due today", False
    return LaneState.CURRENT, f"Current: {_plural(left)} left", False


def _starts(stages: Sequence[StageView], dues: list[date | None], today: date) -> list[date]:
    """Where each lane starts. A stage not yet started is drawn from the day the one
    before it is due (or, with no such day, from where that one starts, or today)."""
    starts: list[date] = []
    for i, stage in enumerate(stages):
        if stage.started_at is not None:
            start = stage.started_at.date()
        else:
            previous_end = dues[i - 1] if i and dues[i - 1] else None
            start = previous_end or (starts[-1] if starts else today)
        starts.append(start)
    return starts


def _ends(
    stages: Sequence[StageView], dues: list[date | None], starts: list[date], today: date
) -> list[date]:
    """Where each lane ends: a completed stage at the day it was done (so a late one runs
    past its deadline, and one with no fixed timescale still shows how long it took); a
    current stage with no deadline runs to today; any other at its due day."""
    ends: list[date] = []
    for stage, due, start in zip(stages, dues, starts, strict=True):
        last = due or start
        if stage.completed_at is not None and not stage.skipped:
            last = stage.completed_at.date()
        elif stage.started_at is not None and due is None and stage.completed_at is None:
            last = max(today, start)
        ends.append(max(last, start))
    return ends


def _lane(
    stage: StageView,
    start: date,
    due: date | None,
    end: date,
    *,
    x: Callable[[date], float],
    day_width: float,
    y: float,
    height: float,
    today: date,
    nation: Nation,
) -> Lane:
    state, status, overdue = _status(stage, today, nation)
    x0 = x(start)
    return Lane(
        number=stage.number,
        title=stage.title,
        owner=stage.owner,
        state=state,
        start=start,
        due=due,
        x0=x0,
        # A lane covers its last day, and at least one day.
        x1=max(x(end + timedelta(days=1)), x0 + day_width),
        y=y,
        height=height,
        status=status,
        tooltip=f"Stage {stage.number}: {stage.title}\n{status}\n{stage.rule}",
        overdue=overdue,
    )


def _markers(
    today: date,
    today_label: str,
    caps: Sequence[tuple[date, str]],
    protect_by: date | None,
    x: Callable[[date], float],
    day_width: float,
) -> list[Marker]:
    """Today mid-day; a cap or child-safety date at the end of its day."""
    markers = [Marker("today", today, x(today) + day_width / 2, f"{today_label} {today:%d/%m}")]
    markers += [
        Marker("cap", d, x(d + timedelta(days=1)), f"{label} {d:%d/%m}") for d, label in caps
    ]
    if protect_by:
        markers.append(
            Marker(
                "protect-by",
                protect_by,
                x(protect_by + timedelta(days=1)),
                f"Child-safety date {protect_by:%d/%m}",
            )
        )
    return markers


def _ticks(first_day: date, span: int, x: Callable[[date], float]) -> list[Tick]:
    """Mondays (or every day on a short axis), so dates stay legible."""
    days = (first_day + timedelta(days=n) for n in range(span))
    return [Tick(d, x(d), f"{d:%d/%m}") for d in days if span <= 10 or d.weekday() == 0]


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
    today_label: str = "Today",
) -> TimelineLayout:
    """Lay out one lane per stage, from its start to its due date (a completed stage:
    to the day it was completed)."""
    dues = [day_of(s.due) if s.due is not None else None for s in stages]
    starts = _starts(stages, dues, today)
    ends = _ends(stages, dues, starts, today)
    days = [*starts, *(d for d in dues if d), *ends, today]
    days += [d for d, _ in caps]
    if protect_by:
        days.append(protect_by)
    first_day, last_day = min(days), max(days) + timedelta(days=1)
    span = (last_day - first_day).days + 1
    day_width = (width - label_width) / span

    def x(day: date) -> float:
        return label_width + (day - first_day).days * day_width

    lanes = [
        _lane(
            stage,
            starts[i],
            dues[i],
            ends[i],
            x=x,
            day_width=day_width,
            y=axis_height + i * (lane_height + lane_gap),
            height=lane_height,
            today=today,
            nation=nation,
        )
        for i, stage in enumerate(stages)
    ]
    shades = [
        Shade(d, x(d), x(d) + day_width, reason)
        for d, reason in calendar_for(nation).non_working_days(first_day, last_day)
    ]
    return TimelineLayout(
        width=width,
        height=axis_height + len(stages) * (lane_height + lane_gap),
        axis_top=axis_height,
        first_day=first_day,
        last_day=last_day,
        day_width=day_width,
        label_width=label_width,
        lanes=lanes,
        markers=_markers(today, today_label, caps, protect_by, x, day_width),
        shades=shades,
        ticks=_ticks(first_day, span, x),
    )
