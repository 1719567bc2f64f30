"""The self-test's tray step (``app.selftest``): the reminder counted from a due-moments
file and shown through Qt's tray message, offscreen, with the network blocked. The
desktop's own notifications are not sent (the self-test must not pop one up on an IT
technician's screen); from source the library is only loaded, to show it is installed.
The installed app leaves it out and uses Qt's message, as Windows always does."""

from __future__ import annotations

import importlib
import sys
from datetime import timedelta

from app import clock
from app.nation import Nation
from app.paths import settings_file
from app.reminders import due_file
from app.reminders.choices import ReminderChoices
from ui.tray.settings import ReminderSettings
from ui.tray.tray import TrayReminder

EXPECTED = "Escalation Tracker: 1 overdue, 1 due today. Unlock to see them."


def check() -> str:
    settings = ReminderSettings(settings_file())
    # Saved, not applied: the self-test adds no sign-in entry to this computer.
    settings.save(ReminderChoices(on=True))
    now = clock.now()
    moments = due_file.DueMoments((now - timedelta(days=3), now.date()), Nation.ENGLAND, now)
    due_file.write(settings.due_file, moments)
    opened: list[bool] = []
    tray = TrayReminder(settings, None, lambda: opened.append(True), now=lambda: now)
    try:
        shown = tray.start()
    finally:
        tray.quit()
    if shown is None or shown.line != EXPECTED:
        raise ValueError(f"the reminder said {shown.line if shown else 'nothing'!r}")
    if opened:
        raise ValueError("the reminder opened the app by itself")
    if getattr(sys, "frozen", False):  # the installed app: Qt's message (notify.py)
        return f"{shown.line!r} via {tray.notifier.used[-1]}; the installed app uses Qt's"
    importlib.import_module("desktop_notifier")
    return f"{shown.line!r} via {tray.notifier.used[-1]}; desktop-notifier installed"
