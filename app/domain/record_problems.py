"""Every problem with a record as typed, one function per kind of record.

The record services call these before saving and refuse with all the problems at once;
the forms call the same functions to mark each field. Each names its fields as the form
labels them, and checks every text the record holds (a control or broken character in
any of them is a problem, never a failed save).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from app import clock
from app.domain import validation as check
from app.domain.records import (
    Action,
    ConferenceDissent,
    Discussion,
    MonitoringForm,
    Outcome,
    StopAndReview,
)
from app.domain.validation import Check, FieldError, each, fail, gather, optional, required
from app.team.member import NAME_LIMIT

if TYPE_CHECKING:
    from app.policy import Pathway


def discussion_problems(d: Discussion) -> list[FieldError]:
    now = clock.now()
    people = [p for p in d.participants if p.strip()]
    return gather(
        lambda: check.not_future(d.held_at, "When the discussion took place", now),
        lambda: check.plausible(d.held_at.date(), "When the discussion took place"),
        (
            fail("Who took part", "name at least one person who took part.")
            if not people
            else lambda: [check.text(p, "Who took part", limit=NAME_LIMIT) for p in d.participants]
        ),
        required(d.summary, "Summary of the discussion"),
        optional(d.agreed_actions, "Agreed actions"),
    )


def action_problems(a: Action) -> list[FieldError]:
    checks: list[Check] = [
        required(a.description, "Action"),
        required(a.owner, "Owner", NAME_LIMIT),
    ]
    if a.due is not None:
        due = a.due
        checks.append(lambda: check.plausible(due, "Due date"))
    if a.completed_on is not None:
        checks += _completion_checks(a.completed_on)
    return gather(*checks)


def completion_problems(completed_on: date) -> list[FieldError]:
    """Marking an action done on ``completed_on``."""
    return gather(*_completion_checks(completed_on))


def _completion_checks(completed_on: date) -> list[Check]:
    now = clock.now()
    return [
        lambda: check.not_future(completed_on, "Date completed", now),
        lambda: check.plausible(completed_on, "Date completed"),
    ]


def other_events(pathway: Pathway) -> list[str]:
    """The events the pathway's other deadlines run from, in the policy's words."""
    return [other.from_event for other in pathway.other_deadlines]


def determinations(pathway: Pathway) -> list[str]:
    """Every determination the policy lists for a pathway, in stage order."""
    return [o for stage in pathway.stages for o in stage.determinations()]


def conference_dissent_problems(
    d: ConferenceDissent,
    *,
    determinations: Sequence[str],
    events: Sequence[str] = (),
    further_risk_chosen: bool = True,
) -> list[FieldError]:
    """``determinations``: those the pathway lists (see ``determinations``); ``events``:
    what its other deadlines run from (see ``other_events``).
    ``further_risk_chosen``: False when a form has neither Yes nor No picked (the record
    must say one or the other; a stored record always has)."""
    now = clock.now()
    checks: list[Check] = [
        lambda: check.not_future(d.conference_date, "Conference date", now),
        lambda: check.plausible(d.conference_date, "Conference date"),
        required(d.chair, "Conference chair"),
        required(d.decision_disputed, "Decision disputed"),
        required(d.dissenting, "Who dissents"),
        required(d.reasons, "Why"),
    ]
    if not further_risk_chosen:
        checks.append(fail("Further risk", "choose Yes or No."))
    checks.append(required(d.raised_with, "Raised with"))
    if d.raised_on is not None:
        raised_on = d.raised_on
        checks += [
            lambda: check.not_before(
                raised_on, d.conference_date, "Date raised", "the conference date"
            ),
            lambda: check.not_future(raised_on, "Date raised", now),
        ]
    for event, day in d.event_dates.items():
        if event not in events:
            checks.append(fail(event_field(event), "is not a date this pathway's policy asks for."))
        else:
            checks += _event_checks(event, day, d.conference_date, now)
    if d.determination is not None and d.determination not in determinations:
        checks.append(fail("Determination", "choose one of the determinations the policy lists."))
    return gather(*checks)


def event_field(event: str) -> str:
    """The field for the day an other deadline's event happened."""
    return f"Date of {event}"


def _event_checks(event: str, day: date, conference: date, now: datetime) -> list[Check]:
    field = event_field(event)
    return [
        lambda: check.plausible(day, field),
        lambda: check.not_future(day, field, now),
        lambda: check.not_before(day, conference, field, "the conference date"),
    ]


def stop_and_review_problems(s: StopAndReview) -> list[FieldError]:
    now = clock.now()
    checks: list[Check] = [
        required(s.requested_of, "Requested of"),
        lambda: check.not_future(s.requested_on, "Date requested", now),
        lambda: check.plausible(s.requested_on, "Date requested"),
        required(s.manager_consulted, "Manager consulted"),
        required(s.not_progressing, "Why the plan is not progressing"),
        required(s.interventions, "Interventions in use"),
        required(s.why_not_effective, "Why they are not working"),
        each(s.attendees, "Proposed attendees", NAME_LIMIT),
    ]
    if s.meeting_date is not None:
        meeting = s.meeting_date
        checks += [
            lambda: check.not_before(meeting, s.requested_on, "Meeting date", "the request"),
            lambda: check.plausible(meeting, "Meeting date"),
        ]
    checks.append(optional(s.outcome, "Outcome of the meeting"))
    return gather(*checks)


def monitoring_form_problems(form: MonitoringForm) -> list[FieldError]:
    return gather(required(form.actions_to_date, "Actions taken to date"))


def outcome_problems(o: Outcome, *, raised_at: datetime) -> list[FieldError]:
    """``raised_at``: when the escalation was raised (nothing is agreed before it)."""
    now = clock.now()
    if not o.parties:
        parties = fail("Parties", "name at least one party to the agreement.")
    elif any(not p.name.strip() for p in o.parties):
        parties = fail("Parties", "give each party a name, or remove the row.")
    else:
        parties = each([p.name for p in o.parties], "Parties", NAME_LIMIT)
    return gather(
        parties,
        each([p.role for p in o.parties], "Parties"),
        each([p.agency for p in o.parties], "Parties"),
        required(o.agreed, "What was agreed"),
        optional(o.outstanding, "Outstanding issues"),
        optional(o.how_pursued, "How outstanding issues will be pursued"),
        lambda: check.not_future(o.agreed_on, "Date agreed", now),
        lambda: check.not_before(o.agreed_on, raised_at, "Date agreed", "the date raised"),
        optional(o.learning, "Learning"),
    )


def withdrawal_problems(reason: str) -> list[FieldError]:
    return gather(required(reason, "Reason for withdrawing"))


def amendment_problems(reason: str) -> list[FieldError]:
    return gather(required(reason, "Reason for the amendment"))
