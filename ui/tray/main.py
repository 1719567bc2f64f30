"""``python -m app --tray``: the reminder at sign-in (``app.reminders.autostart`` starts
it). It exits at once when reminders are off, for this user or for everyone, or when a
tray reminder is running already (``app.single_instance``, its own address: never the
window's). Clicking it starts the app, which hands over to a window already open."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from app.paths import settings_file
from app.reminders import autostart
from app.reminders.counts import TITLE
from app.single_instance import TRAY, Start, start_or_hand_over
from ui.tray.notify import default_native
from ui.tray.settings import ReminderSettings
from ui.tray.tray import TrayReminder

# The Start menu shortcut carries the same ID (installer/escalation_tracker.iss), so
# Windows shows the tray's notifications under the app's name and icon.
APP_USER_MODEL_ID = "EscalationTracker.EscalationTracker"


def use_app_user_model_id() -> None:
    if sys.platform != "win32":
        return
    import ctypes

    ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(APP_USER_MODEL_ID)


def open_app() -> None:
    """The desktop app, at its unlock page, as a process of its own."""
    command = autostart.app_command()
    QProcess.startDetached(command[0], command[1:])


def off_reason(*, everyone: bool) -> str:
    if everyone:
        return "reminders are turned off on this computer for everyone (docs/installing.md, 6b)"
    return "reminders are turned off for you (turn them on in the app: Settings, Reminders)"


def main(argv: Sequence[str] | None = None, once: bool = False) -> int:
    """``once``: remind now and exit (what the tests and IT's check use)."""
    settings = ReminderSettings(settings_file())
    if autostart.turned_off_for_everyone() or not settings.choices.on:
        if once:  # IT's check: say why nothing shows, rather than nothing at all
            print(f"{TITLE}: {off_reason(everyone=autostart.turned_off_for_everyone())}")
        return 0
    start = Start(handed_over=False) if once else start_or_hand_over(role=TRAY)
    if start.handed_over:
        return 0  # a tray icon is showing already: one is enough
    use_app_user_model_id()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv))
    app.setApplicationName(TITLE)
    app.setQuitOnLastWindowClosed(False)  # the menu is the only window it ever shows
    tray = TrayReminder(settings, default_native(TITLE), open_app)
    shown = tray.start()
    if once:
        print(shown.line if shown is not None else f"{TITLE}: nothing to remind about")
        print(f"shown by: {tray.notifier.used[-1] if tray.notifier.used else 'nothing'}")
        if tray.notifier.used[-1:] == ["tray"] and not QSystemTrayIcon.isSystemTrayAvailable():
            print(
                "This desktop has no notification area: the icon and its message do not show.",
                file=sys.stderr,
            )
        tray.quit()
        return 0
    if start.listener is not None:
        start.listener.deliver_to(lambda _message: None)  # a second tray needs only the answer
    try:
        return app.exec()
    finally:
        if start.listener is not None:
            start.listener.close()
