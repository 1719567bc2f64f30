"""What a person in England types as a date, or a date and a time, read one way for
every field: the date it means, or a plain-English problem. Never a guess.

Read as dates (docs/architecture.md, "Typed dates"):

- day/month/year with ``/``, ``-``, ``.`` or spaces between (one kind in a date):
  ``22/09/2014``, ``22/9/2014``, ``22-09-2014``, ``22.09.2014``;
- eight digits, day month year: ``22092014``;
- year first, as ISO 8601 writes it: ``2014-09-22``;
- the month in words, with or without the weekday: ``22 Sept 2014``,
  ``Monday 22 September 2014`` (what the field shows back, so a copy pastes back).

A time follows the date after a space, a comma, ``at`` or ``T``: 24-hour ``14:30`` or
``14.30`` (a dot is how times are often written in England, and after a date it
cannot be mistaken for one), or ``2:30pm``/``2pm``. ``12am``/``12pm`` are refused:
people read them both ways.

Refused, each with its reason: a two-digit year (``22/09/14``: 1914 or 2014 is the
reader's guess, and a court record must not hold a guess), a part of a date
(``22/09``), an impossible date (``31/02/2015``), a weekday that does not match, and a
date outside its field kind's range (``DateRange``, checked in ``range_problem`` and
nowhere else; the services check stored values with the same function).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Generic, TypeVar

from app.deadlines.calendar_years import FIRST_YEAR, LAST_YEAR
from app.english_dates import MONTHS, WEEKDAYS
from app.english_plurals import count

T = TypeVar("T", date, datetime)

_MONTH_WORDS = {name.lower(): n for n, name in enumerate(MONTHS, 1)} | {
    name[:3].lower(): n for n, name in enumerate(MONTHS, 1)
}
_MONTH_WORDS["sept"] = 9
_WEEKDAY_WORDS = {name.lower(): n for n, name in enumerate(WEEKDAYS)} | {
    name[:3].lower(): n for n, name in enumerate(WEEKDAYS)
}
_WEEKDAY_WORDS |= {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}

EXAMPLE = "22/09/2014"
EXAMPLE_TIME = "14:30"


@dataclass(frozen=True)
class DateRange:
    """The dates a kind of field takes: outside them a date is a typing slip."""

    what: str  # "a date of birth", as the message names it
    earliest: date
    latest: date
    missing: str  # the problem when nothing is typed and a date is required


# Dates in an escalation's life: the working-day calendar covers these years, so a
# deadline can be worked out from any of them (docs/architecture.md, Deadline rules).
EVENT_DATES = DateRange(
    "a date in an escalation",
    date(FIRST_YEAR, 1, 1),
    date(LAST_YEAR - 1, 12, 31),
    f"type the date, for example {EXAMPLE}.",
)
# A child's date of birth may be long before the escalation (a young adult with SEND
# or leaving care), never in the years no pupil or care leaver now alive was born.
BIRTH_DATES = DateRange(
    "a date of birth",
    date(1990, 1, 1),
    date(LAST_YEAR - 1, 12, 31),
    "type the date of birth, or tick “Date of birth not known” if nobody knows it.",
)


def range_problem(value: date, kind: DateRange, typed: str | None = None) -> str | None:
    """The one check of a date against its kind's range; ``typed`` is what the person
    typed, named in the message (the date itself when it came from elsewhere)."""
    if kind.earliest <= value <= kind.latest:
        return None
    return (
        f"{typed or f'{value:%d/%m/%Y}'} is outside the dates this app takes for {kind.what} "
        f"({kind.earliest:%d/%m/%Y} to {kind.latest:%d/%m/%Y})."
    )


@dataclass(frozen=True)
class Reading(Generic[T]):
    """What was typed, read: ``value`` when it is a date, else ``problem`` ("" and no
    value for an empty field that may be left empty)."""

    value: T | None
    problem: str = ""


def in_words(value: date) -> str:
    """'Monday 22 September 2014', or with its time, 'Monday 22 September 2014 at 14:30'
    (written out here, not by the locale: it must not change with the machine)."""
    day = date(value.year, value.month, value.day)
    words = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year:04d}"
    return f"{words} at {value:%H:%M}" if isinstance(value, datetime) else words


NOT_KNOWN = "Not known"


def birth_text(value: date | None) -> str:
    """A date of birth as every document and screen shows it: '12/05/2014', or 'Not
    known' when the DSL said nobody knows it (never a date made up for it)."""
    return NOT_KNOWN if value is None else f"{value:%d/%m/%Y}"


