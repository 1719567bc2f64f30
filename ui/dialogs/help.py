"""The Help menu's user guide and About: read from files the app ships
(``app.about``), shown offline. Neither holds child data, so both work while locked.

The guide is Markdown with raw HTML switched off and links not followed: it is shown as
text and formatting, and nothing in it can reach a network or another file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.about import app_version, licences, user_guide
from ui.widgets.common import heading, named
from ui.widgets.form_dialog import fit_to_screen

_MARKDOWN = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value
    | QTextDocument.MarkdownFeature.MarkdownNoHTML.value
)


def data_file_label(data_file: Path) -> QLabel:
    """Where the data file is, as text to read or copy (a path is never markup)."""
    label = QLabel(f"Your data file: {data_file}")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName("Where your data file is")
    label.setAccessibleDescription(str(data_file))
    return label


def _close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = named(QDialogButtonBox(QDialogButtonBox.StandardButton.Close), "Close")
    buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
    buttons.rejected.connect(dialog.reject)
    return buttons


class UserGuideDialog(QDialog):
    def __init__(self, data_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("User guide")
        self.setObjectName("user-guide")
        layout = QVBoxLayout(self)
        self.guide = named(QTextBrowser(), "User guide")
        self.guide.setOpenLinks(False)
        self.guide.setOpenExternalLinks(False)
        self.guide.document().setMarkdown(user_guide(), _MARKDOWN)
        # Setting the document leaves the cursor at its end, which the browser scrolls to.
        self.guide.moveCursor(QTextCursor.MoveOperation.Start)
        layout.addWidget(self.guide, 1)
        self.data_file = data_file_label(data_file)
        layout.addWidget(self.data_file)
        layout.addWidget(_close_buttons(self))
        fit_to_screen(self, 760, 700)


class AboutDialog(QDialog):
    def __init__(self, data_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Escalation Tracker")
        self.setObjectName("about")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Escalation Tracker"))
        self.version = QLabel(f"Version {app_version()}")
        self.version.setAccessibleName("Version")
        layout.addWidget(self.version)
        purpose = QLabel(
            "Keeps the deadlines and records of professional disagreements about a "
            "child's safety, escalated under your Safeguarding Children Partnership's "
            "policy. Records are kept in one encrypted file on this computer; the app "
            "never uses the internet."
        )
        purpose.setWordWrap(True)
        layout.addWidget(purpose)
        self.data_file = data_file_label(data_file)
        layout.addWidget(self.data_file)
        layout.addWidget(QLabel("Licences of the fonts and libraries it is built on:"))
        self.licences = named(QPlainTextEdit(licences()), "Licences")
        self.licences.setReadOnly(True)
        layout.addWidget(self.licences, 1)
        layout.addWidget(_close_buttons(self))
        fit_to_screen(self, 640, 560)
