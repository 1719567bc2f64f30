"""The Qt binding keeps Python's reference count of None: PySide6 6.12.0 on Python 3.11
dropped one on every call that returns nothing, so a long session (or a test typing
key by key) ended in "Fatal Python error: deallocating None" (pyproject.toml pins it)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot


def test_calls_that_return_nothing_keep_none_alive(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(1_000):
        label.setText("x")
        QApplication.processEvents()
    assert sys.getrefcount(None) > before - 100
