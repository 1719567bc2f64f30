"""The deadlines' calendar file: one event per open stage deadline, as the app stored
it; stable UIDs; SEQUENCE raised when a deadline moves; CANCELLED once an escalation is
resolved or its stage has passed; nothing about the child, the agency, the pathway or
the policy in the file. Read back with two different parsers (icalendar and ics)."""

from __future__ import annotations

import re
import stat
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import ics
import pytest
from sqlalchemy import text

from app import clock
from app.deadlines import calendar_for
from app.demo import CHILDREN, create_demo
from app.documents.calendar_ics import to_utc
from app.domain.calendar_events import (
    CalendarEvent,
    Exported,
    OpenDeadline,
    Reminders,
    calendar_events,
    event_uid,
)
from app.domain.records import Outcome, Party
from app.domain.views import EscalationRow
from app.errors import InputError
from app.nation import Nation
from app.policy import PolicyLibrary
from app.services import escalations as esc
from app.services.people import add_child
from tests.plain_store import PlainStore

ACTOR = "Ms A Lead (DSL)"
NOW = datetime(2026, 12, 4, 16, 0)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: PolicyLibrary) -> PlainStore:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    store = PlainStore(tmp_path / "plain.db")
    create_demo(store, library)
    _open_timed(store, library)
    return store


def _open_timed(store: PlainStore, library: PolicyLibrary) -> str:
    """North Yorkshire's first stage runs in hours: a deadline with a time."""
    child = add_child(
        store, name="Tomás Ó Súilleabháin", date_of_birth=date(2015, 3, 1), actor=ACTOR
    )
    form = esc.NewEscalation(
        child_id=child.id,
        policy_id="north-yorkshire",
        pathway_id="resolution",
        raised_at=datetime(2026, 12, 3, 10, 30),
        raised_by="Mr B Teacher",
        other_agency="Harrogate Early Help Hub",
        category="threshold",
        disputed="Referral closed with no assessment.",
        change_wanted="An assessment of the child's needs.",
        impact="Child remains at home.",
    )
    return esc.open_escalation(store, library, form, actor=ACTOR).ref


def _export(store: PlainStore, tmp_path: Path, name: str = "deadlines.ics") -> bytes:
    from app.services.calendar_export import export_calendar

    out = tmp_path / name
    export_calendar(store, out, reminders=Reminders(), actor=ACTOR)
    return out.read_bytes()


def _events(data: bytes) -> dict[str, Any]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def _open_rows(store: PlainStore) -> list[EscalationRow]:
    return [r for r in esc.list_escalations(store) if r.status == "open" and r.next_due]


def _by_summary(data: bytes) -> dict[str, Any]:
    return {str(e["summary"]): e for e in _events(data).values()}


def test_one_event_per_open_deadline_as_the_app_stored_it(
    store: PlainStore, tmp_path: Path
) -> None:
    data = _export(store, tmp_path)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["method"]) == "PUBLISH"
    assert str(calendar["version"]) == "2.0"
    assert "Escalation Tracker" in str(calendar["prodid"])
    rows = _open_rows(store)
    events = _by_summary(data)
    assert len(events) == len(rows) > 5
    timed = 0
    for row in rows:
        event = events[f"{row.ref}: stage {row.stage_number} of {row.stage_count} due"]
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert str(event["status"]) == "CONFIRMED"
        assert event.decoded("sequence") == 0
        assert event.decoded("dtstamp").utcoffset() == timedelta(0)
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        if isinstance(row.next_due, datetime):
            timed += 1
            assert start == to_utc(row.next_due) and start.utcoffset() == timedelta(0)
            assert alarms[0].decoded("trigger") == -timedelta(hours=2)
        else:
            assert type(start) is date and start == row.next_due
            assert end == row.next_due + timedelta(days=1)
            assert "DTSTART;VALUE=DATE:" + f"{row.next_due:%Y%m%d}" in data.decode()
            reminder = datetime.combine(start, datetime.min.time()) + alarms[0].decoded("trigger")
            assert reminder.hour == 9
            assert calendar_for(Nation(row.nation)).is_working_day(reminder.date())
            assert reminder.date() < start
    assert timed == 1