def born_text(value: date | None) -> str:
    """'born 12/05/2014', or 'date of birth not known', after a child's name."""
    return "date of birth not known" if value is None else f"born {value:%d/%m/%Y}"


def as_typed(value: date) -> str:
    """A date (and time) as the fields show it to be edited: 22/09/2014 14:30."""
    return f"{value:%d/%m/%Y %H:%M}" if isinstance(value, datetime) else f"{value:%d/%m/%Y}"


def read_date(text: str, kind: DateRange = EVENT_DATES, *, required: bool = True) -> Reading[date]:
    """A date typed without a time."""
    typed = _tidy(text)
    if not typed:
        return Reading(None, kind.missing if required else "")
    day_text, time_text = _split_time(typed)
    day = _day(day_text, typed if not time_text else day_text, kind)
    if day.value is not None and time_text:
        return Reading(None, f"{_echo(typed)}: type the date only, without {time_text}.")
    return day


def read_datetime(
    text: str, kind: DateRange = EVENT_DATES, *, required: bool = True
) -> Reading[datetime]:
    """A date with its time of day (24-hour, or am/pm)."""
    typed = _tidy(text)
    if not typed:
        missing = f"type the date and time, for example {EXAMPLE} {EXAMPLE_TIME}."
        return Reading(None, missing if required else "")
    day_text, time_text = _split_time(typed)
    day = _day(day_text, day_text, kind)
    if day.value is None:
        return Reading(None, day.problem)
    if not time_text:
        return Reading(
            None, f"{_echo(typed)} needs a time too, for example {day_text} {EXAMPLE_TIME}."
        )
    clock, problem = _clock(time_text)
    if clock is None:
        return Reading(None, problem)
    return Reading(datetime.combine(day.value, clock))


# Reading the parts ----------------------------------------------------------------------

# ASCII digits only: str.isdigit() and \d also take '²' and other scripts' digits, and a
# date is read the one way the message and the words beside the field show it.
_A = re.ASCII
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"[0-9]+", _A)
_TIME = re.compile(
    r"(?:\s*,\s*|\s+at\s+|\s+|(?<=\d)T)"
    r"(?P<time>\d{1,2}(?:[:.]\d{1,2})?\s*(?:[ap]\.?m\.?)?)$",
    re.IGNORECASE | _A,
)
_NUMERIC = re.compile(r"(\d+)([/.\- ])(\d+)\2(\d+)", _A)
_TWO_PARTS = re.compile(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ]?", _A)
_WORDS = re.compile(
    r"(?:(?P<weekday>[a-z]+)\.?,?\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+"
    r"(?P<month>[a-z]+)\.?,?(?:\s+(?P<year>\d+))?",
    re.IGNORECASE | _A,
)


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _echo(typed: str) -> str:
    """What was typed, as a message quotes it (a long paste is cut short)."""
    return typed if len(typed) <= 40 else typed[:39] + "…"


def _split_time(typed: str) -> tuple[str, str]:
    """The date's text and the time's text after it ('' when there is none). A time
    without ``:``, ``.`` or am/pm is part of the date: '22 09 2014' has no time."""
    found = _TIME.search(typed)
    if found is None:
        return typed, ""
    clock = found.group("time")
    if not re.search(r"[:.apAP]", clock):
        return typed, ""
    head = typed[: found.start()]
    # '22.09.2014' must stay a date: a time needs a whole date before it.
    whole = _DIGITS.fullmatch(head) and len(head) == 8
    if not (whole or any(p.fullmatch(head) for p in (_NUMERIC, _TWO_PARTS, _WORDS))):
        return typed, ""
    return head, clock


def _day(text: str, typed: str, kind: DateRange) -> Reading[date]:
    parts, problem = _parts(text, typed)
    if parts is None:
        return Reading(None, problem)
    year, month, day, weekday = parts
    problem = _impossible(year, month, day, typed)
    if problem:
        return Reading(None, problem)
    value = date(year, month, day)
    if weekday is not None and weekday != value.weekday():
        return Reading(
            None,
            f"{_echo(typed)}: {in_words(value).split(' ', 1)[1]} is a "
            f"{WEEKDAYS[value.weekday()]}, not a {WEEKDAYS[weekday]}.",
        )
    problem = range_problem(value, kind, _echo(typed)) or ""
    return Reading(None, problem) if problem else Reading(value)


Parts = tuple[int, int, int, int | None]  # year, month, day, weekday (0 Monday) or None


