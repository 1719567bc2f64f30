"""Backups that happen: the reminder on the dashboard after unlock, and the automatic
backup when the screen locks or the app closes (the rules: ``app.services.backups``).

The automatic backup runs as the "Back up now" one does, on a worker thread with a
progress dialog; the window is already locked, and the file is closed once the backup
has finished with it (``ui.backup_restore``). A failure is one plain message: locking
has happened whatever the outcome. At close, the window closes when the backup is done
(after a failure it stays, so the message can be read, and closes when asked again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QWidget

from ui import jobs
from ui.errors import show_message
from ui.operations import Progress, run_op

if TYPE_CHECKING:
    from app.services.backups import AutomaticBackup
    from app.session import Session
    from app.storage.database import Database
    from ui.backup_restore import BackupRestore
    from ui.local_settings import LocalSettings
    from ui.widgets.workspace import Workspace


class Host(Protocol):
    """What the backups need of the main window (a ``QWidget`` too)."""

    session: Session
    files: BackupRestore

    @property
    def workspace(self) -> Workspace: ...

    def close(self) -> bool: ...
    def back_up(self, destination: object = None) -> bool: ...


class AutoBackups:
    def __init__(self, window: Host, local: LocalSettings) -> None:
        self._window = window
        self._local = local
        self._connected = False
        self.running = False
        self.close_when_done = False
        self.last: AutomaticBackup | None = None  # the last one made (for the tests)

    def _parent(self) -> QWidget:
        assert isinstance(self._window, QWidget)
        return self._window

    def show_reminder(self) -> None:
        """After unlock and at each refresh: the reminder, or none, above the dashboard."""
        db = self._window.session.database
        if db is None:
            return
        from app.services.backups import reminder

        notice = self._window.workspace.backup_notice
        if not self._connected:
            notice.back_up_requested.connect(lambda: self._window.back_up())
            self._connected = True
        days = self._local.backups.remind_after_days
        run_op(self._parent(), lambda: reminder(db, days), notice.show_reminder)

    def at_lock(self, db: Database, actor: str) -> bool:
        """Start the automatic backup of ``db`` (just let go of) if it is turned on;
        True if one was started."""
        choices = self._local.backups
        if not choices.automatic or choices.folder is None or jobs.busy():
            return False
        from app.services.backups import automatic_backup

        folder, keep = choices.folder, choices.keep
        self.running = True
        return run_op(
            self._parent(),
            lambda: automatic_backup(db, folder, keep, actor=actor),
            self._made,
            on_failure=self._failed,
            on_finished=self._finished,
            progress=Progress("Backing up", "Making the automatic backup and checking it…"),
        )

    def _finished(self) -> None:
        self.running = False
        self._window.files.release_after_jobs()

    def _made(self, made: AutomaticBackup) -> None:
        self.last = made
        if self.close_when_done:
            self.close_when_done = False
            self._window.close()

    def _failed(self, exc: Exception) -> None:
        self.close_when_done = False
        show_message(
            self._parent(),
            "Automatic backup not made",
            f"{exc}\n\nThe screen is locked and your records are safe in the data file. "
            "Check the folder in Settings, or back up by hand.",
        )
