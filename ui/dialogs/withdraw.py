"""Withdraw an escalation, with the reason (it closes the escalation)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.domain.record_problems import withdrawal_problems
from app.domain.validation import FieldError
from app.services.escalations import withdraw
from ui.widgets.fields import text_box, text_of
from ui.widgets.form_dialog import FormDialog
from ui.widgets.record_form import EscalationContext


class WithdrawDialog(FormDialog):
    save_text = "&Withdraw the escalation"

    def __init__(self, context: EscalationContext, parent: QWidget | None = None) -> None:
        super().__init__("Withdraw the escalation", parent)
        self.setObjectName("withdraw")
        self.context = context
        layout = self.form()
        self.note(
            layout,
            "Withdrawing closes the escalation; it cannot be reopened. If the disagreement "
            "comes back, open a new escalation.",
            "What withdrawing does",
        )
        self.reason = text_box("Reason for withdrawing", lines=3)
        self.add_field(layout, "&Reason:", "Reason for withdrawing", self.reason)
        self.body.addStretch(1)
        self.start_tracking()
        self.fit(560, 300)

    def problems(self) -> list[FieldError]:
        return withdrawal_problems(text_of(self.reason))

    def submit(self) -> None:
        withdraw(
            self.context.store,
            self.context.ref,
            text_of(self.reason).strip(),
            actor=self.context.actor,
        )
