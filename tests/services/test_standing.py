"""Where a stage stands is one rule, and every place a DSL looks reads it: the list, the
dashboard counts, the timeline (and so the window's stage table), the documents.

A deadline with a time is overdue from that minute; a deadline that is a date is due all
that day and overdue from the next; working days left count those after today up to and
including the due date."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.deadlines import Moment, calendar_for
from app.deadlines.standing import Standing, standing
from app.documents.sections import deadline_result
from app.domain.views import ChildView, EscalationDetail, EscalationRow, StageView
from app.nation import Nation
from app.services.dashboard import Urgency, deadline_status
from app.timeline import layout_timeline
from ui.escalation.texts import status_line

FRIDAY = date(2026, 11, 27)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


# (case, now, due, standing, working days, the words)
TABLE: list[tuple[str, datetime, Moment | None, Standing, int | None, str]] = [
    ("24 hours, due 10:00, at 14:00", at(FRIDAY, 14), at(FRIDAY, 10), Standing.OVERDUE, 0,
     "Overdue: was due 10:00 today"),
    ("due 10:00, at 10:00", at(FRIDAY, 10), at(FRIDAY, 10), Standing.OVERDUE, 0,
     "Overdue: was due 10:00 today"),
    ("due 10:00, at 09:59", at(FRIDAY, 9, 59), at(FRIDAY, 10), Standing.DUE_TODAY, 0,
     "Due today by 10:00"),
    ("a date, at the end of its day", at(FRIDAY, 23, 59), FRIDAY, Standing.DUE_TODAY, 0,
     "Due today"),
    ("a date, the next morning", at(date(2026, 11, 30), 0), FRIDAY, Standing.OVERDUE, 1,
     "Overdue by 1 working day"),
    ("a time yesterday", at(date(2026, 11, 30), 9), at(FRIDAY, 17), Standing.OVERDUE, 1,
     "Overdue by 1 working day"),
    ("a Friday date, seen on Sunday", at(date(2026, 11, 29), 9), FRIDAY, Standing.OVERDUE, 0,
     "Overdue: was due Fri 27 Nov"),
    ("a Saturday date, seen on Friday", at(FRIDAY, 9), date(2026, 11, 28), Standing.DUE_LATER,
     0, "no working days left"),
    ("a time on Monday, from Friday", at(FRIDAY, 16), at(date(2026, 11, 30), 9),
     Standing.DUE_LATER, 1, "1 working day left"),
    ("over Christmas", at(date(2026, 12, 24), 9), date(2026, 12, 29), Standing.DUE_LATER, 1,
     "1 working day left"),
    ("a week ahead", at(FRIDAY, 9), date(2026, 12, 4), Standing.DUE_LATER, 5,
     "5 working days left"),
    ("no fixed timescale", at(FRIDAY, 9), None, Standing.NO_TIMESCALE, None,
     "no fixed timescale"),
]  # fmt: skip

IDS = [case[0] for case in TABLE]
CASES = [case[1:] for case in TABLE]


def current_stage(due: Moment | None) -> StageView:
    return StageView(
        number=1,
        title="Talk to the other worker",
        owner="DSL",
        action="Discuss it.",
        started_at=datetime(2026, 11, 20, 9, 0),
        due=due,
        rule="test",
        completed_at=None,
        result="",
        skipped=False,
        projected=False,
    )


def list_row(due: Moment | None) -> EscalationRow:
    return EscalationRow(
        ref="ESC-2026-0001",
        child_name="Zoë Nguyễn",
        other_agency="Children's Social Care",
        policy_id="suffolk",
        pathway_id="resolution",
        stage_number=1,
        stage_count=4,
        stage_title="Talk to the other worker",
        next_due=due,
        status="open",
        raised_at=datetime(2026, 11, 20, 9, 0),
        closed_at=None,
        nation="england",
    )


def window_detail(due: Moment | None) -> EscalationDetail:
    child = ChildView(1, "Zoë Nguyễn", date(2015, 3, 1), "", False, False, False, date(2040, 3, 1))
    return EscalationDetail(
        row=list_row(due),
        child=child,
        policy_version="3",
        raised_by="Ms A Lead",
        other_practitioner="",
        category="threshold",
        disputed="d",
        change_wanted="c",
        impact="i",
        immediate_risk=False,
        protect_by=None,
        stages=[current_stage(due)],
        records=[],
    )


@pytest.mark.parametrize(("now", "due", "expected", "days", "words"), CASES, ids=IDS)
def test_where_a_stage_stands_everywhere(
    now: datetime, due: Moment | None, expected: Standing, days: int | None, words: str
) -> None:
    found = standing(due, now, calendar_for(Nation.ENGLAND))
    assert (found.standing, found.working_days, found.words) == (expected, days, words)

    # The list and its counts.
    urgency, text, left = deadline_status(list_row(due), now)
    assert (urgency is Urgency.OVERDUE) == (expected is Standing.OVERDUE)
    assert (urgency is Urgency.DUE_TODAY) == (expected is Standing.DUE_TODAY)
    assert text.endswith(words) or (due is None and text == "No fixed timescale")
    assert left == (None if days is None else -days if expected is Standing.OVERDUE else days)

    # The timeline, and the window's stage table, which shows its words.
    lane = layout_timeline([current_stage(due)], today=now.date(), now=now, nation=Nation.ENGLAND)
    assert lane.lanes[0].overdue == (expected is Standing.OVERDUE)
    assert lane.lanes[0].status.lower().endswith(words.lower())

    # The escalation window's status line (its words, in capitals when urgent).
    line = status_line(window_detail(due), now)
    assert line.urgent == (expected in (Standing.OVERDUE, Standing.DUE_TODAY))
    if expected is Standing.DUE_TODAY:
        assert line.text.startswith("⚠ DUE TODAY")
    else:
        assert words.upper() in line.text.upper()

    # Every document's stage table.
    result = deadline_result(current_stage(due), Nation.ENGLAND, now)
    if due is None:
        assert result == "No fixed timescale"
    else:
        assert result.lower() == f"open: {words.lower()}"
