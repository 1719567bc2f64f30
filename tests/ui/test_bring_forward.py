"""The window comes forward when a second copy asks (ui/bring_forward.py): the message
arrives on the listener's thread and is carried to the window's; the window is shown,
un-minimised, raised and activated, at its unlock page when locked, with nothing typed
there lost."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.single_instance import SHOW, InstanceListener, start_or_hand_over
from ui.bring_forward import BringForward
from ui.main_window import MainWindow


@pytest.fixture
def listener(instance_folders: tuple[Path, Path]) -> Iterator[InstanceListener]:
    start = start_or_hand_over()
    assert start.listener is not None
    yield start.listener
    start.listener.close()


class Spy(BringForward):
    """Notes the thread each request is handled on."""

    def __init__(self, window: MainWindow, listener: InstanceListener) -> None:
        self.threads: list[threading.Thread] = []
        super().__init__(window, listener)

    def bring_forward(self, message: str) -> None:
        self.threads.append(threading.current_thread())
        super().bring_forward(message)


def _minimised(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1366, 768)
    window.showMinimized()
    qtbot.waitUntil(lambda: window.isMinimized())


def _second_copy() -> None:
    assert start_or_hand_over().handed_over


def test_a_locked_window_comes_forward_at_its_unlock_page(
    qtbot: QtBot, window: MainWindow, listener: InstanceListener, tmp_path: Path
) -> None:
    forward = Spy(window, listener)
    qtbot.keyClicks(window.unlock_page.passphrase, "half-typ")  # not cleared by it
    _minimised(qtbot, window)
    _second_copy()
    qtbot.waitUntil(lambda: forward.shown == 1)
    assert forward.threads == [threading.main_thread()]  # queued to the window's thread
    assert not window.isMinimized()
    assert window.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert window.stack.currentWidget() is window.unlock_page
    assert window.unlock_page.passphrase.hasFocus()
    assert window.unlock_page.passphrase.text() == "half-typ"
    window.grab().save(str(tmp_path / "brought-forward.png"))


def test_an_unlocked_window_comes_forward_as_it_was(
    qtbot: QtBot, unlocked: MainWindow, listener: InstanceListener
) -> None:
    forward = BringForward(unlocked, listener)
    unlocked.show_tab(1)
    _minimised(qtbot, unlocked)
    _second_copy()
    qtbot.waitUntil(lambda: forward.shown == 1)
    assert not unlocked.isMinimized()
    assert unlocked.is_unlocked
    assert unlocked.workspace.tabs.currentIndex() == 1
    assert unlocked.windowState() & Qt.WindowState.WindowMinimized == Qt.WindowState.WindowNoState


def test_a_message_it_does_not_know_changes_nothing(qtbot: QtBot, window: MainWindow) -> None:
    forward = BringForward(window, None)
    _minimised(qtbot, window)
    forward.asked.emit("something else")  # from this thread: handled at once
    assert forward.shown == 0
    assert window.isMinimized()
    forward.asked.emit(SHOW)
    assert forward.shown == 1
    qtbot.waitUntil(lambda: not window.isMinimized())
