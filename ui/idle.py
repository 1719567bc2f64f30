"""Idle lock: an application-wide event filter notes the time of any user input in any
window of the app (a dialog's typing included); when none has come for the idle time,
``idle`` fires and the window locks. And the hide-screen key, which must work even while
a modal dialog is open."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QKeySequence

if TYPE_CHECKING:
    # Imported when the filters are installed (just after the first unlocked paint, in
    # ``WorkspaceLoader.load_rest``), not with this module: PySide builds QEvent's
    # 170-member Type enum when the class is first imported, and the locked
    # window, shown first, has no use for it.
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent


def _activity() -> frozenset[QEvent.Type]:
    from PySide6.QtCore import QEvent

    return frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.InputMethod,  # typing through an input method (not key presses)
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.TabletPress,
        }
    )


class IdleWatcher(QObject):
    """``clock``: seconds, monotonic (a test sets its own, then calls ``start``). The
    timer only wakes the watcher to compare the clock with the last input; input itself
    just notes the time, which is cheaper than restarting a timer on every mouse move."""

    idle = Signal()

    def __init__(
        self,
        app: QCoreApplication,
        interval_ms: int,
        parent: QObject | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self._last_input = clock()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._interval_ms = interval_ms
        self._timer.timeout.connect(self._wake)
        self._app = app
        self._installed = False
        self._activity: frozenset[QEvent.Type] = frozenset()

    def install(self) -> None:
        """Start seeing the app's input (idempotent). Not at construction: a Python event
        filter costs every event a call into Python, and the first of them make PySide
        build ~150 wrapper types, which the locked window does not need."""
        if not self._installed:
            self._activity = self._activity or _activity()
            self._app.installEventFilter(self)
            self._installed = True

    def set_interval_ms(self, interval_ms: int) -> None:
        self._interval_ms = interval_ms
        if self._timer.isActive():
            self._timer.start(self._remaining_ms())

    @property
    def interval_ms(self) -> int:
        return self._interval_ms

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    @property
    def timer(self) -> QTimer:
        """Its timeouts are when the watcher looks at the clock (tests wait on them)."""
        return self._timer

    def start(self) -> None:
        self._last_input = self.clock()
        self._timer.start(self._interval_ms)

    def stop(self) -> None:
        self._timer.stop()

    def uninstall(self) -> None:
        self._timer.stop()
        self._app.removeEventFilter(self)
        self._installed = False

    def _remaining_ms(self) -> int:
        idle_ms = (self.clock() - self._last_input) * 1000
        return max(0, round(self._interval_ms - idle_ms))

    def _wake(self) -> None:
        remaining = self._remaining_ms()
        if remaining <= 0:
            self.idle.emit()
        else:  # input came meanwhile: look again when the idle time would be up
            self._timer.start(remaining)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._timer.isActive() and event.type() in self._activity:
            self._last_input = self.clock()
        return False


class HideScreenKey(QObject):
    """Ctrl+L from any window of the app. The main window's action has the shortcut, but
    Qt fires it only while that window is active and not blocked by a modal dialog; any
    other time the key press comes through here, because no shortcut took it."""

    pressed = Signal()

    def __init__(self, app: QCoreApplication, sequence: QKeySequence, parent: QObject | None):
        super().__init__(parent)
        self._sequence = sequence
        self._app = app
        self._installed = False
        self._key_press: QEvent.Type | None = None  # set by install, with:
        self._key_event: type[QKeyEvent] | None = None

    def install(self) -> None:
        """Idempotent; see ``IdleWatcher.install``."""
        if not self._installed:
            from PySide6.QtCore import QEvent
            from PySide6.QtGui import QKeyEvent

            self._key_press, self._key_event = QEvent.Type.KeyPress, QKeyEvent
            self._app.installEventFilter(self)
            self._installed = True

    def uninstall(self) -> None:
        self._app.removeEventFilter(self)
        self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == self._key_press
            and self._key_event is not None
            and isinstance(event, self._key_event)
            and QKeySequence(event.keyCombination()).matches(self._sequence)
            == QKeySequence.SequenceMatch.ExactMatch
        ):
            self.pressed.emit()
            return True
        return False
