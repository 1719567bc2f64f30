"""The content of each kind of contemporaneous record, validated before it is stored.

A record's content is stored as canonical JSON in an immutable version row; these models
are the single definition of what each kind holds.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from app.policy.pathway_kind import PathwayKind


class RecordKind(StrEnum):
    DISCUSSION = "discussion"
    ACTION = "action"
    OUTCOME = "outcome"
    CONFERENCE_DISSENT = "conference-dissent"
    STOP_AND_REVIEW = "stop-and-review"
    MONITORING_FORM = "monitoring-form"
    WITHDRAWAL = "withdrawal"
    POLICY_VERSION = "policy-version"  # the DSL adopted a newer version of the policy


CATEGORIES: dict[str, str] = {
    "threshold": "Threshold / level of need",
    "roles": "Roles and responsibilities",
    "need-for-action": "Need for action",
    "information-sharing": "Information sharing",
    "plan-progress": "Plan progress",
    "case-closure": "Case closure",
    "conference-decision": "Conference decision",
    "other": "Other",
}

# A pathway's usual category, so the DSL need not pick the obvious one.
USUAL_CATEGORY: dict[PathwayKind, str] = {
    PathwayKind.CONFERENCE_DISSENT: "conference-decision",
    PathwayKind.PLAN_DISSENT: "plan-progress",
    PathwayKind.STOP_AND_REVIEW: "plan-progress",
    PathwayKind.STOP_AND_REVIEW_CIC: "plan-progress",
}

METHODS: dict[str, str] = {
    "face-to-face": "Face to face",
    "phone": "Telephone",
    "meeting": "Meeting",
    "email": "Email",
}


class Content(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Discussion(Content):
    held_at: datetime
    method: Literal["face-to-face", "phone", "meeting", "email"]
    participants: list[str]
    summary: str
    agreed_actions: str = ""


class Action(Content):
    description: str
    owner: str
    due: date | None = None
    completed_on: date | None = None


class Party(Content):
    name: str
    role: str = ""
    agency: str = ""


class Outcome(Content):
    agreed: str
    outstanding: str = ""
    how_pursued: str = ""
    parties: list[Party]
    agreed_on: date
    debrief_offered: bool = False
    learning: str = ""


class ConferenceDissent(Content):
    conference_date: date
    chair: str
    decision_disputed: str
    dissenting: str  # who dissents
    reasons: str
    further_risk: bool  # child believed at (further) risk of significant harm
    raised_with: str  # the role the policy names (IRO Manager, Designated Person...)
    raised_on: date | None = None
    designated_lead_concurs: bool | None = None
    determination: str | None = None  # one of the policy's outcomes
    # When each event the pathway's other deadlines run from happened, by the policy's
    # words for it (Suffolk: "receiving the minutes of the conference").
    event_dates: dict[str, date] = {}


class StopAndReview(Content):
    variant: Literal["cp-plan", "cic"]
    requested_of: str  # conference chair / CYPS practice manager
    requested_on: date
    manager_consulted: str
    not_progressing: str  # why the plan is not progressing
    interventions: str  # interventions in use
    why_not_effective: str
    attendees: list[str]
    iro_consulted: bool = False
    meeting_date: date | None = None
    outcome: str = ""
    early_cic_review_considered: bool = False


# Which stop and review request each stop-and-review pathway makes.
STOP_AND_REVIEW_VARIANTS: dict[PathwayKind, Literal["cp-plan", "cic"]] = {
    PathwayKind.STOP_AND_REVIEW: "cp-plan",
    PathwayKind.STOP_AND_REVIEW_CIC: "cic",
}


class MonitoringForm(Content):
    actions_to_date: str
    copied_to_partnership_on: date | None = None


class Withdrawal(Content):
    reason: str


class PolicyVersionAdopted(Content):
    """The escalation follows a newer version of its policy from now on: which, which
    it followed before (both as keys and in words), and what changed as the DSL saw it."""

    policy: str  # the partnership, as the policy names it
    adopted: str  # version keys (app.policy.versions)
    adopted_words: str
    was: str
    was_words: str
    changes: list[str] = []


CONTENT_TYPES: dict[RecordKind, type[Content]] = {
    RecordKind.DISCUSSION: Discussion,
    RecordKind.ACTION: Action,
    RecordKind.OUTCOME: Outcome,
    RecordKind.CONFERENCE_DISSENT: ConferenceDissent,
    RecordKind.STOP_AND_REVIEW: StopAndReview,
    RecordKind.MONITORING_FORM: MonitoringForm,
    RecordKind.WITHDRAWAL: Withdrawal,
    RecordKind.POLICY_VERSION: PolicyVersionAdopted,
}