def test_each_alarm_comes_after_its_events_properties(store: PlainStore, tmp_path: Path) -> None:
    blocks = _export(store, tmp_path).decode().split("BEGIN:VEVENT")[1:]
    for block in blocks:
        event = block.split("END:VEVENT")[0]
        assert event.rstrip().endswith("END:VALARM")
        properties = event.split("BEGIN:VALARM")[0]
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "STATUS"):
            assert f"\r\n{name}" in properties
        assert "DESCRIPTION" not in properties and "LOCATION" not in properties


def test_a_second_parser_reads_the_same_events(store: PlainStore, tmp_path: Path) -> None:
    data = _export(store, tmp_path)
    ours = _events(data)
    theirs = {e.uid: e for e in ics.Calendar(data.decode()).events}
    assert set(theirs) == set(ours)
    for uid, event in theirs.items():
        start = ours[uid].decoded("dtstart")
        assert event.name == str(ours[uid]["summary"])
        if isinstance(start, datetime):
            assert not event.all_day and event.begin.datetime == start
        else:
            assert event.all_day and event.begin.date() == start


def test_uids_are_stable_and_sequence_rises_when_a_deadline_moves(
    store: PlainStore, tmp_path: Path
) -> None:
    first = _events(_export(store, tmp_path, "a.ics"))
    second = _events(_export(store, tmp_path, "b.ics"))
    assert set(first) == set(second)
    assert {u: e.decoded("sequence") for u, e in second.items()} == dict.fromkeys(second, 0)
    # The current stage's deadline moves (a later start of the same stage, stored).
    row = next(r for r in _open_rows(store) if isinstance(r.next_due, date))
    assert isinstance(row.next_due, date)
    later = row.next_due + timedelta(days=7)
    with store.session() as session:
        session.execute(
            text(
                "INSERT INTO stage_event (escalation_id, number, kind, at, due, rule, note, "
                "recorded_by) SELECT id, :n, 'started', :at, :due, '', '', 'test' "
                "FROM escalation WHERE ref = :ref"
            ),
            {"n": row.stage_number, "at": NOW, "due": later.isoformat(), "ref": row.ref},
        )
    third = _events(_export(store, tmp_path, "c.ics"))
    assert set(third) == set(first)
    moved = [u for u, e in third.items() if e.decoded("sequence") == 1]
    assert len(moved) == 1
    assert third[moved[0]].decoded("dtstart") == later
    assert str(third[moved[0]]["summary"]).startswith(row.ref + ":")


def test_resolving_cancels_the_event_and_moving_on_cancels_the_stage_passed(
    store: PlainStore, tmp_path: Path
) -> None:
    rows = _open_rows(store)
    resolved, moved = rows[0], next(r for r in rows[1:] if r.stage_number < r.stage_count - 1)
    before = _by_summary(_export(store, tmp_path, "a.ics"))
    esc.agree_outcome(
        store,
        resolved.ref,
        Outcome(
            agreed="An assessment will be completed.",
            parties=[Party(name="Ms C Worker", role="Team Manager", agency="CSC")],
            agreed_on=NOW.date(),
            debrief_offered=True,
        ),
        actor=ACTOR,
    )
    esc.move_to_next_stage(store, moved.ref, result="Not resolved", actor=ACTOR)
    after = _by_summary(_export(store, tmp_path, "b.ics"))
    again = _by_summary(_export(store, tmp_path, "c.ics"))
    for row in (resolved, moved):
        summary = f"{row.ref}: stage {row.stage_number} of {row.stage_count} due"
        event = after[summary]
        assert str(event["uid"]) == str(before[summary]["uid"])
        assert str(event["status"]) == "CANCELLED"
        assert event.decoded("sequence") == 1
        assert event.walk("VALARM") == []
        # Said again in the next file, unchanged: a calendar that missed one still learns.
        assert again[summary].decoded("sequence") == 1
    [now] = [r for r in esc.list_escalations(store) if r.ref == moved.ref]
    following = f"{moved.ref}: stage {moved.stage_number + 1} of {moved.stage_count} due"
    if now.next_due is None:  # the next stage has no fixed timescale: no event
        assert following not in after
    else:
        assert str(after[following]["status"]) == "CONFIRMED"
        assert after[following].decoded("sequence") == 0


