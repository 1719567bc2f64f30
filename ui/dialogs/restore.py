"""Restore from a backup: which backup, its passphrase, and a plain statement of what
happens to the current file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.plain_text import plain
from ui.widgets.common import field_value, named, paragraph


class RestoreDialog(QDialog):
    def __init__(self, target: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.setObjectName("restore")
        layout = QVBoxLayout(self)
        kept = f"{target.stem}.before-restore{target.suffix}"
        layout.addWidget(
            paragraph(
                f"The records in {target.name} will be replaced by the backup's. The current "
                f"file is kept, still encrypted, as {kept} in the same folder. The screen "
                "locks while the backup is checked and copied; afterwards, unlock with the "
                "backup's passphrase.",
                "What restoring does",
            )
        )
        form = QFormLayout()
        row = QHBoxLayout()
        self.backup = named(QLineEdit(), "Backup file")
        browse = named(QPushButton("B&rowse…"), "Choose the backup file")
        browse.clicked.connect(self._browse)
        row.addWidget(self.backup, 1)
        row.addWidget(browse)
        caption = QLabel("&Backup file:")
        caption.setBuddy(self.backup)  # Alt+B types the path; Browse… is beside it
        form.addRow(caption, row)
        self.passphrase = named(QLineEdit(), "The backup's passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("The backup's &passphrase:", self.passphrase)
        layout.addLayout(form)
        self.message = plain(QLabel())
        self.message.setAccessibleName("Message")
        self.message.setVisible(False)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setAccessibleName("Restore or cancel")
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Restore")
        ok.setAccessibleName("Restore")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def backup_path(self) -> Path:
        return Path(field_value(self.backup).strip())

    def backup_passphrase(self) -> str:
        return field_value(self.passphrase)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Choose the backup", "", "Escalation Tracker files (*.etdb);;All files (*)"
        )
        if chosen:
            self.backup.setText(chosen)

    def _accept(self) -> None:
        if not field_value(self.backup).strip() or not self.backup_passphrase():
            self.message.setText("Choose the backup file and type its passphrase.")
            self.message.setVisible(True)
            return
        self.accept()
