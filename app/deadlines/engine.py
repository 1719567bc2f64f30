"""Stage deadlines, exactly per the rules in docs/architecture.md (Deadline rules).

- N working days from X: X's own day never counts; due on the Nth working day after it.
- N hours from X: elapsed clock hours; due at a date and time. A date-only X is taken as
  the start of that day (00:00).
- N calendar days from X: X's date plus N days.
- Immediate / without delay: due on X's own day.
- No fixed timescale: no date is computed; the rule text says so. If the DSL has set a
  child-safety date, that date is the stage's deadline (the policy's own words for such
  stages are "a timescale that protects the child").
- A rule anchored to ``raised`` runs from the disagreement being raised, not the stage;
  one anchored to ``decision`` runs from the disputed decision (the raised moment when
  no decision date is given).
- A stage's rules are all computed and the earliest wins.
- The child-safety date: any computed deadline later than it becomes that date.
- A stage whose start is unknown is projected to start at the previous stage's deadline.
  When that stage has no deadline, the stage has no projected start and its own clock
  cannot run ("referred without delay" after an open-ended meeting is not due on the
  day the disagreement was raised): only rules anchored to the raised date give a date,
  until the stage before it really starts or ends.

The hot path (``project_pathway``) builds no strings: rule descriptions are produced on
demand by ``StageDeadline.rule``, so projecting thousands of escalations stays cheap.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.deadlines.calendar import WorkingCalendar, calendar_for
from app.deadlines.moments import Moment, day_of, fmt_day, fmt_moment, sort_key
from app.english_plurals import count
from app.policy.model import Anchor, Nation, OtherDeadline, Pathway, Stage, Timescale, Unit

_END_OF_DAY = time.max


def apply_rule(rule: Timescale, anchor: Moment, calendar: WorkingCalendar) -> Moment | None:
    """The date one timescale rule gives from its anchor moment (None: no fixed date).
    The same arithmetic as ``_earliest_due``, kept plain for explanations and tests."""
    amount = rule.amount or 0
    if rule.unit is Unit.WORKING_DAYS:
        return calendar.add_working_days(day_of(anchor), amount)
    if rule.unit is Unit.HOURS:
        start = anchor if isinstance(anchor, datetime) else datetime.combine(anchor, time.min)
        return start + timedelta(hours=amount)
    if rule.unit is Unit.CALENDAR_DAYS:
        return day_of(anchor) + timedelta(days=amount)
    if rule.unit is Unit.IMMEDIATE:
        return day_of(anchor)
    return None


@dataclass(frozen=True, slots=True)
class RuleDate:
    """One rule of a stage and the date it gives."""

    timescale: Timescale
    anchor: Moment
    due: Moment | None


@dataclass(slots=True)
class StageDeadline:
    """A stage's start and deadline. Only the winning rule's index is kept on the hot
    path; the per-rule detail (``rules``, ``caps``, ``rule``) is rebuilt on demand."""

    stage: Stage
    start: Moment
    raised: Moment
    start_known: bool  # False: projected from the previous stage's deadline
    due: Moment | None
    winner_index: int  # index of the rule that produced ``due``; -1: none did
    protect_by: date | None
    nation: Nation
    # The stage whose end this one waits for, when that stage has no deadline and this
    # one has no known start (None: the start is known or projected).
    waits_for: int | None = None
    decision: Moment | None = None  # the disputed decision; None: the raised moment

    @property
    def number(self) -> int:
        return self.stage.number

    @property
    def due_waits_for(self) -> int | None:
        """The stage whose end this one's clock waits for: set only when the stage has
        a timescale that cannot run yet (one with none has no date either way)."""
        if self.due is not None or self.waits_for is None:
            return None
        timed = any(rule.unit is not Unit.NONE for rule in self.stage.timescales)
        return self.waits_for if timed else None

    @property
    def projected_start(self) -> Moment | None:
        """The start to show: None while it waits for an open-ended stage to end."""
        return None if self.waits_for is not None else self.start

    @property
    def rules(self) -> tuple[RuleDate, ...]:
        calendar = calendar_for(self.nation)
        out = []
        for rule in self.stage.timescales:
            anchor = self._anchor(rule.anchor)
            usable = rule.anchor is not Anchor.STAGE_START or self.waits_for is None
            out.append(
                RuleDate(rule, anchor, apply_rule(rule, anchor, calendar) if usable else None)
            )
        return tuple(out)

    def _anchor(self, anchor: Anchor) -> Moment:
        if anchor is Anchor.RAISED:
            return self.raised
        if anchor is Anchor.DECISION:
            return self.raised if self.decision is None else self.decision
        return self.start

    @property
    def winner(self) -> RuleDate | None:
        """The rule that produced ``due`` (None: the child-safety date, or no date)."""
        return self.rules[self.winner_index] if self.winner_index >= 0 else None

    @property
    def limited_by_protect_by(self) -> bool:
        return self.winner_index < 0 and self.due is not None

    @property
    def caps(self) -> list[RuleDate]:
        return [r for r in self.rules if r.timescale.cap and r.due is not None]

    @property
    def rule(self) -> str:
        """How ``due`` was worked out, in words a DSL can check by hand."""
        rules = self.rules
        winner = self.winner
        if self.due is None:
            texts = "; ".join(r.timescale.text for r in rules)
            if self.due_waits_for is not None:
                return (
                    f"No date yet: this stage starts when stage {self.waits_for} ends, and "
                    f"stage {self.waits_for} has no fixed end ({texts})."
                )
            if any(r.timescale.urgent for r in rules):
                return f"No fixed timescale, but the policy asks for it urgently ({texts})."
            return f"No fixed timescale in the policy ({texts})."
        calendar = calendar_for(self.nation)
        if winner is None:
            assert self.protect_by is not None
            if all(r.due is None for r in rules):
                texts = "; ".join(r.timescale.text for r in rules)
                return (
                    f"Child-safety date {fmt_day(self.protect_by)}; the policy sets no fixed "
                    f"timescale for this stage ({texts})."
                )
            policy_rule = min(
                (r for r in rules if r.due is not None),
                key=lambda r: sort_key(r.due),  # type: ignore[arg-type]
            )
            assert policy_rule.due is not None
            return (
                f"Child-safety date {fmt_day(self.protect_by)}, which is sooner than the "
                f"policy's {describe(policy_rule.timescale, policy_rule.anchor, calendar)} "
                f"({fmt_moment(policy_rule.due)})."
            )
        text = describe(winner.timescale, winner.anchor, calendar)
        others = [r for r in rules if r != winner and r.due is not None]
        if others:
            text += "; earlier than " + "; ".join(
                f"{describe(r.timescale, r.anchor, calendar)} ({fmt_moment(r.due)})"
                for r in others
                if r.due is not None
            )
        return text + "." + _contradictions(rules)


def _contradictions(rules: tuple[RuleDate, ...]) -> str:
    """The document's other words on the same step, so the DSL can check."""
    return "".join(
        f" Elsewhere the document says: “{r.timescale.contradicted_by}”; this app uses "
        f"“{r.timescale.text}”. Check with your partnership."
        for r in rules
        if r.timescale.contradicted_by
    )


