"""Change the passphrase: the current one first (someone at an unlocked screen cannot
lock the DSL out), then the new one twice with the strength hint."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ui.operations import run_op
from ui.plain_text import plain
from ui.widgets.common import field_value, paragraph
from ui.widgets.first_run import LOST_PASSPHRASE_WARNING
from ui.widgets.passphrase_fields import secret_field, strength_hint

ChangePassphrase = Callable[[str, str, str], None]  # current, new, repeat


class ChangePassphraseDialog(QDialog):
    def __init__(self, change: ChangePassphrase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._change = change
        self.setWindowTitle("Change passphrase")
        self.setObjectName("change-passphrase")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.current = secret_field("Current passphrase")
        self.new = secret_field("New passphrase")
        self.repeat = secret_field("New passphrase again")
        self.strength = strength_hint(self.new)
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
