"""Working days in a UK nation: Monday to Friday, not a bank holiday.

Deadline projection runs thousands of times when the list or the benchmark loads, so the
calendar keeps a sorted table of working-day ordinals and answers "the Nth working day
after X" with one binary search instead of walking day by day.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from functools import cache

from app.deadlines.bank_holiday_table import BANK_HOLIDAYS
from app.deadlines.calendar_years import FIRST_YEAR, LAST_YEAR
from app.errors import InputError
from app.nation import Nation

__all__ = ["FIRST_YEAR", "LAST_YEAR", "WorkingCalendar", "calendar_for"]


class WorkingCalendar:
    def __init__(self, nation: Nation) -> None:
        self.nation = nation
        # From the table generated from ``holidays`` (see regenerate_bank_holidays).
        self._holidays: dict[date, str] = {
            date.fromisoformat(day): name for day, name in BANK_HOLIDAYS[nation.value]
        }
        first, last = date(FIRST_YEAR, 1, 1).toordinal(), date(LAST_YEAR, 12, 31).toordinal()
        closed = {day.toordinal() for day in self._holidays}
        # Ordinal 1 (1 January year 1) was a Monday, so (n + 6) % 7 is the weekday.
        self.working_ordinals: list[int] = [
            n for n in range(first, last + 1) if (n + 6) % 7 < 5 and n not in closed
        ]

    def _check(self, day: date) -> None:
        if not FIRST_YEAR <= day.year <= LAST_YEAR - 1:
            raise InputError(
                f"{day:%d/%m/%Y} is outside the years this app can work out deadlines for "
                f"({FIRST_YEAR}–{LAST_YEAR - 1})."
            )

    def holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def add_working_days(self, start: date, n: int) -> date:
        """The Nth working day after ``start``; ``start`` itself never counts."""
        if n < 0:
            raise ValueError("n must not be negative")
        self._check(start)
        if n == 0:
            return start
        index = bisect_right(self.working_ordinals, start.toordinal()) + n - 1
        return date.fromordinal(self.working_ordinals[index])

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if
        ``end`` is earlier): how many working days are left, or overdue by."""
        self._check(start)
        self._check(end)
        if end >= start:
            return bisect_right(self.working_ordinals, end.toordinal()) - bisect_right(
                self.working_ordinals, start.toordinal()
            )
        return -(
            bisect_right(self.working_ordinals, start.toordinal())
            - bisect_right(self.working_ordinals, end.toordinal())
        )

    def non_working_days(self, start: date, end: date) -> list[tuple[date, str]]:
        """Weekends and bank holidays from ``start`` to ``end`` inclusive, with a reason."""
        out: list[tuple[date, str]] = []
        day = start
        while day <= end:
            name = self._holidays.get(day)
            if name:
                out.append((day, name))
            elif day.weekday() >= 5:
                out.append((day, "weekend"))
            day += timedelta(days=1)
        return out

    def bank_holidays(self, start: date, end: date) -> list[tuple[date, str]]:
        """Bank holidays that fall on weekdays (the ones that move a deadline)."""
        return [
            (d, n)
            for d, n in self.non_working_days(start, end)
            if n != "weekend" and d.weekday() < 5
        ]

    def next_working_day_on_or_after(self, day: date) -> date:
        index = bisect_left(self.working_ordinals, day.toordinal())
        return date.fromordinal(self.working_ordinals[index])


@cache
def calendar_for(nation: Nation) -> WorkingCalendar:
    """One calendar per nation per process (building the table takes a few ms)."""
    return WorkingCalendar(nation)
