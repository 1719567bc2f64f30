"""The Settings dialog's "Reminders" box, and the first run's question: the reminder at
sign-in and each working morning (``ui.tray``), on or off, and the morning's time. Kept
on this computer (``ui.tray.settings``)."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QTimeEdit, QVBoxLayout, QWidget

from app.reminders import autostart
from app.reminders.choices import ReminderChoices
from ui.widgets.common import named, paragraph

WHAT_IT_SHOWS = (
    "A small icon starts when you sign in to this computer (for you only) and says how "
    "many deadlines are overdue and due today, counted from when you last locked or "
    "closed the app. It never shows a child's name or a reference, and opens nothing "
    "without your passphrase: click it to go to the unlock page."
)
TURNED_OFF_HERE = "Your IT support has turned reminders off on this computer."
NOT_ON_THIS_SYSTEM = "Reminders at sign-in are not available on this computer."


def consent_box(text: str = "Re&mind me when I sign in and each working morning") -> QCheckBox:
    return named(QCheckBox(text), "Remind me at sign-in and each working morning", WHAT_IT_SHOWS)


def unavailable_reason() -> str | None:
    if autostart.turned_off_for_everyone():
        return TURNED_OFF_HERE
    if not autostart.supported():
        return NOT_ON_THIS_SYSTEM
    return None


class RemindersBox(QGroupBox):
    def __init__(self, choices: ReminderChoices, parent: QWidget | None = None) -> None:
        super().__init__("Reminder at sign-in (this computer)", parent)
        column = QVBoxLayout(self)
        form = QFormLayout()
        column.addLayout(form)
        self.on = consent_box("When I sign in and each working morning")
        self.on.setChecked(choices.on)
        form.addRow("Rem&inders:", self.on)
        self.morning = named(
            QTimeEdit(QTime(choices.morning.hour, choices.morning.minute)),
            "Time of the morning reminder",
            "Monday to Friday, except bank holidays.",
        )
        self.morning.setDisplayFormat("HH:mm")
        form.addRow("Each working mornin&g at:", self.morning)
        column.addWidget(paragraph(WHAT_IT_SHOWS, "About the reminder"))
        reason = unavailable_reason()
        if reason is not None:
            self.on.setChecked(False)
            self.on.setEnabled(False)
            column.addWidget(paragraph(reason, "Reminders are not available"))
        self.on.toggled.connect(self.morning.setEnabled)
        self.morning.setEnabled(self.on.isChecked())

    def choices(self) -> ReminderChoices:
        chosen = self.morning.time()
        return ReminderChoices(on=self.on.isChecked(), morning=time(chosen.hour(), chosen.minute()))
