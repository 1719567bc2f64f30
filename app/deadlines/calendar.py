"""Working days in a UK nation: Monday to Friday, not a bank holiday.

Deadline projection runs thousands of times when the list or the benchmark loads, so the
calendar keeps a sorted table of working-day ordinals and answers "the Nth working day
after X" with one binary search instead of walking day by day. Counting working days
between two dates needs no table: weekdays have a closed form, less the weekday bank
holidays up to each date. So unlocking, which counts but does not project, never builds
the table (about 20,000 entries a nation, built on first use).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from functools import cache, cached_property

from app.deadlines.bank_holiday_table import BANK_HOLIDAYS
from app.deadlines.calendar_years import FIRST_YEAR, LAST_YEAR
from app.english_plurals import count
from app.errors import InputError
from app.nation import Nation

__all__ = ["FIRST_YEAR", "LAST_YEAR", "WorkingCalendar", "calendar_for"]


def _weekdays_to(ordinal: int) -> int:
    """Weekdays from ordinal 1 (1 January of year 1, a Monday) to ``ordinal``."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


class WorkingCalendar:
    def __init__(self, nation: Nation) -> None:
        self.nation = nation
        # From the table generated from ``holidays`` (see regenerate_bank_holidays).
        self._holidays: dict[date, str] = {
            date.fromisoformat(day): name for day, name in BANK_HOLIDAYS[nation.value]
        }
        # The bank holidays that close a weekday, in order (one that falls on a weekend
        # is listed, and so is its substitute weekday).
        self._closed: list[int] = sorted(
            day.toordinal() for day in self._holidays if day.weekday() < 5
        )

    @cached_property
    def working_ordinals(self) -> list[int]:
        """Every working day from FIRST_YEAR to LAST_YEAR as an ordinal, in order: the
        table the deadline engine searches. Built on first use, from slices (loops in C)
        rather than a test of each of 28,000 days."""
        first, last = date(FIRST_YEAR, 1, 1).toordinal(), date(LAST_YEAR, 12, 31).toordinal()
        monday = first - (first + 6) % 7  # ordinal 1 was a Monday
        days = list(range(monday, last + 1))
        del days[5::7]  # the Saturdays
        del days[5::6]  # then the Sundays, now every sixth
        table: list[int] = []
        start = bisect_left(days, first)
        for closed in self._closed:
            at = bisect_left(days, closed, start)
            table += days[start:at]
            start = at + 1 if at < len(days) and days[at] == closed else at
        table += days[start:]
        return table

    def _working_to(self, day: date) -> int:
        """Working days from ordinal 1 to ``day``: only differences mean anything."""
        ordinal = day.toordinal()
        return _weekdays_to(ordinal) - bisect_right(self._closed, ordinal)

    def _check(self, day: date) -> None:
        # Typed dates stop a year earlier (app.domain.typed_dates.EVENT_DATES), so a
        # projection from the last one a person may type still has a year to run in.
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise InputError(
                f"{day:%d/%m/%Y} is outside the years this app can work out deadlines for "
                f"({FIRST_YEAR}–{LAST_YEAR})."
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
        # The working day that is the ``wanted``-th from ordinal 1 is the k-th weekday,
        # where k also counts the weekday holidays up to it: k rises to the least such
        # value, usually in one step (the engine's hot path uses the table instead).
        wanted = self._working_to(start) + n
        k = wanted
        while True:
            weeks, rest = divmod(k - 1, 5)
            ordinal = 7 * weeks + rest + 1
            holidays = bisect_right(self._closed, ordinal)
            if wanted + holidays == k:
                break
            k = wanted + holidays
        due = date.fromordinal(ordinal)
        if due.year > LAST_YEAR:  # the holiday table ends there
            raise InputError(
                f"{count(n, 'working day')} after {start:%d/%m/%Y} is beyond {LAST_YEAR}, the last "
                "year this app can work out deadlines for."
            )
        return due

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if
        ``end`` is earlier): how many working days are left, or overdue by."""
        self._check(start)
        self._check(end)
        return self._working_to(end) - self._working_to(start)

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
        while not self.is_working_day(day):  # a weekend and a holiday or two at most
            day += timedelta(days=1)
        return day


@cache
def calendar_for(nation: Nation) -> WorkingCalendar:
    """One calendar per nation per process (its table is built once, when first used)."""
    return WorkingCalendar(nation)
