"""The first screenful unlocking paints (``dashboard.first_page``) against the whole
dashboard: the same counts and total, and the same first rows in the same order.

The list's order is SQL's (``escalation_rows._order``) when read, and ``sort_key``'s when
the list is sorted again in Python; the first screenful is only right if the two agree,
so the rows here are made to tie and to cross at every point the two could differ: a
date-only deadline against times on the same day, deadlines on the same minute, no
deadline, closed escalations with and without a closing time, several nations."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from app.deadlines import calendar_for, iso
from app.deadlines.standing import Standing, standing
from app.nation import Nation
from app.policy import PolicyLibrary
from app.services.dashboard import Bucket, classify, dashboard, first_page, sort_key
from app.services.escalation_rows import list_escalations
from app.services.escalations import snapshot_for
from app.storage.models import Child, Escalation, StageEvent
from tests.plain_store import PlainStore

NOW = datetime(2026, 12, 23, 10, 30)  # Christmas ahead: the nations' holidays differ


def _dues(rng: random.Random) -> list[date | datetime | None]:
    out: list[date | datetime | None] = [None, None]
    for offset in range(-12, 12):
        day = NOW.date() + timedelta(days=offset)
        out += [day, datetime.combine(day, time(0, 0)), datetime.combine(day, time(23, 59))]
        out.append(datetime.combine(day, time(NOW.hour, NOW.minute)))
    rng.shuffle(out)
    return out


@pytest.fixture
def store(tmp_path: Path, library: PolicyLibrary) -> PlainStore:
    """About 160 escalations, inserted as the services shape them."""
    rng = random.Random(2026)
    store = PlainStore(tmp_path / "page.db")
    policy = library.get("north-yorkshire")
    pathway = policy.pathways[0]
    with store.session() as session:
        child = Child(name="Zoë Nguyễn", date_of_birth=date(2014, 5, 12), created_at=NOW)
        session.add(child)
        snapshot = snapshot_for(
            session,
            policy.id,
            policy.document.version,
            pathway.id,
            pathway.model_dump_json(),
            actor="Test",
        )
        dues = _dues(rng)
        closings: list[datetime | None] = [
            None,
            datetime(2026, 12, 1, 9, 0),
            datetime(2026, 12, 1, 9, 0),  # the same moment: ties go by reference
            datetime(2026, 8, 31, 23, 0),  # last term
            datetime(2026, 9, 1, 0, 0),  # this term's first minute
        ]
        for n in range(len(dues) + 3 * len(closings)):
            if n < len(dues):
                status, due, closed = "open", dues[n], None
            else:
                status = rng.choice(["resolved", "withdrawn"])
                due, closed = rng.choice(dues), closings[n % len(closings)]
            raised = NOW - timedelta(days=30)
            escalation = Escalation(
                # Not in the order they are inserted, so the reference tie-break shows.
                ref=f"ESC-2026-{rng.randrange(10_000):04d}-{n}",
                child=child,
                policy_id=policy.id,
                policy_version=policy.document.version,
                pathway_id=pathway.id,
                snapshot=snapshot,
                nation=list(Nation)[n % len(Nation)].value,
                raised_at=raised,
                raised_by="Ms H Okafor",
                other_agency="Children's Social Care",
                other_practitioner="A Practitioner",
                category="threshold",
                disputed="The decision does not keep the child safe.",
                change_wanted="An assessment.",
                impact="Risk continues.",
                status=status,
                closed_at=closed,
                created_at=raised,
                created_by="Test",
            )
            session.add(escalation)
            if n % 17 == 5:
                # No start at all, as a damaged transfer file could bring: the whole
                # list leaves it out, so the counts and the first screenful must too.
                continue
            # Two starts: the current stage is the later one.
            for number, stage_due in ((1, NOW.date() - timedelta(days=40)), (2, due)):
                session.add(
                    StageEvent(
                        escalation=escalation,
                        number=number,
                        kind="started",
                        at=raised + timedelta(days=number),
                        due=iso(stage_due),
                        rule="test",
                        recorded_by="Test",
                    )
                )
    return store


def test_the_list_is_read_in_the_order_python_sorts_it(store: PlainStore) -> None:
    read = classify(list_escalations(store), NOW).rows  # classify sorts with sort_key
    as_read = [r.ref for r in list_escalations(store)]
    assert [r.row.ref for r in read] == as_read
    # And the rows cover every case the order must handle.
    keys = [sort_key(r)[:2] for r in read]
    assert len(set(keys)) < len(keys)  # ties, broken by reference
    assert any(r.row.next_due is None and r.row.status == "open" for r in read)
    assert any(r.row.closed_at is None and r.row.status != "open" for r in read)


@pytest.mark.parametrize("size", [1, 10, 50, 1_000])
def test_the_first_page_has_the_whole_dashboards_counts_and_first_rows(
    store: PlainStore, size: int
) -> None:
    whole = dashboard(store, now=NOW)
    page = first_page(store, size, now=NOW)
    assert page.counts == whole.counts
    assert page.waiting == whole.waiting and whole.waiting.count > 0
    assert page.total == whole.total == len(whole.rows)
    assert [r.row.ref for r in page.rows] == [r.row.ref for r in whole.rows[:size]]
    assert [r.urgency for r in page.rows] == [r.urgency for r in whole.rows[:size]]
    assert page.complete is (size >= whole.total)
    assert page.term == whole.term and page.today == whole.today
    # Every bucket is exercised, so a count computed wrongly on its own would show.
    assert all(whole.counts.values()), whole.counts


def test_the_counts_read_over_the_index_follow_the_standing_rule(store: PlainStore) -> None:
    """The counts are worked out from escalations grouped by deadline (the fast path at
    unlock); each count must be what the standing rule gives row by row. The deadlines
    here include times on this very minute and earlier and later today."""
    counted = first_page(store, 1, now=NOW).counts
    by_rule = dict.fromkeys(Standing, 0)
    soon = 0
    for row in list_escalations(store):
        if row.status == "open":
            where = standing(row.next_due, NOW, calendar_for(Nation(row.nation)))
            by_rule[where.standing] += 1
            soon += where.standing is Standing.DUE_LATER and (where.working_days or 0) <= 3
    assert counted[Bucket.OVERDUE] == by_rule[Standing.OVERDUE] > 0
    assert counted[Bucket.DUE_TODAY] == by_rule[Standing.DUE_TODAY] > 0
    assert counted[Bucket.DUE_SOON] == soon > 0
