"""Locking (idle, Ctrl+L, the toolbar's Hide screen) closes the file and leaves no child
data on screen: escalation windows, their forms and document previews are hidden (kept
for the same file's unlock: tests/ui/test_lock_keeps_typing.py), the workspace is
emptied. Closed for good (another file, a restore, quitting), nothing holds child data."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import PASSPHRASE, child_names_in, find_top_level, shown_texts
from ui.escalation.view import EscalationView
from ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def _show_child_data_everywhere(window: MainWindow) -> None:
    """Put child data in every place it can be: list, search box, an escalation window,
    and the settings dialog."""
    escalations = window.workspace.escalations
    ref = escalations.visible_refs()[0]
    assert window.open_escalation(ref) is not None
    escalations.search.setText("Zoë")
    settings = window.show_settings()
    assert settings is not None
    settings.activateWindow()
    settings.setting_name.setFocus()
    assert child_names_in(shown_texts()), "the check below would prove nothing"


def on_screen_windows(window: MainWindow) -> list[QWidget]:
    """Every window on screen but the main window and the immediate-risk guidance."""
    return [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w is not window and w is not window.risk_dialog
    ]


def _assert_locked_and_clean(window: MainWindow) -> None:
    assert not window.is_unlocked
    assert window.stack.currentWidget() is window.unlock_page
    assert child_names_in(shown_texts(on_screen=True)) == []
    assert on_screen_windows(window) == []
    assert find_top_level(EscalationView) == []
    assert all(not w.isVisible() for w in window.keeper.kept)
    assert window.workspace.escalations.model.rowCount() == 0
    assert window.workspace.contacts.model.rowCount() == 0
    assert window.workspace.escalations.search.text() == ""
    assert window.windowTitle() == "Locked — Escalation Tracker"


def _assert_nothing_held(window: MainWindow) -> None:
    """Closed for good: no widget, shown or hidden, holds child data."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert child_names_in(shown_texts()) == []
    assert window.keeper.kept == []
    assert window.views == {}
    assert window.settings_dialog is None


def test_ctrl_l_hides_the_screen_at_once(qtbot: QtBot, unlocked: MainWindow) -> None:
    db = unlocked.database
    assert db is not None
    escalations = unlocked.workspace.escalations
    assert unlocked.open_escalation(escalations.visible_refs()[0]) is not None
    escalations.search.setText("Zoë")
    assert child_names_in(shown_texts())
    qtbot.keyClick(escalations.table, Qt.Key.Key_L, CTRL)
    _assert_locked_and_clean(unlocked)
    assert not db.is_open


def test_ctrl_l_works_while_a_modal_dialog_is_open(qtbot: QtBot, unlocked: MainWindow) -> None:
    _show_child_data_everywhere(unlocked)  # the settings dialog is window-modal
    assert unlocked.settings_dialog is not None
    qtbot.keyClick(unlocked.settings_dialog.setting_name, Qt.Key.Key_L, CTRL)
    _assert_locked_and_clean(unlocked)


def test_ctrl_l_works_from_an_open_escalation(qtbot: QtBot, unlocked: MainWindow) -> None:
    view = unlocked.open_escalation(unlocked.workspace.escalations.visible_refs()[0])
    assert view is not None
    qtbot.waitExposed(view)
    view.activateWindow()  # as when the DSL clicks into it
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    qtbot.keyClick(view.chronology, Qt.Key.Key_L, CTRL)
    _assert_locked_and_clean(unlocked)


def test_toolbar_hide_screen_button(qtbot: QtBot, unlocked: MainWindow) -> None:
    button = unlocked.toolbar.widgetForAction(unlocked.hide_action)
    assert isinstance(button, QToolButton) and button.text() == "Hide screen"
    _show_child_data_everywhere(unlocked)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    _assert_locked_and_clean(unlocked)


def test_idle_lock_after_the_shortened_timer(qtbot: QtBot, unlocked: MainWindow) -> None:
    db = unlocked.database
    assert db is not None
    _show_child_data_everywhere(unlocked)
    unlocked.idle.set_interval_ms(150)
    qtbot.waitUntil(lambda: not unlocked.is_unlocked, timeout=3000)
    _assert_locked_and_clean(unlocked)
    assert not db.is_open


def test_activity_postpones_the_idle_lock(qtbot: QtBot, unlocked: MainWindow) -> None:
    unlocked.idle.set_interval_ms(400)
    table = unlocked.workspace.escalations.table
    for _ in range(8):  # 8 x 100 ms of typing: longer than the idle time
        qtbot.keyClick(table, Qt.Key.Key_Down)
        qtbot.wait(100)
        assert unlocked.is_unlocked
    qtbot.waitUntil(lambda: not unlocked.is_unlocked, timeout=3000)


def test_unlocking_again_after_a_lock(qtbot: QtBot, unlocked: MainWindow) -> None:
    unlocked.lock()
    unlocked.unlock(PASSPHRASE)
    assert unlocked.is_unlocked
    assert unlocked.workspace.escalations.model.rowCount() > 0
    assert unlocked.idle.running


def test_ctrl_l_hides_the_records_windows(qtbot: QtBot, unlocked: MainWindow) -> None:
    """Statistics, retention review and a child's records hold names: they go too."""
    opened = [unlocked.show_statistics(), unlocked.show_retention(), unlocked.show_child_records()]
    assert all(dialog is not None and dialog.isVisible() for dialog in opened)
    retention = opened[1]
    assert retention is not None
    retention.due_only.setChecked(False)  # type: ignore[attr-defined]
    assert child_names_in(shown_texts())
    qtbot.keyClick(unlocked.workspace.escalations.table, Qt.Key.Key_L, CTRL)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    _assert_locked_and_clean(unlocked)


def test_locking_for_good_leaves_no_child_data_anywhere(qtbot: QtBot, unlocked: MainWindow) -> None:
    """What a restore or another file does: nothing is kept, hidden or not."""
    _show_child_data_everywhere(unlocked)
    unlocked.lock(keep_windows=False)
    _assert_locked_and_clean(unlocked)
    _assert_nothing_held(unlocked)


def test_what_was_kept_goes_when_another_file_is_chosen(
    qtbot: QtBot, unlocked: MainWindow, data_file: Path, tmp_path: Path
) -> None:
    _show_child_data_everywhere(unlocked)
    qtbot.keyClick(unlocked.workspace.escalations.table, Qt.Key.Key_L, CTRL)
    assert unlocked.keeper.kept
    assert child_names_in(shown_texts())  # hidden, in memory, until the unlock
    assert unlocked.unlock_page.kept_note.isVisible()
    another = tmp_path / "another.etdb"
    shutil.copyfile(data_file, another)
    unlocked.use_data_file(another)
    _assert_nothing_held(unlocked)
    assert not unlocked.unlock_page.kept_note.isVisible()
