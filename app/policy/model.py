"""The policy file schema: what a partnership's escalation policy says, as data.

Every field here is documented in ``docs/policy-format.md``. The models are strict
(unknown keys are rejected) so that a typo in a partnership's file is reported rather than
silently ignored.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.english_dates import MONTHS
from app.errors import UnknownPolicyError
from app.nation import Nation as Nation  # re-exported: the schema names it
from app.policy.pathway_kind import PathwayKind

# The ids the shipped policies give their pathways: each names the pathway's kind.
PATHWAY_IDS: tuple[str, ...] = tuple(PathwayKind)

# Working Together to Safeguard Children 2023 was published in December 2023.
WT2023_PUBLISHED = date(2023, 12, 15)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


NonEmpty = Annotated[str, Field(min_length=1)]


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    IMMEDIATE = "immediate"
    NONE = "none"


class Anchor(StrEnum):
    STAGE_START = "stage_start"  # the clock runs from this stage's own start
    RAISED = "raised"  # the clock runs from when the disagreement was first raised
    # The clock runs from the disputed decision: the date of the conference or decision
    # the DSL disagrees with, entered on the form (the raised date when not given).
    DECISION = "decision"


class Condition(StrEnum):
    """When a notification applies, in terms of the child's flags."""

    ALWAYS = "always"
    CP_PLAN = "cp_plan"
    LOOKED_AFTER = "looked_after"
    CP_PLAN_OR_LOOKED_AFTER = "cp_plan_or_looked_after"
    CHILD_IN_NEED = "child_in_need"


class Timescale(Strict):
    """One timing rule. A stage may carry several; the earliest date wins."""

    unit: Unit
    amount: int | None = Field(default=None, ge=0, le=366)
    # A range such as North Yorkshire's "24 to 96 hrs": the deadline is ``amount`` (the
    # upper bound); ``from_amount`` is shown to the DSL as the earliest aim.
    from_amount: int | None = Field(default=None, ge=0, le=366)
    anchor: Anchor = Anchor.STAGE_START
    # A cap is a rule that limits the whole process (North Yorkshire's 13 working days);
    # the timeline draws it as a marker.
    cap: bool = False
    text: NonEmpty  # the document's own words for this timescale
    # "Referred urgently": the document asks for haste but names no time. Only with
    # unit "none": the app never turns "urgently" into a same-day deadline.
    urgent: bool = False
    # Where the same document gives another timescale for this step elsewhere (its own
    # words, with where they are): shown beside the rule so the DSL can check.
    contradicted_by: NonEmpty | None = None

    @model_validator(mode="after")
    def _amount_matches_unit(self) -> Timescale:
        if self.urgent and self.unit is not Unit.NONE:
            raise ValueError("'urgent' is only for a timescale with unit 'none'")
        needs_amount = self.unit in (Unit.WORKING_DAYS, Unit.HOURS, Unit.CALENDAR_DAYS)
        if needs_amount and self.amount is None:
            raise ValueError(f"a '{self.unit.value}' timescale needs an 'amount'")
        if not needs_amount and self.amount is not None:
            raise ValueError(f"a '{self.unit.value}' timescale must not have an 'amount'")
        if self.from_amount is not None and (self.amount is None or self.from_amount > self.amount):
            raise ValueError("'from_amount' must not be more than 'amount'")
        return self


class Notification(Strict):
    """Someone who must be told, or a record that must be sent, at a stage."""

    to: NonEmpty
    text: NonEmpty
    when: Condition = Condition.ALWAYS
    document: Literal["escalation-monitoring-form", "written-account"] | None = None


class Stage(Strict):
    number: int = Field(ge=1)
    title: NonEmpty
    owner: NonEmpty
    action: NonEmpty  # what to do, in the document's words (condensed)
    timescales: list[Timescale] = Field(min_length=1)
    notifications: list[Notification] = []
    records: list[NonEmpty] = []  # records the stage requires
    outcomes: list[NonEmpty] = []  # decisions the stage's decision-maker can reach
    # Outcomes the document lets be reached together ("…plan is put in place; and/or
    # Require that a review conference be brought forward"): each group is also a
    # determination of its own.
    outcomes_together: list[list[NonEmpty]] = []

    @model_validator(mode="after")
    def _together_from_outcomes(self) -> Stage:
        for group in self.outcomes_together:
            unknown = [o for o in group if o not in self.outcomes]
            if len(group) < 2 or unknown:
                raise ValueError(
                    f"stage {self.number}: each outcomes_together group names two or more "
                    f"of the stage's outcomes exactly (not found: {unknown or group})"
                )
        return self

    def determinations(self) -> list[str]:
        """What the stage's decision-maker can decide: each outcome, then each group
        the document allows together, as one."""
        return self.outcomes + ["; and ".join(group) for group in self.outcomes_together]


class OtherDeadline(Strict):
    """A deadline the policy sets outside the stage ladder (e.g. a parent's complaint)."""

    title: NonEmpty
    from_event: NonEmpty  # what the clock runs from, e.g. "receiving the conference minutes"
    timescale: Timescale


class Roles(Strict):
    """Roles the forms pre-fill, in the policy's own terms."""

    raised_with: str | None = None  # conference dissent: IRO Manager / Designated Person
    alerts: str | None = None  # who the designated person alerts
    request_to: str | None = None  # stop and review: conference chair / practice manager
    consulted: list[NonEmpty] = []  # e.g. the child's IRO
    attendees: list[NonEmpty] = []  # proposed attendees of a meeting
    unresolved_to: str | None = None  # where it goes if still unresolved