def _parts(text: str, typed: str) -> tuple[Parts | None, str]:
    """Year, month and day as typed (not yet checked), or why they cannot be read."""
    shown = _echo(typed)
    if _DIGITS.fullmatch(text) and len(text) == 8:
        return (int(text[4:]), int(text[2:4]), int(text[:2]), None), ""
    numeric = _NUMERIC.fullmatch(text)
    if numeric is not None:
        first, _sep, middle, last = numeric.groups()
        if len(first) == 4:  # year first (ISO 8601)
            return _checked_year(last, middle, first, None, shown, year_first=True)
        return _checked_year(first, middle, last, None, shown)
    words = _WORDS.fullmatch(text)
    if words is not None:
        return _worded(words, shown)
    return None, _unreadable(text, shown)


def _checked_year(
    day: str, month: str, year: str, weekday: int | None, shown: str, *, year_first: bool = False
) -> tuple[Parts | None, str]:
    if len(year) == 2:
        return None, f"{shown} has a two-digit year: type the year in full (four digits)."
    if len(year) != 4 and not year_first:
        return None, f"{shown}: type the year in full (four digits)."
    if not year_first and (len(day) > 2 or len(month) > 2):
        return None, f"{shown} is not a date: type it as day/month/year, for example {EXAMPLE}."
    return (int(year), int(month), int(day), weekday), ""


def _worded(words: re.Match[str], shown: str) -> tuple[Parts | None, str]:
    month = _MONTH_WORDS.get(words.group("month").lower())
    if month is None:
        return None, f"{shown}: “{words.group('month')}” is not a month."
    weekday: int | None = None
    if words.group("weekday"):
        weekday = _WEEKDAY_WORDS.get(words.group("weekday").lower())
        if weekday is None:
            return None, f"{shown}: “{words.group('weekday')}” is not a day of the week."
    year = words.group("year")
    if year is None:
        return None, f"{shown} needs a year."
    return _checked_year(words.group("day"), str(month), year, weekday, shown)


def _unreadable(text: str, shown: str) -> str:
    """Why a text that is not a whole date is not one: a part of one, or not one."""
    if _TWO_PARTS.fullmatch(text):
        return f"{shown.rstrip('/.- ')} needs a year."
    if _DIGITS.fullmatch(text) and len(text) <= 2:
        return f"{shown} needs a month and a year, for example {EXAMPLE}."
    if _DIGITS.fullmatch(text) and len(text) == 6:
        return f"{shown} has a two-digit year: type the year in full (four digits)."
    if _DIGITS.fullmatch(text):
        return f"{shown} is not a whole date: type it as day/month/year, for example {EXAMPLE}."
    return f"{shown} is not a date: type it as day/month/year, for example {EXAMPLE}."


def _impossible(year: int, month: int, day: int, typed: str) -> str:
    """Why a day, month and year make no date ('' when they do)."""
    shown = _echo(typed)
    if not 1 <= month <= 12:
        return f"{shown} is not a date: there is no month {month}."
    if day < 1:
        return f"{shown} is not a date: there is no day 0."
    if day > 31:
        return f"{shown} is not a date: no month has {count(day, 'day')}."
    if year < 1:
        return f"{shown} is not a date: there is no year 0."
    days = calendar.monthrange(year, month)[1]
    if day > days:
        return f"{shown} is not a date: {MONTHS[month - 1]} {year} has {count(days, 'day')}."
    return ""


_CLOCK = re.compile(
    r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{1,2}))?\s*(?:(?P<half>[ap])\.?m\.?)?",
    re.IGNORECASE | _A,
)


def _clock(text: str) -> tuple[time | None, str]:
    """A time of day, 24-hour or am/pm, or why it is not one."""
    found = _CLOCK.fullmatch(text)
    if found is None:
        return None, f"{text} is not a time: type it as {EXAMPLE_TIME}."
    hour, minute = int(found.group("hour")), found.group("minute")
    half = (found.group("half") or "").lower()
    if minute is not None and len(minute) != 2:
        return None, f"{text} is not a time: type the minutes with two digits, as {EXAMPLE_TIME}."
    minutes = int(minute or 0)
    if half:
        if hour == 12 and minutes == 0:
            return None, f"{text} is read both ways: type 12:00 for midday or 00:00 for midnight."
        if not 1 <= hour <= 12:
            return None, f"{text} is not a time: with am or pm the hour is 1 to 12."
        hour = hour % 12 + (12 if half == "p" else 0)
    elif minute is None:
        return None, f"{text} is not a time: type it as {EXAMPLE_TIME}."
    if hour > 23:
        return None, f"{text} is not a time: the hours go from 00 to 23."
    if minutes > 59:
        return None, f"{text} is not a time: the minutes go from 00 to 59."
    return time(hour, minutes), ""
