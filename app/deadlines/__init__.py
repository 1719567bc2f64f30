"""Working-day deadlines per the rules in docs/architecture.md (Deadline rules).

The calendar and the moment helpers load at once; the engine, and with it the policy
schema (pydantic), only when one of its names is first used. The dashboard needs only
the former, and is painted before the rest loads (start-up: docs/performance.md).
"""

from typing import TYPE_CHECKING, Any

from app.deadlines.calendar import WorkingCalendar, calendar_for
from app.deadlines.moments import Moment, day_of, fmt_day, fmt_moment, iso

if TYPE_CHECKING:
    from app.deadlines.engine import (
        OtherDue,
        StageDeadline,
        other_deadline,
        project_pathway,
        stage_deadline,
    )

_ENGINE = frozenset(
    {"OtherDue", "StageDeadline", "other_deadline", "project_pathway", "stage_deadline"}
)


def __getattr__(name: str) -> Any:
    if name in _ENGINE:
        from app.deadlines import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Moment",
    "OtherDue",
    "StageDeadline",
    "WorkingCalendar",
    "calendar_for",
    "day_of",
    "fmt_day",
    "fmt_moment",
    "iso",
    "other_deadline",
    "project_pathway",
    "stage_deadline",
]
