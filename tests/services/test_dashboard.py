"""The dashboard service: terms, next-deadline text, counts, sorting, search and filters."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from app.deadlines import Moment
from app.domain.views import EscalationRow
from app.nation import Nation
from app.policy import PolicyLibrary
from app.policy.pathway_kind import PathwayKind
from app.services.dashboard import (
    Bucket,
    ListFilter,
    Urgency,
    classify,
    deadline_status,
    easter_sunday,
    filter_rows,
    fold,
    term_containing,
)

FRIDAY_4PM = datetime(2026, 11, 27, 16, 0)


def row(
    ref: str = "ESC-2026-0001",
    *,
    due: Moment | None = None,
    status: str = "open",
    closed: datetime | None = None,
    child: str = "Zoë Nguyễn",
    agency: str = "Children's Social Care",
    policy: str = "gloucestershire",
    pathway: str = "resolution",
    stage: int = 1,
    nation: str = "england",
    pathway_title: str = "",
) -> EscalationRow:
    return EscalationRow(
        ref=ref,
        child_name=child,
        other_agency=agency,
        policy_id=policy,
        pathway_id=pathway,
        stage_number=stage,
        stage_count=4,
        stage_title="Discuss with the other worker",
        pathway_title=pathway_title,
        next_due=due,
        status=status,
        raised_at=datetime(2026, 11, 2, 9, 30),
        closed_at=closed,
        nation=nation,
    )


# Terms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "sunday"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_sunday(year: int, sunday: date) -> None:
    assert easter_sunday(year) == sunday


@pytest.mark.parametrize(
    ("day", "name", "start", "end"),
    [
        (date(2026, 9, 1), "Autumn term 2026", date(2026, 9, 1), date(2026, 12, 31)),
        (date(2026, 12, 31), "Autumn term 2026", date(2026, 9, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), "Spring term 2027", date(2027, 1, 1), date(2027, 3, 28)),
        (date(2027, 3, 28), "Spring term 2027", date(2027, 1, 1), date(2027, 3, 28)),
        (date(2027, 3, 29), "Summer term 2027", date(2027, 3, 29), date(2027, 8, 31)),
        (date(2027, 8, 31), "Summer term 2027", date(2027, 3, 29), date(2027, 8, 31)),
    ],
)
def test_terms(day: date, name: str, start: date, end: date) -> None:
    term = term_containing(day)
    assert (term.name, term.start, term.end) == (name, start, end)


# Next-deadline text -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "due", "urgency", "text", "left"),
    [
        # Christmas Day and the Boxing Day substitute are not working days.
        (datetime(2026, 12, 24, 9), date(2026, 12, 29), Urgency.DUE_SOON,
         "Tue 29 Dec — 1 working day left", 1),
        (datetime(2026, 12, 18, 9), date(2026, 12, 29), Urgency.LATER,
         "Tue 29 Dec — 5 working days left", 5),
        (datetime(2026, 12, 23, 9), date(2026, 12, 29), Urgency.DUE_SOON,
         "Tue 29 Dec — 2 working days left", 2),
        (FRIDAY_4PM, date(2026, 12, 3), Urgency.LATER, "Thu 3 Dec — 4 working days left", 4),
        (FRIDAY_4PM, date(2026, 12, 2), Urgency.DUE_SOON, "Wed 2 Dec — 3 working days left", 3),
        (FRIDAY_4PM, date(2026, 11, 23), Urgency.OVERDUE, "Overdue by 4 working days", -4),
        (FRIDAY_4PM, date(2026, 11, 26), Urgency.OVERDUE, "Overdue by 1 working day", -1),
        (FRIDAY_4PM, date(2026, 11, 27), Urgency.DUE_TODAY, "Due today", 0),
        (FRIDAY_4PM, datetime(2026, 11, 27, 17, 30), Urgency.DUE_TODAY, "Due today by 17:30", 0),
        (FRIDAY_4PM, datetime(2026, 11, 27, 9, 0), Urgency.OVERDUE,
         "Overdue: was due 09:00 today", 0),
        (FRIDAY_4PM, datetime(2026, 11, 30, 9, 0), Urgency.DUE_SOON,
         "Mon 30 Nov by 09:00 — 1 working day left", 1),
        # A calendar-day deadline on a Saturday: no working day before it.
        (FRIDAY_4PM, date(2026, 11, 28), Urgency.DUE_SOON, "Sat 28 Nov — no working days left",
         0),
        # New Year's Day is not a working day; the year shows when it is not this one.
        (datetime(2026, 12, 29, 9), date(2027, 1, 5), Urgency.LATER,
         "Tue 5 Jan 2027 — 4 working days left", 4),
    ],
)  # fmt: skip
def test_deadline_text(now: datetime, due: Moment, urgency: Urgency, text: str, left: int) -> None:
    assert deadline_status(row(due=due), now) == (urgency, text, left)


def test_working_days_follow_the_escalations_nation() -> None:
    # Scotland's 2 January holiday falls on a Saturday in 2027: Monday 4th is a holiday.
    now = datetime(2026, 12, 31, 9)
    england = deadline_status(row(due=date(2027, 1, 5), nation="england"), now)
    scotland = deadline_status(row(due=date(2027, 1, 5), nation="scotland"), now)
    assert england[1].endswith("2 working days left")
    assert scotland[1].endswith("1 working day left")


def test_closed_and_untimed_rows() -> None:
    resolved = row(status="resolved", closed=datetime(2026, 10, 30, 16))
    assert deadline_status(resolved, FRIDAY_4PM) == (Urgency.CLOSED, "Resolved 30/10/2026", None)
    assert deadline_status(row(due=None), FRIDAY_4PM) == (
        Urgency.NO_DEADLINE,
        "No fixed timescale",
        None,
    )


# Counts and order -------------------------------------------------------------------


def _sample() -> list[EscalationRow]:
    return [
        row("A", due=date(2026, 11, 23)),  # overdue
        row("B", due=date(2026, 11, 26)),  # overdue
        row("C", due=date(2026, 11, 27)),  # due today
        row("D", due=datetime(2026, 11, 27, 9)),  # overdue (hours, earlier today)
        row("E", due=date(2026, 12, 2)),  # next 3 working days
        row("F", due=date(2026, 12, 3)),  # later
        row("G"),  # no fixed timescale
        row("H", status="resolved", closed=datetime(2026, 11, 2, 12)),  # this term
        row("I", status="resolved", closed=datetime(2026, 7, 20, 12)),  # last term
        row("J", status="withdrawn", closed=datetime(2026, 11, 3, 12)),  # not resolved
    ]


def test_counts(library: PolicyLibrary) -> None:
    dash = classify(_sample(), FRIDAY_4PM, library.short_names())
    assert dash.counts == {
        Bucket.OVERDUE: 3,
        Bucket.DUE_TODAY: 1,
        Bucket.DUE_SOON: 1,
        Bucket.NO_TIMESCALE: 1,
        Bucket.OPEN: 7,
        Bucket.RESOLVED_THIS_TERM: 1,
    }
    assert dash.term.name == "Autumn term 2026"


def test_rows_are_sorted_by_next_deadline() -> None:
    dash = classify(reversed(_sample()), FRIDAY_4PM)
    # Soonest first; no fixed timescale after; closed last, most recently closed first.
    assert [r.row.ref for r in dash.rows] == ["A", "B", "D", "C", "E", "F", "G", "J", "H", "I"]


def test_labels_come_from_the_stored_pathway_and_the_policy(library: PolicyLibrary) -> None:
    title = "Escalating a professional disagreement"
    item = classify(
        [row(due=date(2026, 11, 23), stage=3, pathway_title=title)],
        FRIDAY_4PM,
        library.short_names(),
    ).rows[0]
    assert item.pathway_label == "Professional disagreement"
    assert item.pathway_title == "Escalating a professional disagreement"
    assert item.policy_label == "GSCP"
    assert item.stage_label == "3 of 4: Discuss with the other worker"
    assert item.status_label == "Open — overdue"
    unknown = classify([row(policy="gone")], FRIDAY_4PM, library.short_names()).rows[0]
    assert unknown.policy_label == "gone"
    assert unknown.pathway_title == "resolution"  # nothing stored: the id


# Search and filters -----------------------------------------------------------------


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Zoë Nguyễn") == "zoe nguyen"
    assert fold("Łucja Wiśniewska") == "lucja wisniewska"
    assert fold("Siobhán Ó Briain") == "siobhan o briain"


def test_search_and_filters() -> None:
    rows = [
        row("ESC-1", child="Zoë Nguyễn", agency="Health", due=date(2026, 11, 23)),
        row("ESC-2", child="Łucja Wiśniewska", agency="Police CAIU", policy="york", stage=2),
        row("ESC-3", child="Oliver Bennett", pathway="plan-dissent", status="resolved",
            closed=datetime(2026, 11, 2)),
    ]  # fmt: skip
    dash = classify(rows, FRIDAY_4PM)

    def refs(**kwargs: object) -> list[str]:
        return [r.row.ref for r in filter_rows(dash.rows, ListFilter(**kwargs))]  # type: ignore[arg-type]

    assert refs(search="zoe") == ["ESC-1"]
    assert refs(search="POLICE") == ["ESC-2"]
    assert refs(search="esc-3") == ["ESC-3"]
    assert refs(search="zoe health") == ["ESC-1"]  # every word must match
    assert refs(search="zoe police") == []
    assert refs(status="resolved") == ["ESC-3"]
    assert refs(pathway_kind=PathwayKind.PLAN_DISSENT) == ["ESC-3"]
    assert refs(stage_number=2) == ["ESC-2"]
    assert refs(policy_id="york") == ["ESC-2"]
    assert refs(bucket=Bucket.OVERDUE) == ["ESC-1"]
    assert refs(bucket=Bucket.RESOLVED_THIS_TERM) == ["ESC-3"]
    assert refs(bucket=Bucket.OPEN, policy_id="gloucestershire") == ["ESC-1"]
    assert refs() == ["ESC-1", "ESC-2", "ESC-3"]


# The counts' fast path agrees with the words ---------------------------------------


@pytest.mark.parametrize("nation", [n.value for n in Nation])
@pytest.mark.parametrize(
    "now",
    [
        FRIDAY_4PM,
        datetime(2026, 12, 23, 9, 0),  # Christmas and the substitute days ahead
        datetime(2027, 3, 24, 8, 0),  # Easter 2027 ahead
        datetime(2026, 8, 28, 23, 30),  # the August bank holiday (not in Scotland)
        datetime(2026, 11, 29, 12, 0),  # a Sunday
    ],
)
def test_counted_urgency_matches_the_deadline_text_for_every_day_and_time(
    nation: str, now: datetime
) -> None:
    """classify counts with ``urgency_of`` (one limit per nation, no working-day count
    per row) and writes the words with ``deadline_status`` when a row is shown; the two
    must never disagree about which bucket a row is in."""
    dues: list[Moment] = []
    for offset in range(-20, 40):
        day = now.date() + timedelta(days=offset)
        dues += [day, datetime.combine(day, time(0, 0)), datetime.combine(day, time(17, 0))]
    dues.append(now)  # due this very minute
    rows = [row(f"ESC-2026-{i:04d}", due=due, nation=nation) for i, due in enumerate(dues)]
    dash = classify(rows, now)
    for item in dash.rows:
        assert item.urgency is deadline_status(item.row, now)[0], item.row.next_due
    assert {item.urgency for item in dash.rows} >= {
        Urgency.OVERDUE,
        Urgency.DUE_TODAY,
        Urgency.DUE_SOON,
        Urgency.LATER,
    }
