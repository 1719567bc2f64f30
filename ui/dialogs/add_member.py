"""Add a member to the safeguarding team (issue 23): their name, their role, and their
own passphrase typed twice with the strength hint, as every new passphrase is. The
member types it themselves when they can; the service refuses a name already taken,
a weak passphrase, or a member who is not a DSL adding one."""

from __future__ import annotations

from collections.abc import Callable

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

from app.team.member import Member, Role
from ui.operations import run_op
from ui.plain_text import plain
from ui.widgets.common import field_value, named, paragraph
from ui.widgets.passphrase_fields import secret_field, strength_hint
from ui.widgets.sizing import fit_to_screen

Add = Callable[[str, Role, str, str], Member]  # name, role, passphrase, repeat

ROLE_HINTS = {
    Role.DSL: "records and changes, and manages the team",
    Role.DEPUTY: "records and changes, as the DSL does",
    Role.READ_ONLY: "reads and prints, changes nothing (a headteacher, a governor)",
}


class AddMemberDialog(QDialog):
    def __init__(self, add: Add, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._add = add
        self.added: Member | None = None
        self.setWindowTitle("Add a member")
        self.setObjectName("add-member")
        layout = QVBoxLayout(self)
        layout.addWidget(
            paragraph(
                "The new member signs in with this name and their own passphrase. Let them "
                "type the passphrase themselves if they are here; nobody else needs to "
                "know it.",
                "About adding a member",
            )
        )
        form = QFormLayout()
        self.name = named(QLineEdit(), "Member's name")
        self.name.setPlaceholderText("e.g. Mr Ben Hughes")
        self.role = named(QComboBox(), "Role")
        for role in (Role.DEPUTY, Role.DSL, Role.READ_ONLY):
            self.role.addItem(f"{role.label}: {ROLE_HINTS[role]}", role)
        self.passphrase = secret_field("Their passphrase")
        self.repeat = secret_field("Their passphrase again")
        self.strength = strength_hint(self.passphrase)
        form.addRow("&Name:", self.name)
        form.addRow("&Role:", self.role)
        form.addRow("Their &passphrase:", self.passphrase)
        form.addRow("Passphrase &again:", self.repeat)
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
        self.ok_button.setText("Add the member")
        self.ok_button.setAccessibleName("Add the member")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.finished.connect(lambda _result: self._forget())
        self.name.setFocus()
        fit_to_screen(self, 620, 340)

    def _accept(self) -> None:
        name, role = field_value(self.name), Role(self.role.currentData())
        passphrase, repeat = field_value(self.passphrase), field_value(self.repeat)
        run_op(
            self,
            lambda: self._add(name, role, passphrase, repeat),
            self._done,
            on_failure=self._show_message,
        )

    def _done(self, member: Member) -> None:
        self.added = member
        self.accept()

    def _show_message(self, exc: Exception) -> None:
        self.message.setText(str(exc))
        self.message.setVisible(True)

    def _forget(self) -> None:
        self.passphrase.clear()
        self.repeat.clear()
