"""What the escalation window says, as text: its status line, summary, prompts, facts,
stage rows, chronology and the disagreement. No Qt here, so every word can be tested
without a window; the window only puts these into its widgets.

Whatever goes into HTML (the summary, prompts, facts, chronology, the disagreement) has
every typed or policy text escaped: a child's name or a summary may hold ``<`` or ``&``.
The status line and the stage rows are plain text, shown as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from typing import TYPE_CHECKING

from app.chronology import entries
from app.deadlines import calendar_for, fmt_moment
from app.deadlines.moments import due_words
from app.deadlines.standing import Standing, standing
from app.domain.records import CATEGORIES
from app.domain.typed_dates import born_text
from app.domain.views import EscalationDetail
from app.english_plurals import count
from app.nation import Nation
from app.policy.stage_names import numbered, stage_of
from app.policy.versions import key_suffix
from ui.window_titles import window_title as titled

if TYPE_CHECKING:
    from app.policy import Pathway, Policy

STAGE_COLUMNS = ("Stage", "Owner", "Started", "Due", "Where it stands")
DUE_COLUMN = 3
IMMEDIATE_RISK = (
    "⚠ Marked as immediate risk. If a child is at immediate risk, call the police "
    "(999) and contact Children's Social Care now."
)


def when_text(value: date | datetime | None) -> str:
    return "—" if value is None else fmt_moment(value)


def due_text(due: date | datetime | None) -> str:
    """A stage's deadline as the window shows it."""
    return due_words(due)


def heading_text(detail: EscalationDetail) -> str:
    return f"{detail.row.ref} · {detail.child.name}"


def window_title(detail: EscalationDetail) -> str:
    return titled(f"{detail.row.ref}: {detail.child.name}")


@dataclass(frozen=True)
class StatusLine:
    text: str
    urgent: bool  # overdue or due today: the words say so; colour only repeats it


def status_line(detail: EscalationDetail, now: datetime) -> StatusLine:
    """The one line a DSL reads first: the stage, its deadline and where it stands
    (``app.deadlines.standing``, as the list and the timeline say it)."""
    row = detail.row
    if row.status != "open":
        closed = f" on {row.closed_at:%d/%m/%Y}" if row.closed_at else ""
        return StatusLine(
            f"{row.status.capitalize()}{closed}, at stage {row.stage_number} of "
            f"{row.stage_count}: {row.stage_title}.",
            False,
        )
    current = detail.stages[row.stage_number - 1]
    where = standing(current.due, now, calendar_for(Nation(row.nation)))
    stage = stage_of(row.stage_number, row.stage_count, row.stage_title)
    due = due_text(current.due)
    if where.standing is Standing.NO_TIMESCALE:
        return StatusLine(f"{stage} · no fixed timescale", False)
    if where.standing is Standing.OVERDUE:
        return StatusLine(f"⚠ {where.words.upper()} · {stage} · was due {due}", True)
    if where.standing is Standing.DUE_TODAY:
        return StatusLine(f"⚠ DUE TODAY ({due}) · {stage}", True)
    return StatusLine(f"{stage} · due {due} · {where.words}", False)


def policy_text(detail: EscalationDetail, pathway: Pathway, policy: Policy | None) -> str:
    """The policy and pathway followed, in words (``policy`` None: no longer loaded)."""
    version = key_suffix(detail.policy_version)
    if policy is None:
        return f"{detail.row.policy_id}: {pathway.title}{version}"
    return (
        f"{policy.partnership}: {pathway.title}. {policy.document.title} "
        f"({policy.document.issued_display}{version})."
    )


def _flags(detail: EscalationDetail, plan: str) -> list[str]:
    child = detail.child
    return [
        words
        for on, words in (
            (child.cp_plan, plan),
            (child.looked_after, "looked after"),
            (child.child_in_need, "child in need"),
        )
        if on
    ]


def _with_whom(detail: EscalationDetail) -> str:
    practitioner = detail.other_practitioner
    return detail.row.other_agency + (f" ({practitioner})" if practitioner else "")


