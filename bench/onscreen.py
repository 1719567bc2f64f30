"""Timing a window until it is on screen, for the window and preview figures."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# The offscreen platform says so for every window shown (and raised); harmless here.
_OFFSCREEN_NOISE = "This plugin does not support"


def painted(widget: Any) -> None:
    """Let the event loop handle what showing ``widget`` asked for, its paint included,
    then paint it once more into a pixmap: an offscreen platform may skip a paint that
    nothing would see, and ``grab`` cannot."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    widget.grab()


def discard(widget: Any) -> None:
    """Close and delete a window now, so the next round starts from the same state."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    widget.close()
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@contextmanager
def quiet_offscreen() -> Iterator[None]:
    """Drop the offscreen platform's one-line notices (two for every window shown),
    which would bury the bench's table; every other Qt message is printed as before."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if not message.startswith(_OFFSCREEN_NOISE):
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
