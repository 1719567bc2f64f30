"""The question a form asks before closing with changes not saved."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ui.widgets.form_dialog import ask_discard


def test_the_question_before_closing_speaks_of_changes(qtbot: QtBot) -> None:
    """A policy chosen and nothing typed asked "Close it and lose what you typed?"."""
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[tuple[str, str]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append((box.windowTitle(), box.text()))
        next(b for b in box.buttons() if b.text() == "&Keep editing").click()

    QTimer.singleShot(0, answer)
    assert ask_discard(parent) is False
    assert seen == [
        ("Discard your changes?", "This form has not been saved. Close it and lose your changes?")
    ]
