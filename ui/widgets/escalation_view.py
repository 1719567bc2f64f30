"""One escalation: where it stands against its policy, what to do now, its history, and
every action and document.

Read from ``app.services.escalations.escalation_detail`` and shown again after each
action; nothing here works out a deadline. The window holds child data, so the main
window wipes and closes it when the screen locks (``wipe``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.chronology import entries
from app.deadlines import fmt_moment
from app.domain.records import CATEGORIES
from app.domain.typed_dates import born_text
from app.errors import KnownError
from app.policy import Nation, Pathway, Policy, PolicyLibrary
from app.services.common import Store
from app.services.escalations import escalation_detail
from app.services.forms import escalation_pathway
from app.services.settings import SettingDetails
from app.services.views import EscalationDetail, RecordView
from ui.dialogs.action import ActionDialog
from ui.dialogs.agree_outcome import AgreeOutcomeDialog
from ui.dialogs.amend import AmendChooserDialog, amendable
from ui.dialogs.approve import ApproveDialog, unapproved_discussions
from ui.dialogs.complete_action import CompleteActionDialog, open_actions
from ui.dialogs.conference_dissent import ConferenceDissentDialog
from ui.dialogs.discussion import DiscussionDialog
from ui.dialogs.monitoring_form import MonitoringFormDialog
from ui.dialogs.move_stage import MoveStageDialog
from ui.dialogs.stop_and_review import StopAndReviewDialog
from ui.dialogs.withdraw import WithdrawDialog
from ui.errors import show_known_error
from ui.widgets.common import heading, named
from ui.widgets.form_dialog import FormDialog, error_colour, fit_to_screen, wipe
from ui.widgets.record_form import EscalationContext, RecordFormDialog
from ui.widgets.stage_timeline import StageTimeline

STAGE_COLUMNS = ("Stage", "Owner", "Started", "Due", "Where it stands")
DUE_COLUMN = 3
STOP_AND_REVIEW = ("stop-and-review", "stop-and-review-cic")


@contextmanager
def wait_cursor() -> Iterator[None]:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def _when(value: date | datetime | None) -> str:
    return "—" if value is None else fmt_moment(value)


def due_text(due: date | datetime | None) -> str:
    """A stage's deadline as the view shows it."""
    return "No fixed timescale" if due is None else fmt_moment(due)


def chronology_html(detail: EscalationDetail) -> str:
    """Every dated event, newest first. An amendment is marked as one and shown beside
    the version it amends (both stay on the record)."""
    rows = []
    for entry in reversed(entries(detail)):
        what = escape(entry.what)
        text = escape(entry.detail)
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
        parts.append(f"<h3>{title}</h3><p>{escape(body)}</p>")
    return "".join(parts)


