"""The safeguarding team's window side (issue 23): File → Safeguarding team opens the
members dialog (``ui.dialogs.members``), and what it asks for is done here through
``app.services.team`` on the open file. Who may manage the team is the service's rule
(``app.team.member.require_manage_members``); the dialog only shows its words.

Removing a member, rotating the key and a new recovery key re-encrypt the whole file
(a rekey), so they run off the window's thread with a progress window (``run_op``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, cast

from app.errors import KnownError
from app.team.member import Member, NotAllowedError, Role, require_manage_members
from ui import jobs
from ui.operations import Progress, run_op

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.session import Session
    from app.storage.database import Database
    from ui.dialogs.members import MembersDialog
    from ui.dialogs.recovery_key import RecoveryKeyDialog

LOCKED = "The screen was locked, so the team was not changed."
REKEYING = Progress(
    "Re-encrypting the file",
    "Re-encrypting the file under a new key. This takes a moment; do not turn the computer off.",
)


class _ShowsRecoveryKey(Protocol):
    def show_recovery_key(self, key: str, parent: QWidget | None = None) -> RecoveryKeyDialog: ...


class Host(Protocol):
    """What the team's dialogs need of the main window (a ``QWidget`` too)."""

    session: Session
    unlocking: _ShowsRecoveryKey


class TeamOpeners:
    def __init__(self, window: Host) -> None:
        self._window = window
        self.dialog: MembersDialog | None = None

    def _db(self) -> Database:
        return self._window.session.require_open(LOCKED)

    def show_members(self) -> MembersDialog | None:
        if self._window.session.database is None:
            return None
        from ui.dialogs.members import MembersDialog

        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = MembersDialog(self, self._parent())
        self.dialog.open()
        return self.dialog

    def _parent(self) -> QWidget:
        return cast("QWidget", self._window)  # the main window: a QWidget too

    # What the dialog asks ---------------------------------------------------------------

    def members(self) -> list[Member]:
        from app.services import team

        return team.members(self._db().path)

    def signed_in(self) -> Member | None:
        return self._db().member

    def refusal(self) -> str:
        """Why the signed-in member may not manage the team ("" if they may): the
        service's own words."""
        member = self.signed_in()
        if member is None:
            return "This file has no members yet: lock it and unlock it again to add them."
        try:
            require_manage_members(member)
        except NotAllowedError as exc:
            return str(exc)
        return ""

    def add(self, name: str, role: Role, passphrase: str, repeat: str) -> Member:
        """Raises ``KnownError`` (the add dialog shows it and stays open)."""
        from app.services import team

        return team.add_member(self._db(), name, role, passphrase, repeat)

    def remove(self, name: str, done: Callable[[], object]) -> bool:
        from app.services import team

        return self._rekey(lambda db: team.remove_member(db, name), lambda _m: done())

    def rotate(self, done: Callable[[], object]) -> bool:
        from app.services import team

        return self._rekey(team.rotate_key, lambda _none: done())

    def new_recovery_key(self, parent: QWidget) -> bool:
        """A new recovery key (the old one stops working), then shown once."""
        from app.services import team

        def show(key: str) -> None:
            self._window.unlocking.show_recovery_key(key, parent)

        return self._rekey(team.new_recovery_key, show)

    def _rekey(self, work: Callable[[Database], object], done: Callable[..., object]) -> bool:
        parent = self.dialog or self._parent()
        if jobs.busy():
            from ui.errors import show_message

            show_message(
                parent, "Safeguarding team", "Wait for the backup to finish, then try again."
            )
            return False
        try:
            db = self._db()
        except KnownError as exc:
            from ui.errors import show_known_error

            show_known_error(parent, exc)
            return False
        return run_op(parent, lambda: work(db), done, progress=REKEYING)
