"""One escalation's history as dated entries, for the escalation view and the case
chronology PDF. Amendments appear as amendments, beside what they amended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.deadlines import fmt_moment
from app.deadlines.moments import parse_moment
from app.domain.records import METHODS
from app.domain.views import ApprovalView, EscalationDetail, RecordView
from app.policy.stage_names import stage_started

KIND_NAMES = {
    "discussion": "Discussion",
    "action": "Action",
    "outcome": "Agreed outcome",
    "conference-dissent": "Conference dissent",
    "stop-and-review": "Stop and review request",
    "monitoring-form": "Escalation Monitoring Form",
    "withdrawal": "Withdrawal",
    "policy-version": "Newer policy version",
}
# Where "<kind> recorded" would not say what happened.
FIRST_HEADINGS = {"policy-version": "Newer version of the policy adopted"}


@dataclass(frozen=True)
class Entry:
    at: datetime
    ref: str
    what: str  # short heading: "Discussion recorded", "Amendment (version 2)"…
    detail: str
    by: str
    amendment: bool = False
    # Where it was recorded in the audit trail (0: first, or not known): entries of the
    # same minute read in the order they were recorded, not grouped by kind.
    order: int = 0


def _summary(record: RecordView, content: dict[str, object]) -> str:
    kind = record.kind
    if kind == "discussion":
        method = METHODS.get(str(content.get("method")), str(content.get("method")))
        people = ", ".join(str(p) for p in content.get("participants", []))  # type: ignore[attr-defined]
        # When it took place, as typed: the entry itself is dated when it was recorded.
        held = _held(content.get("held_at"))
        text = f"{held}{method} with {people}. {content.get('summary', '')}"
        if content.get("agreed_actions"):
            text += f" Agreed actions: {content['agreed_actions']}"
        return text
    if kind == "action":
        text = f"{content.get('description')} — owner {content.get('owner')}"
        if content.get("due"):
            text += f", due {uk_date(content['due'])}"
        if content.get("completed_on"):
            text += f"; completed {uk_date(content['completed_on'])}"
        return text
    if kind == "outcome":
        return f"Agreed: {content.get('agreed')}" + (
            f" Outstanding: {content['outstanding']}" if content.get("outstanding") else ""
        )
    if kind == "conference-dissent":
        text = (
            f"Conference on {uk_date(content.get('conference_date'))}: {content.get('dissenting')} "
            f"dissents from '{content.get('decision_disputed')}'. Raised with "
            f"{content.get('raised_with')}."
        )
        if content.get("determination"):
            text += f" Determination: {content['determination']}."
        return text
    if kind == "stop-and-review":
        return (
            f"Requested of {content.get('requested_of')} on "
            f"{uk_date(content.get('requested_on'))}: {content.get('not_progressing')}"
        )
    if kind == "monitoring-form":
        return f"Actions taken to date: {content.get('actions_to_date')}"
    if kind == "withdrawal":
        return f"Reason: {content.get('reason')}"
    if kind == "policy-version":
        return _adopted(record, content)
    return ""


def _adopted(record: RecordView, content: dict[str, object]) -> str:
    first = record.versions[0]
    text = (
        f"Adopted {content.get('adopted_words')} of {content.get('policy')} on "
        f"{first.recorded_at:%d/%m/%Y}, by {first.recorded_by}; was "
        f"{content.get('was_words')}. Stages already started keep their deadlines."
    )
    changes = content.get("changes")
    if isinstance(changes, list) and changes:
        text += " What changed: " + " ".join(str(change) for change in changes)
    return text


def _held(value: object) -> str:
    """'Held Fri 04/12/2026 14:30. ' from the stored date and time ('' when none)."""
    try:
        when = parse_moment(str(value)) if value else None
    except ValueError:
        return ""
    return f"Held {fmt_moment(when)}. " if when is not None else ""


def _late(detail: EscalationDetail, approval: ApprovalView) -> str:
    """ ", after the escalation was resolved" for an approval given once it had closed
    (escalation_actions: approving is still allowed then, and must read as late)."""
    closed = detail.row.closed_at
    closing = max((s.completed_order for s in detail.stages), default=0)
    if closed is None or (approval.at, approval.order) < (closed, closing):
        return ""
    return f", after the escalation was {detail.row.status}"


def uk_date(value: object) -> str:
    """An ISO date from stored JSON as dd/mm/yyyy ("" when there is none)."""
    text = str(value or "")
    if len(text) >= 10 and text[4] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text


def _not_needed(detail: EscalationDetail) -> list[Entry]:
    """The stages a closed escalation never reached, when it closed, by whoever closed it
    (after that stage's completion: the sort keeps the order of equal times)."""
    unneeded = [stage for stage in detail.stages if stage.not_needed]
    closing = next((s for s in detail.stages if s.number == detail.row.stage_number), None)
    if not unneeded or detail.row.closed_at is None or closing is None:
        return []
    numbers = [str(stage.number) for stage in unneeded]
    what = (
        f"Stage {numbers[0]} not needed"
        if len(numbers) == 1
        else f"Stages {', '.join(numbers[:-1])} and {numbers[-1]} not needed"
    )
    at = closing.completed_at or detail.row.closed_at
    return [
        Entry(
            at,
            detail.row.ref,
            what,
            unneeded[0].not_needed,
            closing.completed_by,
            order=closing.completed_order,
        )
    ]


def entries(detail: EscalationDetail) -> list[Entry]:
    """Every dated event of one escalation, oldest first."""
    ref = detail.row.ref
    out = [
        Entry(
            detail.row.raised_at,
            ref,
            "Escalation raised",
            f"{detail.disputed} (raised by {detail.raised_by} with {detail.row.other_agency})",
            # Who recorded it, as every other row names the member; imported: who raised
            # it there, and where (never shown as first-hand).
            f"{detail.raised_by}, {detail.provenance}"
            if detail.provenance
            else detail.recorded_by or detail.raised_by,
        )
    ]
    for stage in detail.stages:
        if stage.started_at is not None:
            due = fmt_moment(stage.due) if stage.due is not None else "no fixed timescale"
            out.append(
                Entry(
                    stage.started_at,
                    ref,
                    stage_started(stage.number, stage.title),
                    f"Owner: {stage.owner}. Due: {due}.",
                    stage.started_by,
                    order=stage.started_order,
                )
            )
        if stage.completed_at is not None:
            what = "skipped" if stage.skipped else "completed"
            out.append(
                Entry(
                    stage.completed_at,
                    ref,
                    f"Stage {stage.number} {what}",
                    stage.result,
                    stage.completed_by,
                    order=stage.completed_order,
                )
            )
    out += _not_needed(detail)
    for record in detail.records:
        name = KIND_NAMES.get(record.kind, record.kind)
        for version in record.versions:
            if version.version == 1:
                what = FIRST_HEADINGS.get(record.kind, f"{name} recorded")
            else:
                what = f"Amendment to {name.lower()} (version {version.version})"
            text = _summary(record, version.content)
            if version.reason:
                text += f" [Reason for amendment: {version.reason}]"
            out.append(
                Entry(
                    version.recorded_at,
                    ref,
                    what,
                    text,
                    version.recorded_by,
                    amendment=version.version > 1,
                    order=version.order,
                )
            )
            for approval in version.approvals:
                approved = f"{name} approved (version {version.version}){_late(detail, approval)}"
                out.append(Entry(approval.at, ref, approved, "", approval.by, order=approval.order))
    for document in detail.documents:
        out.append(
            Entry(
                document.at,
                ref,
                f"Document produced: {document.title}",
                f"SHA-256 {document.sha256}",
                document.by,
                order=document.order,
            )
        )
    # The clock counts in minutes: within one, the order things were recorded in. The
    # sort is stable, so the raising (order 0) leads and "not needed" follows the
    # completion it shares a position with.
    out.sort(key=lambda e: (e.at, e.order))
    return out
