"""Knowing when a field has been edited, whatever kind of field it is, so that the
message beside it can be checked again (``FormDialog``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)


def on_edit(field: QWidget, react: Callable[[], None]) -> None:
    """Call ``react`` after any change to ``field`` or the controls inside it (a date's
    text or its "not known" tick, a Yes/No, a table of parties), typed or set."""

    def changed(*_args: object) -> None:
        react()

    for widget in [field, *field.findChildren(QWidget)]:
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.textChanged.connect(changed)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(changed)
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            widget.toggled.connect(changed)
        elif isinstance(widget, QTableWidget):
            widget.itemChanged.connect(changed)
            widget.model().rowsInserted.connect(changed)
            widget.model().rowsRemoved.connect(changed)
