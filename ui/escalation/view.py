"""One escalation: where it stands against its policy, what to do now, its history, and
every action and document.

Read from ``app.services.escalations.escalation_detail`` and shown again after each
action; nothing here works out a deadline, a word of what is shown (``texts``) or what
may be done (``app.domain.escalation_actions``). The window holds child data: the lock
hides it until the same file is unlocked (``ui.lock_keeper``), and wipes and closes it
(``wipe``) if that does not happen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain.escalation_actions import EscalationAction, situation_of, what_may_be_done
from app.domain.views import EscalationDetail
from app.policy import Nation, Pathway, Policy, PolicyLibrary
from app.services.common import Store
from app.services.escalation_detail import escalation_pathway
from app.services.escalations import escalation_detail
from app.services.policy_adoption import follows_note, newer_words
from app.services.settings import SettingDetails
from app.team.member import Member
from app.team.signed_in import signed_in
from ui.escalation import texts
from ui.escalation.details_tab import EscalationDetails
from ui.escalation.openers import EscalationActions
from ui.escalation.pane_split import first_split
from ui.escalation.policy_version import VersionNote
from ui.escalation.texts import DUE_COLUMN, STAGE_COLUMNS
from ui.operations import run_op
from ui.plain_text import plain_tip, rich
from ui.widgets.common import heading, named
from ui.widgets.form_dialog import FormDialog, error_colour, wipe
from ui.widgets.record_form import EscalationContext
from ui.widgets.sizing import fit_to_screen
from ui.widgets.stage_timeline import StageTimeline

__all__ = ["DUE_COLUMN", "EscalationView"]

LEGEND = (
    "Solid bar: completed (a short tick marks its deadline) · heavy outline: the "
    "current stage · dashed: not started, dates projected · no bar: not needed · "
    "shaded: weekends and bank holidays. Point at a bar for the rule behind its date."
)


class StageTable(QTableWidget):
    """Rows as tall as their wrapped text at the table's real width (an owner such as
    "Practitioners involved with the family, their managers…" takes two lines)."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resizeRowsToContents()


