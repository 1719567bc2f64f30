"""Window titles: what the window is about first, the app's name last, once.

``ui.main`` sets the application's display name, and Qt adds it to every window title
that does not already end with it (QPlatformWindow::formatWindowTitle, on Windows and
X11 alike): the old "Escalation Tracker — locked" read "Escalation Tracker — locked —
Escalation Tracker" in the title bar and the taskbar.
"""

from __future__ import annotations

APP_TITLE = "Escalation Tracker"


def window_title(*parts: str) -> str:
    """``window_title("Locked")`` is "Locked — Escalation Tracker"; empty parts are left
    out."""
    return " — ".join([*(part for part in parts if part), APP_TITLE])
