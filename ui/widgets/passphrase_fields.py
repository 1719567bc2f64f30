"""What every window that sets a passphrase shares (first run, change passphrase, add a
member, recover access): the hidden field, and the strength hint that follows the new
passphrase as it is typed, rated by ``app.services.security.passphrase_strength`` (the
same rule that refuses a weak one). One place, so each window rates and words it alike."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit

from app.services.security import passphrase_strength
from ui.plain_text import plain
from ui.widgets.common import field_value, named


def secret_field(name: str) -> QLineEdit:
    """A one-line field that shows dots for what is typed; ``name`` for screen readers."""
    edit = named(QLineEdit(), name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def strength_hint(following: QLineEdit) -> QLabel:
    """The "Strength: …" line under the fields, kept up to date as ``following`` changes."""
    label = plain(QLabel())
    label.setWordWrap(True)
    label.setAccessibleName("Passphrase strength")

    def update() -> None:
        strength = passphrase_strength(field_value(following))
        label.setText(f"Strength: {strength.label}. {strength.hint}")

    following.textChanged.connect(update)
    update()
    return label