def _plain_label(name: str) -> QLabel:
    """A label for words that include what was typed: shown as text, never as HTML."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    return label


class EscalationView(EscalationActions):
    """A window of its own (not modal): a DSL may keep two escalations side by side."""

    changed = Signal(str)  # the escalation's reference, after anything was saved

    def __init__(
        self,
        store: Store,
        library: PolicyLibrary,
        settings: SettingDetails,
        ref: str,
        parent: QWidget | None = None,
        *,
        member: Member | None = None,
    ) -> None:
        """``member``: who signed in (``Session.member``; None: the DSL of a file with
        no members, by the same rule). The window is closed, not kept, if another
        member unlocks the file (``ui.lock_keeper``), so it acts for this one only."""
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("escalation-view")
        self.ref = ref
        self._store = store
        self._library = library
        self._settings = settings
        self.member = member or signed_in(None, settings.dsl_name)
        self._pathway: Pathway | None = None
        self.detail: EscalationDetail | None = None
        self.dialogs: list[QDialog] = []

        outer = QVBoxLayout(self)
        self._build_header(outer)
        columns = QHBoxLayout()
        outer.addLayout(columns, 1)
        # Where it stands above, the stages and chronology below: the DSL can drag the
        # line between them, and on a small screen each part scrolls on its own.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_now_and_timeline())
        self.splitter.addWidget(self._build_tabs())
        self.splitter.setStretchFactor(1, 1)
        self._shared_out = False
        columns.addWidget(self.splitter, 1)
        columns.addLayout(self._build_buttons())
        self._close_last()
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        # A window of its own, not a dialog: Escape closes it only if told to.
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        fit_to_screen(self, 1240, 900)
        self.refresh()

    # Layout -----------------------------------------------------------------------------

    def _build_header(self, outer: QVBoxLayout) -> None:
        self.heading = heading("", 1)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.heading)
        self.status = _plain_label("Where it stands")
        font = self.status.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.status.setFont(font)
        outer.addWidget(self.status)
        # Who and what, in one line under the heading; the rest is on "The escalation".
        self.summary = rich(QLabel())  # texts.summary_html escapes what was typed
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary")
        outer.addWidget(self.summary)
        self.version_note = VersionNote()
        self.version_note.adopt_button.clicked.connect(lambda _c=False: self.adopt_version())
        outer.addWidget(self.version_note)
        self.risk_banner = _plain_label("Immediate risk")
        self.risk_banner.setFrameShape(QFrame.Shape.Box)
        self.risk_banner.setMargin(6)
        outer.addWidget(self.risk_banner)

    def _close_last(self) -> None:
        """Tab goes down the actions (top right, read first), then the stages and
        chronology, then Close: Close was made with the actions, so Qt would put it
        before the tabs' contents."""
        last, widget = None, self.nextInFocusChain()
        while widget is not self:
            tabs_to = widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
            if tabs_to and self.tabs.isAncestorOf(widget):
                last = widget
            widget = widget.nextInFocusChain()
        if last is not None:
            QWidget.setTabOrder(last, self.close_button)

    def _build_now_and_timeline(self) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName("Where the escalation stands")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to what is in it
        self.top = QWidget()
        scroll.setWidget(self.top)
        left = QVBoxLayout(self.top)
        left.setContentsMargins(0, 0, 8, 0)
        # What to do now comes first: it is what the DSL opened the window for.
        self.now_box = QGroupBox("What to do now")
        now_layout = QVBoxLayout(self.now_box)
        self.prompts = rich(QLabel())
        self.prompts.setWordWrap(True)
        self.prompts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.prompts.setAccessibleName("What the policy says to do now")
        now_layout.addWidget(self.prompts)
        left.addWidget(self.now_box)

        # The timeline: where the escalation stands against its policy, at a glance.
        self.stages_box = stages_box = QGroupBox("Stages against the policy's deadlines")
        stages_layout = QVBoxLayout(stages_box)
        self.timeline = StageTimeline()
        stages_layout.addWidget(self.timeline)
        legend = QLabel(LEGEND)
        legend.setWordWrap(True)
        legend.setAccessibleName("How to read the timeline")
        small = legend.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        legend.setFont(small)
        stages_layout.addWidget(legend)
        left.addWidget(stages_box)
        left.addStretch(1)
        scroll.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        return scroll

    def _build_stage_table(self) -> StageTable:
        table = named(
            StageTable(0, len(STAGE_COLUMNS)),
            "Stages and deadlines",
            "One row per stage: owner, start, deadline and where it stands.",
        )
        table.setHorizontalHeaderLabels(list(STAGE_COLUMNS))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(True)
        table.setTabKeyNavigation(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        return table

    def _build_tabs(self) -> QTabWidget:
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Stages, history and the escalation's details")
        self.tabs.tabBar().setAccessibleName("Stages, chronology or the escalation's details")
        self.stages = self._build_stage_table()
        self.tabs.addTab(self.stages, "Stages and dead&lines")

        self.chronology = named(QTextBrowser(), "Chronology, newest first")
        self.chronology.setOpenLinks(False)
        self.chronology.anchorClicked.connect(self._chronology_link)
        self.tabs.addTab(self.chronology, "C&hronology (newest first)")

        self.details = EscalationDetails()  # the facts and the disagreement; it scrolls
        self.fact_labels, self.disagreement = self.details.fact_labels, self.details.disagreement
        self.tabs.addTab(self.details.in_scroll_area(), "The &escalation")
        # Room for a few rows at least; the splitter gives it more (see _share_out).
        self.tabs.setMinimumHeight(self.fontMetrics().lineSpacing() * 9)
        return self.tabs

    def _chronology_link(self, url: QUrl) -> None:
        """A long entry's "Show all": its whole text in a viewer of its own."""
        address = url.toString()
        if address.startswith(texts.SHOW_ALL):
            self.read_entry(int(address.removeprefix(texts.SHOW_ALL)))

    def _button(self, layout: QVBoxLayout, text: str, slot: Callable[[], object]) -> QPushButton:
        button = named(QPushButton(text), text.replace("&", "").rstrip("…"))
        button.clicked.connect(lambda _checked=False: slot())
        layout.addWidget(button)
        return button

    def _group(self, layout: QVBoxLayout, title: str) -> QVBoxLayout:
        box = QGroupBox(title)
        layout.addWidget(box)
        return QVBoxLayout(box)

    def _build_buttons(self) -> QVBoxLayout:
        """The actions in a column that scrolls when the screen is short; Close stays
        below it, always in view."""
        self.button_scroll = QScrollArea()
        self.button_scroll.setWidgetResizable(True)
        self.button_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.button_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.button_scroll.setAccessibleName("What can be done")
        self.button_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        column = QWidget()
        self.button_scroll.setWidget(column)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        add = self._button

        rows = self._group(layout, "Records")
        self.discussion_button = add(rows, "&Record a discussion…", self.record_discussion)
        self.approve_button = add(rows, "A&pprove a discussion…", self.approve)
        self.action_button = add(rows, "Add an ac&tion…", self.add_action)
        self.complete_button = add(rows, "Complete an act&ion…", self.complete_action)
        self.amend_button = add(rows, "A&mend a record…", self.amend)

        rows = self._group(layout, "The escalation")
        self.move_button = add(rows, "Move to the &next stage…", self.move_stage)
        self.dissent_button = add(rows, "Record conference &dissent…", self.conference_dissent)
        self.stop_button = add(rows, "Request &stop and review…", self.stop_and_review)
        self.outcome_button = add(rows, "A&gree the outcome…", self.agree_outcome)
        self.withdraw_button = add(rows, "&Withdraw…", self.withdraw)

        rows = self._group(layout, "Documents to print")
        self.confirmation_button = add(rows, "&Confirmation…", self.confirmation)
        self.monitoring_button = add(rows, "M&onitoring form…", self.monitoring_form)
        self.dissent_doc_button = add(
            rows, "Con&ference dissent record…", lambda: self.document("conference-dissent")
        )
        self.stop_doc_button = add(
            rows, "Stop and review re&quest…", lambda: self.document("stop-and-review")
        )
        self.chronology_button = add(rows, "Chronolog&y…", lambda: self.document("chronology"))
        layout.addStretch(1)
        outer = QVBoxLayout()
        outer.addWidget(self.button_scroll, 1)
        self.close_button = add(outer, "Close", self.close)
        return outer

    def _action_buttons(self) -> dict[EscalationAction, QPushButton]:
        return {
            EscalationAction.RECORD_DISCUSSION: self.discussion_button,
            EscalationAction.APPROVE: self.approve_button,
            EscalationAction.ADD_ACTION: self.action_button,
            EscalationAction.COMPLETE_ACTION: self.complete_button,
            EscalationAction.AMEND: self.amend_button,
            EscalationAction.MOVE_STAGE: self.move_button,
            EscalationAction.CONFERENCE_DISSENT: self.dissent_button,
            EscalationAction.STOP_AND_REVIEW: self.stop_button,
            EscalationAction.AGREE_OUTCOME: self.outcome_button,
            EscalationAction.WITHDRAW: self.withdraw_button,
            EscalationAction.ADOPT_POLICY_VERSION: self.version_note.adopt_button,
            EscalationAction.CONFIRMATION: self.confirmation_button,
            EscalationAction.MONITORING_FORM: self.monitoring_button,
            EscalationAction.CONFERENCE_DISSENT_RECORD: self.dissent_doc_button,
            EscalationAction.STOP_AND_REVIEW_REQUEST: self.stop_doc_button,
            EscalationAction.CHRONOLOGY: self.chronology_button,
        }

    # Showing ----------------------------------------------------------------------------

    @property
    def policy(self) -> Policy | None:
        """The version of its policy the escalation follows, if loaded."""
        if self.detail is None:
            return None
        return self._library.followed(self.detail.row.policy_id, self.detail.policy_version)

    def context(self) -> EscalationContext:
        assert self.detail is not None and self._pathway is not None
        return EscalationContext(
            self._store, self._library, self._settings, self.detail, self._pathway, self.member
        )

    def forget_pathway(self) -> None:
        self._pathway = None  # the escalation now follows another version's pathway

    def saved(self) -> None:
        self.refresh()
        self.changed.emit(self.ref)

    def refresh(self) -> bool:
        """Read the escalation again and show it; False (with a message) if it cannot
        be read."""

        def read() -> EscalationDetail:
            if self._pathway is None:
                self._pathway = escalation_pathway(self._store, self.ref)
            return escalation_detail(self._store, self.ref)

        def show(detail: EscalationDetail) -> None:
            self.detail = detail
            self._show(detail)

        return run_op(self, read, show, cursor=False)

    def _show(self, detail: EscalationDetail) -> None:
        assert self._pathway is not None
        row, pathway, policy = detail.row, self._pathway, self.policy
        self.setWindowTitle(texts.window_title(detail))
        self.heading.setText(texts.heading_text(detail))
        self.heading.setAccessibleName(texts.heading_text(detail))
        now = clock.now()
        self.timeline.set_stages(
            detail.stages,
            today=now.date(),
            now=now,
            nation=Nation(row.nation),
            protect_by=detail.protect_by,
            caps=detail.caps,
        )
        status = texts.status_line(detail, now)
        self.status.setText(status.text)
        # Words carry the urgency; colour only repeats it.
        self.status.setStyleSheet(f"color: {error_colour(self)};" if status.urgent else "")
        self.summary.setText(texts.summary_html(detail, pathway, policy))
        self.risk_banner.setText(texts.IMMEDIATE_RISK)
        self.risk_banner.setVisible(detail.immediate_risk and row.status == "open")
        newer = newer_words(self._library, row.policy_id, detail.policy_version)
        note = follows_note(
            self._library, row.policy_id, detail.policy_version, row.status == "open"
        )
        self.version_note.show_note(note, bool(newer) and row.status == "open")
        self.prompts.setText(texts.prompts_html(detail, pathway))
        self.now_box.setVisible(row.status == "open")
        self.details.set_texts(
            texts.facts(detail, pathway, policy), texts.disagreement_html(detail)
        )
        self._fill_stages(detail)
        self.chronology.setHtml(texts.chronology_html(detail))
        self._enable(detail)

    def _fill_stages(self, detail: EscalationDetail) -> None:
        lanes = [lane.status for lane in self.timeline.layout_now().lanes]
        rows = texts.stage_rows(detail, lanes)
        self.stages.setRowCount(len(rows))
        for index, stage in enumerate(rows):
            for column, value in enumerate(stage.cells):
                item = QTableWidgetItem(value)
                if column == DUE_COLUMN:
                    # The rule behind the date, as the deadline engine words it.
                    item.setToolTip(plain_tip(stage.rule))
                if stage.current:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.stages.setItem(index, column, item)
        self.stages.resizeRowsToContents()

    def _enable(self, detail: EscalationDetail) -> None:
        """Each button as ``app`` decides: enabled, or disabled with the reason as its
        tooltip and description; hidden when no part of this kind of pathway."""
        newer = newer_words(self._library, detail.row.policy_id, detail.policy_version)
        allowed = what_may_be_done(situation_of(detail, newer), self.member)
        for action, button in self._action_buttons().items():
            permission = allowed[action]
            button.setVisible(permission.applies)
            button.setEnabled(permission.allowed)
            why = permission.reason or permission.note
            button.setToolTip(plain_tip(why))
            button.setAccessibleDescription(why)
        self.dissent_button.setText(texts.dissent_button_text(detail))
        self.stop_button.setText(texts.stop_button_text(detail))
        for button in (self.dissent_button, self.stop_button):
            button.setAccessibleName(button.property("text").replace("&", "").rstrip("…"))
        self._fit_button_column()

    def _fit_button_column(self) -> None:
        """As wide as the widest button, with room for the scroll bar beside it."""
        column = self.button_scroll.widget()
        column.adjustSize()
        bar = self.button_scroll.verticalScrollBar().sizeHint().width()
        self.button_scroll.setMinimumWidth(column.sizeHint().width() + bar)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shared_out:
            self._shared_out = True
            self._share_out()

    def _share_out(self) -> None:
        boxes = (self.now_box, self.stages_box)
        first_split(self.splitter, self.top, boxes, self.tabs, self.stages, self.chronology)

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
