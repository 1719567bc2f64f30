"""Plain data the services return to widgets, documents and the CLI (no ORM objects
escape a session)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from app.deadlines.moments import Moment
from app.policy.pathway_kind import PathwayKind


@dataclass(frozen=True)
class ChildView:
    id: int
    name: str
    date_of_birth: date | None  # None: not known (the DSL said so)
    identifier: str
    cp_plan: bool
    looked_after: bool
    child_in_need: bool
    retention_review: date | None  # DOB + 25 years, or a longer hold; None: review by hand


@dataclass(frozen=True)
class ContactView:
    id: int
    name: str
    agency: str
    role: str
    phone: str
    email: str
    named_officer_role: str
    internal: bool


@dataclass(frozen=True)
class StageView:
    number: int
    title: str
    owner: str
    action: str
    started_at: datetime | None
    due: Moment | None
    rule: str
    completed_at: datetime | None
    result: str
    skipped: bool
    projected: bool  # not started yet: start and due are projections
    # A projected stage after one with no fixed end: the stage it waits for.
    waits_for: int | None = None
    # Why a stage the escalation never reached is not needed ("Not needed (resolved at
    # stage 2)"): it was closed first, so it has no projected dates. "" otherwise.
    not_needed: str = ""
    started_by: str = ""  # who moved the escalation to this stage, as recorded
    completed_by: str = ""  # who completed or skipped it
    # Where the start and the completion stand in the audit trail (see ApprovalView.order).
    started_order: int = 0
    completed_order: int = 0


@dataclass(frozen=True)
class StageMove:
    """What the DSL needs to know after opening or moving an escalation to a stage."""

    ref: str
    number: int
    title: str
    owner: str
    action: str
    due: Moment | None
    rule: str
    prompts: list[str]


class ApprovalView(NamedTuple):
    by: str
    at: datetime
    # The position of the audit entry that recorded it (0: not known): the order things
    # were recorded in, which the chronology keeps for entries of the same minute (the
    # clock counts in minutes).
    order: int = 0


@dataclass(frozen=True)
class VersionView:
    version: int
    content: dict[str, object]
    recorded_at: datetime
    recorded_by: str
    reason: str
    approvals: list[ApprovalView]
    order: int = 0  # where it was recorded in the audit trail (see ApprovalView.order)


@dataclass(frozen=True)
class DocumentView:
    """A document produced from an escalation, as the audit trail recorded it."""

    at: datetime
    title: str
    sha256: str
    by: str  # who produced it
    order: int = 0  # its audit entry's position (see ApprovalView.order)


@dataclass(frozen=True)
class RecordView:
    id: int
    kind: str
    created_at: datetime
    versions: list[VersionView]

    @property
    def current(self) -> VersionView:
        return self.versions[-1]

    @property
    def amended(self) -> bool:
        return len(self.versions) > 1

    @property
    def approved(self) -> bool:
        return bool(self.current.approvals)


@dataclass(slots=True)  # slots, not frozen (slower to build): the list holds 10,000
class EscalationRow:
    """One line of the escalation list."""

    ref: str
    child_name: str
    other_agency: str
    policy_id: str
    pathway_id: str
    stage_number: int
    stage_count: int
    stage_title: str
    next_due: Moment | None
    status: str
    raised_at: datetime
    closed_at: datetime | None
    nation: str
    pathway_title: str = ""  # the pathway's title in its policy's words, as stored
    pathway_kind: PathwayKind | None = None  # None only in a row made by hand: see kind
    # Why the row could not be read, if a stored value in it cannot be
    # (app/services/damage.py): it is then listed with only its reference, child, agency.
    damaged: str = ""
    # When the current stage started: how long a stage with no fixed timescale has
    # waited (app.deadlines.standing.waited). None in a damaged row.
    stage_started_at: datetime | None = None

    @property
    def kind(self) -> PathwayKind:
        """What kind of pathway the escalation follows (as stored; a row made without
        one is named by its pathway id)."""
        if self.pathway_kind is not None:
            return self.pathway_kind
        try:
            return PathwayKind(self.pathway_id)
        except ValueError:  # a damaged row whose pathway cannot be read
            return PathwayKind.RESOLUTION


@dataclass(frozen=True)
class EscalationDetail:
    row: EscalationRow
    child: ChildView
    policy_version: str
    raised_by: str
    other_practitioner: str
    category: str
    disputed: str
    change_wanted: str
    impact: str
    immediate_risk: bool
    protect_by: date | None
    stages: list[StageView]
    records: list[RecordView]
    decided_on: date | None = None  # the disputed decision, when one was given
    prompts: list[str] = field(default_factory=list)
    # Process-wide limits drawn as markers (North Yorkshire's 13 working days).
    caps: list[tuple[date, str]] = field(default_factory=list)
    # Documents generated for this escalation, oldest first.
    documents: list[DocumentView] = field(default_factory=list)
    # Imported from another setting: "Recorded at St Aidan's, imported 03/12/2026 (their
    # reference ESC-2026-0014)" (app.services.provenance); "" for this setting's own.
    provenance: str = ""
    # Who recorded the escalation in this file: the member signed in (the audit's name);
    # "" where not known. ``raised_by`` is the practitioner the form names, as typed.
    recorded_by: str = ""
