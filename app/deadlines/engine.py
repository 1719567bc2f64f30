"""Stage deadlines, exactly per the rules in GUIDE section 3.

- N working days from X: X's own day never counts; due on the Nth working day after it.
- N hours from X: elapsed clock hours; due at a date and time. A date-only X is taken as
  the start of that day (00:00).
- N calendar days from X: X's date plus N days.
- Immediate / without delay: due on X's own day.
- No fixed timescale: no date is computed; the rule text says so. If the DSL has set a
  child-safety date, that date is the stage's deadline (the policy's own words for such
  stages are "a timescale that protects the child").
- A rule anchored to ``raised`` runs from the disagreement being raised, not the stage.
- A stage's rules are all computed and the earliest wins.
- The child-safety date: any computed deadline later than it becomes that date.
- A stage whose start is unknown is projected to start at the previous stage's deadline
  (or, when that stage has no deadline, at the previous stage's start).

The hot path (``project_pathway``) builds no strings: rule descriptions are produced on
demand by ``StageDeadline.rule``, so projecting thousands of escalations stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.deadlines.calendar import WorkingCalendar, calendar_for
from app.policy.model import Anchor, Nation, Pathway, Stage, Timescale, Unit

Moment = date | datetime  # a date-only deadline means "by the end of that day"


def day_of(moment: Moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _sort_key(moment: Moment) -> datetime:
    if isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time.max)


def earliest(*moments: Moment) -> Moment:
    return min(moments, key=_sort_key)


def fmt_day(day: date) -> str:
    return f"{day:%a} {day:%d/%m/%Y}"


def fmt_moment(moment: Moment) -> str:
    if isinstance(moment, datetime):
        return f"{fmt_day(moment.date())} {moment:%H:%M}"
    return fmt_day(moment)


def iso(moment: Moment | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%dT%H:%M")
    return moment.isoformat()


def apply_rule(rule: Timescale, anchor: Moment, calendar: WorkingCalendar) -> Moment | None:
    """The date one timescale rule gives from its anchor moment (None: no fixed date)."""
    unit = rule.unit
    if unit is Unit.WORKING_DAYS:
        assert rule.amount is not None
        return calendar.add_working_days(day_of(anchor), rule.amount)
    if unit is Unit.HOURS:
        assert rule.amount is not None
        start = anchor if isinstance(anchor, datetime) else datetime.combine(anchor, time.min)
        return start + timedelta(hours=rule.amount)
    if unit is Unit.CALENDAR_DAYS:
        assert rule.amount is not None
        return day_of(anchor) + timedelta(days=rule.amount)
    if unit is Unit.IMMEDIATE:
        return day_of(anchor)
    return None


@dataclass(frozen=True, slots=True)
class RuleDate:
    """One rule of a stage and the date it gives."""

    timescale: Timescale
    anchor: Moment
    due: Moment | None


@dataclass(frozen=True, slots=True)
class StageDeadline:
    stage: Stage
    start: Moment
    start_known: bool  # False: projected from the previous stage's deadline
    rules: tuple[RuleDate, ...]
    due: Moment | None
    winner: RuleDate | None  # the rule that produced ``due`` (None: child-safety date)
    protect_by: date | None
    nation: Nation

    @property
    def number(self) -> int:
        return self.stage.number

    @property
    def limited_by_protect_by(self) -> bool:
        return self.winner is None and self.due is not None

    @property
    def caps(self) -> list[RuleDate]:
        return [r for r in self.rules if r.timescale.cap and r.due is not None]

    @property
    def rule(self) -> str:
        """How ``due`` was worked out, in words a DSL can check by hand."""
        if self.due is None:
            texts = "; ".join(r.timescale.text for r in self.rules)
            return f"No fixed timescale in the policy ({texts})."
        calendar = calendar_for(self.nation)
        if self.winner is None:
            assert self.protect_by is not None
            if all(r.due is None for r in self.rules):
                texts = "; ".join(r.timescale.text for r in self.rules)
                return (
                    f"Child-safety date {fmt_day(self.protect_by)}; the policy sets no fixed "
                    f"timescale for this stage ({texts})."
                )
            policy_rule = min(
                (r for r in self.rules if r.due is not None),
                key=lambda r: _sort_key(r.due),  # type: ignore[arg-type]
            )
            assert policy_rule.due is not None
            return (
                f"Child-safety date {fmt_day(self.protect_by)}, which is sooner than the "
                f"policy's {describe(policy_rule.timescale, policy_rule.anchor, calendar)} "
                f"({fmt_moment(policy_rule.due)})."
            )
        text = describe(self.winner.timescale, self.winner.anchor, calendar)
        others = [r for r in self.rules if r is not self.winner and r.due is not None]
        if others:
            text += "; earlier than " + "; ".join(
                f"{describe(r.timescale, r.anchor, calendar)} ({fmt_moment(r.due)})"
                for r in others
                if r.due is not None
            )
        return text + "."


def describe(rule: Timescale, anchor: Moment, calendar: WorkingCalendar) -> str:
    """E.g. "5 working days from Fri 18/12/2026 (Fri 25/12/2026 Christmas Day and
    Mon 28/12/2026 Boxing Day (observed) are bank holidays)"."""
    origin = (
        "the disagreement being raised on " if rule.anchor is Anchor.RAISED else ""
    ) + fmt_moment(anchor)
    unit = rule.unit
    if unit is Unit.WORKING_DAYS:
        assert rule.amount is not None
        due = calendar.add_working_days(day_of(anchor), rule.amount)
        text = f"{rule.amount} working day{'s' if rule.amount != 1 else ''} from {origin}"
        holidays = calendar.bank_holidays(day_of(anchor) + timedelta(days=1), due)
        if holidays:
            names = " and ".join(f"{fmt_day(d)} {n}" for d, n in holidays)
            verb = "is a bank holiday" if len(holidays) == 1 else "are bank holidays"
            text += f" ({names} {verb})"
        return ("cap: " if rule.cap else "") + text
    if unit is Unit.HOURS:
        span = f"{rule.from_amount} to {rule.amount}" if rule.from_amount else f"{rule.amount}"
        return f"{span} hours from {origin}"
    if unit is Unit.CALENDAR_DAYS:
        return f"{rule.amount} calendar days from {origin}"
    if unit is Unit.IMMEDIATE:
        return f"immediately: due on the day it starts ({origin})"
    return "no fixed timescale"