def summary_html(detail: EscalationDetail, pathway: Pathway, policy: Policy | None) -> str:
    """Who, with whom, and under which policy: two lines under the heading."""
    row, child = detail.row, detail.child
    flags = _flags(detail, "child protection plan")
    about = born_text(child.date_of_birth) + (f"; {', '.join(flags)}" if flags else "")
    note = policy.document.currency_note if policy is not None else None
    return (
        f"<b>{escape(row.status.capitalize())}</b> · {escape(child.name)} ({escape(about)}) · "
        f"with <b>{escape(_with_whom(detail))}</b> · raised {row.raised_at:%d/%m/%Y}<br>"
        f"{escape(policy_text(detail, pathway, policy))}"
        + (f" <i>{escape(note)}</i>" if note else "")
    )


def facts(detail: EscalationDetail, pathway: Pathway, policy: Policy | None) -> dict[str, str]:
    """The escalation's details, by the label each is shown under (HTML)."""
    row, child = detail.row, detail.child
    flags = _flags(detail, "on a child protection plan")
    identifier = f", {child.identifier}" if child.identifier else ""
    note = policy.document.currency_note if policy is not None else None
    return {
        "Child": escape(
            f"{child.name} ({born_text(child.date_of_birth)}{identifier})"
            + (f" — {', '.join(flags)}" if flags else "")
        ),
        "Other agency": escape(_with_whom(detail)),
        "Raised": escape(
            f"{when_text(row.raised_at)} by {detail.raised_by}"
            + (
                f"; the disputed decision was made on {when_text(detail.decided_on)}"
                if detail.decided_on
                else ""
            )
        ),
        "Category": escape(CATEGORIES.get(detail.category, detail.category)),
        "Child-safety date": escape(
            f"{when_text(detail.protect_by)} (any later policy deadline becomes this date)"
            if detail.protect_by
            else "None set"
        ),
        "Policy": escape(policy_text(detail, pathway, policy))
        + (f"<br><i>{escape(note)}</i>" if note else ""),
    }


def _monitoring_form_prompt(detail: EscalationDetail) -> str:
    sent = [
        str(r.current.content.get("copied_to_partnership_on") or "")
        for r in detail.records
        if r.kind == "monitoring-form"
    ]
    sent = [day for day in sent if day]
    already = (
        f" A copy is recorded as sent on {date.fromisoformat(sent[-1]):%d/%m/%Y}." if sent else ""
    )
    return (
        "<p>Print the form with <b>Monitoring form…</b> (under Documents to print)."
        f"{escape(already)}</p>"
    )


def prompts_html(detail: EscalationDetail, pathway: Pathway) -> str:
    """What the policy says to do at the current stage: the action, anyone who must be
    told (in bold: easy to forget), the records it asks for, and any cap."""
    current = detail.stages[detail.row.stage_number - 1]
    prompts = list(detail.prompts)
    action = prompts.pop(0).removeprefix(f"{current.title}: ") if prompts else ""
    notify = [p for p in prompts if p.startswith("Notify")]
    other = [p for p in prompts if not p.startswith("Notify")]
    parts = [
        f"<p><b>{escape(current.title)}</b> (owner: {escape(current.owner)}; due "
        f"<b>{escape(due_text(current.due))}</b>). {escape(action)}</p>"
    ]
    if notify:
        parts.append("<ul>" + "".join(f"<li><b>{escape(p)}</b></li>" for p in notify) + "</ul>")
    if other:
        parts.append("<ul>" + "".join(f"<li>{escape(p)}</li>" for p in other) + "</ul>")
    stage = pathway.stage(current.number)
    if any(n.document == "escalation-monitoring-form" for n in stage.notifications):
        parts.append(_monitoring_form_prompt(detail))
    for day, label in detail.caps:
        parts.append(
            f"<p><b>The policy's {escape(label)}: everything must be resolved by "
            f"{escape(due_text(day))}.</b></p>"
        )
    return "".join(parts)


@dataclass(frozen=True)
class StageRow:
    cells: tuple[str, str, str, str, str]  # as STAGE_COLUMNS
    rule: str  # how the deadline was worked out: the Due cell's tooltip
    current: bool  # the open escalation's current stage (shown in bold)


