"""Change the passphrase: the current one first (someone at an unlocked screen cannot
lock the DSL out), then the new one twice with the strength hint."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.security import passphrase_strength
from ui.operations import run_op
from ui.plain_text import plain
from ui.widgets.common import field_value, named, paragraph
from ui.widgets.first_run import LOST_PASSPHRASE_WARNING

ChangePassphrase = Callable[[str, str, str], None]  # current, new, repeat


class ChangePassphraseDialog(QDialog):
    def __init__(self, change: ChangePassphrase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._change = change
        self.setWindowTitle("Change passphrase")
        self.setObjectName("change-passphrase")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.current = self._secret("Current passphrase")
        self.new = self._secret("New passphrase")
        self.repeat = self._secret("New passphrase again")
        self.strength = plain(QLabel())
        self.strength.setWordWrap(True)
        self.strength.setAccessibleName("Passphrase strength")
        form.addRow("&Current passphrase:", self.current)
        form.addRow("&New passphrase:", self.new)
        form.addRow("New passphrase &again:", self.repeat)
        form.addRow("", self.strength)
        layout.addLayout(form)
        layout.addWidget(paragraph(LOST_PASSPHRASE_WARNING, "Warning about losing it"))
        self.message = plain(QLabel())
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.setVisible(False)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setAccessibleName("Change or cancel")
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Change passphrase")
        self.ok_button.setAccessibleName("Change passphrase")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.new.textChanged.connect(self._update_strength)
        self._update_strength()

    def _secret(self, name: str) -> QLineEdit:
        edit = named(QLineEdit(), name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def _update_strength(self) -> None:
        strength = passphrase_strength(field_value(self.new))
        self.strength.setText(f"Strength: {strength.label}. {strength.hint}")

    def _accept(self) -> None:
        typed = field_value(self.current), field_value(self.new), field_value(self.repeat)
        # A refusal is said beside the buttons, and the dialog stays open.
        run_op(
            self,
            lambda: self._change(*typed),
            lambda _changed: self.accept(),
            on_failure=self._show_message,
        )

    def _show_message(self, exc: Exception) -> None:
        self.message.setText(str(exc))
        self.message.setVisible(True)