def _describe_hours(rule: Timescale, anchor: Moment) -> str:
    """E.g. "24 to 96 hours from Mon 07/12/2026 00:00: due at the end of the range
    (its start: Tue 08/12/2026 00:00); no time of day was given, so from 00:00"."""
    assert rule.amount is not None
    timed = isinstance(anchor, datetime)
    start = anchor if isinstance(anchor, datetime) else datetime.combine(anchor, time.min)
    origin = _ORIGIN_WORDS.get(rule.anchor, "") + fmt_moment(start)
    if rule.from_amount:
        text = (
            f"{rule.from_amount} to {count(rule.amount, 'hour')} from {origin}: due at the end of "
            "the "
            f"range (its start: {fmt_moment(start + timedelta(hours=rule.from_amount))})"
        )
    else:
        text = f"{count(rule.amount, 'hour')} from {origin}"
    return text if timed else text + "; no time of day was given, so it counts from 00:00"


_ORIGIN_WORDS = {
    Anchor.RAISED: "the disagreement being raised on ",
    Anchor.DECISION: "the disputed decision on ",
}


def describe(rule: Timescale, anchor: Moment, calendar: WorkingCalendar) -> str:
    """E.g. "5 working days from Fri 18/12/2026 (Fri 25/12/2026 Christmas Day and
    Mon 28/12/2026 Boxing Day (observed) are bank holidays)"."""
    origin = _ORIGIN_WORDS.get(rule.anchor, "") + fmt_moment(anchor)
    unit = rule.unit
    if unit is Unit.WORKING_DAYS:
        assert rule.amount is not None
        due = calendar.add_working_days(day_of(anchor), rule.amount)
        text = f"{count(rule.amount, 'working day')} from {origin}"
        holidays = calendar.bank_holidays(day_of(anchor) + timedelta(days=1), due)
        if holidays:
            names = " and ".join(f"{fmt_day(d)} {n}" for d, n in holidays)
            verb = "is a bank holiday" if len(holidays) == 1 else "are bank holidays"
            text += f" ({names} {verb})"
        return ("cap: " if rule.cap else "") + text
    if unit is Unit.HOURS:
        return _describe_hours(rule, anchor)
    if unit is Unit.CALENDAR_DAYS:
        assert rule.amount is not None
        return f"{count(rule.amount, 'calendar day')} from {origin}"
    if unit is Unit.IMMEDIATE:
        return f"immediately: due on the day it starts ({origin})"
    return "no fixed timescale"


