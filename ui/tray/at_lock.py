"""As the records are locked (or the app closes): the due moments for the tray reminder,
when the DSL has turned reminders on (``app.reminders.due_file`` says what is kept)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from app import clock
from ui.operations import run_op

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.session import Session


def remember_due_moments(window: QWidget, session: Session, settings_path: Path) -> None:
    from app.reminders import due_file
    from app.services.due_moments import remember
    from ui.local_settings import LocalSettings
    from ui.tray.settings import ReminderSettings

    settings = ReminderSettings(settings_path)
    db = session.database
    if db is None or not settings.choices.on:
        return
    nation, path = session.details.nation, settings.due_file
    backup_days = LocalSettings(settings_path).backups.remind_after_days

    def write() -> None:
        try:
            remember(db, path, nation, clock.now(), backup_days)
        except OSError:  # a count from an older lock would be wrong: none is better
            with contextlib.suppress(OSError):
                due_file.forget(path)

    # Never a reason the screen stays unlocked.
    run_op(window, write, cursor=False, on_failure=lambda _exc: None)
