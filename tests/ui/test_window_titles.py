"""Each window's title names the app once, last (ui/window_titles.py).

``ui.main`` sets the application display name, and on Windows and X11 Qt adds it to a
title that does not already end with it (QPlatformWindow::formatWindowTitle). Qt's
offscreen platform, which the tests run on, adds nothing, so the rule is applied here
as Qt applies it, to the titles the app sets."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.services.escalations import list_escalations
from ui.dialogs.help import AboutDialog, UserGuideDialog
from ui.main_window import MainWindow
from ui.window_titles import APP_TITLE, window_title


def as_the_title_bar_shows(title: str) -> str:
    """QPlatformWindow::formatWindowTitle, with the display name ``ui.main`` sets."""
    return title if title.endswith(APP_TITLE) else f"{title} — {APP_TITLE}"


def test_the_rule() -> None:
    assert window_title("Locked") == "Locked — Escalation Tracker"
    assert window_title("", "Jo (DSL)") == "Jo (DSL) — Escalation Tracker"
    assert window_title() == APP_TITLE


def test_every_window_names_the_app_once(qtbot: QtBot, unlocked: MainWindow) -> None:
    titles = [unlocked.windowTitle()]
    ref = list_escalations(unlocked.database)[0].ref
    view = unlocked.open_escalation(ref)
    assert view is not None
    titles.append(view.windowTitle())
    guide, about = unlocked.show_user_guide(), unlocked.show_about()
    assert isinstance(guide, UserGuideDialog) and isinstance(about, AboutDialog)
    titles += [guide.windowTitle(), about.windowTitle()]
    unlocked.lock()
    titles.append(unlocked.windowTitle())
    assert "Locked — Escalation Tracker" in titles
    assert len(titles) == 5
    for title in titles:
        assert as_the_title_bar_shows(title).count(APP_TITLE) == 1, title
