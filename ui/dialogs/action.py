"""Add (or amend) an action: what, who owns it, and by when."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QWidget

from app.domain.record_problems import action_problems
from app.domain.records import Action, Content
from app.domain.validation import FieldError
from app.domain.views import RecordView
from app.services.records import add_action
from ui.widgets.fields import OptionalDate, line_edit, text_box, text_of
from ui.widgets.record_form import EscalationContext, RecordFormDialog


class ActionDialog(RecordFormDialog):
    def __init__(
        self,
        context: EscalationContext,
        amending: RecordView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Add an action", context, amending, parent)
        self.setObjectName("action")
        old = self.initial()
        layout = self.form("The action")
        self.description = text_box("Action", str(old.get("description", "")), 3)
        self.add_field(layout, "&Action:", "Action", self.description)
        self.owner = line_edit("Owner", str(old.get("owner", "")))
        self.owner.setPlaceholderText("Who will do it")
        self.add_field(layout, "&Owner:", "Owner", self.owner)
        due = old.get("due")
        self.due = OptionalDate("Due date", date.fromisoformat(str(due)) if due else None)
        self.add_field(layout, "&Due date:", "Due date", self.due)
        done = old.get("completed_on")
        self._completed_on = date.fromisoformat(str(done)) if done else None
        self.body.addStretch(1)
        self.start_tracking()
        self.fit(560, 360)

    def content(self) -> Action:
        return Action(
            description=text_of(self.description).strip(),
            owner=text_of(self.owner).strip(),
            due=self.due.value(),
            completed_on=self._completed_on,
        )

    def content_problems(self, content: Content) -> list[FieldError]:
        assert isinstance(content, Action)
        return action_problems(content)

    def record(self, content: Content) -> int:
        assert isinstance(content, Action)
        ctx = self.context
        return add_action(ctx.store, ctx.ref, content, actor=ctx.actor)
