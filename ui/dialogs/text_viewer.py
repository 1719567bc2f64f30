"""The whole text of one chronology entry, read-only: the chronology shows the start of
a long one, so a row stays a row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from ui.widgets.common import named
from ui.widgets.sizing import fit_to_screen


class TextViewerDialog(QDialog):
    def __init__(self, title: str, heading: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        caption = named(QLabel(heading), "Entry")
        caption.setTextFormat(Qt.TextFormat.PlainText)  # may quote what was typed
        caption.setWordWrap(True)
        layout.addWidget(caption)
        # Plain text, selectable and copyable, never interpreted as markup.
        self.text = named(QPlainTextEdit(), "The whole text")
        self.text.setReadOnly(True)
        self.text.setPlainText(text)
        self.text.setTabChangesFocus(True)
        layout.addWidget(self.text, 1)
        close = named(QPushButton("&Close"), "Close")
        close.clicked.connect(self.reject)
        close.setDefault(True)
        layout.addWidget(close)
        QShortcut(QKeySequence.StandardKey.Close, self, self.reject)
        fit_to_screen(self, 760, 620)