def _words_about_children(store: PlainStore, library: PolicyLibrary) -> set[str]:
    words = {name for name, *_ in CHILDREN} | {"Tomás Ó Súilleabháin", "Harrogate Early Help Hub"}
    with store.read() as connection:
        for (value,) in connection.execute(
            "SELECT other_agency FROM escalation UNION SELECT other_practitioner FROM escalation "
            "UNION SELECT identifier FROM child UNION SELECT name FROM contact "
            "UNION SELECT rule FROM stage_event"
        ):
            words.add(value)
    for policy in library.all():
        words |= {policy.partnership, policy.document.title}
        for pathway in policy.pathways:
            words.add(pathway.title)
            for stage in pathway.stages:
                words |= {stage.title, stage.owner}
    return {w for w in words if w and len(w) > 3}


def test_nothing_about_the_child_agency_pathway_or_policy_in_the_file(
    store: PlainStore, tmp_path: Path, library: PolicyLibrary
) -> None:
    data = _export(store, tmp_path)
    unfolded = data.replace(b"\r\n ", b"").decode()
    readable = unfolded.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")
    # The app's own name (the UIDs' domain, the producer) is not about anyone, though a
    # policy's words may end in "escalation".
    for own in ("escalation-tracker.invalid", "Escalation Tracker", "Escalation deadlines"):
        readable = readable.replace(own, "")
    readable = re.sub(r"stage \d+ of \d+ due", "", readable)  # the summaries, checked below
    words = _words_about_children(store, library)
    assert len(words) > 50
    for word in words:
        for form in {word, word.split()[-1]} if " " in word else {word}:
            if len(form) > 4:
                assert form not in readable, form
    found = [str(e["summary"]) for e in _events(data).values()]
    assert all(s.startswith("ESC-") and s.endswith(" due") for s in found)


@pytest.mark.skipif(sys.platform == "win32", reason="mode bits say nothing on Windows")
def test_the_file_is_readable_by_its_owner_only(store: PlainStore, tmp_path: Path) -> None:
    _export(store, tmp_path)
    assert stat.S_IMODE((tmp_path / "deadlines.ics").stat().st_mode) == 0o600


def test_a_file_that_cannot_be_written_keeps_nothing(store: PlainStore, tmp_path: Path) -> None:
    from app.services.calendar_export import export_calendar

    with pytest.raises(InputError, match="not a folder that exists"):
        export_calendar(store, tmp_path / "missing" / "d.ics", reminders=Reminders(), actor=ACTOR)
    with store.read() as connection:
        assert connection.execute("SELECT count(*) FROM calendar_export").fetchone() == (0,)


def test_reminders_outside_their_range_are_refused(store: PlainStore, tmp_path: Path) -> None:
    from app.services.calendar_export import export_calendar

    with pytest.raises(InputError, match="working days"):
        export_calendar(store, tmp_path / "d.ics", reminders=Reminders(11, 2), actor=ACTOR)


def test_a_monday_deadline_reminds_on_the_friday_before() -> None:
    england = calendar_for(Nation.ENGLAND)
    monday = date(2026, 11, 30)
    [event] = calendar_events(
        [OpenDeadline("ESC-2026-0001", 1, 3, monday, england)], {}, "file", Reminders(1, 2)
    )
    assert event.alarm_before is not None
    assert datetime(2026, 11, 30) - event.alarm_before == datetime(2026, 11, 27, 9, 0)


def test_the_uid_depends_on_the_file_reference_and_stage_only() -> None:
    uid = event_uid("file-a", "ESC-2026-0001", 2)
    assert uid == event_uid("file-a", "ESC-2026-0001", 2)
    assert (
        len({uid, event_uid("file-b", "ESC-2026-0001", 2), event_uid("file-a", "ESC-2026-0001", 3)})
        == 3
    )
    assert uid.endswith("@escalation-tracker.invalid")


def test_a_cancelled_event_opened_again_rises_once() -> None:
    england = calendar_for(Nation.ENGLAND)
    uid = event_uid("f", "ESC-2026-0001", 1)
    ledger = {uid: Exported(uid, "ESC-2026-0001: stage 1 of 3 due", "2026-12-01", 4, True)}
    deadline = OpenDeadline("ESC-2026-0001", 1, 3, date(2026, 12, 1), england)
    [event] = calendar_events([deadline], ledger, "f", Reminders())
    assert isinstance(event, CalendarEvent)
    assert (event.sequence, event.cancelled) == (5, False)