def stage_deadline(
    stage: Stage,
    start: Moment,
    raised: Moment,
    *,
    start_known: bool = True,
    protect_by: date | None = None,
    nation: Nation = Nation.ENGLAND,
) -> StageDeadline:
    calendar = calendar_for(nation)
    rules = tuple(
        RuleDate(
            rule,
            anchor := (raised if rule.anchor is Anchor.RAISED else start),
            apply_rule(rule, anchor, calendar),
        )
        for rule in stage.timescales
    )
    computed = [r for r in rules if r.due is not None]
    if not computed:
        # The policy sets no number, but the DSL's child-safety date still binds: it is
        # the "timescale that protects the child" such stages ask for.
        return StageDeadline(stage, start, start_known, rules, protect_by, None, protect_by, nation)
    winner = min(computed, key=lambda r: _sort_key(r.due))  # type: ignore[arg-type]
    due: Moment | None = winner.due
    chosen: RuleDate | None = winner
    if protect_by is not None and due is not None and day_of(due) > protect_by:
        due, chosen = protect_by, None
    return StageDeadline(stage, start, start_known, rules, due, chosen, protect_by, nation)


def project_pathway(
    pathway: Pathway,
    raised: Moment,
    stage_starts: Mapping[int, Moment] | None = None,
    *,
    protect_by: date | None = None,
    nation: Nation = Nation.ENGLAND,
) -> list[StageDeadline]:
    """Every stage's start and due date. Known starts come from ``stage_starts``
    (stage 1 defaults to ``raised``); the rest are projected."""
    known = dict(stage_starts or {})
    known.setdefault(1, raised)
    out: list[StageDeadline] = []
    previous: StageDeadline | None = None
    for stage in pathway.stages:
        if stage.number in known:
            start, start_known = known[stage.number], True
        else:
            assert previous is not None  # stage 1 is always known
            start = previous.due if previous.due is not None else previous.start
            start_known = False
        previous = stage_deadline(
            stage,
            start,
            raised,
            start_known=start_known,
            protect_by=protect_by,
            nation=nation,
        )
        out.append(previous)
    return out