class StageTable(QTableWidget):
    """Rows as tall as their wrapped text at the table's real width (an owner such as
    "Practitioners involved with the family, their managers…" takes two lines)."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resizeRowsToContents()


class EscalationView(QWidget):
    """A window of its own (not modal): a DSL may keep two escalations side by side."""

    changed = Signal(str)  # the escalation's reference, after anything was saved

    def __init__(
        self,
        store: Store,
        library: PolicyLibrary,
        settings: SettingDetails,
        ref: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("escalation-view")
        self.ref = ref
        self._store = store
        self._library = library
        self._settings = settings
        self._pathway: Pathway | None = None
        self.detail: EscalationDetail | None = None
        self.dialogs: list[QDialog] = []  # open action dialogs and previews

        outer = QVBoxLayout(self)
        self.heading = heading("", 1)
        outer.addWidget(self.heading)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Where it stands")
        font = self.status.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.status.setFont(font)
        outer.addWidget(self.status)
        # Who and what, in one line under the heading; the rest is on "The escalation".
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary")
        outer.addWidget(self.summary)
        self.risk_banner = QLabel()
        self.risk_banner.setWordWrap(True)
        self.risk_banner.setFrameShape(QFrame.Shape.Box)
        self.risk_banner.setMargin(6)
        self.risk_banner.setAccessibleName("Immediate risk")
        outer.addWidget(self.risk_banner)

        columns = QHBoxLayout()
        outer.addLayout(columns, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName("The escalation")
        main = QWidget()
        scroll.setWidget(main)
        left = QVBoxLayout(main)
        left.setContentsMargins(0, 0, 8, 0)
        columns.addWidget(scroll, 1)

        # What to do now comes first: it is what the DSL opened the window for.
        self.now_box = QGroupBox("What to do now")
        now_layout = QVBoxLayout(self.now_box)
        self.prompts = QLabel()
        self.prompts.setWordWrap(True)
        self.prompts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.prompts.setAccessibleName("What the policy says to do now")
        now_layout.addWidget(self.prompts)
        left.addWidget(self.now_box)

        # The timeline: where the escalation stands against its policy, at a glance.
        stages_box = QGroupBox("Stages against the policy's deadlines")
        stages_layout = QVBoxLayout(stages_box)
        self.timeline = StageTimeline()
        stages_layout.addWidget(self.timeline)
        legend = QLabel(
            "Solid bar: completed (a short tick marks its deadline) · heavy outline: the "
            "current stage · dashed: not started, dates projected · shaded: weekends and "
            "bank holidays. Point at a bar for the rule behind its date."
        )
        legend.setWordWrap(True)
        legend.setAccessibleName("How to read the timeline")
        small = legend.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        legend.setFont(small)
        stages_layout.addWidget(legend)
        left.addWidget(stages_box)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Stages, history and the escalation's details")
        self.stages = named(
            StageTable(0, len(STAGE_COLUMNS)),
            "Stages and deadlines",
            "One row per stage: owner, start, deadline and where it stands.",
        )
        self.stages.setHorizontalHeaderLabels(list(STAGE_COLUMNS))
        self.stages.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stages.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.stages.verticalHeader().setVisible(False)
        self.stages.setWordWrap(True)
        self.stages.setTabKeyNavigation(False)
        header = self.stages.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tabs.addTab(self.stages, "Stages and dead&lines")

        self.chronology = named(QTextBrowser(), "Chronology, newest first")
        self.chronology.setOpenLinks(False)
        self.tabs.addTab(self.chronology, "C&hronology (newest first)")

        details = QWidget()
        details_layout = QVBoxLayout(details)
        self.facts = QFormLayout()
        self.facts.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.fact_labels: dict[str, QLabel] = {}
        for name in ("Child", "Other agency", "Raised", "Category", "Child-safety date", "Policy"):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(name)
            self.facts.addRow(f"{name}:", label)
            self.fact_labels[name] = label
        details_layout.addLayout(self.facts)
        self.disagreement = named(QTextBrowser(), "The disagreement")
        details_layout.addWidget(self.disagreement, 1)
        self.tabs.addTab(details, "The &escalation")
        self.tabs.setMinimumHeight(300)
        left.addWidget(self.tabs, 1)

        columns.addWidget(self._build_buttons())
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        fit_to_screen(self, 1240, 900)
        self.refresh()

    # Buttons ----------------------------------------------------------------------------

    def _button(self, layout: QVBoxLayout, text: str, slot: Callable[[], object]) -> QPushButton:
        button = named(QPushButton(text), text.replace("&", "").rstrip("…"))
        button.clicked.connect(lambda _checked=False: slot())
        layout.addWidget(button)
        return button

    def _build_buttons(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)

        records = QGroupBox("Records")
        rows = QVBoxLayout(records)
        self.discussion_button = self._button(rows, "&Record a discussion…", self.record_discussion)
        self.approve_button = self._button(rows, "A&pprove a discussion…", self.approve)
        self.action_button = self._button(rows, "Add an ac&tion…", self.add_action)
        self.complete_button = self._button(rows, "Complete an act&ion…", self.complete_action)
        self.amend_button = self._button(rows, "A&mend a record…", self.amend)
        layout.addWidget(records)

        progress = QGroupBox("The escalation")
        rows = QVBoxLayout(progress)
        self.move_button = self._button(rows, "Move to the &next stage…", self.move_stage)
        self.dissent_button = self._button(
            rows, "Record conference &dissent…", self.conference_dissent
        )
        self.stop_button = self._button(rows, "Request &stop and review…", self.stop_and_review)
        self.outcome_button = self._button(rows, "A&gree the outcome…", self.agree_outcome)
        self.withdraw_button = self._button(rows, "&Withdraw…", self.withdraw)
        layout.addWidget(progress)

        documents = QGroupBox("Documents to print")
        rows = QVBoxLayout(documents)
        self.confirmation_button = self._button(rows, "&Confirmation…", self.confirmation)
        self.monitoring_button = self._button(rows, "M&onitoring form…", self.monitoring_form)
        self.dissent_doc_button = self._button(
            rows, "Con&ference dissent record…", lambda: self.document("conference-dissent")
        )
        self.stop_doc_button = self._button(
            rows, "Stop and review re&quest…", lambda: self.document("stop-and-review")
        )
        self.chronology_button = self._button(
            rows, "Chronolog&y…", lambda: self.document("chronology")
        )
        layout.addWidget(documents)
        layout.addStretch(1)
        self.close_button = self._button(layout, "Close", self.close)
        return column

    # Showing ----------------------------------------------------------------------------

    @property
    def policy(self) -> Policy | None:
        if self.detail is None or self.detail.row.policy_id not in self._library.ids():
            return None
        return self._library.get(self.detail.row.policy_id)

    def context(self) -> EscalationContext:
        assert self.detail is not None and self._pathway is not None
        return EscalationContext(
            self._store, self._library, self._settings, self.detail, self._pathway
        )

    def refresh(self) -> bool:
        """Read the escalation again and show it; False (with a message) if it cannot
        be read."""
        try:
            if self._pathway is None:
                self._pathway = escalation_pathway(self._store, self.ref)
            detail = escalation_detail(self._store, self.ref)
        except KnownError as exc:
            show_known_error(self, exc)
            return False
        self.detail = detail
        self._show(detail)
        return True

    def _show(self, detail: EscalationDetail) -> None:
        row, child = detail.row, detail.child
        self.setWindowTitle(f"{row.ref}: {child.name} — Escalation Tracker")
        self.heading.setText(f"{row.ref} · {child.name}")
        self.heading.setAccessibleName(str(self.heading.property("text")))
        # The timeline first: the status line quotes its words for the current stage.
        self.timeline.set_stages(
            detail.stages,
            today=clock.today(),
            nation=Nation(row.nation),
            protect_by=detail.protect_by,
            caps=detail.caps,
        )
        status = self._status_text(detail)
        self.status.setText(status)
        # Words carry the urgency; colour only repeats it.
        urgent = status.startswith("⚠")
        self.status.setStyleSheet(f"color: {error_colour(self)};" if urgent else "")
        self.summary.setText(self._summary_html(detail))
        self.risk_banner.setText(
            "⚠ Marked as immediate risk. If a child is at immediate risk, call the police "
            "(999) and contact Children's Social Care now."
        )
        self.risk_banner.setVisible(detail.immediate_risk and row.status == "open")
        self.prompts.setText(self._prompts_html(detail))
        self.now_box.setVisible(row.status == "open")

        for name, value in self._facts(detail).items():
            self.fact_labels[name].setText(value)
        self._fill_stages(detail)
        self.chronology.setHtml(chronology_html(detail))
        self.disagreement.setHtml(disagreement_html(detail))
        self._enable(detail)

    def _facts(self, detail: EscalationDetail) -> dict[str, str]:
        row, child = detail.row, detail.child
        flags = [
            words
            for on, words in (
                (child.cp_plan, "on a child protection plan"),
                (child.looked_after, "looked after"),
                (child.child_in_need, "child in need"),
            )
            if on
        ]
        identifier = f", {child.identifier}" if child.identifier else ""
        policy = self.policy
        note = policy.document.currency_note if policy is not None else None
        return {
            "Child": escape(
                f"{child.name} ({born_text(child.date_of_birth)}{identifier})"
                + (f" — {', '.join(flags)}" if flags else "")
            ),
            "Other agency": escape(
                row.other_agency
                + (f" ({detail.other_practitioner})" if detail.other_practitioner else "")
            ),
            "Raised": escape(f"{_when(row.raised_at)} by {detail.raised_by}"),
            "Category": escape(CATEGORIES.get(detail.category, detail.category)),
            "Child-safety date": escape(
                f"{_when(detail.protect_by)} (any later policy deadline becomes this date)"
                if detail.protect_by
                else "None set"
            ),
            "Policy": escape(self._policy_text(detail))
            + (f"<br><i>{escape(note)}</i>" if note else ""),
        }

    def _summary_html(self, detail: EscalationDetail) -> str:
        """Who, with whom, and under which policy: two lines under the heading."""
        row, child = detail.row, detail.child
        flags = [
            words
            for on, words in (
                (child.cp_plan, "child protection plan"),
                (child.looked_after, "looked after"),
                (child.child_in_need, "child in need"),
            )
            if on
        ]
        about = born_text(child.date_of_birth) + (f"; {', '.join(flags)}" if flags else "")
        with_whom = row.other_agency + (
            f" ({detail.other_practitioner})" if detail.other_practitioner else ""
        )
        policy = self.policy
        note = policy.document.currency_note if policy is not None else None
        status = row.status.capitalize()
        return (
            f"<b>{escape(status)}</b> · {escape(child.name)} ({escape(about)}) · "
            f"with <b>{escape(with_whom)}</b> · raised {row.raised_at:%d/%m/%Y}<br>"
            f"{escape(self._policy_text(detail))}" + (f" <i>{escape(note)}</i>" if note else "")
        )

    def _status_text(self, detail: EscalationDetail) -> str:
        """The one line a DSL reads first: the stage, its deadline and, in words, where
        it stands (the same words as the timeline's lane)."""
        row = detail.row
        if row.status != "open":
            closed = f" on {row.closed_at:%d/%m/%Y}" if row.closed_at else ""
            return (
                f"{row.status.capitalize()}{closed}, at stage {row.stage_number} of "
                f"{row.stage_count}: {row.stage_title}."
            )
        current = detail.stages[row.stage_number - 1]
        lanes = self.timeline.layout_now().lanes
        lane = lanes[row.stage_number - 1] if len(lanes) >= row.stage_number else None
        stage = f"Stage {row.stage_number} of {row.stage_count}: {row.stage_title}"
        if current.due is None:
            return f"{stage} · no fixed timescale"
        where = lane.status.removeprefix("Current: ") if lane is not None else ""
        if lane is not None and lane.overdue:
            return f"⚠ {where.upper()} · {stage} · was due {due_text(current.due)}"
        if where == "due today":
            return f"⚠ DUE TODAY ({due_text(current.due)}) · {stage}"
        return f"{stage} · due {due_text(current.due)} · {where}"

    def _policy_text(self, detail: EscalationDetail) -> str:
        policy = self.policy
        assert self._pathway is not None
        stated = detail.policy_version != "Not stated"
        version = f", version {detail.policy_version}" if stated else ""
        if policy is None:
            return f"{detail.row.policy_id}: {self._pathway.title}{version}"
        return (
            f"{policy.partnership}: {self._pathway.title}. {policy.document.title} "
            f"({policy.document.issued_display}{version})."
        )

    def _prompts_html(self, detail: EscalationDetail) -> str:
        """What the policy says to do at the current stage: the action, anyone who must
        be told (in bold: easy to forget), the records it asks for, and any cap."""
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
        assert self._pathway is not None
        stage = self._pathway.stage(current.number)
        if any(n.document == "escalation-monitoring-form" for n in stage.notifications):
            sent = [
                str(r.current.content.get("copied_to_partnership_on") or "")
                for r in detail.records
                if r.kind == "monitoring-form"
            ]
            sent = [day for day in sent if day]
            already = (
                f" A copy is recorded as sent on {date.fromisoformat(sent[-1]):%d/%m/%Y}."
                if sent
                else ""
            )
            parts.append(
                "<p>Print the form with <b>Monitoring form…</b> (under Documents to print)."
                f"{escape(already)}</p>"
            )
        for day, label in detail.caps:
            parts.append(
                f"<p><b>The policy's {escape(label)}: everything must be resolved by "
                f"{escape(due_text(day))}.</b></p>"
            )
        return "".join(parts)

    def _fill_stages(self, detail: EscalationDetail) -> None:
        lanes = self.timeline.layout_now().lanes
        self.stages.setRowCount(len(detail.stages))
        for index, stage in enumerate(detail.stages):
            state = lanes[index].status if index < len(lanes) else ""
            if stage.projected and not stage.skipped:
                state = "Not started (dates projected)"
            if stage.number == detail.row.stage_number and detail.row.status != "open":
                state = "Closed at this stage"
            cells = (
                f"{stage.number}. {stage.title}",
                stage.owner,
                _when(stage.started_at) if not stage.projected else "Not started",
                due_text(stage.due),
                state,
            )
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if column == DUE_COLUMN:
                    # The rule behind the date, as the deadline engine words it.
                    item.setToolTip(stage.rule)
                if stage.number == detail.row.stage_number and detail.row.status == "open":
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.stages.setItem(index, column, item)
        self.stages.resizeRowsToContents()

    def _enable(self, detail: EscalationDetail) -> None:
        is_open = detail.row.status == "open"
        records = detail.records
        pathway_id = detail.row.pathway_id
        kinds = {r.kind for r in records}
        last = detail.row.stage_number >= detail.row.stage_count

        def set_state(button: QPushButton, on: bool, why: str = "") -> None:
            button.setEnabled(on)
            button.setToolTip("" if on else why)

        closed = f"{detail.row.ref} is {detail.row.status}; it can no longer be changed."
        for button in (
            self.discussion_button,
            self.action_button,
            self.outcome_button,
            self.withdraw_button,
        ):
            set_state(button, is_open, closed)
        set_state(
            self.approve_button,
            bool(unapproved_discussions(records)),
            "Every discussion is approved.",
        )
        set_state(
            self.complete_button,
            is_open and bool(open_actions(records)),
            closed if not is_open else "There is no open action.",
        )
        set_state(
            self.amend_button,
            is_open and bool(amendable(records)),
            closed if not is_open else "There is nothing recorded to amend yet.",
        )
        set_state(
            self.move_button,
            is_open and not last,
            closed
            if not is_open
            else "This is the last stage: agree the outcome, or withdraw the escalation.",
        )
        dissent = pathway_id == "conference-dissent"
        self.dissent_button.setVisible(dissent)
        self.dissent_doc_button.setVisible(dissent)
        has_dissent = "conference-dissent" in kinds
        self.dissent_button.setText(
            "Update conference &dissent…" if has_dissent else "Record conference &dissent…"
        )
        set_state(self.dissent_button, is_open, closed)
        set_state(self.dissent_doc_button, has_dissent, "Record the conference dissent first.")
        stop = pathway_id in STOP_AND_REVIEW
        self.stop_button.setVisible(stop)
        self.stop_doc_button.setVisible(stop)
        has_stop = "stop-and-review" in kinds
        self.stop_button.setText(
            "Update &stop and review request…" if has_stop else "Request &stop and review…"
        )
        set_state(self.stop_button, is_open, closed)
        set_state(self.stop_doc_button, has_stop, "Make the stop and review request first.")
        set_state(
            self.confirmation_button,
            "outcome" in kinds,
            "The written confirmation needs an agreed outcome: use Agree the outcome first.",
        )
        for button in (self.dissent_button, self.stop_button):
            button.setAccessibleName(button.property("text").replace("&", "").rstrip("…"))

    # Actions ----------------------------------------------------------------------------

    def _open_dialog(self, dialog: QDialog, done: Callable[[], None] | None = None) -> QDialog:
        """Window-modal, so the view stays readable behind it. When it is saved, the
        view and the main window's list are refreshed."""
        self.dialogs.append(dialog)

        def finished(result: int) -> None:
            if dialog in self.dialogs:
                self.dialogs.remove(dialog)
            if result == QDialog.DialogCode.Accepted:
                if done is not None:
                    done()
                self.saved()
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def saved(self) -> None:
        self.refresh()
        self.changed.emit(self.ref)

    def _selected_record(self, kind: str) -> RecordView | None:
        assert self.detail is not None
        found = [r for r in self.detail.records if r.kind == kind]
        return found[-1] if found else None

    def record_discussion(self) -> QDialog:
        return self._open_dialog(DiscussionDialog(self.context(), parent=self))

    def approve(self) -> QDialog:
        return self._open_dialog(ApproveDialog(self.context(), parent=self))

    def add_action(self) -> QDialog:
        return self._open_dialog(ActionDialog(self.context(), parent=self))

    def complete_action(self) -> QDialog:
        return self._open_dialog(CompleteActionDialog(self.context(), parent=self))

    def amend(self, record: RecordView | None = None) -> QDialog:
        """Choose a record (unless given), then amend it in its own form."""
        if record is not None:
            return self._open_dialog(self._amend_form(record))
        chooser = AmendChooserDialog(self.context(), parent=self)

        def chosen() -> None:
            if chooser.chosen is not None:
                self._open_dialog(self._amend_form(chooser.chosen))

        chooser.accepted.connect(chosen)
        self.dialogs.append(chooser)
        chooser.finished.connect(lambda _r: self._forget(chooser))
        chooser.open()
        return chooser

    def _forget(self, dialog: QDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()

    def _amend_form(self, record: RecordView) -> RecordFormDialog:
        context = self.context()
        forms: dict[str, Callable[[], RecordFormDialog]] = {
            "discussion": lambda: DiscussionDialog(context, record, self),
            "action": lambda: ActionDialog(context, record, self),
            "conference-dissent": lambda: ConferenceDissentDialog(context, record, self),
            "stop-and-review": lambda: StopAndReviewDialog(context, record, self),
        }
        return forms[record.kind]()

    def move_stage(self) -> QDialog:
        return self._open_dialog(MoveStageDialog(self.context(), parent=self))

    def conference_dissent(self) -> QDialog:
        existing = self._selected_record("conference-dissent")
        return self._open_dialog(ConferenceDissentDialog(self.context(), existing, self))

    def stop_and_review(self) -> QDialog:
        existing = self._selected_record("stop-and-review")
        return self._open_dialog(StopAndReviewDialog(self.context(), existing, self))

    def agree_outcome(self) -> QDialog:
        return self._open_dialog(AgreeOutcomeDialog(self.context(), parent=self))

    def withdraw(self) -> QDialog:
        return self._open_dialog(WithdrawDialog(self.context(), parent=self))

    # Documents --------------------------------------------------------------------------

    def confirmation(self) -> QDialog | None:
        return self.document("confirmation")

    def monitoring_form(self) -> QDialog:
        dialog = MonitoringFormDialog(self.context(), parent=self)

        def preview() -> None:
            self.document("monitoring-form", identify_child=dialog.identify_child)

        return self._open_dialog(dialog, preview)

    def document(self, kind: str, *, identify_child: bool = True) -> QDialog | None:
        """Generate a document in memory and preview it (Print, Save as PDF)."""
        # Imported on first use: ReportLab and the PDF renderer cost start-up time.
        from app.services.documents import DocumentKind, generate_document
        from ui.dialogs.pdf_preview import PdfPreviewDialog

        settings = self._settings
        try:
            with wait_cursor():
                generated = generate_document(
                    self._store,
                    self._library,
                    DocumentKind(kind),
                    self.ref,
                    setting=settings.setting_name,
                    dsl=settings.dsl_name,
                    actor=settings.actor,
                    identify_child=identify_child,
                )
                preview = PdfPreviewDialog(
                    generated.title, generated.pdf, generated.suggested_name, self
                )
        except KnownError as exc:
            show_known_error(self, exc)
            return None
        preview.setObjectName(f"preview-{kind}")
        self.dialogs.append(preview)
        preview.finished.connect(lambda _r: self._forget(preview))
        preview.show()
        self.saved()  # the chronology lists the document produced
        return preview

    # Locking ----------------------------------------------------------------------------

    def wipe(self) -> None:
        """Forget everything shown, in this window and its dialogs, at once."""
        for dialog in list(self.dialogs):
            if isinstance(dialog, FormDialog):
                dialog.discard()
            else:
                wipe(dialog)
                dialog.close()
        self.dialogs.clear()
        self.detail = None
        self.timeline.clear()
        wipe(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        open_forms = [d for d in self.dialogs if isinstance(d, FormDialog) and d.isVisible()]
        for form in open_forms:
            form.close()  # asks about unsaved work
            if form.isVisible():
                event.ignore()
                return
        super().closeEvent(event)
