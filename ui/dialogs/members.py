"""File → Safeguarding team (issue 23): the members who sign in to this file and their
roles. A DSL adds a member, removes one, rotates the key and makes a new recovery key;
anyone else sees the list, with the reason they cannot change it (the service's words,
``ui.team_openers``). The questions before a change are functions, so tests answer
them without a nested event loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.team.member import Member, Role, removal_refusal
from ui.errors import show_message
from ui.plain_text import plain
from ui.widgets.common import heading, named, paragraph
from ui.widgets.sizing import fit_to_screen


class Team(Protocol):
    """What the dialog asks of the open file (``ui.team_openers.TeamOpeners``)."""

    def members(self) -> list[Member]: ...
    def signed_in(self) -> Member | None: ...
    def refusal(self) -> str: ...
    def add(self, name: str, role: Role, passphrase: str, repeat: str) -> Member: ...
    def remove(self, name: str, done: Callable[[], object]) -> bool: ...
    def rotate(self, done: Callable[[], object]) -> bool: ...
    def new_recovery_key(self, parent: QWidget) -> bool: ...


def remove_question(name: str) -> str:
    return (
        f"Remove {name} from the safeguarding team?\n\n"
        f"The file will be re-encrypted under a new key, so {name}'s passphrase will no "
        "longer open it, nor any backup made from now on.\n\n"
        "Copies and backups made before now still open with the old passphrases, "
        f"{name}'s included: delete them or keep them locked away."
    )


ROTATE_QUESTION = (
    "Re-encrypt the file under a new key?\n\n"
    "Do this if you think the file's key may have been seen by someone else. Every member "
    "keeps their own passphrase. Copies and backups made before now still open as they "
    "did."
)

NEW_RECOVERY_QUESTION = (
    "Make a new recovery key?\n\n"
    "The file will be re-encrypted, and the old recovery key will no longer open it: "
    "shred the old sheet once the new key is written down or printed. Copies and backups "
    "made before now still open with the old recovery key."
)


def ask(parent: QWidget, title: str, question: str, yes: str) -> bool:
    """True when the DSL confirms; No is the default (each change re-encrypts)."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.NoButton, parent
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton("&Go back", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.setAccessibleName(title)
    box.exec()
    return box.clickedButton() is go


class MembersDialog(QDialog):
    def __init__(self, team: Team, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._team = team
        self.add_dialog: QDialog | None = None
        self.message: QMessageBox | None = None  # a refusal said before any question
        self.setWindowTitle("Safeguarding team")
        self.setObjectName("safeguarding-team")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("The safeguarding team on this file", 2))
        layout.addWidget(
            paragraph(
                "Each member signs in with their own name and passphrase, and the records "
                "name who did what. A DSL or deputy DSL records and changes; a read-only "
                "member reads and prints. Only a DSL manages the team.",
                "About the team",
            )
        )
        self.table = named(QTableWidget(0, 2), "Members")
        self.table.setHorizontalHeaderLabels(["Member", "Role"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list for the buttons
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        layout.addWidget(self.table, 1)
        self.reason = plain(QLabel())
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName("Why the team cannot be changed here")
        layout.addWidget(self.reason)

        self.add_button = self._button("&Add a member…", "Add a member")
        self.remove_button = self._button("&Remove…", "Remove the chosen member")
        self.rotate_button = self._button("Rotate the &key…", "Re-encrypt under a new key")
        self.recovery_button = self._button("Make a new reco&very key…", "Make a new recovery key")
        self.close_button = self._button("&Close", "Close")
        self.add_button.clicked.connect(self.show_add)
        self.remove_button.clicked.connect(self.remove_chosen)
        self.rotate_button.clicked.connect(self.rotate)
        self.recovery_button.clicked.connect(self.new_recovery_key)
        self.close_button.clicked.connect(self.accept)
        row = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.rotate_button):
            row.addWidget(button)
        row.addWidget(self.recovery_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.refresh()
        self.table.setFocus()
        fit_to_screen(self, 720, 440)

    def _button(self, text: str, name: str) -> QPushButton:
        button = named(QPushButton(text), name)
        button.setAutoDefault(False)
        return button

    def refresh(self) -> None:
        """The list as the key file has it now; what the signed-in member may do."""
        me = self._team.signed_in()
        members = self._team.members()
        self.table.setRowCount(len(members))
        for row, member in enumerate(members):
            name = member.name + (" (you)" if me is not None and member == me else "")
            for column, text in enumerate((name, member.role.label)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, member.name)
                self.table.setItem(row, column, item)
        if members and not self.table.selectedItems():
            self.table.selectRow(0)
        refusal = self._team.refusal()
        self.reason.setText(refusal)
        self.reason.setVisible(bool(refusal))
        for button in (
            self.add_button,
            self.remove_button,
            self.rotate_button,
            self.recovery_button,
        ):
            button.setEnabled(not refusal)
            button.setToolTip(refusal)

    def chosen(self) -> str:
        items = self.table.selectedItems()
        return str(items[0].data(Qt.ItemDataRole.UserRole)) if items else ""

    def show_add(self) -> QDialog:
        from ui.dialogs.add_member import AddMemberDialog

        dialog = AddMemberDialog(self._team.add, self)
        dialog.accepted.connect(self.refresh)
        self.add_dialog = dialog
        dialog.open()
        return dialog

    def remove_chosen(self) -> None:
        name = self.chosen()
        if not name:
            return
        refusal = removal_refusal(self._team.members(), name)
        if refusal:  # said before the question, not after the DSL has agreed to it
            self.message = show_message(self, "Remove a member", refusal)
            return
        if ask(self, "Remove a member", remove_question(name), "&Remove and re-encrypt"):
            self._team.remove(name, self.refresh)

    def rotate(self) -> None:
        if ask(self, "Rotate the key", ROTATE_QUESTION, "&Re-encrypt"):
            self._team.rotate(self.refresh)

    def new_recovery_key(self) -> None:
        if ask(self, "New recovery key", NEW_RECOVERY_QUESTION, "&Make a new recovery key"):
            self._team.new_recovery_key(self)
