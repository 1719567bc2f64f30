"""The one reading of a typed date: each way a person in England writes one gives that
date, and everything else gives a reason in plain English, never a guess."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import validation
from app.domain.typed_dates import (
    BIRTH_DATES,
    EVENT_DATES,
    Reading,
    as_typed,
    in_words,
    range_problem,
    read_date,
    read_datetime,
)

SEPT_22 = date(2014, 9, 22)

READ_AS_22_SEPTEMBER_2014 = [
    "22/09/2014",
    "22/9/2014",
    "22092014",
    "22-09-2014",
    "22.09.2014",
    "2014-09-22",
    "22 09 2014",
    " 22/09/2014 ",
    "Monday 22 September 2014",
    "22 September 2014",
    "22nd Sept 2014",
    "Mon 22 Sep 2014",
]


@pytest.mark.parametrize("typed", READ_AS_22_SEPTEMBER_2014)
def test_each_way_of_writing_a_date_reads_as_that_date(typed: str) -> None:
    assert read_date(typed, BIRTH_DATES) == read_date(typed) == Reading(SEPT_22, "")


@pytest.mark.parametrize("typed", [t for t in READ_AS_22_SEPTEMBER_2014 if t[0] != " "])
@pytest.mark.parametrize(
    ("clock", "meant"),
    [
        ("14:30", time(14, 30)),
        ("14.30", time(14, 30)),
        ("at 09:05", time(9, 5)),
        ("2:30pm", time(14, 30)),
        ("2 pm", time(14, 0)),
        ("12:30pm", time(12, 30)),
        ("12:30 a.m.", time(0, 30)),
        ("00:00", time(0, 0)),
    ],
)
def test_each_way_with_a_time_reads_as_that_date_and_time(
    typed: str, clock: str, meant: time
) -> None:
    assert read_datetime(f"{typed} {clock}").value == datetime.combine(SEPT_22, meant)


def test_only_ascii_digits_make_a_date() -> None:
    assert read_date("²²²²²²²²").problem.endswith(
        "type it as day/month/year, for example 22/09/2014."
    )
    assert read_date("٢٢/٠٩/٢٠١٤").value is None
    assert read_date("22\u00a009\u00a02014").value == SEPT_22  # a pasted non-breaking space


def test_iso_date_and_time_with_a_t() -> None:
    assert read_datetime("2014-09-22T14:30").value == datetime(2014, 9, 22, 14, 30)


REFUSED_DATES = [
    ("31/02/2015", "31/02/2015 is not a date: February 2015 has 28 days."),
    ("29/02/2015", "29/02/2015 is not a date: February 2015 has 28 days."),
    ("31112026", "31112026 is not a date: November 2026 has 30 days."),
    ("32/01/2015", "32/01/2015 is not a date: no month has 32 days."),
    ("22/13/2014", "22/13/2014 is not a date: there is no month 13."),
    ("00/01/2015", "00/01/2015 is not a date: there is no day 0."),
    ("22/09", "22/09 needs a year."),
    ("22/09/", "22/09 needs a year."),
    ("22 September", "22 September needs a year."),
    ("22", "22 needs a month and a year, for example 22/09/2014."),
    ("22/09/14", "22/09/14 has a two-digit year: type the year in full (four digits)."),
    ("220914", "220914 has a two-digit year: type the year in full (four digits)."),
    ("22/09/201", "22/09/201: type the year in full (four digits)."),
    ("2014", "2014 is not a whole date: type it as day/month/year, for example 22/09/2014."),
    ("22/09-2014", "22/09-2014 is not a date: type it as day/month/year, for example 22/09/2014."),
    (
        "next Tuesday",
        "next Tuesday is not a date: type it as day/month/year, for example 22/09/2014.",
    ),
    ("22 Septober 2014", "22 Septober 2014: “Septober” is not a month."),
    (
        "Tuesday 22 September 2014",
        "Tuesday 22 September 2014: 22 September 2014 is a Monday, not a Tuesday.",
    ),
    (
        "31/12/1999",
        "31/12/1999 is outside the dates this app takes for a date in an escalation "
        "(01/01/2000 to 31/12/2075).",
    ),
    (
        "01/01/2076",
        "01/01/2076 is outside the dates this app takes for a date in an escalation "
        "(01/01/2000 to 31/12/2075).",
    ),
    ("22/09/2014 14:30", "22/09/2014 14:30: type the date only, without 14:30."),
    ("", "type the date, for example 22/09/2014."),
]


@pytest.mark.parametrize(("typed", "problem"), REFUSED_DATES)
def test_what_is_not_a_date_is_refused_with_its_reason(typed: str, problem: str) -> None:
    assert read_date(typed) == Reading(None, problem)


REFUSED_TIMES = [
    ("22/09/2014", "22/09/2014 needs a time too, for example 22/09/2014 14:30."),
    ("22/09/2014 25:00", "25:00 is not a time: the hours go from 00 to 23."),
    ("22/09/2014 14:60", "14:60 is not a time: the minutes go from 00 to 59."),
    ("22/09/2014 14:3", "14:3 is not a time: type the minutes with two digits, as 14:30."),
    ("22/09/2014 12pm", "12pm is read both ways: type 12:00 for midday or 00:00 for midnight."),
    ("22/09/2014 12am", "12am is read both ways: type 12:00 for midday or 00:00 for midnight."),
    ("22/09/2014 13:00pm", "13:00pm is not a time: with am or pm the hour is 1 to 12."),
    ("31/02/2015 14:30", "31/02/2015 is not a date: February 2015 has 28 days."),
    ("22/09 14:30", "22/09 needs a year."),
    ("", "type the date and time, for example 22/09/2014 14:30."),
]


@pytest.mark.parametrize(("typed", "problem"), REFUSED_TIMES)
def test_what_is_not_a_date_and_time_is_refused_with_its_reason(typed: str, problem: str) -> None:
    assert read_datetime(typed) == Reading(None, problem)


def test_a_date_of_birth_may_be_before_2000_but_not_long_before() -> None:
    assert read_date("05/03/1995", BIRTH_DATES).value == date(1995, 3, 5)
    assert read_date("05/03/1995").problem.startswith("05/03/1995 is outside")
    assert read_date("31/12/1989", BIRTH_DATES).problem == (
        "31/12/1989 is outside the dates this app takes for a date of birth "
        "(01/01/1990 to 31/12/2075)."
    )


def test_empty_is_no_problem_where_a_date_may_be_left_out() -> None:
    assert read_date("  ", required=False) == Reading(None, "")
    assert read_datetime("", required=False) == Reading(None, "")
    assert "Date of birth not known" in read_date("", BIRTH_DATES).problem


def test_the_services_check_stored_dates_with_the_same_ranges() -> None:
    assert range_problem(date(2075, 12, 31), EVENT_DATES) is None
    with pytest.raises(validation.FieldError) as refused:
        validation.plausible(date(1999, 12, 31), "Date raised")
    assert refused.value.reason == read_date("31/12/1999").problem
    validation.plausible(date(1995, 1, 1), "Date of birth", BIRTH_DATES)


def test_in_words() -> None:
    assert in_words(SEPT_22) == "Monday 22 September 2014"
    assert in_words(datetime(2026, 12, 18, 9, 5)) == "Friday 18 December 2026 at 09:05"


# Round trips: every date in range, written each way, reads back as itself. -------------

IN_RANGE = st.dates(min_value=BIRTH_DATES.earliest, max_value=BIRTH_DATES.latest)
WRITINGS = [
    lambda d: f"{d:%d/%m/%Y}",
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: f"{d:%d%m%Y}",
    lambda d: f"{d:%d-%m-%Y}",
    lambda d: f"{d:%d.%m.%Y}",
    lambda d: d.isoformat(),
    in_words,
    as_typed,
]


@given(IN_RANGE, st.sampled_from(WRITINGS))
def test_any_date_written_any_way_reads_back(day: date, write: object) -> None:
    assert callable(write)
    assert read_date(write(day), BIRTH_DATES) == Reading(day, "")


@given(
    IN_RANGE,
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.sampled_from(WRITINGS),
    st.sampled_from(["{h:02d}:{m:02d}", "{h}.{m:02d}", "at {h:02d}:{m:02d}"]),
)
def test_any_date_and_time_written_any_way_reads_back(
    day: date, clock: time, write: object, time_format: str
) -> None:
    assert callable(write)
    typed = f"{write(day)} {time_format.format(h=clock.hour, m=clock.minute)}"
    assert read_datetime(typed, BIRTH_DATES) == Reading(datetime.combine(day, clock), "")
    stamp = datetime.combine(day, clock)
    assert read_datetime(in_words(stamp), BIRTH_DATES).value == stamp
    assert read_datetime(as_typed(stamp), BIRTH_DATES).value == stamp


# Text made mostly of what dates are made of, and of digits that are not ASCII ones.
DATE_LIKE = st.text(alphabet=st.sampled_from("0123456789/.-: apmTSeptMonday²٢３\u00a0"))


@settings(max_examples=500)
@given(st.text(max_size=40) | DATE_LIKE)
def test_any_text_is_a_date_or_a_reason_never_an_exception(text: str) -> None:
    for reading in (read_date(text), read_datetime(text)):
        assert (reading.value is None) == (reading.problem != "")


@given(IN_RANGE)
def test_a_two_digit_year_is_never_read_as_a_date(day: date) -> None:
    for typed in (f"{day:%d/%m/%y}", f"{day:%d%m%y}", f"{day:%d.%m.%y}"):
        reading = read_date(typed, BIRTH_DATES)
        assert reading.value is None and "year in full" in reading.problem
