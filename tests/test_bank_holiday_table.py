"""The generated bank holiday table matches the ``holidays`` package it was made from.

If this fails after ``holidays`` is upgraded (a newly announced bank holiday, a corrected
name), run ``python -m app.deadlines.regenerate_bank_holidays`` and commit the table."""

from __future__ import annotations

from datetime import date

import pytest

from app.deadlines.bank_holiday_table import BANK_HOLIDAYS
from app.deadlines.calendar import WorkingCalendar
from app.deadlines.regenerate_bank_holidays import from_holidays, render
from app.nation import Nation


@pytest.mark.parametrize("nation", list(Nation))
def test_table_matches_the_holidays_package(nation: Nation) -> None:
    table = {date.fromisoformat(day): name for day, name in BANK_HOLIDAYS[nation.value]}
    expected = from_holidays(nation)
    missing = sorted(set(expected) - set(table))
    extra = sorted(set(table) - set(expected))
    renamed = sorted(d for d in set(table) & set(expected) if table[d] != expected[d])
    assert not (missing or extra or renamed), (
        f"{nation.value}: missing {missing[:5]}, extra {extra[:5]}, renamed {renamed[:5]}; "
        "run python -m app.deadlines.regenerate_bank_holidays"
    )


def test_the_committed_file_is_what_the_generator_writes() -> None:
    from app.deadlines import regenerate_bank_holidays

    assert regenerate_bank_holidays.TABLE.read_text(encoding="utf-8") == render()


@pytest.mark.parametrize(
    ("nation", "day", "name"),
    [
        (Nation.SCOTLAND, date(2026, 11, 30), "Saint Andrew's Day"),
        (Nation.NORTHERN_IRELAND, date(2026, 7, 13), "Battle of the Boyne (observed)"),
        (Nation.ENGLAND, date(2026, 12, 28), "Boxing Day (observed)"),
    ],
)
def test_nation_specific_days_reach_the_calendar(nation: Nation, day: date, name: str) -> None:
    calendar = WorkingCalendar(nation)
    assert calendar.holiday_name(day) == name
    assert not calendar.is_working_day(day)
    if nation is not Nation.ENGLAND:  # the day is a holiday only where the nation keeps it
        assert WorkingCalendar(Nation.ENGLAND).is_working_day(day)