# Rule kinds as small ints for the hot loop below.
_WD, _HOURS, _DAYS, _NOW, _NONE = range(5)
_KIND = {
    Unit.WORKING_DAYS: _WD,
    Unit.HOURS: _HOURS,
    Unit.CALENDAR_DAYS: _DAYS,
    Unit.IMMEDIATE: _NOW,
    Unit.NONE: _NONE,
}
# Anchors as small ints: the stage's start, the raised moment, the disputed decision.
_FROM_STAGE, _FROM_RAISED, _FROM_DECISION = range(3)
_ANCHOR = {
    Anchor.STAGE_START: _FROM_STAGE,
    Anchor.RAISED: _FROM_RAISED,
    Anchor.DECISION: _FROM_DECISION,
}
CompiledRule = tuple[int, int, int]  # kind, amount, anchor

# Pathways are frozen models; compiled plans are cached per object (kept alive here so
# an id is never reused for another pathway while its plan is cached).
_PLANS: dict[int, tuple[Pathway, list[tuple[Stage, tuple[CompiledRule, ...]]]]] = {}


def _compile_stage(stage: Stage) -> tuple[CompiledRule, ...]:
    return tuple((_KIND[r.unit], r.amount or 0, _ANCHOR[r.anchor]) for r in stage.timescales)


def _plan(pathway: Pathway) -> list[tuple[Stage, tuple[CompiledRule, ...]]]:
    cached = _PLANS.get(id(pathway))
    if cached is None or cached[0] is not pathway:
        cached = (pathway, [(stage, _compile_stage(stage)) for stage in pathway.stages])
        _PLANS[id(pathway)] = cached
    return cached[1]


