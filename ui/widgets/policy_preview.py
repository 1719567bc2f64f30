"""Beside the policy builder: the selected pathway's deadlines from a date the DSL picks,
on the stage timeline and in words (bank holidays named), as they would be for an
escalation raised that day. Recomputed by ``app.domain.policy_preview`` at each edit."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from app.domain.policy_preview import preview
from app.nation import Nation
from app.policy.model import Policy
from ui.plain_text import plain
from ui.widgets.common import heading
from ui.widgets.fields import OptionalDate, date_edit
from ui.widgets.stage_timeline import StageTimeline


class PolicyPreviewPanel(QWidget):
    changed = Signal()  # a date was changed: show the preview again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.addWidget(heading("Preview: the deadlines", 2))
        dates = QFormLayout()
        self.raised = date_edit("Raised on", date.today())
        self.decision = OptionalDate("Disputed decision on")
        captions = (("&Raised on", self.raised), ("Disputed &decision on", self.decision))
        for caption, field in captions:
            label = QLabel(caption)
            # The text box itself: a caption's Alt+letter skips a buddy that takes no
            # focus (QLabel), and the date field passes its focus to its text box.
            label.setBuddy(field.focusProxy() or field)
            dates.addRow(label, field)
        column.addLayout(dates)
        self.raised.changed.connect(self.changed)
        self.decision.changed.connect(self.changed)
        self.pathway = plain(QLabel())
        self.pathway.setWordWrap(True)
        self.pathway.setAccessibleName("Pathway previewed")
        column.addWidget(self.pathway)
        self.timeline = StageTimeline()
        column.addWidget(self.timeline)
        self.words = plain(QLabel())
        self.words.setWordWrap(True)
        self.words.setAccessibleName("The deadlines in words")
        column.addWidget(self.words)
        column.addStretch(1)

    def show_policy(self, policy: Policy | None, pathway_index: int) -> None:
        """The deadlines of ``policy``'s pathway ``pathway_index`` (None: nothing to
        show yet)."""
        raised = self.raised.reading()
        decision = self.decision.reading()
        if policy is None or not policy.pathways:
            self._nothing("Fill in a stage's title and timescale to see its deadline here.")
            return
        if raised.problem or decision.problem:
            self._nothing(raised.problem or decision.problem)
            return
        assert isinstance(raised.value, date)
        pathway = policy.pathways[min(pathway_index, len(policy.pathways) - 1)]
        shown = preview(
            pathway,
            raised.value,
            decision=decision.value,
            nation=Nation(policy.default_nation),
        )
        # The stand-in for a title not yet typed is "…" (app.policy.builder.to_data).
        title = pathway.title if pathway.title.strip("\u2026 ") else "This pathway"
        self.pathway.setText(f"{title}, raised on the date above:")
        self.timeline.set_stages(
            shown.stages,
            today=raised.value,
            nation=policy.default_nation,
            caps=shown.caps,
            today_label="Raised",
        )
        self.words.setText("\n\n".join([*shown.lines, shown.holidays]))

    def _nothing(self, why: str) -> None:
        self.pathway.setText(why)
        self.timeline.clear()
        self.words.clear()
