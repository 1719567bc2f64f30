"""Working-day deadlines per the rules in GUIDE section 3."""

from app.deadlines.calendar import WorkingCalendar, calendar_for
from app.deadlines.engine import (
    Moment,
    StageDeadline,
    day_of,
    fmt_day,
    fmt_moment,
    iso,
    project_pathway,
    stage_deadline,
)

__all__ = [
    "Moment",
    "StageDeadline",
    "WorkingCalendar",
    "calendar_for",
    "day_of",
    "fmt_day",
    "fmt_moment",
    "iso",
    "project_pathway",
    "stage_deadline",
]
