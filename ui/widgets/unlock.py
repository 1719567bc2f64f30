"""The unlock view: nothing from the file is shown until the passphrase opens it.

A team's file (issue 23) asks which member is unlocking, chosen first as the member
who last unlocked on this computer, when it has more than one; the member's name comes
with the passphrase (``unlock_requested``), and "Forgotten your passphrase?" opens the
recovery (``ui.dialogs.recover_access``). A file from before teams shows no member.

A wrong passphrase shows a message while the field keeps the focus (its text selected, so
typing replaces it). After repeated failures the Unlock button waits a few seconds
(``app.storage.unlock_attempts``): it slows guessing but never locks the DSL out.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.english_plurals import count
from ui import wheel_focus
from ui.plain_text import plain
from ui.widgets.common import field_value, heading, named, paragraph, set_enum

if TYPE_CHECKING:
    from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent, QWheelEvent


class MemberChoice(QComboBox):
    """The member drop-down, changed by the wheel only once the person went to it
    (``ui.wheel_focus``): the application's wheel filter (``ui.form_scrolling``), which
    does this for every other drop-down, starts only after unlocking (start-up time).
    Without this, the pointer passing over the page with the wheel turning chose another
    member, and the passphrase then counted against them. Taken by click and Tab only:
    Qt gives a wheel-focus widget the focus before it delivers the wheel."""

    def __init__(self) -> None:
        super().__init__()
        set_enum(self, "focusPolicy", "StrongFocus")  # not Qt's namespace: see set_enum

    def focusInEvent(self, event: QFocusEvent) -> None:
        wheel_focus.note(self, event)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        wheel_focus.note(self, event)
        super().focusOutEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        wheel_focus.note(self, event)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        wheel_focus.note(self, event)
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if wheel_focus.takes_wheel(self):
            super().wheelEvent(event)
        else:
            event.ignore()  # on to the page, which has nothing to scroll


class UnlockPage(QWidget):
    unlock_requested = Signal(str)
    other_file_requested = Signal()
    recover_requested = Signal()
    new_file_requested = Signal()

    # Tests shorten the wait; people get real seconds.
    ms_per_second = 1000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._seconds_left = 0
        self._last_failure = ""
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._count_down)

        outer = QHBoxLayout(self)
        outer.addStretch(1)
        column = QWidget()
        column.setMaximumWidth(self.fontMetrics().averageCharWidth() * 70)
        layout = QVBoxLayout(column)
        outer.addWidget(column, 3)
        outer.addStretch(1)

        layout.addStretch(1)
        layout.addWidget(heading("Escalation Tracker is locked"))
        layout.addWidget(
            paragraph(
                "Enter your passphrase to open your records. The screen locks itself "
                "when the computer is left, and Ctrl+L hides it at once."
            )
        )
        # Shown while windows are kept through the lock (ui/lock_keeper.py).
        self.kept_note = paragraph(
            "What you had open comes back as you left it when you unlock, including "
            "anything not yet saved. If you close Escalation Tracker, open a different "
            "file, or another member unlocks instead, anything not saved is lost."
        )
        self.kept_note.setAccessibleName("What you had open")
        self.kept_note.setVisible(False)
        layout.addWidget(self.kept_note)
        self.file_label = plain(QLabel())
        self.file_label.setWordWrap(True)
        self.file_label.setAccessibleName("Data file")
        set_enum(self.file_label, "textInteractionFlags", "TextSelectableByMouse")
        layout.addWidget(self.file_label)

        # Created before the passphrase, so Tab goes member, passphrase, Unlock.
        self.member_row = QWidget()
        member_layout = QHBoxLayout(self.member_row)
        member_layout.setContentsMargins(0, 0, 0, 0)
        member_prompt = QLabel("&Member:")
        self.member = named(MemberChoice(), "Member", "Which member of the team you are")
        member_prompt.setBuddy(self.member)
        member_layout.addWidget(member_prompt)
        member_layout.addWidget(self.member, 1)
        self.member_row.setVisible(False)
        layout.addWidget(self.member_row)

        row = QHBoxLayout()
        prompt = QLabel("&Passphrase:")
        self.passphrase = named(QLineEdit(), "Passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        prompt.setBuddy(self.passphrase)
        self.unlock_button = named(QPushButton("&Unlock"), "Unlock")
        self.unlock_button.setDefault(True)
        row.addWidget(prompt)
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.unlock_button)
        layout.addLayout(row)

        self.message = plain(QLabel())
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Unlock message")
        font = self.message.font()
        font.setBold(True)
        self.message.setFont(font)
        layout.addWidget(self.message)

        links = QHBoxLayout()
        self.forgotten = named(
            QPushButton("F&orgotten your passphrase?"),
            "Forgotten your passphrase?",
            "Use the recovery key from the school safe to set a new passphrase.",
        )
        self.forgotten.setVisible(False)
        self.other_file = named(
            QPushButton("Open a &different file…"), "Open a different data file"
        )
        self.new_file = named(QPushButton("Set up a &new file…"), "Set up a new data file")
        for button in (self.forgotten, self.other_file, self.new_file):
            button.setAutoDefault(True)  # Enter on it does what it says, as Space does
        # "Forgotten your passphrase?" under the passphrase, on a row of its own: three
        # buttons on one row of the 70-character column cut their words short.
        recovery = QHBoxLayout()
        recovery.addWidget(self.forgotten)
        recovery.addStretch(1)
        layout.addLayout(recovery)
        links.addWidget(self.other_file)
        links.addWidget(self.new_file)
        links.addStretch(1)
        layout.addLayout(links)
        layout.addStretch(2)

        self.passphrase.returnPressed.connect(self._submit)
        self.unlock_button.clicked.connect(self._submit)
        self.forgotten.clicked.connect(self.recover_requested)
        self.other_file.clicked.connect(self.other_file_requested)
        self.new_file.clicked.connect(self.new_file_requested)

    def show_kept(self, kept: bool) -> None:
        """Whether windows open at the lock wait for this unlock."""
        self.kept_note.setVisible(kept)

    def set_file(self, path: Path) -> None:
        self.file_label.setText(f"File: {path.name}\nIn: {path.parent}")

    def set_members(self, names: list[str], remembered: str, team: bool) -> None:
        """The file's members (``team``: it has a key file). More than one: a choice,
        ``remembered`` first if it is one of them, else none until one is chosen (a
        passphrase tried under the wrong name would count against that member). One
        member, or a file from before teams: no choice shown."""
        self.member.clear()
        chosen = remembered in names
        if len(names) > 1:
            if not chosen:
                self.member.addItem("Choose your name…", "")
            for name in names:
                self.member.addItem(name, name)
            if chosen:
                self.member.setCurrentIndex(self.member.findData(remembered))
        self.member_row.setVisible(len(names) > 1)
        self.forgotten.setVisible(team)

    def chosen_member(self) -> str | None:
        """The member chosen; None when no choice is shown (the file's only member, or
        a file from before teams); "" when one must still be chosen."""
        if not self.member_row.isVisibleTo(self):
            return None
        return str(self.member.currentData() or "")

    def first_field(self) -> QWidget:
        """Where typing starts: the member, while none is chosen, else the passphrase."""
        return self.member if self.chosen_member() == "" else self.passphrase

    @property
    def waiting(self) -> bool:
        return self._seconds_left > 0

    def reset(self) -> None:
        """Ready for the next unlock: empty field, no message (the wait, if any, runs on)."""
        self.passphrase.clear()
        if not self.waiting:
            self._set_message("")
        self.first_field().setFocus()  # OtherFocusReason, unnamed: see common.set_enum

    def _submit(self) -> None:
        if self.waiting:
            return
        passphrase = field_value(self.passphrase)
        if self.chosen_member() == "":
            self._set_message("Choose your name, then type your passphrase.")
            self.member.setFocus()
            return
        if not passphrase:
            self._set_message("Type your passphrase, then press Enter.")
            return
        self.unlock_requested.emit(passphrase)

    def failed(self, message: str, wait_seconds: int) -> None:
        """Wrong passphrase: say so, keep the focus, and wait before the next try."""
        self._keep_focus()
        if wait_seconds > 0:
            self._seconds_left = wait_seconds
            self.unlock_button.setEnabled(False)
            self._tick.start(self.ms_per_second)
            self._show_wait(message)
        else:
            self._set_message(message)

    def show_error(self, message: str) -> None:
        """Something other than the passphrase (file in use, damaged, missing)."""
        self._set_message(message)
        self._keep_focus()

    def _keep_focus(self) -> None:
        self.passphrase.setFocus()  # OtherFocusReason, unnamed: see common.set_enum
        self.passphrase.selectAll()

    def _show_wait(self, message: str) -> None:
        self._last_failure = message
        self._set_message(f"{message} You can try again in {count(self._seconds_left, 'second')}.")

    def _count_down(self) -> None:
        self._seconds_left -= 1
        if self._seconds_left > 0:
            self._show_wait(self._last_failure)
            return
        self._tick.stop()
        self.unlock_button.setEnabled(True)
        self._set_message(f"{self._last_failure} You can try again now.")

    def _set_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        # Screen readers announce the description when the field has focus.
        self.passphrase.setAccessibleDescription(text)