class Pathway(Strict):
    # What kind of pathway this is: its forms and rules follow from it. Left out, the id
    # names the kind, as in every shipped policy. Declared before ``id``, which is
    # checked against it; never None once validated (``_kind_from_id``).
    kind: PathwayKind = None  # type: ignore[assignment]
    id: str = Field(pattern=r"^[a-z][a-z0-9-]{1,40}$")
    title: NonEmpty
    summary: NonEmpty
    roles: Roles = Roles()
    stages: list[Stage] = Field(min_length=1)
    other_deadlines: list[OtherDeadline] = []

    @field_validator("id")
    @classmethod
    def _names_a_kind_unless_given_one(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("kind") is None and value not in PATHWAY_IDS:
            expected = ", ".join(f"'{kind}'" for kind in PathwayKind)
            raise ValueError(
                f"'{value}' is not allowed; expected {expected}, or give the pathway a 'kind'"
            )
        return value

    @model_validator(mode="after")
    def _kind_from_id(self) -> Pathway:
        if self.kind is None:
            # Frozen: set once, here, as validation finishes.
            object.__setattr__(self, "kind", PathwayKind(self.id))
        return self

    @field_validator("stages")
    @classmethod
    def _numbered_in_order(cls, stages: list[Stage]) -> list[Stage]:
        for expected, stage in enumerate(stages, start=1):
            if stage.number != expected:
                raise ValueError(
                    f"stage numbers must run 1, 2, 3… in order; stage {expected} "
                    f"is numbered {stage.number}"
                )
        return stages

    def stage(self, number: int) -> Stage:
        return self.stages[number - 1]

    @property
    def counts_from_decision(self) -> bool:
        """True when a timescale runs from the disputed decision, so the form asks
        for its date."""
        return any(
            rule.anchor is Anchor.DECISION for stage in self.stages for rule in stage.timescales
        )


class Document(Strict):
    title: NonEmpty
    # "YYYY", "YYYY-MM" or "YYYY-MM-DD"; omitted when the document carries no date.
    issued: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    version: NonEmpty
    # The app's own count of this policy's editions, not the partnership's words: a
    # later edit of the file (a DSL's copy of a shipped policy) gets a higher number, so
    # versions have an order even when the document's own version is "Not stated".
    revision: int = Field(default=1, ge=1, le=9999)
    based_on: str | None = None  # e.g. "Working Together 2018"
    source: str | None = None  # the file or address the text came from
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")  # the published page
    read_on: date | None = None  # when the text was read for this file
    # Where the text runs out or only an older or secondary copy gives the timescales:
    # said plainly, and the policy is then shown as incomplete.
    completeness: NonEmpty | None = None

    @field_validator("issued")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None:
            parts = [int(p) for p in value.split("-")] + [1, 1]
            try:
                date(parts[0], parts[1], parts[2])
            except ValueError as exc:
                raise ValueError(f"'{value}' is not a real date") from exc
        return value

    @property
    def issued_display(self) -> str:
        """The date as a DSL reads it: "December 2018", "14/08/2017" or "Undated"."""
        if self.issued is None:
            return "Undated"
        parts = self.issued.split("-")
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
        return f"{parts[2]}/{parts[1]}/{parts[0]}"

    @property
    def currency_note(self) -> str | None:
        """A warning to show when the document may be out of date, else None."""
        mentions_old = bool(self.based_on and re.search(r"20(0\d|1\d|2[0-2])", self.based_on))
        if self.issued is None:
            return (
                "This document carries no date"
                + (f" and follows {self.based_on}" if mentions_old else "")
                + ". Check with your Safeguarding Children Partnership that it is the "
                "current version (Working Together 2023 replaced the 2018 edition)."
            )
        parts = [int(p) for p in self.issued.split("-")] + [1, 1]
        if date(parts[0], parts[1], parts[2]) < WT2023_PUBLISHED or mentions_old:
            return (
                f"This document ({self.issued_display}) predates Working Together 2023. "
                "Check with your Safeguarding Children Partnership that it is still current."
            )
        return None

    @property
    def incomplete_note(self) -> str | None:
        """ "Incomplete: check with your partnership", with why, when the file says so."""
        if self.completeness is None:
            return None
        return f"Incomplete: check with your partnership. {self.completeness}"

    @property
    def incomplete_short(self) -> str | None:
        """``incomplete_note`` cut to the completeness note's first sentence: what a form
        shows where a DSL chooses a policy (the whole note goes on hover)."""
        if self.completeness is None:
            return None
        first = self.completeness.split(". ")[0].rstrip(".")
        return f"Incomplete: check with your partnership. {first}."


class ContactRole(Strict):
    """A named-officer role the policy asks each organisation to fill in."""

    role: NonEmpty
    purpose: NonEmpty


class Policy(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]{1,40}$")
    partnership: NonEmpty
    short_name: NonEmpty
    default_nation: Nation = Nation.ENGLAND
    document: Document
    # The document's own words on a child at immediate risk; None where it says nothing
    # (the app's own advice is then shown as the app's, never as the partnership's).
    immediate_risk: NonEmpty | None = None
    categories: list[NonEmpty] = []  # areas of disagreement the document lists
    contact_roles: list[ContactRole] = []
    pathways: list[Pathway] = Field(min_length=1)

    @field_validator("pathways")
    @classmethod
    def _unique_pathways(cls, pathways: list[Pathway]) -> list[Pathway]:
        seen: set[str] = set()
        for pathway in pathways:
            if pathway.id in seen:
                raise ValueError(f"pathway '{pathway.id}' appears more than once")
            seen.add(pathway.id)
        return pathways

    def pathway(self, pathway_id: str) -> Pathway:
        for pathway in self.pathways:
            if pathway.id == pathway_id:
                return pathway
        known = ", ".join(p.id for p in self.pathways)
        raise UnknownPolicyError(
            f"Policy '{self.id}' has no pathway '{pathway_id}'. Its pathways are: {known}."
        )
