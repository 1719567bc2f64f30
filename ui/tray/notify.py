"""Showing the reminder: the desktop's own notifications through desktop-notifier where
that opens no IP socket, else Qt's tray message.

- Linux: desktop-notifier talks D-Bus to the desktop's notification service, over a
  Unix socket (AF_UNIX) when the session bus address is ``unix:``; an address that
  would reach the bus over TCP is not used.
- macOS: desktop-notifier's native notification centre.
- Windows: Qt's tray message, which Windows 10 and 11 show as a native notification
  (with the Start menu shortcut's name and icon: ``ui.tray.main``). desktop-notifier
  needs a running asyncio loop there, and Python on Windows builds that loop's wake-up
  channel from a loopback TCP socket pair: an IP socket, which this app never opens.

Anywhere the library is missing, fails or does not confirm the notification was
handed over, Qt's tray message is shown instead. Clicking either opens the app.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from app.reminders.counts import Reminder

SEND_TIMEOUT_SECONDS = 10.0
TRAY_MESSAGE_MS = 30_000


def native_allowed(platform: str, env: Mapping[str, str]) -> bool:
    """Whether desktop-notifier opens no IP socket here (see the module's note)."""
    if platform == "win32":
        return False
    if platform == "darwin":
        return True
    address = env.get("DBUS_SESSION_BUS_ADDRESS", "")
    parts = [part for part in address.split(";") if part]
    return bool(parts) and all(part.startswith("unix:") for part in parts)


class Native(Protocol):
    def send(self, title: str, body: str, on_clicked: Callable[[], None]) -> bool: ...
    def close(self) -> None: ...


class DesktopNotifications:
    """desktop-notifier on its own asyncio loop in a background thread: its D-Bus
    connection and its click callbacks need a loop that keeps running."""

    def __init__(self, app_name: str) -> None:
        from desktop_notifier import DesktopNotifier  # ImportError: the caller falls back

        # It logs each failure with a traceback; Qt's message follows one anyway.
        logging.getLogger("desktop_notifier").setLevel(logging.CRITICAL)
        self._notifier = DesktopNotifier(app_name=app_name, app_icon=None)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="notifications", daemon=True
        )
        self._thread.start()

    def send(self, title: str, body: str, on_clicked: Callable[[], None]) -> bool:
        """True once the desktop has taken the notification (the library logs a
        failure rather than raising it, and calls ``on_dispatched`` only on success)."""
        handed_over = threading.Event()
        sending = self._notifier.send(
            title=title, message=body, on_clicked=on_clicked, on_dispatched=handed_over.set
        )
        try:
            asyncio.run_coroutine_threadsafe(sending, self._loop).result(SEND_TIMEOUT_SECONDS)
        except Exception:
            return False
        return handed_over.is_set()

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(SEND_TIMEOUT_SECONDS)
        if not self._thread.is_alive():
            self._loop.close()


def default_native(app_name: str) -> Native | None:
    if not native_allowed(sys.platform, os.environ):
        return None
    try:
        return DesktopNotifications(app_name)
    except Exception:  # not installed, or no backend here: Qt's message instead
        return None


class Notifier(QObject):
    """Shows a reminder; ``clicked`` when the person clicks it (either kind)."""

    clicked = Signal()

    def __init__(
        self, tray: QSystemTrayIcon, native: Native | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tray = tray
        self._native = native
        self.used: list[str] = []  # "native" or "tray", each time: what the tests read
        tray.messageClicked.connect(self.clicked)

    def show(self, reminder: Reminder) -> str:
        # Emitted from the library's thread: Qt queues it to this object's thread.
        if self._native is not None and self._native.send(
            reminder.title, reminder.body, self.clicked.emit
        ):
            self.used.append("native")
            return "native"
        self._tray.showMessage(
            reminder.title, reminder.body, QSystemTrayIcon.MessageIcon.Information, TRAY_MESSAGE_MS
        )
        self.used.append("tray")
        return "tray"

    def close(self) -> None:
        if self._native is not None:
            self._native.close()
            self._native = None
