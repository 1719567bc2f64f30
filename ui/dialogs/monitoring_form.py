"""The Escalation Monitoring Form document: what has been done so far (saved as a
record when it changes), when it was copied to the partnership, and whether to leave
out the child's identifying details (the copy is "for monitoring purposes only")."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QWidget

from app.domain.record_problems import monitoring_form_problems
from app.domain.records import MonitoringForm
from app.domain.validation import FieldError
from app.services.records import record_monitoring_form
from ui.widgets.common import named
from ui.widgets.fields import OptionalDate, text_box, text_of
from ui.widgets.form_dialog import FormDialog
from ui.widgets.record_form import EscalationContext


class MonitoringFormDialog(FormDialog):
    save_text = "&Preview…"

    def __init__(self, context: EscalationContext, parent: QWidget | None = None) -> None:
        super().__init__("Escalation Monitoring Form", parent)
        self.setObjectName("monitoring-form")
        self.context = context
        forms = [r for r in context.detail.records if r.kind == "monitoring-form"]
        latest = forms[-1].current.content if forms else {}
        self._latest = MonitoringForm(
            actions_to_date=str(latest.get("actions_to_date", "")),
            copied_to_partnership_on=(
                date.fromisoformat(str(latest["copied_to_partnership_on"]))
                if latest.get("copied_to_partnership_on")
                else None
            ),
        )
        self._open = context.detail.row.status == "open"
        layout = self.form()
        self.actions_text = text_box("Actions taken to date", self._latest.actions_to_date, 5)
        self.actions_text.setReadOnly(not self._open)
        self.add_field(
            layout, "&Actions taken to date:", "Actions taken to date", self.actions_text
        )
        self.copied_on = OptionalDate(
            "Copied to the partnership on", self._latest.copied_to_partnership_on
        )
        self.copied_on.setEnabled(self._open)
        self.add_field(
            layout, "Copied to the\npar&tnership:", "Copied to the partnership", self.copied_on
        )
        self.anonymous = named(
            QCheckBox("&Leave out the child's identifying details"),
            "Leave out the child's identifying details",
            "The copy then shows no name, date of birth or identifier, in its boxes or in "
            "what was typed; you see what is taken out before the form is shown.",
        )
        layout.addRow("", self.anonymous)
        self.note(
            layout,
            "Changes to the actions or the date are saved with the escalation's records "
            "when you preview.",
            "What previewing saves",
        )
        self.body.addStretch(1)
        self.fit(640, 420)

    @property
    def identify_child(self) -> bool:
        return not self.anonymous.isChecked()

    def typed(self) -> MonitoringForm:
        return MonitoringForm(
            actions_to_date=text_of(self.actions_text).strip(),
            copied_to_partnership_on=self.copied_on.value(),
        )

    def problems(self) -> list[FieldError]:
        form = self.typed()
        # Previewing with nothing written saves nothing (see submit), so asks for nothing.
        return monitoring_form_problems(form) if form.actions_to_date else []

    def submit(self) -> None:
        form = self.typed()
        # Saved only when it says something new: previewing twice adds no record.
        if self._open and form.actions_to_date and form != self._latest:
            ctx = self.context
            record_monitoring_form(ctx.store, ctx.ref, form, actor=ctx.actor)
