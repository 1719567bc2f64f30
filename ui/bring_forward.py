"""The window comes forward when a second copy of the app asks (``app.single_instance``).

The message arrives on the listener's thread; the signal carries it to the window's
(an automatic connection to a slot of an object in the GUI thread is queued). The
window is shown, un-minimised, raised and activated; a modal dialog open in it comes
to the front too. Locked, it is at its unlock page already (the lock never leaves
another page showing), with the focus put in the passphrase field; nothing typed there
is cleared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.single_instance import SHOW

if TYPE_CHECKING:
    from app.single_instance import InstanceListener
    from ui.main_window import MainWindow


class BringForward(QObject):
    asked = Signal(str)

    def __init__(self, window: MainWindow, listener: InstanceListener | None) -> None:
        super().__init__(window)
        self._window = window
        self.asked.connect(self.bring_forward)
        self.shown = 0  # how many times it came forward (for the tests)
        if listener is not None:
            listener.deliver_to(self.asked.emit)

    def bring_forward(self, message: str) -> None:
        if message != SHOW:
            return
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        window = self._window
        state = window.windowState() & ~Qt.WindowState.WindowMinimized
        window.setWindowState(state | Qt.WindowState.WindowActive)
        window.show()
        window.raise_()
        window.activateWindow()
        if not window.is_unlocked and window.stack.currentWidget() is window.unlock_page:
            window.unlock_page.passphrase.setFocus()
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not window:
            modal.raise_()
            modal.activateWindow()
        self.shown += 1
