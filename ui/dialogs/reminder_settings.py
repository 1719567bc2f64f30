"""The Settings dialog's "Backups and calendar" box: the backup reminder, automatic
backups (on or off, the folder, how many to keep) and the calendar's reminder times.
Kept on this computer (``ui.local_settings``); the rules on them are in ``app/``
(``app.domain.backup_schedule``, ``app.domain.calendar_events``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain import backup_schedule as schedule
from app.domain.calendar_events import MAX_REMIND_HOURS, MAX_REMIND_WORKING_DAYS, Reminders
from app.english_plurals import noun
from app.reminders.choices import ReminderChoices
from ui.widgets.common import named, paragraph


@dataclass(frozen=True)
class ComputerChoices:
    backups: schedule.BackupChoices
    reminders: Reminders
    # The tray's reminder at sign-in (ui/dialogs/tray_settings.py has its box).
    tray: ReminderChoices = field(default_factory=ReminderChoices)

    def problem(self) -> str | None:
        return self.backups.problem() or self.reminders.problem()


def _spin(
    name: str, low: int, high: int, value: int, suffix: Callable[[int], str], tip: str = ""
) -> QSpinBox:
    """``suffix(n)``: the words after the number, in the form that goes with it."""
    spin = named(QSpinBox(), name, tip)
    spin.setRange(low, high)
    spin.valueChanged.connect(lambda n: spin.setSuffix(suffix(n)))
    spin.setValue(value)
    spin.setSuffix(suffix(spin.value()))
    return spin


class BackupsBox(QGroupBox):
    def __init__(self, choices: ComputerChoices, parent: QWidget | None = None) -> None:
        super().__init__("Backups and calendar (this computer)", parent)
        backups, reminders = choices.backups, choices.reminders
        column = QVBoxLayout(self)
        form = QFormLayout()
        column.addLayout(form)
        self.remind_after = _spin(
            "Remind me to back up after this many days",
            schedule.MIN_REMIND_AFTER_DAYS,
            schedule.MAX_REMIND_AFTER_DAYS,
            backups.remind_after_days,
            lambda n: f" {noun(n, 'day')} without a backup",
            "A reminder shows after unlocking and on the dashboard.",
        )
        form.addRow("Re&mind me after:", self.remind_after)
        self.automatic = named(
            QCheckBox("When the screen locks and when the app closes"),
            "Back up automatically",
            "Each automatic backup is encrypted with the same passphrase and checked.",
        )
        self.automatic.setChecked(backups.automatic)
        form.addRow("Back up au&tomatically:", self.automatic)
        self.folder = named(QLineEdit(str(backups.folder or "")), "Folder for automatic backups")
        self.folder.setPlaceholderText("Choose a folder, ideally on another drive")
        self.choose_folder = named(QPushButton("Ch&oose…"), "Choose the folder")
        self.choose_folder.clicked.connect(self._choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose_folder)
        folder_label = QLabel("Into the &folder:")
        folder_label.setBuddy(self.folder)  # the row is a layout, so name the field itself
        form.addRow(folder_label, row)
        self.keep = _spin(
            "How many automatic backups to keep",
            schedule.MIN_KEEP,
            schedule.MAX_KEEP,
            backups.keep,
            lambda n: " newest automatic backup" if n == 1 else " newest automatic backups",
            "Older automatic backups in the folder are deleted. Nothing else is.",
        )
        form.addRow("&Keep the:", self.keep)
        self.remind_days = _spin(
            "Calendar reminder before a date deadline, in working days",
            0,
            MAX_REMIND_WORKING_DAYS,
            reminders.working_days,
            lambda n: f" {noun(n, 'working day')} before a date, at 9:00",
        )
        self.remind_hours = _spin(
            "Calendar reminder before a timed deadline, in hours",
            0,
            MAX_REMIND_HOURS,
            reminders.hours,
            lambda n: f" {noun(n, 'hour')} before a time",
        )
        reminders_row = QHBoxLayout()
        reminders_row.addWidget(self.remind_days, 1)
        reminders_row.addWidget(self.remind_hours, 1)
        reminders_label = QLabel("Calendar r&eminders:")
        reminders_label.setBuddy(self.remind_days)
        form.addRow(reminders_label, reminders_row)
        column.addWidget(
            paragraph(
                "Choose a folder on another drive if you can (the school's network or an "
                "encrypted USB stick). Only the app's own automatic backups are deleted.",
                "About automatic backups",
            )
        )
        self.automatic.toggled.connect(self._enable)
        self._enable(backups.automatic)

    def _enable(self, on: bool) -> None:
        for widget in (self.folder, self.choose_folder, self.keep):
            widget.setEnabled(on)

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Folder for automatic backups", self.folder.text() or str(Path.home())
        )
        if chosen:
            self.folder.setText(chosen)

    def choices(self) -> ComputerChoices:
        folder = self.folder.text().strip()
        return ComputerChoices(
            schedule.BackupChoices(
                remind_after_days=self.remind_after.value(),
                automatic=self.automatic.isChecked(),
                folder=Path(folder).expanduser() if folder else None,
                keep=self.keep.value(),
            ),
            Reminders(working_days=self.remind_days.value(), hours=self.remind_hours.value()),
        )
