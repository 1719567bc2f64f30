"""A policy being set up in the app's policy builder, as plain data the form edits: the
draft, the words each choice reads as, and the changes the form makes to it (stages
added, moved, renumbered). ``app.policy.builder`` checks a draft and writes its file.

The draft holds what the DSL typed, as typed (an amount is text until it is a number),
so every problem can be said about the field it is in. Whether the finished policy is
valid is decided by the schema (``app.policy.model``), the one place its rules live;
this module adds only what a form needs on top: words a DSL understands, and the rule
that every timescale quotes the document. No Qt (docs/architecture.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeVar

from app.nation import Nation
from app.policy.model import Anchor, Condition, Policy, Timescale, Unit
from app.policy.pathway_kind import PathwayKind

T = TypeVar("T")

# How each choice reads in the form. The schema's values are what the file holds.
UNIT_WORDS = {
    Unit.WORKING_DAYS: "Working days",
    Unit.HOURS: "Hours",
    Unit.CALENDAR_DAYS: "Calendar days",
    Unit.IMMEDIATE: "Immediately (due the day it starts)",
    Unit.NONE: "No fixed timescale",
}
ANCHOR_WORDS = {
    Anchor.STAGE_START: "the start of this stage",
    Anchor.RAISED: "the disagreement being raised",
    Anchor.DECISION: "the disputed decision (conference or decision date)",
}
CONDITION_WORDS = {
    Condition.ALWAYS: "Always",
    Condition.CP_PLAN: "When the child is on a child protection plan",
    Condition.LOOKED_AFTER: "When the child is looked after",
    Condition.CP_PLAN_OR_LOOKED_AFTER: "When on a child protection plan or looked after",
    Condition.CHILD_IN_NEED: "When the child is a child in need",
}
DOCUMENT_WORDS = {
    "": "No form to print",
    "escalation-monitoring-form": "The escalation monitoring form",
    "written-account": "A written account of the dispute",
}
NATION_WORDS = {
    Nation.ENGLAND: "England",
    Nation.WALES: "Wales",
    Nation.SCOTLAND: "Scotland",
    Nation.NORTHERN_IRELAND: "Northern Ireland",
}
# The ladder most partnerships' documents set out. Titles only: owners, actions and
# timescales would be our words, not the partnership's, so they start empty.
USUAL_STAGES = (
    "Practitioners discuss it",
    "Line managers",
    "Senior managers",
    "The safeguarding partnership",
)
QUOTE = (
    "Quote the document's words for this timescale (or, where it gives none, its words "
    "for that, such as \u201cnot stated in the document\u201d)."
)
# The id the file name carries: the schema's pattern for ``Policy.id``.
POLICY_ID = re.compile(r"^[a-z][a-z0-9-]{1,40}$")


def unit_words(unit: str) -> str:
    """ "Working days", or what the file says when it is not a unit."""
    return next((words for u, words in UNIT_WORDS.items() if u.value == unit), unit)


def needs_amount(unit: str) -> bool:
    """True for the units counted in a number (working days, hours, calendar days)."""
    return unit in (Unit.WORKING_DAYS, Unit.HOURS, Unit.CALENDAR_DAYS)


@dataclass
class TimescaleDraft:
    unit: str = Unit.NONE.value
    amount: str = ""  # as typed
    from_amount: str = ""  # the lower end of an hours range, as typed
    anchor: str = Anchor.STAGE_START.value
    cap: bool = False
    urgent: bool = False
    text: str = ""  # the document's words
    contradicted_by: str = ""


@dataclass
class NotificationDraft:
    to: str = ""
    text: str = ""
    when: str = Condition.ALWAYS.value
    document: str = ""  # "" or a DOCUMENT_WORDS key


@dataclass
class OutcomesTogetherDraft:
    """Two or more of a stage's outcomes that the document lets be reached together
    (Buckinghamshire: an interim plan "and/or" a review conference brought forward)."""

    outcomes: list[str] = field(default_factory=list)  # each as under the stage's outcomes


@dataclass
class StageDraft:
    number: int
    title: str = ""
    owner: str = ""
    action: str = ""
    timescales: list[TimescaleDraft] = field(default_factory=lambda: [TimescaleDraft()])
    notifications: list[NotificationDraft] = field(default_factory=list)
    records: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    # Groups of outcomes the document lets be reached together ("and/or").
    outcomes_together: list[OutcomesTogetherDraft] = field(default_factory=list)


@dataclass
class OtherDeadlineDraft:
    title: str = ""
    from_event: str = ""
    timescale: TimescaleDraft = field(default_factory=TimescaleDraft)


@dataclass
class RolesDraft:
    raised_with: str = ""
    alerts: str = ""
    request_to: str = ""
    consulted: list[str] = field(default_factory=list)
    attendees: list[str] = field(default_factory=list)
    unresolved_to: str = ""


@dataclass
class PathwayDraft:
    kind: str = PathwayKind.RESOLUTION.value
    id: str = ""  # kept from a loaded policy; "" gives it one from its kind
    title: str = ""
    summary: str = ""
    roles: RolesDraft = field(default_factory=RolesDraft)
    stages: list[StageDraft] = field(default_factory=list)
    other_deadlines: list[OtherDeadlineDraft] = field(default_factory=list)


@dataclass
class ContactRoleDraft:
    role: str = ""
    purpose: str = ""


@dataclass
class DocumentDraft:
    title: str = ""
    issued: str = ""  # as typed: 01/09/2025, 09/2025, September 2025, 2025 (or ISO)
    version: str = ""
    based_on: str = ""
    source: str = ""
    url: str = ""
    read_on: str = ""  # as typed: 04/12/2026 (or ISO)
    completeness: str = ""
    revision: int = 1  # the app's order of versions of one id (docs/policy-format.md)


@dataclass
class PolicyDraft:
    id: str = ""
    partnership: str = ""
    short_name: str = ""
    default_nation: str = Nation.ENGLAND.value
    document: DocumentDraft = field(default_factory=DocumentDraft)
    immediate_risk: str = ""  # the document's words; "" where it says nothing
    categories: list[str] = field(default_factory=list)
    contact_roles: list[ContactRoleDraft] = field(default_factory=list)
    pathways: list[PathwayDraft] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """One problem: ``path`` names the field as the file does
    (``pathways[0].stages[2].timescales[0].text``)."""

    path: str
    message: str


# Making and changing a draft ------------------------------------------------------------


def blank_draft() -> PolicyDraft:
    """Structure only: one professional-disagreement pathway with the usual stages,
    their owners empty and no timescale (the problems ask for the document's words)."""
    stages = [StageDraft(number=n, title=t) for n, t in enumerate(USUAL_STAGES, start=1)]
    return PolicyDraft(pathways=[PathwayDraft(stages=stages)])


def new_stage(pathway: PathwayDraft, at: int | None = None) -> StageDraft:
    """A new empty stage at ``at`` (the end by default); the stages are renumbered."""
    stage = StageDraft(number=0)
    pathway.stages.insert(len(pathway.stages) if at is None else at, stage)
    renumber(pathway)
    return stage


def renumber(pathway: PathwayDraft) -> None:
    """Stages run 1, 2, 3… in the order they are listed."""
    for number, stage in enumerate(pathway.stages, start=1):
        stage.number = number


def move(items: list[T], index: int, step: int) -> int:
    """Move ``items[index]`` up (-1) or down (+1); the index it ends at."""
    target = index + step
    if 0 <= index < len(items) and 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        return target
    return index


def set_kind(pathway: PathwayDraft, kind: str) -> None:
    """A pathway's kind decides its forms. An id that only named the old kind goes, so
    the file gives the pathway one from its new kind."""
    if pathway.id == pathway.kind:
        pathway.id = ""
    pathway.kind = kind


def suggested_id(partnership: str) -> str:
    """A file name from the partnership's name: "Testshire Safeguarding Children
    Partnership" gives "testshire"."""
    words = re.sub(r"[^a-z0-9]+", " ", partnership.lower()).split()
    kept = [w for w in words if w not in {"safeguarding", "children", "partnership", "the"}]
    slug = "-".join(kept or words)[:40].strip("-")
    return slug if POLICY_ID.match(slug) else ""


# From a loaded policy -------------------------------------------------------------------


def _timescale_draft(rule: Timescale) -> TimescaleDraft:
    return TimescaleDraft(
        unit=rule.unit.value,
        amount="" if rule.amount is None else str(rule.amount),
        from_amount="" if rule.from_amount is None else str(rule.from_amount),
        anchor=rule.anchor.value,
        cap=rule.cap,
        urgent=rule.urgent,
        text=rule.text,
        contradicted_by=rule.contradicted_by or "",
    )


def draft_from(policy: Policy) -> PolicyDraft:
    """A copy of a loaded policy to edit: every field as the file has it."""
    doc = policy.document
    pathways = []
    for p in policy.pathways:
        stages = [
            StageDraft(
                number=s.number,
                title=s.title,
                owner=s.owner,
                action=s.action,
                timescales=[_timescale_draft(t) for t in s.timescales],
                notifications=[
                    NotificationDraft(n.to, n.text, n.when.value, n.document or "")
                    for n in s.notifications
                ],
                records=list(s.records),
                outcomes=list(s.outcomes),
                outcomes_together=[
                    OutcomesTogetherDraft(list(group)) for group in s.outcomes_together
                ],
            )
            for s in p.stages
        ]
        roles = p.roles
        pathways.append(
            PathwayDraft(
                kind=p.kind.value,
                id=p.id,
                title=p.title,
                summary=p.summary,
                roles=RolesDraft(
                    roles.raised_with or "",
                    roles.alerts or "",
                    roles.request_to or "",
                    list(roles.consulted),
                    list(roles.attendees),
                    roles.unresolved_to or "",
                ),
                stages=stages,
                other_deadlines=[
                    OtherDeadlineDraft(o.title, o.from_event, _timescale_draft(o.timescale))
                    for o in p.other_deadlines
                ],
            )
        )
    return PolicyDraft(
        id=policy.id,
        partnership=policy.partnership,
        short_name=policy.short_name,
        default_nation=policy.default_nation.value,
        document=DocumentDraft(
            title=doc.title,
            issued=_issued_as_typed(doc.issued or ""),
            version=doc.version,
            based_on=doc.based_on or "",
            source=doc.source or "",
            url=doc.url or "",
            read_on=f"{doc.read_on:%d/%m/%Y}" if doc.read_on else "",
            completeness=doc.completeness or "",
            revision=doc.revision,
        ),
        immediate_risk=policy.immediate_risk or "",
        categories=list(policy.categories),
        contact_roles=[ContactRoleDraft(c.role, c.purpose) for c in policy.contact_roles],
        pathways=pathways,
    )


def _issued_as_typed(issued: str) -> str:
    """The file's YYYY, YYYY-MM or YYYY-MM-DD the way a person types it back (the
    builder reads either: app.policy.builder._issued)."""
    parts = issued.split("-")
    if len(parts) == 3:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"{parts[1]}/{parts[0]}"
    return issued
