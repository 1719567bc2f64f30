"""The live preview beside the policy builder: a pathway's stage deadlines from a date
the DSL picks, as the timeline and the words show them, with the bank holidays on the
way named. Worked out by the deadline engine, as for a real escalation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.deadlines import Moment, calendar_for, day_of, fmt_day, fmt_moment, project_pathway
from app.domain.views import StageView
from app.nation import Nation
from app.policy.model import Pathway
from app.policy.stage_names import stage_heading


@dataclass(frozen=True)
class PolicyPreview:
    stages: list[StageView]
    caps: list[tuple[date, str]]  # the timeline's markers
    lines: list[str]  # each stage's deadline and how it was worked out
    holidays: str  # the bank holidays between the start and the last deadline, named


def preview(
    pathway: Pathway, raised: Moment, *, decision: Moment | None = None, nation: Nation
) -> PolicyPreview:
    projection = project_pathway(pathway, raised, {}, nation=nation, decision=decision)
    stages: list[StageView] = []
    lines: list[str] = []
    caps: dict[date, str] = {}
    for stage in projection:
        stages.append(
            StageView(
                number=stage.number,
                title=stage.stage.title,
                owner=stage.stage.owner,
                action=stage.stage.action,
                started_at=None,
                due=stage.due,
                rule=stage.rule,
                completed_at=None,
                result="",
                skipped=False,
                projected=stage.number > 1,
                waits_for=stage.due_waits_for,
            )
        )
        due = f"due {fmt_moment(stage.due)}" if stage.due is not None else "no date"
        heading = stage_heading(stage.number, stage.stage.title, ", ")
        lines.append(f"{heading}: {due}. {stage.rule}")
        for cap in stage.caps:
            if cap.due is not None:
                caps.setdefault(day_of(cap.due), f"{cap.timescale.amount}-working-day cap")
    ends = [day_of(s.due) for s in projection if s.due is not None]
    start = day_of(raised)
    found = calendar_for(nation).bank_holidays(start + timedelta(days=1), max([start, *ends]))
    holidays = (
        "Bank holidays before the last deadline: "
        + "; ".join(f"{fmt_day(d)} {name}" for d, name in found)
        + "."
        if found
        else "No bank holidays before the last deadline."
    )
    return PolicyPreview(stages, sorted(caps.items()), lines, holidays)
