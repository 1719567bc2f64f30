"""Windows sized to the screen they open on, never past its edge.

A school laptop is often 1366 x 768, and at 125% scaling that is 1093 x 614 in the
pixels Qt lays out in. Every window asks for the size it would like and gets at most
the screen's available area (the taskbar excluded), less room for the title bar and
frame the window manager adds; anything that then does not fit scrolls.
``tests/ui/test_fits_screen.py`` opens every window on both screens.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# The frame and title bar, which the window's own size does not include.
FRAME_WIDTH, FRAME_HEIGHT = 16, 40


def available_area(window: QWidget) -> QRect:
    """The screen's area free of the taskbar, where ``window`` opens."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:  # no screen at all (never on a desktop): no limit
        return QRect(0, 0, 100_000, 100_000)
    return screen.availableGeometry()


def room_for(window: QWidget) -> QSize:
    """The largest size ``window`` can take with its frame still on screen."""
    area = available_area(window)
    return QSize(area.width() - FRAME_WIDTH, area.height() - FRAME_HEIGHT)


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Open at the size wanted, but never wider or taller than the screen has room for."""
    room = room_for(window)
    window.resize(min(width, room.width()), min(height, room.height()))


def restore_or_fit(
    window: QWidget, saved: QByteArray | bytes | None, width: int, height: int
) -> None:
    """Where and how large the window was last time, if that fits this screen (it may
    have been a larger monitor); otherwise the size wanted, fitted to the screen."""
    if saved is None or not window.restoreGeometry(saved):
        fit_to_screen(window, width, height)
        return
    if window.isMaximized() or window.isFullScreen():
        return
    area, room = available_area(window), room_for(window)
    if window.width() > room.width() or window.height() > room.height():
        fit_to_screen(window, window.width(), window.height())
    # Its top-left corner within the screen, so the title bar can be reached.
    x = min(max(window.x(), area.left()), area.right() - window.width() - FRAME_WIDTH)
    y = min(max(window.y(), area.top()), area.bottom() - window.height() - FRAME_HEIGHT)
    window.move(max(x, area.left()), max(y, area.top()))
