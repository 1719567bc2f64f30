"""Escalation figures for quality assurance and partnership monitoring, as a plain record
and as (section, item, value) rows for the CSV, the PDF and the window. Counts and
durations only: no names, dates of birth or identifiers. ``app.services.statistics``
computes them; documents and the UI only read them, so they import this, not the
service."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from app import clock


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
    # Escalations left out because a stored value in them cannot be read
    # (app/services/damage.py; python -m app check names them).
    damaged: int = 0

    def to_json(self) -> str:
        data = asdict(self)
        data["generated_on"] = self.generated_on.isoformat()
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)


def month_name(key: str) -> str:
    """ "2026-11" as "Nov 2026"."""
    return datetime.strptime(key, "%Y-%m").strftime("%b %Y")


def rows(stats: Statistics) -> list[tuple[str, str, str]]:
    """The figures as (section, item, value) rows, for CSV and the PDF tables."""
    out: list[tuple[str, str, str]] = [("Summary", "Escalations recorded", str(stats.total))]
    if stats.damaged:
        out.append(("Summary", "Damaged escalations left out", str(stats.damaged)))
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
