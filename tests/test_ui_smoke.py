"""The desktop entry point builds its window from the shipped policies."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.policy import default_library
from ui.main import MainWindow


def test_main_window_lists_policies(qtbot: QtBot) -> None:
    window = MainWindow(default_library())
    qtbot.addWidget(window)
    window.show()
    shown = " ".join(label.text() for label in window.findChildren(QLabel))
    assert "North Yorkshire" in shown and "Suffolk" in shown
