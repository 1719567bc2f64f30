"""Recover access (issue 23): a member who has forgotten their passphrase, with the
recovery key from the school safe, sets a new one; the window then unlocks as them.

Opened from the unlock page ("Forgotten your passphrase?") or Help → Recover access,
while the file is locked. The service (``app.services.team.recover``) checks the key,
sets the member's new passphrase and records it in the audit trail; a wrong key costs
the same wait as a wrong passphrase. Nothing typed here is kept once it closes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.english_plurals import count
from app.errors import KnownError
from app.services import team
from app.storage.errors import PassphraseRefusedError, WrongPassphraseError
from ui.dialogs.recovery_key import key_font
from ui.operations import run_op
from ui.plain_text import plain
from ui.widgets.common import field_value, heading, named, paragraph
from ui.widgets.passphrase_fields import secret_field, strength_hint
from ui.widgets.sizing import fit_to_screen


class RecoverAccessDialog(QDialog):
    recovered = Signal(str, str)  # the member's name and their new passphrase

    def __init__(self, path: Path, member: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self.setWindowTitle("Recover access")
        self.setObjectName("recover-access")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Set a new passphrase with the recovery key", 2))
        layout.addWidget(
            paragraph(
                "Type the recovery key from the sheet in the school safe, choose the member "
                "who has forgotten their passphrase, and give them a new one. It is recorded "
                "in the file's audit trail that the recovery key was used.",
                "About recovering access",
            )
        )
        form = QFormLayout()
        self.key = named(QLineEdit(), "Recovery key", "Eight groups of five letters and digits")
        self.key.setFont(key_font(13, bold=False))
        self.key.setPlaceholderText("XXXXX-XXXXX-…")
        self.member = named(QComboBox(), "Member")
        self.new = secret_field("New passphrase")
        self.repeat = secret_field("New passphrase again")
        self.strength = strength_hint(self.new)
        form.addRow("Recovery &key:", self.key)
        form.addRow("&Member:", self.member)
        form.addRow("&New passphrase:", self.new)
        form.addRow("New passphrase &again:", self.repeat)
        form.addRow("", self.strength)
        layout.addLayout(form)
        self.message = plain(QLabel())
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        font = self.message.font()
        font.setBold(True)
        self.message.setFont(font)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        layout.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Set the passphrase and unlock")
        self.ok_button.setAccessibleName("Set the passphrase and unlock")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.finished.connect(lambda _result: self._forget())
        self._fill_members(member)
        self.key.setFocus()
        fit_to_screen(self, 640, 420)

    def _fill_members(self, chosen: str) -> None:
        try:
            names = team.member_names(self._path)
        except KnownError as exc:
            self._show_message(exc)
            names = []
        for name in names:
            self.member.addItem(name, name)
        if chosen in names:
            self.member.setCurrentIndex(self.member.findData(chosen))

    def _accept(self) -> None:
        name = str(self.member.currentData() or "")
        key, new, repeat = field_value(self.key), field_value(self.new), field_value(self.repeat)
        if not name:
            self._show_message(KnownError("Choose the member whose passphrase to set."))
            return
        run_op(
            self,
            lambda: team.recover(self._path, key, name, new, repeat),
            lambda member: self._done(member.name, new),
            on_failure=self._show_message,
        )

    def _done(self, name: str, passphrase: str) -> None:
        self.accept()
        self.recovered.emit(name, passphrase)

    def _show_message(self, exc: Exception) -> None:
        text = str(exc)
        if isinstance(exc, WrongPassphraseError):  # the service's words name a passphrase
            text = "That recovery key does not open this file. Check it against the sheet."
        if isinstance(exc, PassphraseRefusedError) and exc.retry_after > 0:
            text += f" You can try again in {count(exc.retry_after, 'second')}."
        self.message.setText(text)
        self.message.setVisible(True)

    def _forget(self) -> None:
        for edit in (self.key, self.new, self.repeat):
            edit.clear()
