"""Approve and date a discussion record. The DSL sees what they are approving; an
amended record needs approving again (the approval is of the latest version)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from app.domain.escalation_actions import approval_note, situation_of, unapproved_discussions
from app.domain.records import METHODS
from app.domain.validation import FieldError
from app.services.records import approve_record
from ui.plain_text import plain
from ui.widgets.common import named
from ui.widgets.form_dialog import FormDialog
from ui.widgets.record_form import EscalationContext


def discussion_text(content: dict[str, object]) -> str:
    """A discussion in one paragraph, as the DSL recorded it."""
    method = METHODS.get(str(content.get("method")), str(content.get("method")))
    people = content.get("participants")
    who = ", ".join(str(p) for p in people) if isinstance(people, list) else ""
    text = f"{method} with {who}. {content.get('summary', '')}"
    if content.get("agreed_actions"):
        text += f" Agreed actions: {content['agreed_actions']}"
    return text


class ApproveDialog(FormDialog):
    save_text = "&Approve and date"

    def __init__(
        self,
        context: EscalationContext,
        chosen: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Approve a discussion record", parent)
        self.setObjectName("approve")
        self.context = context
        layout = self.form()
        self.record = named(QComboBox(), "Discussion")
        self._texts: dict[int, str] = {}
        for record in unapproved_discussions(context.detail.records):
            version = record.current
            summary = str(version.content.get("summary", ""))
            amended = f" (amended, version {version.version})" if record.amended else ""
            self.record.addItem(
                f"{version.recorded_at:%d/%m/%Y %H:%M}{amended} — {summary[:70]}", record.id
            )
            self._texts[record.id] = discussion_text(version.content)
        if chosen is not None and self.record.findData(chosen) >= 0:
            self.record.setCurrentIndex(self.record.findData(chosen))
        else:
            self.record.setCurrentIndex(self.record.count() - 1)  # the latest
        self.add_field(layout, "&Discussion:", "Discussion", self.record)
        self.preview = plain(QLabel())  # the record as typed
        self.preview.setWordWrap(True)
        self.preview.setAccessibleName("The record you are approving")
        layout.addRow(self.preview)
        self.note(
            layout,
            f"Approving records your name, {context.actor}, and today's date and time "
            "against this version of the record.",
            "What approving does",
        )
        closed = approval_note(situation_of(context.detail))
        if closed:  # approving after the outcome: say what it does and does not do
            self.note(layout, closed, "Approving on a closed escalation")
        self.record.currentIndexChanged.connect(self._show)
        self._show()
        self.body.addStretch(1)
        self.fit(600, 340)

    def _show(self) -> None:
        record_id = self.record.currentData()
        self.preview.setText(self._texts.get(record_id, "") if record_id is not None else "")

    def problems(self) -> list[FieldError]:
        if self.record.currentData() is None:
            return [FieldError("Discussion", "every discussion is already approved.")]
        return []

    def submit(self) -> None:
        approve_record(self.context.store, int(self.record.currentData()), actor=self.context.actor)
