"""A read-only summary of one escalation (until the full detail view arrives with the
forms): who, what is disputed, every stage with its deadline, what to do now, records."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app import clock
from app.deadlines import fmt_moment
from app.domain.records import CATEGORIES
from app.policy import Nation, Policy
from app.services.views import EscalationDetail, StageView
from ui.widgets.common import heading, named
from ui.widgets.stage_timeline import StageTimeline

RECORD_NAMES = {
    "discussion": "Discussion",
    "action": "Action",
    "outcome": "Agreed outcome",
    "conference-dissent": "Conference dissent",
    "stop-and-review": "Stop and review request",
    "monitoring-form": "Escalation Monitoring Form",
    "withdrawal": "Withdrawal",
}


def _day(value: date | datetime | None) -> str:
    return "—" if value is None else escape(fmt_moment(value))


def _stage_row(stage: StageView, current: int, is_open: bool) -> str:
    if stage.skipped:
        state = f"Skipped {_day(stage.completed_at)}"
    elif stage.completed_at is not None:
        state = f"Done {_day(stage.completed_at)}: {escape(stage.result)}"
    elif stage.number == current and is_open:
        state = "<b>Current stage</b>"
    elif stage.projected:
        state = "Not started (dates projected)"
    else:
        state = ""
    due = _day(stage.due) if stage.due is not None else "No fixed timescale"
    return (
        f"<tr><td>{stage.number}</td><td><b>{escape(stage.title)}</b><br>"
        f"{escape(stage.owner)}</td><td>{_day(stage.started_at)}</td>"
        f"<td>{due}</td><td>{state}</td></tr>"
    )


def summary_html(detail: EscalationDetail, policy: Policy | None, deadline: str) -> str:
    """``deadline``: the next-deadline text from ``app.services.dashboard``."""
    row, child = detail.row, detail.child
    if policy is not None:
        titles: dict[str, str] = {p.id: p.title for p in policy.pathways}
        policy_text = (
            f"{escape(policy.partnership)}: {escape(titles.get(row.pathway_id, row.pathway_id))}"
            f" (document version: {escape(detail.policy_version)})"
        )
    else:
        policy_text = f"{escape(row.policy_id)}: {escape(row.pathway_id)}"
    status = escape(row.status.capitalize())
    if row.status == "open":
        status += f". Next deadline: <b>{escape(deadline)}</b>"
    flags = [
        text
        for on, text in (
            (child.cp_plan, "on a child protection plan"),
            (child.looked_after, "looked after"),
            (child.child_in_need, "child in need"),
        )
        if on
    ]
    facts = [
        ("Child", f"{escape(child.name)} (born {child.date_of_birth:%d/%m/%Y})"),
        ("Child's status", escape(", ".join(flags)) if flags else "—"),
        ("Status", status),
        ("Current stage", f"{row.stage_number} of {row.stage_count}: {escape(row.stage_title)}"),
        ("Raised", f"{_day(row.raised_at)} by {escape(detail.raised_by)}"),
        (
            "Other agency",
            escape(row.other_agency)
            + (f" ({escape(detail.other_practitioner)})" if detail.other_practitioner else ""),
        ),
        ("Category", escape(CATEGORIES.get(detail.category, detail.category))),
        ("Policy", policy_text),
        ("Child-safety date", _day(detail.protect_by)),
    ]
    if row.closed_at is not None:
        facts.append(("Closed", _day(row.closed_at)))
    parts: list[str] = []  # the dialog's heading names the escalation
    if detail.immediate_risk:
        parts.append(
            "<p><b>Marked as immediate risk. If a child is at immediate risk, contact the "
            "police (999) and Children's Social Care now.</b></p>"
        )
    parts.append("<table cellpadding='3'>")
    parts += [f"<tr><th align='left'>{k}</th><td>{v}</td></tr>" for k, v in facts]
    parts.append("</table>")
    for title, text in (
        ("What is disputed", detail.disputed),
        ("What we want to change for the child", detail.change_wanted),
        ("Impact on the child", detail.impact),
    ):
        parts.append(f"<h3>{title}</h3><p>{escape(text)}</p>")
    if detail.prompts:
        parts.append("<h3>What to do now</h3><ul>")
        parts += [f"<li>{escape(p)}</li>" for p in detail.prompts]
        parts.append("</ul>")
    parts.append(
        "<h3>Stages</h3><table border='1' cellspacing='0' cellpadding='4' width='100%'>"
        "<tr><th>#</th><th>Stage and owner</th><th>Started</th><th>Due</th>"
        "<th>State</th></tr>"
    )
    parts += [_stage_row(s, row.stage_number, row.status == "open") for s in detail.stages]
    parts.append("</table>")
    parts.append("<h3>Records</h3>")
    if not detail.records:
        parts.append("<p>No records yet.</p>")
    else:
        parts.append("<ul>")
        for record in detail.records:
            current = record.current
            bits = [
                f"{escape(RECORD_NAMES.get(record.kind, record.kind))}, "
                f"{_day(record.created_at)}, by {escape(current.recorded_by)}"
            ]
            if record.amended:
                bits.append(f"amended (version {current.version})")
            bits.append("approved" if record.approved else "not yet approved")
            parts.append(f"<li>{'; '.join(bits)}</li>")
        parts.append("</ul>")
    return "".join(parts)


class EscalationSummaryDialog(QDialog):
    """Holds child data: the main window closes it when it locks."""

    def __init__(
        self,
        detail: EscalationDetail,
        policy: Policy | None,
        deadline: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ref = detail.row.ref
        self.setWindowTitle(f"Escalation {detail.row.ref}")
        self.setObjectName("escalation-summary")
        layout = QVBoxLayout(self)
        self.heading = heading(f"{detail.row.ref}: {detail.child.name}", 2)
        layout.addWidget(self.heading)
        self.timeline = StageTimeline()
        self.timeline.set_stages(
            detail.stages,
            today=clock.today(),
            nation=Nation(detail.row.nation),
            protect_by=detail.protect_by,
        )
        layout.addWidget(self.timeline)
        self.browser = named(QTextBrowser(), f"Summary of escalation {detail.row.ref}")
        self.browser.setOpenLinks(False)
        self.browser.setHtml(summary_html(detail, policy, deadline))
        layout.addWidget(self.browser)
        buttons = named(QDialogButtonBox(QDialogButtonBox.StandardButton.Close), "Close")
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close the summary")
        layout.addWidget(buttons)
        self.resize(900, 700)

    def clear(self) -> None:
        self.heading.clear()
        self.heading.setAccessibleName("")
        self.setWindowTitle("")
        self.browser.clear()
        self.timeline.clear()
