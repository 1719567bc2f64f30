"""Timeline geometry, independent of pixels: order, positions, markers, overdue state."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import pairwise

from app.deadlines import project_pathway
from app.domain.views import StageView
from app.policy import Nation, default_library
from app.timeline import LaneState, layout_timeline

LIBRARY = default_library()


def views(
    policy: str,
    raised: date,
    started: dict[int, date],
    completed: dict[int, date],
    protect_by: date | None = None,
) -> list[StageView]:
    """Stage views as the service would build them, from the real deadline engine."""
    pathway = LIBRARY.get(policy).pathway("resolution")
    projection = project_pathway(pathway, raised, started, protect_by=protect_by)
    return [
        StageView(
            number=p.number,
            title=p.stage.title,
            owner=p.stage.owner,
            action=p.stage.action,
            started_at=datetime.combine(started[p.number], datetime.min.time())
            if p.number in started
            else None,
            due=p.due,
            rule=p.rule,
            completed_at=datetime.combine(completed[p.number], datetime.min.time())
            if p.number in completed
            else None,
            result="",
            skipped=False,
            projected=p.number not in started,
        )
        for p in projection
    ]


def test_lanes_in_stage_order_with_states_and_christmas_shaded() -> None:
    raised = date(2026, 12, 18)
    stages = views(
        "gloucestershire", raised, {1: raised, 2: date(2026, 12, 29)}, {1: date(2026, 12, 29)}
    )
    layout = layout_timeline(stages, today=date(2027, 1, 4), nation=Nation.ENGLAND)
    assert [lane.number for lane in layout.lanes] == [1, 2, 3, 4]
    assert [lane.y for lane in layout.lanes] == sorted(lane.y for lane in layout.lanes)
    assert [lane.state for lane in layout.lanes] == [
        LaneState.COMPLETED,
        LaneState.CURRENT,
        LaneState.PROJECTED,
        LaneState.PROJECTED,
    ]
    first = layout.lanes[0]
    assert first.x0 == layout.x_of(raised)
    assert first.x1 == layout.x_of(date(2026, 12, 30))  # covers its due day, Tue 29 Dec
    assert first.status == "Completed on time"
    # Projected stage 3 starts where stage 2 is due (Wed 6 Jan 2027).
    assert layout.lanes[2].start == date(2027, 1, 6)
    shaded = {s.day: s.reason for s in layout.shades}
    assert shaded[date(2026, 12, 25)] == "Christmas Day"
    assert shaded[date(2026, 12, 28)].startswith("Boxing Day")
    assert shaded[date(2026, 12, 19)] == "weekend"
    assert date(2026, 12, 21) not in shaded
    assert layout.lanes[1].status == "Current: 2 working days left"


def test_overdue_in_words_and_markers_at_their_dates() -> None:
    raised = date(2026, 11, 2)
    stages = views(
        "north-yorkshire",
        raised,
        {n: raised for n in range(1, 7)},
        {n: raised for n in range(1, 6)},
    )
    today = date(2026, 11, 25)
    layout = layout_timeline(
        stages,
        today=today,
        nation=Nation.ENGLAND,
        protect_by=date(2026, 11, 20),
        caps=[(date(2026, 11, 19), "13-working-day cap")],
    )
    current = layout.lanes[5]
    assert current.state is LaneState.CURRENT and current.overdue
    # Stage 6 was due 05/11 (3 working days from 02/11); 25/11 is 14 working days later.
    assert current.status == "Overdue by 14 working days"
    kinds = {m.kind: m for m in layout.markers}
    assert kinds["today"].x == layout.x_of(today) + layout.day_width / 2
    assert kinds["cap"].day == date(2026, 11, 19)
    assert kinds["cap"].x == layout.x_of(date(2026, 11, 20))  # the end of the cap day
    assert kinds["cap"].label == "13-working-day cap 19/11"
    assert kinds["protect-by"].x == layout.x_of(date(2026, 11, 21))
    assert not layout.lanes[0].overdue


def test_layout_fits_the_width_given() -> None:
    raised = date(2026, 11, 2)
    stages = views("north-yorkshire", raised, {1: raised}, {})
    layout = layout_timeline(
        stages, today=date(2026, 11, 3), nation=Nation.ENGLAND, width=600, label_width=150
    )
    assert all(150 <= lane.x0 <= lane.x1 <= 600 for lane in layout.lanes)
    assert all(150 <= m.x <= 600 for m in layout.markers)


def test_a_completed_lane_runs_to_the_day_it_was_done() -> None:
    """A late stage's bar runs past its deadline, and a stage with no fixed timescale
    still shows how long it took (it used to end a day after it started)."""
    raised = date(2026, 11, 17)
    # York plan dissent: stage 1 has no fixed timescale; it was completed on 23/11.
    pathway = LIBRARY.get("york").pathway("plan-dissent")
    projection = project_pathway(pathway, raised, {1: raised, 2: date(2026, 11, 23)})
    stages = [
        StageView(
            number=p.number,
            title=p.stage.title,
            owner=p.stage.owner,
            action=p.stage.action,
            started_at=datetime(2026, 11, 17, 9, 30) if p.number == 1 else None,
            due=p.due,
            rule=p.rule,
            completed_at=datetime(2026, 11, 23, 14, 0) if p.number == 1 else None,
            result="",
            skipped=False,
            projected=p.number != 1,
        )
        for p in projection
    ]
    layout = layout_timeline(stages, today=date(2026, 11, 27), nation=Nation.ENGLAND)
    first = layout.lanes[0]
    assert first.due is None and first.state is LaneState.COMPLETED
    assert first.x1 == layout.x_of(date(2026, 11, 24))  # covers Mon 23/11, its last day

    # Gloucestershire stage 1 due Tue 29/12/2026, completed three working days late.
    late = views(
        "gloucestershire",
        date(2026, 12, 18),
        {1: date(2026, 12, 18), 2: date(2027, 1, 4)},
        {1: date(2027, 1, 4)},
    )
    layout = layout_timeline(late, today=date(2027, 1, 5), nation=Nation.ENGLAND)
    first = layout.lanes[0]
    assert first.status == "Completed 3 working days late"
    assert first.x1 == layout.x_of(date(2027, 1, 5)) > layout.x_of(date(2026, 12, 30))


def test_dates_under_the_axis_never_run_together() -> None:
    """The builder's preview at 1366x768 drew "10/1211/1212/12…": every day of an
    eight-day axis labelled, closer together than a date is wide."""
    raised = date(2026, 12, 10)
    stages = views("gloucestershire", raised, {1: raised}, {})
    short = [s for s in stages if s.number == 1]
    roomy = layout_timeline(short, today=raised, nation=Nation.ENGLAND, width=1200)
    assert len(roomy.ticks) == (roomy.last_day - roomy.first_day).days + 1  # every day
    for width, room in ((560, 50.0), (560, 0.0), (480, 90.0), (900, 400.0)):
        for shown in (short, stages):
            layout = layout_timeline(
                shown, today=raised, nation=Nation.ENGLAND, width=width, tick_room=room
            )
            gaps = [b.x - a.x for a, b in pairwise(layout.ticks)]
            assert layout.ticks, (width, room)
            assert all(gap >= room for gap in gaps), (width, room, gaps)
    sparse = layout_timeline(stages, today=raised, nation=Nation.ENGLAND, width=480, tick_room=90)
    assert all(t.day.weekday() == 0 for t in sparse.ticks)  # Mondays, some skipped


def test_a_short_axis_with_no_monday_keeps_its_dates() -> None:
    """Tuesday to Sunday, a day narrower than a date: every other day is labelled (a
    Mondays-only axis had no date at all)."""
    raised = date(2026, 12, 8)  # a Tuesday
    stage = views("gloucestershire", raised, {1: raised}, {})[:1]
    stage = [replace(stage[0], due=date(2026, 12, 12))]
    layout = layout_timeline(
        stage, today=raised, nation=Nation.ENGLAND, width=480, label_width=260, tick_room=37
    )
    assert not any(d.weekday() == 0 for d in _days(layout))
    assert layout.ticks and len(layout.ticks) < len(_days(layout))
    assert all(b.x - a.x >= 37 for a, b in pairwise(layout.ticks))


def _days(layout: object) -> list[date]:
    first, last = layout.first_day, layout.last_day  # type: ignore[attr-defined]
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_the_day_counted_from_can_be_called_something_other_than_today() -> None:
    raised = date(2026, 12, 10)
    stages = views("gloucestershire", raised, {1: raised}, {})
    layout = layout_timeline(stages, today=raised, nation=Nation.ENGLAND, today_label="Raised")
    assert [m.label for m in layout.markers if m.kind == "today"] == ["Raised 10/12"]
