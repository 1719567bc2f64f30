"""The reminder above the dashboard when the last backup is older than the DSL chose
(the words and the rule: ``app.domain.backup_schedule``), with a button to back up."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.widgets.common import named, warning_icon


class BackupNotice(QFrame):
    back_up_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backup-notice")
        self.setAccessibleName("Backup reminder")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # A pale amber, as a note rather than an alarm: the deadlines come first.
        self.setStyleSheet(
            "#backup-notice { background: #fff4d6; border: 1px solid #d9a400; border-radius: 4px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        icon = QLabel()
        size = self.fontMetrics().height()
        icon.setPixmap(warning_icon().pixmap(QSize(size, size)))
        icon.setAccessibleName("Warning")
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Backup reminder text")
        self.button = named(QPushButton("&Back up now…"), "Back up now")
        self.button.clicked.connect(self.back_up_requested)
        layout.addWidget(icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.setVisible(False)

    def show_reminder(self, text: str | None) -> None:
        self.text.setText(text or "")
        self.setVisible(bool(text))
