"""Escalations at a stage with no fixed timescale reach the dashboard: a count of their
own and a headline saying how long the longest has waited at its stage, in working days
of its own nation (the standing rule's ``waited``). And "Due today" holds every stage due
today: a date, a time later today, and a child-safety date binding a stage that has no
timescale of its own."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from app import clock
from app.deadlines import calendar_for
from app.deadlines.standing import waited
from app.domain.views import EscalationRow
from app.nation import Nation
from app.policy import PolicyLibrary
from app.services import escalations as esc
from app.services.dashboard import Bucket, ListFilter, classify, dashboard, filter_rows, first_page
from app.services.headline import headline, waiting_sentence
from app.services.people import add_child
from app.services.waiting import Waiting, waiting
from tests.plain_store import PlainStore
from tests.services.neglect_form import neglect_form

FRIDAY_4PM = datetime(2026, 11, 27, 16, 0)
ACTOR = "Ms A Lead (DSL)"


# The rule: working days after the day the stage started, up to and including today.
@pytest.mark.parametrize(
    ("started", "now", "nation", "days"),
    [
        (datetime(2026, 11, 27, 9), FRIDAY_4PM, Nation.ENGLAND, 0),  # started today
        (datetime(2026, 11, 26, 17), FRIDAY_4PM, Nation.ENGLAND, 1),
        (datetime(2026, 11, 16, 10), FRIDAY_4PM, Nation.ENGLAND, 9),
        (datetime(2026, 11, 20, 10), datetime(2026, 11, 29, 12), Nation.ENGLAND, 5),  # Sunday
        # Christmas Day, and Boxing Day's substitute on Monday 28th.
        (datetime(2026, 12, 24, 10), datetime(2026, 12, 29, 9), Nation.ENGLAND, 1),
        # 2 January is a bank holiday in Scotland only (Monday 4th, its substitute).
        (datetime(2026, 12, 31, 10), datetime(2027, 1, 4, 9), Nation.ENGLAND, 1),
        (datetime(2026, 12, 31, 10), datetime(2027, 1, 4, 9), Nation.SCOTLAND, 0),
    ],
)
def test_waited_counts_working_days_after_the_start(
    started: datetime, now: datetime, nation: Nation, days: int
) -> None:
    assert waited(started, now, calendar_for(nation)) == days


# The figure: how many, the longest wait and which escalation it is.
MONDAY_9AM = datetime(2026, 11, 30, 9)


@pytest.mark.parametrize(
    ("stages", "now", "expected"),
    [
        ([], FRIDAY_4PM, Waiting(0, 0, "")),
        ([("B", "england", datetime(2026, 11, 27, 9))], FRIDAY_4PM, Waiting(1, 0, "B")),
        (
            [
                ("A", "england", datetime(2026, 11, 25, 9)),
                ("C", "england", datetime(2026, 11, 16, 9)),
                ("B", "wales", datetime(2026, 11, 24, 9)),
            ],
            FRIDAY_4PM,
            Waiting(3, 9, "C"),
        ),
        # Waiting as long: the first by reference.
        (
            [
                ("D", "england", datetime(2026, 11, 20, 9)),
                ("B", "scotland", datetime(2026, 11, 20, 15)),
            ],
            FRIDAY_4PM,
            Waiting(2, 5, "B"),
        ),
        # St Andrew's Day (Monday 30 November 2026) is a Scottish bank holiday.
        (
            [
                ("E", "england", datetime(2026, 11, 27, 9)),
                ("S", "scotland", datetime(2026, 11, 27, 9)),
            ],
            MONDAY_9AM,
            Waiting(2, 1, "E"),
        ),
        # A nation that cannot be read: a damaged escalation, listed as such, not here.
        ([("X", "atlantis", datetime(2026, 11, 2, 9))], FRIDAY_4PM, Waiting(0, 0, "")),
    ],
)
def test_waiting(stages: list[tuple[str, str, datetime]], now: datetime, expected: Waiting) -> None:
    assert waiting(stages, now) == expected


@pytest.mark.parametrize(
    ("figure", "words"),
    [
        (Waiting(0, 0, ""), ""),
        (
            Waiting(1, 9, "ESC-2026-0009"),
            "1 open with no fixed timescale: ESC-2026-0009 has waited 9 working days at its stage.",
        ),
        (
            Waiting(2, 1, "ESC-2026-0013"),
            "2 open with no fixed timescale; the longest, ESC-2026-0013, has waited "
            "1 working day at its stage.",
        ),
        (
            Waiting(2, 0, "ESC-2026-0013"),
            "2 open with no fixed timescale; the longest, ESC-2026-0013, has not yet waited "
            "a working day at its stage.",
        ),
        (Waiting(3, 0, ""), "3 open with no fixed timescale."),
    ],
)
def test_waiting_sentence(figure: Waiting, words: str) -> None:
    assert waiting_sentence(figure) == words


def _row(ref: str, **changes: object) -> EscalationRow:
    row = EscalationRow(
        ref=ref,
        child_name="Zoë Nguyễn",
        other_agency="Children's Social Care",
        policy_id="suffolk",
        pathway_id="resolution",
        stage_number=4,
        stage_count=5,
        stage_title="Heads of service",
        next_due=None,
        status="open",
        raised_at=datetime(2026, 11, 2, 9, 30),
        closed_at=None,
        nation="england",
        stage_started_at=datetime(2026, 11, 16, 10),
    )
    return replace(row, **changes)  # type: ignore[arg-type]


def test_the_count_filters_the_list_to_those_waiting() -> None:
    rows = [
        _row("A"),
        _row("B", stage_started_at=datetime(2026, 11, 25, 10)),
        _row("C", next_due=date(2026, 12, 1)),
        _row("D", status="resolved", closed_at=datetime(2026, 11, 20, 10)),
        _row("E", damaged="its deadline 'soon' is not a date."),
    ]
    dash = classify(rows, FRIDAY_4PM)
    assert dash.counts[Bucket.NO_TIMESCALE] == 2
    assert dash.waiting == Waiting(2, 9, "A")
    shown = filter_rows(dash.rows, ListFilter(bucket=Bucket.NO_TIMESCALE))
    assert [r.row.ref for r in shown] == ["A", "B"]


# Through the services, as the issue found it: Suffolk escalations at stage 4 (heads of
# service: "not stated in the document").


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlainStore:
    monkeypatch.setattr(clock, "now", lambda: FRIDAY_4PM)
    return PlainStore(tmp_path / "plain.db")


def _open(
    store: PlainStore,
    library: PolicyLibrary,
    policy: str,
    raised: datetime,
    protect_by: date | None = None,
) -> str:
    child = add_child(store, name="Zoë Nguyễn", date_of_birth=date(2015, 3, 1), actor=ACTOR)
    form = neglect_form(child.id, raised, policy, protect_by=protect_by)
    return esc.open_escalation(store, library, form, actor=ACTOR).ref


def _at_heads_of_service(store: PlainStore, ref: str, moved: datetime) -> None:
    esc.move_to_next_stage(store, ref, result="Not resolved.", actor=ACTOR, to_stage=2, at=moved)
    esc.move_to_next_stage(
        store, ref, result="Not resolved.", actor=ACTOR, to_stage=4, at=moved, skip_reason="x"
    )


def test_suffolk_stages_with_no_timescale_reach_the_counts_and_headline(
    store: PlainStore, library: PolicyLibrary
) -> None:
    first = _open(store, library, "suffolk", datetime(2026, 11, 12, 9))
    _at_heads_of_service(store, first, datetime(2026, 11, 16, 10))
    second = _open(store, library, "suffolk", datetime(2026, 11, 12, 9))
    _at_heads_of_service(store, second, datetime(2026, 11, 25, 10))
    for dash in (dashboard(store, now=FRIDAY_4PM), first_page(store, 1, now=FRIDAY_4PM)):
        assert dash.counts[Bucket.NO_TIMESCALE] == 2
        assert dash.counts[Bucket.OVERDUE] == dash.counts[Bucket.DUE_TODAY] == 0
        assert dash.waiting == Waiting(2, 9, first)
        assert headline(dash) == (
            "Nothing is overdue or due in the next 3 working days. 2 open with no fixed "
            f"timescale; the longest, {first}, has waited 9 working days at its stage."
        )


def test_due_today_holds_every_stage_due_today(store: PlainStore, library: PolicyLibrary) -> None:
    monday = FRIDAY_4PM.date() - timedelta(days=4)
    # Suffolk stage 1: one working day from Thursday, a date: due all of today.
    on_the_day = _open(store, library, "suffolk", datetime(2026, 11, 26, 9))
    # North Yorkshire stage 1: 96 hours from Monday 18:00, due at 18:00 today (two hours
    # on); from Monday 10:00, due at 10:00 today (overdue since).
    later_today = _open(store, library, "north-yorkshire", datetime.combine(monday, time(18)))
    _open(store, library, "north-yorkshire", datetime.combine(monday, time(10)))
    # A stage with no timescale of its own, bound by today's child-safety date.
    bound = _open(store, library, "suffolk", datetime(2026, 11, 12, 9), FRIDAY_4PM.date())
    _at_heads_of_service(store, bound, datetime(2026, 11, 16, 10))
    for dash in (dashboard(store, now=FRIDAY_4PM), first_page(store, 1, now=FRIDAY_4PM)):
        assert dash.counts[Bucket.DUE_TODAY] == 3
        assert dash.counts[Bucket.OVERDUE] == 1
        assert dash.counts[Bucket.NO_TIMESCALE] == 0
    whole = dashboard(store, now=FRIDAY_4PM)
    today = filter_rows(whole.rows, ListFilter(bucket=Bucket.DUE_TODAY))
    assert {r.row.ref for r in today} == {on_the_day, later_today, bound}
    assert {r.deadline_text for r in today} == {"Due today", "Due today by 18:00"}
    assert headline(whole).startswith("1 escalation is overdue:")
    assert headline(whole).endswith(" 3 more are due today.")
