"""Figures for quality assurance and partnership monitoring ("record the number of
escalations that take place from stage 1 onwards"). Everything here is counts and
durations: no names, dates of birth or identifiers, so the same figures serve the
partnership monitoring export."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import clock
from app.deadlines import calendar_for
from app.deadlines.standing import is_overdue, met
from app.domain.records import CATEGORIES
from app.policy import Nation
from app.services.common import Store, parse_moment
from app.services.dashboard import term_containing
from app.storage.models import Escalation, Record


@dataclass(frozen=True)
class StageFigures:
    met: int = 0
    missed: int = 0
    open_overdue: int = 0
    no_timescale: int = 0


@dataclass(frozen=True)
class Statistics:
    total: int
    by_status: dict[str, int]
    opened_per_month: dict[str, int]  # "2026-11"
    opened_per_term: dict[str, int]  # "Autumn term 2026"
    highest_stage: dict[int, int]
    by_pathway: dict[str, int]
    by_policy: dict[str, int]
    by_agency: dict[str, int]
    by_category: dict[str, int]
    resolution_median_wd: float | None  # working days from raised to resolved
    resolution_longest_wd: int | None
    deadlines_by_stage: dict[int, StageFigures]
    conference_dissents: int
    determinations: dict[str, int]
    stop_and_reviews_requested: int
    stop_and_reviews_held: int
    generated_on: date = field(default_factory=clock.today)

    def to_json(self) -> str:
        data = asdict(self)
        data["generated_on"] = self.generated_on.isoformat()
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)


def _latest_content(record: Record) -> dict[str, object]:
    content: dict[str, object] = json.loads(record.versions[-1].content)
    return content


def statistics(store: Store) -> Statistics:
    now = clock.now()
    with store.session() as session:
        escalations = session.scalars(
            select(Escalation).options(
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
            category[CATEGORIES.get(e.category, e.category)] += 1
            if e.status == "resolved" and e.closed_at is not None:
                durations.append(calendar.working_days_between(raised, e.closed_at.date()))
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
            for record in e.records:
                if record.kind == "conference-dissent":
                    dissents += 1
                    determination = _latest_content(record).get("determination")
                    determinations[
                        str(determination) if determination else "Not yet determined"
                    ] += 1
                elif record.kind == "stop-and-review":
                    requests += 1
                    if _latest_content(record).get("meeting_date"):
                        held += 1
    return Statistics(
        total=len(escalations),
        by_status={s: status.get(s, 0) for s in ("open", "resolved", "withdrawn")},
        opened_per_month=dict(sorted(month.items())),
        opened_per_term=dict(term),
        highest_stage=dict(sorted(highest.items())),
        by_pathway=dict(pathway.most_common()),
        by_policy=dict(policy.most_common()),
        by_agency=dict(agency.most_common()),
        by_category=dict(category.most_common()),
        resolution_median_wd=float(median(durations)) if durations else None,
        resolution_longest_wd=max(durations) if durations else None,
        deadlines_by_stage={
            n: StageFigures(t["met"], t["missed"], t["open_overdue"], t["no_timescale"])
            for n, t in sorted(stages.items())
        },
        conference_dissents=dissents,
        determinations=dict(determinations.most_common()),
        stop_and_reviews_requested=requests,
        stop_and_reviews_held=held,
        generated_on=now.date(),
    )


def month_name(key: str) -> str:
    """ "2026-11" as "Nov 2026"."""
    return datetime.strptime(key, "%Y-%m").strftime("%b %Y")


def rows(stats: Statistics) -> list[tuple[str, str, str]]:
    """The figures as (section, item, value) rows, for CSV and the PDF tables."""
    out: list[tuple[str, str, str]] = [("Summary", "Escalations recorded", str(stats.total))]
    out += [("Status", k.capitalize(), str(v)) for k, v in stats.by_status.items()]
    out += [("Opened per month", month_name(k), str(v)) for k, v in stats.opened_per_month.items()]
    out += [("Opened per term", k, str(v)) for k, v in stats.opened_per_term.items()]
    out += [("Highest stage reached", f"Stage {k}", str(v)) for k, v in stats.highest_stage.items()]
    out += [("By pathway", k, str(v)) for k, v in stats.by_pathway.items()]
    out += [("By policy", k, str(v)) for k, v in stats.by_policy.items()]
    out += [("By other agency", k, str(v)) for k, v in stats.by_agency.items()]
    out += [("By category", k, str(v)) for k, v in stats.by_category.items()]
    median_text = "—" if stats.resolution_median_wd is None else f"{stats.resolution_median_wd:g}"
    longest_text = "—" if stats.resolution_longest_wd is None else str(stats.resolution_longest_wd)
    out += [
        ("Time to resolution (working days)", "Median", median_text),
        ("Time to resolution (working days)", "Longest", longest_text),
    ]
    for n, f in stats.deadlines_by_stage.items():
        section = "Deadlines by stage"
        out += [
            (section, f"Stage {n}: met", str(f.met)),
            (section, f"Stage {n}: missed", str(f.missed)),
            (section, f"Stage {n}: open and overdue", str(f.open_overdue)),
            (section, f"Stage {n}: no fixed timescale", str(f.no_timescale)),
        ]
    out.append(("Conference dissent", "Dissents recorded", str(stats.conference_dissents)))
    out += [
        ("Conference dissent", f"Determination: {k}", str(v))
        for k, v in stats.determinations.items()
    ]
    out += [
        ("Stop and review", "Requested", str(stats.stop_and_reviews_requested)),
        ("Stop and review", "Meetings held", str(stats.stop_and_reviews_held)),
    ]
    return out


def to_csv(stats: Statistics, *, setting: str = "") -> str:
    """CSV for a spreadsheet or the partnership. No child is named, dated or identified:
    the figures are counts and durations only."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "item", "value"])
    if setting:
        writer.writerow(["About", "Setting", setting])
    writer.writerow(["About", "Generated on", f"{stats.generated_on:%d/%m/%Y}"])
    writer.writerows(rows(stats))
    return buffer.getvalue()
