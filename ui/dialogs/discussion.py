"""Record (or amend) a discussion: when, how, who took part, what was said and agreed.
The policies ask for a written record of every discussion, approved and dated."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QComboBox, QWidget

from app import clock
from app.domain.record_problems import discussion_problems
from app.domain.records import METHODS, Content, Discussion
from app.domain.validation import FieldError
from app.domain.views import RecordView
from app.services.records import record_discussion
from ui.widgets.common import named
from ui.widgets.fields import datetime_edit, datetime_of, lines_of, text_box, text_of
from ui.widgets.record_form import EscalationContext, RecordFormDialog


class DiscussionDialog(RecordFormDialog):
    def __init__(
        self,
        context: EscalationContext,
        amending: RecordView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Record a discussion", context, amending, parent)
        self.setObjectName("discussion")
        old = self.initial()
        detail = context.detail
        layout = self.form("The discussion")
        held = old.get("held_at")
        self.held_at = datetime_edit(
            "When the discussion took place",
            datetime.fromisoformat(str(held)) if held else clock.now(),
        )
        self.add_field(layout, "&When:", "When the discussion took place", self.held_at)
        self.method = named(QComboBox(), "How")
        for key, label in METHODS.items():
            self.method.addItem(label, key)
        self.method.setCurrentIndex(max(self.method.findData(old.get("method", "phone")), 0))
        self.add_field(layout, "&How:", "How", self.method)
        # A first guess at who took part: the member recording it (their own call, most
        # often) and the other agency's practitioner; content, changed as it was.
        before = old.get("participants")
        people = (
            [str(p) for p in before]
            if isinstance(before, list)
            else [p for p in (context.member.name, detail.other_practitioner) if p]
        )
        self.participants = text_box("Who took part, one per line", "\n".join(people), 3)
        self.add_field(
            layout, "Who took &part\n(one per line):", "Who took part", self.participants
        )
        self.summary = text_box("Summary of the discussion", str(old.get("summary", "")), 5)
        self.add_field(layout, "Su&mmary:", "Summary of the discussion", self.summary)
        self.agreed_actions = text_box("Agreed actions", str(old.get("agreed_actions", "")), 3)
        self.add_field(layout, "&Agreed actions:", "Agreed actions", self.agreed_actions)
        self.body.addStretch(1)
        self.start_tracking()
        self.fit(640, 620)

    def content(self) -> Discussion:
        return Discussion(
            held_at=datetime_of(self.held_at),
            method=self.method.currentData(),
            participants=lines_of(self.participants),
            summary=text_of(self.summary).strip(),
            agreed_actions=text_of(self.agreed_actions).strip(),
        )

    def content_problems(self, content: Content) -> list[FieldError]:
        assert isinstance(content, Discussion)
        return discussion_problems(content)

    def record(self, content: Content) -> int:
        assert isinstance(content, Discussion)
        ctx = self.context
        return record_discussion(ctx.store, ctx.ref, content, actor=ctx.actor)