def stage_rows(detail: EscalationDetail, lane_status: list[str]) -> list[StageRow]:
    """One row per stage. ``lane_status``: each stage's words from the timeline's
    layout (``app.timeline``), so the table and the timeline say the same."""
    row = detail.row
    out = []
    for index, stage in enumerate(detail.stages):
        state = lane_status[index] if index < len(lane_status) else ""
        if stage.projected and not stage.skipped:
            state = "Not started (dates projected)"
        at_current = stage.number == row.stage_number
        if at_current and row.status != "open":
            state = "Closed at this stage"
        cells = (
            numbered(stage.number, stage.title),
            stage.owner,
            when_text(stage.started_at) if not stage.projected else "Not started",
            "—" if stage.not_needed else due_words(stage.due, stage.waits_for),
            stage.not_needed or state,
        )
        out.append(StageRow(cells, stage.rule, at_current and row.status == "open"))
    return out


# A chronology row shows this much of a long text, so one record cannot fill screens;
# "Show all" opens the whole of it.
SHOWN_CHARACTERS = 300
SHOW_ALL = "entry:"  # the link's address: SHOW_ALL and the entry's index in entries()


def shortened(text: str, most: int = SHOWN_CHARACTERS) -> str | None:
    """The start of a long text, cut at a space where there is one near, with "…";
    None when the text is short enough to show whole."""
    if len(text) <= most:
        return None
    start = text[:most]
    space = start.rfind(" ")
    if space > most * 2 // 3:
        start = start[:space]
    return start.rstrip() + "…"


def entry_in_full(detail: EscalationDetail, index: int) -> tuple[str, str, str]:
    """The viewer's window title, its heading and the whole text of entry ``index``."""
    entry = entries(detail)[index]
    heading = f"{entry.at:%d/%m/%Y %H:%M} · {entry.what} · {entry.by}"
    return f"{entry.what} — {detail.row.ref}", heading, entry.detail


def chronology_html(detail: EscalationDetail) -> str:
    """Every dated event, newest first. An amendment is marked as one and shown beside
    the version it amends (both stay on the record)."""
    rows = []
    for index, entry in reversed(list(enumerate(entries(detail)))):
        what = escape(entry.what)
        start = shortened(entry.detail)
        text = escape(start or entry.detail)
        if start is not None:
            size = count(len(entry.detail), "character")
            text += f"<br><a href='{SHOW_ALL}{index}'>Show all ({size})</a>"
        if entry.amendment:
            what = f"<b>AMENDMENT</b><br><i>{what}</i>"
            text = f"<i>{text}</i>"
        rows.append(
            f"<tr><td style='white-space:nowrap'>{entry.at:%d/%m/%Y %H:%M}</td>"
            f"<td>{what}</td><td>{text}</td><td>{escape(entry.by)}</td></tr>"
        )
    return (
        "<table width='100%' cellspacing='0' cellpadding='4' border='1' "
        "style='border-collapse:collapse'>"
        "<tr><th align='left'>When</th><th align='left'>What</th>"
        "<th align='left'>Detail</th><th align='left'>By</th></tr>" + "".join(rows) + "</table>"
    )


def disagreement_html(detail: EscalationDetail) -> str:
    parts = []
    if detail.immediate_risk:
        parts.append(
            "<p><b>Marked as immediate risk when it was raised. If a child is at immediate "
            "risk, call the police (999) and contact Children's Social Care now.</b></p>"
        )
    for title, body in (
        ("What is disputed", detail.disputed),
        ("What we want to change for the child", detail.change_wanted),
        ("Impact on the child", detail.impact),
    ):
        parts.append(f"<h3>{escape(title)}</h3><p>{escape(body)}</p>")
    return "".join(parts)


def dissent_button_text(detail: EscalationDetail) -> str:
    """Record it the first time; update it after (the record is amended)."""
    if any(r.kind == "conference-dissent" for r in detail.records):
        return "Update conference &dissent…"
    return "Record conference &dissent…"


def stop_button_text(detail: EscalationDetail) -> str:
    if any(r.kind == "stop-and-review" for r in detail.records):
        return "Update &stop and review request…"
    return "Request &stop and review…"
