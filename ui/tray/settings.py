"""The reminder's choices on this computer (in ``settings.ini``, group ``reminders``),
and applying them: the sign-in entry added or removed, the due-moments file kept or
deleted. Read by the desktop app and by the tray process alike."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from PySide6.QtCore import QSettings

from app.errors import KnownError
from app.reminders import autostart, due_file
from app.reminders.choices import ReminderChoices
from app.reminders.counts import DEFAULT_MORNING

_ON = "reminders/on"
_MORNING = "reminders/morning"


class ReminderSettings:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._q = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def due_file(self) -> Path:
        """Beside the settings, so a portable copy keeps its own."""
        return self.path.parent / due_file.FILE_NAME

    @property
    def choices(self) -> ReminderChoices:
        self._q.sync()  # the other process may have changed them
        on = str(self._q.value(_ON, "false")).lower() == "true"
        try:
            morning = time.fromisoformat(str(self._q.value(_MORNING, "")))
        except ValueError:
            morning = DEFAULT_MORNING
        return ReminderChoices(on=on and not autostart.turned_off_for_everyone(), morning=morning)

    def apply(self, choices: ReminderChoices) -> None:
        """Keep ``choices`` and make them so; a ``KnownError`` if the sign-in entry
        cannot be written (the choice is then not kept)."""
        on = choices.on and not autostart.turned_off_for_everyone()
        try:
            autostart.set_autostart(on)
        except OSError as exc:
            raise KnownError(
                "The reminder at sign-in could not be turned "
                f"{'on' if on else 'off'} ({exc.strerror or exc}). Ask your IT support."
            ) from None
        if not on:
            due_file.forget(self.due_file)
        self.save(ReminderChoices(on=on, morning=choices.morning))

    def save(self, choices: ReminderChoices) -> None:
        """Keep ``choices`` only (``apply`` makes them so)."""
        self._q.setValue(_ON, "true" if choices.on else "false")
        self._q.setValue(_MORNING, choices.morning.strftime("%H:%M"))
        self._q.sync()
