"""After the lock, the next key typed goes where the cursor was: a window brought back
keeps its focus, cursor and selection (ui/lock_keeper.py, ui/widgets/keyboard.py), not
the first field focused with its text selected, which replaced "Sam Test" with "Y" in
the real-window run. Typed key by key at 1366 x 768."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.test_lock_keeps_typing import _unlock_by_typing
from ui.dialogs.policy_builder import PolicyBuilder
from ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def _lock_and_unlock(qtbot: QtBot, window: MainWindow, typing_in: QWidget) -> None:
    qtbot.keyClick(typing_in, Qt.Key.Key_L, CTRL)
    assert not window.is_unlocked and not typing_in.isVisible()
    _unlock_by_typing(qtbot, window)
    qtbot.waitUntil(typing_in.isVisible)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is typing_in)


def test_typing_after_the_lock_carries_on_from_the_end_of_the_childs_name(
    qtbot: QtBot, unlocked: MainWindow
) -> None:
    form = unlocked.new_escalation()
    assert form is not None
    form.resize(1366, 768)
    qtbot.waitExposed(form)
    qtbot.waitUntil(form.isActiveWindow)
    form.new_child.click()
    qtbot.mouseClick(form.child_name, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.child_name)
    try:
        qtbot.keyClicks(form.child_name, "Sam Test")
        _lock_and_unlock(qtbot, unlocked, form.child_name)
        assert form.child_name.selectedText() == ""
        qtbot.keyClicks(form.child_name, "Y")
        assert form.child_name.text() == "Sam TestY"
    finally:
        form.discard()  # never a question at teardown


def test_the_cursor_and_a_selection_come_back_where_they_were(
    qtbot: QtBot, unlocked: MainWindow
) -> None:
    builder = unlocked.open_policy_builder("", False)
    assert isinstance(builder, PolicyBuilder)
    builder.resize(1366, 768)
    qtbot.waitExposed(builder)
    qtbot.waitUntil(builder.isActiveWindow)
    try:
        _type_over_the_lock(qtbot, unlocked)
    finally:
        builder.dirty = False  # never a question at teardown
        builder.close()


def _type_over_the_lock(qtbot: QtBot, unlocked: MainWindow) -> None:
    name = QApplication.focusWidget()
    assert isinstance(name, QLineEdit)  # the partnership's name, its first field
    qtbot.keyClicks(name, "Testshire Partnership")
    for _ in range(len(" Partnership")):
        qtbot.keyClick(name, Qt.Key.Key_Left)
    _lock_and_unlock(qtbot, unlocked, name)
    qtbot.keyClicks(name, " Children's")  # in the middle, where the cursor was
    assert name.text() == "Testshire Children's Partnership"
    for _ in range(len("Children's")):  # a selection made backwards, kept as it was
        qtbot.keyClick(name, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    _lock_and_unlock(qtbot, unlocked, name)
    assert name.selectedText() == "Children's"
    qtbot.keyClicks(name, "Safeguarding")
    assert name.text() == "Testshire Safeguarding Partnership"
