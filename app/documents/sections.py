"""Blocks several documents share: the heading, the child (kept to the minimum), the
disagreement in brief, the stages followed against their deadlines, the policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.platypus import Flowable

from app.chronology import uk_date
from app.deadlines import calendar_for, day_of, fmt_moment
from app.deadlines.standing import met, standing
from app.documents.layout import Styles, content_width, facts_table, grid_table, para, spacer
from app.documents.timeline_drawing import timeline_drawing
from app.domain.records import CATEGORIES
from app.domain.typed_dates import birth_text
from app.domain.views import EscalationDetail, StageView
from app.english_plurals import count
from app.policy import Nation, Policy
from app.policy.versions import key_suffix
from app.timeline import layout_timeline


@dataclass(frozen=True)
class Letterhead:
    """Who the document comes from (from the file's settings)."""

    setting: str
    dsl: str


def heading(
    title: str, detail: EscalationDetail, letterhead: Letterhead, s: Styles
) -> list[Flowable]:
    return [
        para(title, s.title),
        para(f"{letterhead.setting} — {letterhead.dsl}, Designated Safeguarding Lead", s.subtitle),
        para(f"Reference {detail.row.ref}", s.subtitle),
        spacer(3),
    ]


def child_block(detail: EscalationDetail, s: Styles, *, identify: bool = True) -> list[Flowable]:
    """Name, date of birth and reference only: the minimum that identifies the record."""
    if not identify:
        rows = [
            (
                "Child",
                "Identifying details left out (for monitoring purposes only). Where the "
                "text below named or dated the child, it reads [child], [date of birth] or "
                "[identifier].",
            )
        ]
    else:
        rows = [
            ("Child", detail.child.name),
            ("Date of birth", birth_text(detail.child.date_of_birth)),
        ]
    rows.append(("Reference", detail.row.ref))
    return [para("The child", s.h2), facts_table(rows, s, content_width())]


def disagreement_block(detail: EscalationDetail, s: Styles) -> list[Flowable]:
    rows = [
        ("Raised on", f"{detail.row.raised_at:%d/%m/%Y}"),
        ("Raised by", detail.raised_by),
        ("Other agency", detail.row.other_agency),
        ("Other practitioner", detail.other_practitioner),
        ("Category", CATEGORIES.get(detail.category, detail.category)),
        ("What is disputed", detail.disputed),
        ("What we want to change for the child", detail.change_wanted),
        ("Impact on the child", detail.impact),
    ]
    if detail.protect_by:
        rows.append(("Child-safety date", f"{detail.protect_by:%d/%m/%Y}"))
    if detail.decided_on:
        rows.append(("Date of the disputed decision", f"{detail.decided_on:%d/%m/%Y}"))
    if detail.provenance:  # another setting's record, never shown as first-hand
        rows.insert(0, ("Recorded elsewhere", detail.provenance))
    return [para("The disagreement in brief", s.h2), facts_table(rows, s, content_width())]


def deadline_result(stage: StageView, nation: Nation, now: datetime) -> str:
    """Whether a stage met its deadline, in working days; for the current stage, where
    it stands at ``now`` (``app.deadlines.standing``)."""
    if stage.skipped:
        return f"Skipped: {stage.result}" if stage.result else "Skipped"
    if stage.not_needed:
        return stage.not_needed
    if stage.started_at is None:
        return "Not reached"
    if stage.due is None:
        return "No fixed timescale"
    calendar = calendar_for(nation)
    if stage.completed_at is None:
        words = standing(stage.due, now, calendar).words
        return f"Open: {words[:1].lower()}{words[1:]}"
    due, done = day_of(stage.due), stage.completed_at.date()
    if not met(stage.due, stage.completed_at):
        late = calendar.working_days_between(due, done)
        return f"Missed by {count(late, 'working day')}" if late else "Missed"
    margin = calendar.working_days_between(done, due)
    return "Met" + (f" ({count(margin, 'working day')} to spare)" if margin else " (on the day)")


def followed(detail: EscalationDetail) -> list[StageView]:
    """The stages a record lists: those started, skipped, or not needed once it closed
    (not those merely projected, whose dates are only a forecast)."""
    return [st for st in detail.stages if st.started_at or st.skipped or st.not_needed]


def stages_block(
    detail: EscalationDetail, s: Styles, now: datetime, *, timeline: bool = True
) -> list[Flowable]:
    nation = Nation(detail.row.nation)
    rows = [
        [
            str(stage.number),
            stage.title,
            stage.owner,
            f"{stage.started_at:%d/%m/%Y}" if stage.started_at else "—",
            fmt_moment(stage.due) if stage.due is not None and stage.started_at else "—",
            f"{stage.completed_at:%d/%m/%Y}" if stage.completed_at else "—",
            deadline_result(stage, nation, now),
        ]
        for stage in followed(detail)
    ]
    width = content_width()
    widths = [0.04, 0.19, 0.18, 0.13, 0.14, 0.13, 0.19]
    out: list[Flowable] = [
        para("Stages followed", s.h2),
        grid_table(
            ["", "Stage", "Owner", "Started", "Due", "Completed", "Deadline"],
            rows,
            s,
            [w * width for w in widths],
        ),
    ]
    if timeline:
        # A closed escalation is drawn as it ended: stages it never reached, and the
        # weeks since, would only squeeze the lanes it did follow.
        closed = detail.row.closed_at
        stages = followed(detail) if closed else detail.stages
        layout = layout_timeline(
            stages,
            today=closed.date() if closed else now.date(),
            today_label=detail.row.status.capitalize() if closed else "Today",
            now=closed or now,
            nation=nation,
            protect_by=detail.protect_by,
            caps=detail.caps,
            width=width,
            label_width=150,
            lane_height=24,
            # Today's label just above the dates: close enough to read with its line.
            axis_height=18,
            label_row=12,
        )
        out += [spacer(3), timeline_drawing(layout)]
        out.append(
            para(
                "Timeline: bars marked ✓ Done are completed stages, the heavy outlined bar is the "
                "current stage, dashed bars are projected stages, and a stage not needed "
                "has no bar; shaded columns are weekends and bank holidays.",
                s.small,
            )
        )
    return out


def policy_block(detail: EscalationDetail, policy: Policy | None, s: Styles) -> list[Flowable]:
    stated = key_suffix(detail.policy_version)
    if policy is None:
        text = f"Policy '{detail.row.policy_id}'{stated}."
    else:
        doc = policy.document
        pathway = next(
            (p.title for p in policy.pathways if p.id == detail.row.pathway_id),
            detail.row.pathway_id,
        )
        text = (
            f"{policy.partnership}: {doc.title} ({doc.issued_display}{stated}). "
            f"Followed: {pathway}."
        )
        if doc.currency_note:
            text += f" {doc.currency_note}"
    return [para("Policy followed", s.h2), para(text, s.body)]


def actions_table(detail: EscalationDetail, s: Styles) -> list[Flowable]:
    """The actions recorded on an escalation, with owners and dates (as they stand now)."""
    actions = [r for r in detail.records if r.kind == "action"]
    if not actions:
        return [para("No actions were recorded.", s.body)]
    width = content_width()
    rows = [
        [
            str(a.current.content.get("description", "")),
            str(a.current.content.get("owner", "")),
            uk_date(a.current.content.get("due")) or "—",
            uk_date(a.current.content.get("completed_on")) or "—",
        ]
        for a in actions
    ]
    widths = [width * 0.5, width * 0.22, width * 0.14, width * 0.14]
    return [grid_table(["Action", "Owner", "Due", "Completed"], rows, s, widths)]
