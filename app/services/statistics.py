"""Figures for quality assurance and partnership monitoring ("record the number of
escalations that take place from stage 1 onwards"). Everything here is counts and
durations: no names, dates of birth or identifiers, so the same figures serve the
partnership monitoring export. The one typed text they carry, the labels (the other
agency as typed), goes through ``app.domain.redaction`` against every child in the file."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from statistics import median

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import selectinload

from app import clock
from app.deadlines import calendar_for
from app.deadlines.standing import is_overdue, met
from app.domain.records import CATEGORIES
from app.domain.redaction import CHILD, IDENTIFIER, Terms, dates, identifiers, names
from app.domain.statistics_figures import StageFigures, Statistics
from app.policy import Nation
from app.services.common import Store, parse_moment
from app.services.damage import damaged_escalations
from app.services.dashboard import term_containing
from app.storage.models import Child, Escalation, Record, StageEvent


def _latest_content(record: Record) -> dict[str, object]:
    content: dict[str, object] = json.loads(record.versions[-1].content)
    return content


def _tally_deadlines(
    e: Escalation, started: list[StageEvent], stages: dict[int, Counter[str]], now: datetime
) -> None:
    """Count each started stage of ``e`` in ``stages``, by its number: completed by its
    deadline (met) or after it (missed), still open past it, or without a timescale, as
    ``app.deadlines.standing`` judges each."""
    completed = {ev.number: ev for ev in e.stage_events if ev.kind == "completed"}
    for start in started:
        tally = stages.setdefault(start.number, Counter())
        due = parse_moment(start.due)
        if due is None:
            tally["no_timescale"] += 1
            continue
        done = completed.get(start.number)
        if done is not None:
            tally["met" if met(due, done.at) else "missed"] += 1
        elif e.status == "open" and is_overdue(due, now):
            tally["open_overdue"] += 1


def _count_disputes(e: Escalation, determinations: Counter[str]) -> tuple[int, int, int]:
    """``e``'s conference dissents (each also counted in ``determinations`` by its
    outcome), stop-and-review requests, and those held: (dissents, requests, held)."""
    dissents = requests = held = 0
    for record in e.records:
        if record.kind == "conference-dissent":
            dissents += 1
            determination = _latest_content(record).get("determination")
            determinations[str(determination) if determination else "Not yet determined"] += 1
        elif record.kind == "stop-and-review":
            requests += 1
            if _latest_content(record).get("meeting_date"):
                held += 1
    return dissents, requests, held


def _children_terms(store: Store) -> Terms:
    """Every child in the file: the only typed text the figures carry is a label (the
    other agency, as typed), and not even one of those may name, date or identify a
    child in a monitoring return."""
    with store.session() as session:
        # The date of birth as stored text: a damaged one (app.services.damage) must
        # not stop the figures, which leave that child's escalations out anyway.
        born = type_coerce(Child.date_of_birth, String).label("born")
        rows = list(session.execute(select(Child.name, born, Child.identifier)))
    return (
        names([r.name for r in rows], CHILD, "a child's name")
        + dates([_day(r.born) for r in rows])
        + identifiers([r.identifier for r in rows], IDENTIFIER, "a child's identifier")
    )


def _day(stored: str | None) -> date | None:
    try:
        return date.fromisoformat(stored) if stored else None
    except ValueError:
        return None


def _without_children(counts: Counter[str], terms: Terms) -> dict[str, int]:
    """The counts by label with children's details taken out of each label (two labels
    that then read the same are counted together)."""
    out: Counter[str] = Counter()
    for label, count in counts.items():
        out[terms.redact(label)] += count
    return dict(out.most_common())


def statistics(store: Store) -> Statistics:
    now = clock.now()
    damaged = damaged_escalations(store)  # left out: their values cannot be counted
    children = _children_terms(store)
    with store.session() as session:
        escalations = session.scalars(
            select(Escalation)
            .where(Escalation.ref.not_in(damaged))
            .options(
                selectinload(Escalation.stage_events),
                selectinload(Escalation.records).selectinload(Record.versions),
            )
        ).all()
        status: Counter[str] = Counter()
        month: Counter[str] = Counter()
        term: Counter[str] = Counter()
        highest: Counter[int] = Counter()
        pathway: Counter[str] = Counter()
        policy: Counter[str] = Counter()
        agency: Counter[str] = Counter()
        category: Counter[str] = Counter()
        determinations: Counter[str] = Counter()
        durations: list[int] = []
        stages: dict[int, Counter[str]] = {}
        dissents = requests = held = 0
        for e in escalations:
            calendar = calendar_for(Nation(e.nation))
            status[e.status] += 1
            raised = e.raised_at.date()
            month[f"{raised:%Y-%m}"] += 1
            term[term_containing(raised).name] += 1
            started = [ev for ev in e.stage_events if ev.kind == "started"]
            highest[max(ev.number for ev in started)] += 1
            pathway[e.pathway_id] += 1
            policy[e.policy_id] += 1
            agency[e.other_agency] += 1
            # The app's own words for a category are no child's; anything else may be.
            category[CATEGORIES.get(e.category) or children.redact(e.category)] += 1
            if e.status == "resolved" and e.closed_at is not None:
                durations.append(calendar.working_days_between(raised, e.closed_at.date()))
            _tally_deadlines(e, started, stages, now)
            its_dissents, its_requests, its_held = _count_disputes(e, determinations)
            dissents += its_dissents
            requests += its_requests
            held += its_held
    return Statistics(
        total=len(escalations),
        by_status={s: status.get(s, 0) for s in ("open", "resolved", "withdrawn")},
        opened_per_month=dict(sorted(month.items())),
        opened_per_term=dict(term),
        highest_stage=dict(sorted(highest.items())),
        by_pathway=dict(pathway.most_common()),
        by_policy=dict(policy.most_common()),
        by_agency=_without_children(agency, children),
        by_category=dict(category.most_common()),
        resolution_median_wd=float(median(durations)) if durations else None,
        resolution_longest_wd=max(durations) if durations else None,
        deadlines_by_stage={
            n: StageFigures(t["met"], t["missed"], t["open_overdue"], t["no_timescale"])
            for n, t in sorted(stages.items())
        },
        conference_dissents=dissents,
        determinations=_without_children(determinations, children),
        stop_and_reviews_requested=requests,
        stop_and_reviews_held=held,
        generated_on=now.date(),
        damaged=len(damaged),
    )
