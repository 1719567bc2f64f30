"""Mark an action done. The action is not edited: its completion is a new version."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QComboBox, QWidget

from app import clock
from app.domain.escalation_actions import open_actions
from app.domain.record_problems import completion_problems
from app.domain.validation import FieldError
from app.domain.views import RecordView
from app.services.records import complete_action
from ui.widgets.common import named
from ui.widgets.fields import date_edit, date_of
from ui.widgets.form_dialog import FormDialog
from ui.widgets.record_form import EscalationContext


def action_label(record: RecordView) -> str:
    content = record.current.content
    owner = content.get("owner", "")
    due = content.get("due")
    when = f", due {datetime.fromisoformat(str(due)):%d/%m/%Y}" if due else ""
    return f"{content.get('description', '')} ({owner}{when})"


class CompleteActionDialog(FormDialog):
    save_text = "&Mark as done"

    def __init__(
        self,
        context: EscalationContext,
        chosen: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Complete an action", parent)
        self.setObjectName("complete-action")
        self.context = context
        layout = self.form()
        self.action = named(QComboBox(), "Action")
        for record in open_actions(context.detail.records):
            self.action.addItem(action_label(record), record.id)
        if chosen is not None and self.action.findData(chosen) >= 0:
            self.action.setCurrentIndex(self.action.findData(chosen))
        self.add_field(layout, "&Action:", "Action", self.action)
        self.completed_on = date_edit("Date completed", clock.today())
        self.add_field(layout, "&Date completed:", "Date completed", self.completed_on)
        self.body.addStretch(1)
        self.fit(560, 240)

    def problems(self) -> list[FieldError]:
        if self.action.currentData() is None:
            return [FieldError("Action", "there is no open action to complete.")]
        return completion_problems(date_of(self.completed_on))

    def submit(self) -> None:
        complete_action(
            self.context.store,
            int(self.action.currentData()),
            completed_on=datetime.combine(date_of(self.completed_on), clock.now().time()),
            actor=self.context.actor,
        )
