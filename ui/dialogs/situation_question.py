"""The question before opening a stop and review for a child not recorded as in the
situation it is for (the rule: ``app.domain.stop_and_review_check``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def situation_question(parent: QWidget | None, child: str, situation: str) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        f"Not recorded as {situation}",
        f"{child} is not recorded as being {situation}. Continue?",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)  # the child's name as typed, never markup
    box.setInformativeText(
        f"This pathway is for a child who is {situation}. Continue if the record is out "
        "of date; otherwise go back and choose another pathway or child."
    )
    go_on = box.addButton("&Continue", QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton("&Go back", QMessageBox.ButtonRole.RejectRole)
    go_on.setAccessibleName("Continue: open the stop and review")
    back.setAccessibleName("Go back to the form")
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.setAccessibleName(box.windowTitle())
    box.setObjectName("situation-question")
    return box


def ask_situation(parent: QWidget | None, child: str, situation: str) -> bool:
    """True when the DSL chooses to go on."""
    box = situation_question(parent, child, situation)
    box.exec()
    clicked = box.clickedButton()
    return clicked is not None and box.buttonRole(clicked) is QMessageBox.ButtonRole.AcceptRole
