"""The deadline rules of docs/architecture.md, on synthetic pathways (the shipped policies
are exercised in test_policy_seeds.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.deadlines import calendar_for, day_of, project_pathway, stage_deadline
from app.deadlines.calendar import FIRST_YEAR, LAST_YEAR, WorkingCalendar
from app.errors import InputError
from app.policy import Nation, Pathway, Stage

ENGLAND = calendar_for(Nation.ENGLAND)


def make_stage(number: int, *rules: dict[str, Any]) -> Stage:
    return Stage.model_validate(
        {
            "number": number,
            "title": f"Stage {number}",
            "owner": "Owner",
            "action": "Act.",
            "timescales": [{"text": "as the policy says", **r} for r in rules],
        }
    )


def make_pathway(*stages: Stage) -> Pathway:
    return Pathway.model_validate(
        {
            "id": "resolution",
            "title": "t",
            "summary": "s",
            "stages": [s.model_dump() for s in stages],
        }
    )


WD5 = {"unit": "working_days", "amount": 5}


def test_guide_example_friday_before_christmas() -> None:
    # docs/architecture.md: 5 working days from Friday 18 December 2026 is Tuesday 29th.
    deadline = stage_deadline(make_stage(1, WD5), date(2026, 12, 18), date(2026, 12, 18))
    assert deadline.due == date(2026, 12, 29)
    assert "Christmas Day" in deadline.rule and "Boxing Day" in deadline.rule


def test_start_day_never_counts_even_with_a_time() -> None:
    stage = make_stage(1, {"unit": "working_days", "amount": 1})
    monday_morning = datetime(2026, 11, 23, 8, 0)
    assert stage_deadline(stage, monday_morning, monday_morning).due == date(2026, 11, 24)
    saturday = date(2026, 11, 21)
    assert stage_deadline(stage, saturday, saturday).due == date(2026, 11, 23)


def test_hours_give_a_date_and_time_and_dates_start_at_midnight() -> None:
    stage = make_stage(1, {"unit": "hours", "amount": 96, "from_amount": 24})
    raised = datetime(2026, 11, 20, 15, 30)
    assert stage_deadline(stage, raised, raised).due == datetime(2026, 11, 24, 15, 30)
    assert stage_deadline(stage, date(2026, 11, 20), date(2026, 11, 20)).due == datetime(
        2026, 11, 24, 0, 0
    )


def test_calendar_days_and_immediate() -> None:
    cal = make_stage(1, {"unit": "calendar_days", "amount": 28})
    assert stage_deadline(cal, date(2026, 12, 10), date(2026, 12, 10)).due == date(2027, 1, 7)
    now = make_stage(1, {"unit": "immediate"})
    start = datetime(2026, 12, 25, 9, 0)
    assert stage_deadline(now, start, start).due == date(2026, 12, 25)


def test_no_fixed_timescale_invents_nothing() -> None:
    stage = make_stage(1, {"unit": "none"})
    deadline = stage_deadline(stage, date(2026, 12, 1), date(2026, 12, 1))
    assert deadline.due is None
    assert deadline.rule.startswith("No fixed timescale")
    protected = stage_deadline(
        stage, date(2026, 12, 1), date(2026, 12, 1), protect_by=date(2026, 12, 4)
    )
    assert protected.due == date(2026, 12, 4) and protected.limited_by_protect_by
    assert "no fixed timescale" in protected.rule


def test_earliest_rule_wins_and_anchor_to_raised() -> None:
    stage = make_stage(
        6,
        {"unit": "working_days", "amount": 3},
        {"unit": "working_days", "amount": 13, "anchor": "raised", "cap": True},
    )
    raised = date(2026, 11, 2)  # Monday; 13 working days later is Thursday 19 November
    late_start = date(2026, 11, 18)
    deadline = stage_deadline(stage, late_start, raised)
    assert deadline.due == date(2026, 11, 19)
    assert deadline.winner is not None and deadline.winner.timescale.cap
    assert deadline.caps[0].due == date(2026, 11, 19)
    early_start = date(2026, 11, 3)
    assert stage_deadline(stage, early_start, raised).due == date(2026, 11, 6)


def test_child_safety_date_wins_when_sooner() -> None:
    deadline = stage_deadline(
        make_stage(1, WD5), date(2026, 12, 18), date(2026, 12, 18), protect_by=date(2026, 12, 22)
    )
    assert deadline.due == date(2026, 12, 22)
    assert deadline.limited_by_protect_by
    assert "Child-safety date" in deadline.rule
    later = stage_deadline(
        make_stage(1, WD5), date(2026, 12, 18), date(2026, 12, 18), protect_by=date(2027, 1, 30)
    )
    assert later.due == date(2026, 12, 29) and not later.limited_by_protect_by


def test_projection_chains_from_previous_deadline_and_known_starts() -> None:
    pathway = make_pathway(
        make_stage(1, WD5),
        make_stage(2, {"unit": "none"}),
        make_stage(3, WD5),
        make_stage(4, WD5),
    )
    raised = date(2026, 12, 18)
    stages = project_pathway(pathway, raised)
    assert [s.start_known for s in stages] == [True, False, False, False]
    assert stages[0].due == date(2026, 12, 29)
    assert stages[1].start == date(2026, 12, 29) and stages[1].due is None
    # Stage 2 has no deadline, so stage 3 has no projected start and no date until
    # stage 2 ends (not a date counted from stage 2's start), nor has stage 4.
    assert [s.projected_start for s in stages[2:]] == [None, None]
    assert [s.due for s in stages[2:]] == [None, None]
    assert [s.due_waits_for for s in stages[2:]] == [2, 3]
    assert stages[2].rule.startswith("No date yet: this stage starts when stage 2 ends")
    started = project_pathway(pathway, raised, {2: date(2026, 12, 29), 3: date(2027, 1, 4)})
    assert started[2].due == date(2027, 1, 11) and started[3].due == date(2027, 1, 18)
    known = project_pathway(pathway, raised, {3: date(2027, 2, 1)})
    assert known[2].start_known and known[2].due == date(2027, 2, 8)
    assert known[3].start == date(2027, 2, 8)


def test_nations_differ_on_2_january() -> None:
    start = date(2026, 12, 31)
    stage = make_stage(1, {"unit": "working_days", "amount": 1})
    england = stage_deadline(stage, start, start, nation=Nation.ENGLAND)
    scotland = stage_deadline(stage, start, start, nation=Nation.SCOTLAND)
    assert england.due == date(2027, 1, 4)  # Fri 1 Jan holiday, then Mon 4 Jan
    assert scotland.due == date(2027, 1, 5)  # Scotland also has 2 Jan, observed Mon 4 Jan


def test_working_days_between_counts_left_and_overdue() -> None:
    # After Wed 23 Dec: Thu 24, (Fri 25, Mon 28 bank holidays), Tue 29.
    assert ENGLAND.working_days_between(date(2026, 12, 23), date(2026, 12, 29)) == 2
    assert ENGLAND.working_days_between(date(2026, 12, 29), date(2026, 12, 23)) == -2
    assert ENGLAND.working_days_between(date(2026, 12, 24), date(2026, 12, 28)) == 0


def test_dates_outside_supported_years_are_refused_plainly() -> None:
    with pytest.raises(InputError, match="outside the years"):
        ENGLAND.add_working_days(date(1700, 1, 1), 3)
    # A start inside the years but a deadline past them, where no holidays are known.
    assert ENGLAND.add_working_days(date(2075, 7, 24), 100).year == 2075
    with pytest.raises(InputError, match="beyond 2076"):
        ENGLAND.add_working_days(date(2075, 7, 24), 366)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2074, 12, 31))
nations = st.sampled_from(list(Nation))


@given(start=days, n=st.integers(min_value=1, max_value=60), nation=nations)
def test_working_day_deadline_is_a_working_day_after_start(
    start: date, n: int, nation: Nation
) -> None:
    calendar = calendar_for(nation)
    due = calendar.add_working_days(start, n)
    assert due > start
    assert due.weekday() < 5
    assert calendar.holiday_name(due) is None
    assert calendar.working_days_between(start, due) == n


def _walk(calendar: WorkingCalendar, start: date, n: int) -> date:
    """The Nth working day after ``start``, day by day: the definition itself."""
    day = start
    while n:
        day += timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day


@given(start=days, n=st.integers(min_value=0, max_value=60), nation=nations)
def test_working_day_arithmetic_matches_walking_day_by_day(
    start: date, n: int, nation: Nation
) -> None:
    """The calendar counts without walking (a closed form for weekdays, less the
    holidays) and projects from its table; both must agree with the definition."""
    calendar = calendar_for(nation)
    due = _walk(calendar, start, n)
    assert calendar.add_working_days(start, n) == due
    assert calendar.working_days_between(start, due) == n
    assert calendar.working_days_between(due, start) == -n
    if n:  # the day before the Nth working day has only N - 1 after the start
        assert calendar.working_days_between(start, due - timedelta(days=1)) == n - 1
    walked = sum(calendar.is_working_day(start + timedelta(days=d + 1)) for d in range(n + 9))
    assert calendar.working_days_between(start, start + timedelta(days=n + 9)) == walked
    on_or_after = start
    while not calendar.is_working_day(on_or_after):
        on_or_after += timedelta(days=1)
    assert calendar.next_working_day_on_or_after(start) == on_or_after


@pytest.mark.parametrize("nation", list(Nation))
def test_the_table_is_every_working_day_of_the_years_covered(nation: Nation) -> None:
    calendar = WorkingCalendar(nation)
    first, last = date(FIRST_YEAR, 1, 1).toordinal(), date(LAST_YEAR, 12, 31).toordinal()
    assert calendar.working_ordinals == [
        n for n in range(first, last + 1) if calendar.is_working_day(date.fromordinal(n))
    ]


@given(start=days, n=st.integers(min_value=0, max_value=59), nation=nations)
def test_working_day_deadline_is_monotonic_in_n(start: date, n: int, nation: Nation) -> None:
    calendar = calendar_for(nation)
    assert calendar.add_working_days(start, n) < calendar.add_working_days(start, n + 1)


@given(
    raised=days,
    delay=st.integers(min_value=0, max_value=40),
    n=st.integers(min_value=1, max_value=20),
    cap=st.integers(min_value=1, max_value=20),
    protect=st.one_of(st.none(), st.integers(min_value=0, max_value=60)),
    nation=nations,
)
def test_deadline_never_exceeds_cap_or_child_safety_date(
    raised: date, delay: int, n: int, cap: int, protect: int | None, nation: Nation
) -> None:
    stage = make_stage(
        1,
        {"unit": "working_days", "amount": n},
        {"unit": "working_days", "amount": cap, "anchor": "raised", "cap": True},
    )
    start = raised + timedelta(days=delay)
    protect_by = raised + timedelta(days=protect) if protect is not None else None
    deadline = stage_deadline(stage, start, raised, protect_by=protect_by, nation=nation)
    assert deadline.due is not None
    due = day_of(deadline.due)
    assert due <= calendar_for(nation).add_working_days(raised, cap)
    assert due <= calendar_for(nation).add_working_days(start, n)
    if protect_by is not None:
        assert due <= protect_by