def _earliest_due(
    rules: tuple[CompiledRule, ...],
    anchors: tuple[Moment, Moment, Moment],  # the stage's start, raised, decision
    protect_by: date | None,
    calendar: WorkingCalendar,
) -> tuple[Moment | None, int]:
    """The earliest rule's date and its index, then the child-safety date. Written for
    speed (it runs for every stage of every escalation the list shows): plain tuples,
    no per-rule objects, working days by binary search on the calendar's table."""
    working = calendar.working_ordinals
    best: datetime | None = None
    due: Moment | None = None
    winner = -1
    for index, (kind, amount, origin) in enumerate(rules):
        anchor = anchors[origin]
        moment: Moment
        if kind == _WD:
            day = anchor.date() if type(anchor) is datetime else anchor
            before = bisect_right(working, day.toordinal())
            position = before + amount - 1
            if not before or position >= len(working) or not amount:
                # Before or past the table (the calendar refuses the date), or N = 0.
                moment = calendar.add_working_days(day, amount)
            else:
                moment = date.fromordinal(working[position])
        elif kind == _HOURS:
            base = anchor if type(anchor) is datetime else datetime.combine(anchor, time.min)
            moment = base + timedelta(hours=amount)
        elif kind == _DAYS:
            moment = (anchor.date() if type(anchor) is datetime else anchor) + timedelta(
                days=amount
            )
        elif kind == _NOW:
            moment = anchor.date() if type(anchor) is datetime else anchor
        else:
            continue
        key = moment if type(moment) is datetime else datetime.combine(moment, _END_OF_DAY)
        if best is None or key < best:
            best, due, winner = key, moment, index
    if protect_by is not None and (due is None or (best is not None and best.date() > protect_by)):
        # Sooner than the policy's date, or the "timescale that protects the child" a
        # stage with no fixed timescale asks for.
        return protect_by, -1
    return due, winner


def stage_deadline(
    stage: Stage,
    start: Moment,
    raised: Moment,
    *,
    start_known: bool = True,
    protect_by: date | None = None,
    nation: Nation = Nation.ENGLAND,
    decision: Moment | None = None,
) -> StageDeadline:
    """One stage's deadline: every rule computed, the earliest wins, then the
    child-safety date."""
    anchors = (start, raised, raised if decision is None else decision)
    due, winner = _earliest_due(_compile_stage(stage), anchors, protect_by, calendar_for(nation))
    return StageDeadline(
        stage, start, raised, start_known, due, winner, protect_by, nation, None, decision
    )


def project_pathway(
    pathway: Pathway,
    raised: Moment,
    stage_starts: Mapping[int, Moment] | None = None,
    *,
    protect_by: date | None = None,
    nation: Nation = Nation.ENGLAND,
    decision: Moment | None = None,
    stored_dues: Mapping[int, Moment | None] | None = None,
) -> list[StageDeadline]:
    """Every stage's start and due date. Known starts come from ``stage_starts``
    (stage 1 defaults to ``raised``); the rest are projected. ``decision`` is the
    disputed decision's moment (``raised`` when not given). ``stored_dues``: the
    deadlines started stages were given when they started, which stand (and the next
    stage is projected from) even if the pathway now says otherwise (an escalation that
    adopted a newer version of its policy)."""
    decided = raised if decision is None else decision
    known = stage_starts or {}
    calendar = calendar_for(nation)
    out: list[StageDeadline] = []
    start: Moment = raised
    waits_for: int | None = None
    for stage, rules in _plan(pathway):
        given = known.get(stage.number)
        if given is not None or stage.number == 1:
            start = raised if given is None else given
            waits_for = None
        elif waits_for is not None:
            # No projected start: only rules anchored to a known moment can run.
            rules = tuple(r if r[2] != _FROM_STAGE else (_NONE, 0, _FROM_STAGE) for r in rules)
        due, winner = _earliest_due(rules, (start, raised, decided), protect_by, calendar)
        if stored_dues is not None and stage.number in stored_dues:
            due = stored_dues[stage.number]
        out.append(
            StageDeadline(
                stage,
                start,
                raised,
                given is not None or stage.number == 1,
                due,
                winner,
                protect_by,
                nation,
                waits_for,
                decision,
            )
        )
        # The next stage, if its start is unknown, is projected to start at this
        # stage's deadline; with no deadline it has no projected start.
        if due is not None:
            start = due
            waits_for = None
        else:
            waits_for = stage.number
    return out


@dataclass(frozen=True)
class OtherDue:
    """A deadline outside the stage ladder, worked out from the day its event happened
    (Suffolk: a parent's complaint "within 28 days of receiving the minutes")."""

    title: str
    due: Moment | None
    rule: str


def other_deadline(other: OtherDeadline, happened: date, nation: Nation) -> OtherDue:
    calendar = calendar_for(nation)
    due = apply_rule(other.timescale, happened, calendar)
    rule = f"{describe(other.timescale, happened, calendar)} ({other.from_event})"
    return OtherDue(other.title, due, rule)
