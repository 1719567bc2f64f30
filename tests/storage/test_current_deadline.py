"""``escalation.current_due``: the current stage's deadline, which unlocking counts and
orders the list by, kept by triggers on ``stage_event`` (migration 0006). It
must equal the latest start's deadline whatever writes the events: the services, the
ORM directly, or retention's destruction."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from app import clock
from app.policy import PolicyLibrary
from app.services import escalations as esc
from app.storage import audit
from app.storage.models import Escalation, StageEvent
from tests.plain_store import PlainStore
from tests.services.test_services import ACTOR, _open  # opened as the services do

RAISED = datetime(2026, 12, 18, 10, 0)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlainStore:
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 1, 6, 9, 0))
    return PlainStore(tmp_path / "plain.db")


def _current(store: PlainStore) -> dict[str, str | None]:
    with store.read() as connection:
        return dict(connection.execute("SELECT ref, current_due FROM escalation"))


def _disagreements(store: PlainStore) -> list[str]:
    """What ``check`` reports (``audit.verify``): escalations whose current_due is not
    their latest start's deadline."""
    with store.read() as connection:
        return [ref for (ref,) in connection.execute(audit.CURRENT_DUE_DISAGREES)]


def test_it_follows_each_stage_the_services_start(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = _open(store, library).ref
    assert _current(store) == {ref: "2026-12-29"}
    second = esc.move_to_next_stage(
        store, ref, result="Not resolved", actor=ACTOR, at=datetime(2026, 12, 29, 16, 0)
    )
    assert second.due == date(2027, 1, 6)
    assert _current(store) == {ref: "2027-01-06"}
    esc.withdraw(store, ref, "CSC reversed the decision", actor=ACTOR)
    assert _current(store) == {ref: "2027-01-06"}  # closing starts no stage
    assert _disagreements(store) == []


def _escalation(ref: str) -> Escalation:
    return Escalation(
        ref=ref,
        policy_id="gloucestershire",
        policy_version="1",
        pathway_id="resolution",
        nation="england",
        raised_at=RAISED,
        raised_by="Mr B Teacher",
        other_agency="Children's Social Care",
        category="threshold",
        disputed="-",
        change_wanted="-",
        impact="-",
        created_at=RAISED,
        created_by=ACTOR,
    )


def _event(escalation: Escalation, number: int, kind: str, due: str | None) -> StageEvent:
    return StageEvent(
        escalation=escalation,
        number=number,
        kind=kind,
        at=RAISED,
        due=due,
        rule="test",
        recorded_by=ACTOR,
    )


def test_it_marks_no_start_and_no_timescale_and_ignores_other_events(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = _open(store, library).ref  # for its child and pathway snapshot
    with store.session() as session:
        first = session.query(Escalation).one()
        made = {name: _escalation(name) for name in ("none", "open-ended", "timed", "later")}
        for escalation in made.values():
            escalation.child, escalation.snapshot = first.child, first.snapshot
            session.add(escalation)
        session.add(_event(made["open-ended"], 1, "started", None))
        session.add(_event(made["timed"], 1, "started", "2027-01-08T17:00"))
        session.add(_event(made["later"], 1, "started", "2027-01-08"))
        session.flush()
        session.add(_event(made["later"], 1, "completed", None))
        session.add(_event(made["later"], 2, "skipped", None))
        session.add(_event(made["later"], 3, "started", "2027-02-01"))
        session.add(_event(made["later"], 3, "completed", None))
    assert _current(store) == {
        ref: "2026-12-29",
        "none": None,
        "open-ended": "",
        "timed": "2027-01-08T17:00",
        "later": "2027-02-01",
    }
    assert _disagreements(store) == []
    # The list leaves out the escalation with no start, as the join on its stage does.
    assert "none" not in {row.ref for row in esc.list_escalations(store)}


def test_a_deleted_start_gives_back_the_one_before(
    store: PlainStore, library: PolicyLibrary
) -> None:
    """Retention's destruction is the one delete of stage events (it lifts the
    append-only trigger first, as here)."""
    ref = _open(store, library).ref
    esc.move_to_next_stage(
        store, ref, result="Not resolved", actor=ACTOR, at=datetime(2026, 12, 29, 16, 0)
    )
    connection = sqlite3.connect(store.path, isolation_level=None)
    try:
        connection.execute("DROP TRIGGER stage_event_no_delete")
        latest = "SELECT max(id) FROM stage_event WHERE kind = 'started'"
        connection.execute(f"DELETE FROM stage_event WHERE id = ({latest})")
        assert _current(store) == {ref: "2026-12-29"}
        connection.execute(f"DELETE FROM stage_event WHERE id = ({latest})")
        assert _current(store) == {ref: None}
    finally:
        connection.close()
    assert _disagreements(store) == []
