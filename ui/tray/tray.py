"""The tray icon and its reminders: at start (sign-in) and each working morning at the
time the DSL chose. It reads only the due-moments file and the reminder's settings; it
never opens the data file, so it unlocks nothing. Clicking the icon or a reminder opens
the app at its unlock page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from app import clock
from app.deadlines.calendar import calendar_for
from app.nation import Nation
from app.reminders import due_file
from app.reminders.counts import TITLE, Reminder, count, extra_lines, next_morning, reminder
from ui.tray.notify import Native, Notifier
from ui.tray.settings import ReminderSettings

CHECK_EVERY_MS = 60_000  # the clock is compared each minute: a sleep cannot skip a morning
NO_FILE = "Unlock Escalation Tracker once with reminders on; the counts show here from then on."


def tray_icon() -> QIcon:
    """A blue square with "ET": the app has no icon file of its own yet."""
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#1f4e8c"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(2, 2, 60, 60), 12, 12)
    painter.setPen(QColor("white"))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(30)
    painter.setFont(font)
    painter.drawText(QRectF(0, 0, 64, 64), Qt.AlignmentFlag.AlignCenter, "ET")
    painter.end()
    return QIcon(pixmap)


class TrayReminder(QObject):
    def __init__(
        self,
        settings: ReminderSettings,
        native: Native | None,
        open_app: Callable[[], None],
        now: Callable[[], datetime] = clock.now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._open_app = open_app
        self._now = now
        self.next_at: datetime | None = None
        self.icon = QSystemTrayIcon(tray_icon(), self)
        self.notifier = Notifier(self.icon, native, self)
        self.notifier.clicked.connect(open_app)
        self.icon.activated.connect(self._activated)
        self.menu = self._menu()
        self.icon.setContextMenu(self.menu)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.tick)

    def _menu(self) -> QMenu:
        menu = QMenu()
        menu.setObjectName("tray-menu")
        self.open_action = QAction("&Open Escalation Tracker…", menu)
        self.open_action.triggered.connect(self._open_app)
        self.show_action = QAction("&Show today's reminder", menu)
        self.show_action.triggered.connect(lambda: self.remind(always=True))
        self.quit_action = QAction("&Close the reminder until I next sign in", menu)
        self.quit_action.triggered.connect(self.quit)
        menu.addAction(self.open_action)
        menu.addAction(self.show_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        return menu

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self._open_app()

    def start(self) -> Reminder | None:
        """Show the icon, remind now (the person has just signed in) and watch the clock."""
        self.icon.setToolTip(TITLE)
        self.icon.show()
        shown = self.remind()
        self._schedule()
        self.timer.start()
        return shown

    def _schedule(self) -> None:
        moments = due_file.read(self._settings.due_file)
        nation = moments.nation if moments is not None else Nation.ENGLAND
        morning = self._settings.choices.morning
        self.next_at = next_morning(self._now(), morning, calendar_for(nation))

    def tick(self) -> None:
        """Each minute: stop if reminders were turned off; remind when the morning's
        time has come (or passed while the computer slept)."""
        if not self._settings.choices.on:
            self.quit()
            return
        if self.next_at is not None and self._now() >= self.next_at:
            self.remind()
            self._schedule()

    def remind(self, always: bool = False) -> Reminder | None:
        """The counts now, from what the app wrote at its last lock, shown if there is
        anything to say (or ``always``, when asked from the menu)."""
        now = self._now()
        moments = due_file.read(self._settings.due_file)
        if moments is None:
            self.icon.setToolTip(f"{TITLE}: no counts yet")
            shown = Reminder(TITLE, NO_FILE) if always else None
        else:
            counts = count(moments.due, now, calendar_for(moments.nation))
            self.icon.setToolTip(f"{TITLE}: {counts.words.lower()}")
            shown = reminder(counts, extra_lines(now, moments.backup_overdue_from))
            if shown is None and always:
                shown = Reminder(TITLE, f"{counts.words}.")
        if shown is not None:
            self.notifier.show(shown)
        return shown

    def quit(self) -> None:
        self.timer.stop()
        self.icon.hide()
        self.notifier.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()
