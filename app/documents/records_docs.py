"""The Escalation Monitoring Form, the conference dissent record and the stop and review
request: each the record a DSL sends or files at that point of the process."""

from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Flowable

from app.chronology import uk_date
from app.documents.layout import (
    DocumentMeta,
    Styles,
    build_pdf,
    content_width,
    facts_table,
    para,
)
from app.documents.sections import (
    Letterhead,
    actions_table,
    child_block,
    disagreement_block,
    heading,
    policy_block,
    stages_block,
)
from app.domain.record_problems import event_field
from app.domain.views import EscalationDetail, RecordView
from app.errors import InputError
from app.policy import Policy


def _yes_no(value: object) -> str:
    if value is True:
        return "Yes"
    return "No" if value is False else "Not recorded"


def _latest(detail: EscalationDetail, kind: str, what: str) -> RecordView:
    found = [r for r in detail.records if r.kind == kind]
    if not found:
        raise InputError(f"{detail.row.ref} has no {what} recorded yet.")
    return found[-1]


def _meta(
    title: str, detail: EscalationDetail, slug: str, letterhead: Letterhead, at: datetime
) -> DocumentMeta:
    return DocumentMeta(
        title=title,
        reference=f"{detail.row.ref} / {slug}",
        author=letterhead.setting,
        subject=f"{title}, escalation {detail.row.ref}",
        generated_at=at,
    )


def _prepared_note(record: RecordView, s: Styles) -> list[Flowable]:
    """Who prepared the version printed and who approved it: the members who signed in,
    as the audit names them (never one member for both: app.services.records)."""
    v = record.current
    words = f"Prepared by {v.recorded_by} on {v.recorded_at:%d/%m/%Y %H:%M}."
    for approval in v.approvals:
        words += f" Approved by {approval.by} on {approval.at:%d/%m/%Y %H:%M}."
    return [para(words, s.small)]


def _amended_note(record: RecordView, s: Styles) -> list[Flowable]:
    if not record.amended:
        return []
    v = record.current
    return [
        para(
            f"This record was amended (version {v.version}, {v.recorded_at:%d/%m/%Y %H:%M}, "
            f"by {v.recorded_by}: {v.reason}). Earlier versions are kept in the case chronology.",
            s.small,
        )
    ]


def monitoring_form_pdf(
    detail: EscalationDetail,
    policy: Policy | None,
    letterhead: Letterhead,
    *,
    generated_at: datetime,
    identify_child: bool = True,
) -> bytes:
    """The Escalation Monitoring Form (Gloucestershire stage 3: copied to the partnership
    "for monitoring purposes only"); ``identify_child=False`` leaves out the child's name
    and date of birth."""
    title = "Escalation Monitoring Form"
    s = Styles()
    width = content_width()
    story: list[Flowable] = heading(title, detail, letterhead, s)
    story.append(para("For monitoring purposes only.", s.body))
    story += child_block(detail, s, identify=identify_child)
    story += disagreement_block(detail, s)
    story += stages_block(detail, s, generated_at)
    forms = [r for r in detail.records if r.kind == "monitoring-form"]
    actions_to_date = str(forms[-1].current.content.get("actions_to_date", "")) if forms else ""
    copied = (
        (uk_date(forms[-1].current.content.get("copied_to_partnership_on")) or "—")
        if forms
        else "—"
    )
    story += [
        para("Actions taken to date", s.h2),
        facts_table(
            [
                ("Actions taken to date", actions_to_date or "—"),
                ("Copied to the partnership", copied),
            ],
            s,
            width,
        ),
        *(_prepared_note(forms[-1], s) if forms else []),
    ]
    story += actions_table(detail, s)
    story += policy_block(detail, policy, s)
    return build_pdf(story, _meta(title, detail, "monitoring-form", letterhead, generated_at))


def conference_dissent_pdf(
    detail: EscalationDetail,
    policy: Policy | None,
    letterhead: Letterhead,
    *,
    generated_at: datetime,
) -> bytes:
    title = "Record of dissent from a child protection conference decision"
    record = _latest(detail, "conference-dissent", "conference dissent")
    c = record.current.content
    s = Styles()
    story: list[Flowable] = heading(title, detail, letterhead, s)
    story += child_block(detail, s)
    story += [
        para("The conference and the decision disputed", s.h2),
        facts_table(
            [
                ("Conference date", (uk_date(c.get("conference_date")) or "—")),
                ("Chair", str(c.get("chair", ""))),
                ("Decision disputed", str(c.get("decision_disputed", ""))),
                ("Who dissents", str(c.get("dissenting", ""))),
                ("Why", str(c.get("reasons", ""))),
                (
                    "Child believed at (further) risk of significant harm",
                    _yes_no(c.get("further_risk")),
                ),
                ("Raised with", str(c.get("raised_with", ""))),
                ("Date raised", (uk_date(c.get("raised_on")) or "—")),
                ("Designated lead concurs", _yes_no(c.get("designated_lead_concurs"))),
                ("Determination", str(c.get("determination") or "Not yet determined")),
                *_event_rows(c.get("event_dates")),
            ],
            s,
            content_width(),
        ),
    ]
    story += _prepared_note(record, s) + _amended_note(record, s)
    story += stages_block(detail, s, generated_at)
    story += policy_block(detail, policy, s)
    return build_pdf(story, _meta(title, detail, "conference-dissent", letterhead, generated_at))


def _event_rows(stored: object) -> list[tuple[str, str]]:
    """The days the policy's other deadlines run from, as recorded."""
    if not isinstance(stored, dict):
        return []
    return [(event_field(str(event)), uk_date(day) or "—") for event, day in stored.items()]


def stop_and_review_pdf(
    detail: EscalationDetail,
    policy: Policy | None,
    letterhead: Letterhead,
    *,
    generated_at: datetime,
) -> bytes:
    title = "Request for a 'stop and review' meeting"
    record = _latest(detail, "stop-and-review", "stop and review request")
    c = record.current.content
    s = Styles()
    variant = "Child in care (care plan)" if c.get("variant") == "cic" else "Child protection plan"
    attendees = c.get("attendees") or []
    story: list[Flowable] = heading(title, detail, letterhead, s)
    story += child_block(detail, s)
    story += [
        para("The request", s.h2),
        facts_table(
            [
                ("Plan", variant),
                ("Requested of", str(c.get("requested_of", ""))),
                ("Date requested", (uk_date(c.get("requested_on")) or "—")),
                ("Manager consulted", str(c.get("manager_consulted", ""))),
                ("Why the plan is not progressing", str(c.get("not_progressing", ""))),
                ("Interventions in use", str(c.get("interventions", ""))),
                ("Why they are not working", str(c.get("why_not_effective", ""))),
                ("Proposed attendees", "\n".join(str(a) for a in attendees)),  # type: ignore[attr-defined]
                (
                    "IRO consulted",
                    _yes_no(c.get("iro_consulted")) if c.get("variant") == "cic" else "—",
                ),
                ("Meeting date", (uk_date(c.get("meeting_date")) or "—")),
                ("Outcome", str(c.get("outcome") or "—")),
                (
                    "Early CIC review considered",
                    _yes_no(c.get("early_cic_review_considered"))
                    if c.get("variant") == "cic"
                    else "—",
                ),
            ],
            s,
            content_width(),
        ),
    ]
    story += _prepared_note(record, s) + _amended_note(record, s)
    story += disagreement_block(detail, s)
    story += policy_block(detail, policy, s)
    return build_pdf(story, _meta(title, detail, "stop-and-review", letterhead, generated_at))
