"""Back up and restore the data file, off the GUI thread with a progress dialog.

A backup reads the open file on a worker thread. Locking meanwhile forgets the file at
once (nothing is shown), but closes it only when the backup has finished with it; until
then the window does not unlock again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QDialog, QWidget

from app.errors import KnownError
from ui import jobs
from ui.errors import show_known_error, show_notice
from ui.operations import Progress, run_op

if TYPE_CHECKING:
    from app.session import Session
    from app.storage.database import Database
    from ui.local_settings import LocalSettings


class Host(Protocol):
    """What back up and restore need of the main window (a ``QWidget`` too, to parent
    their dialogs)."""

    session: Session
    settings_dialog: QWidget | None

    def lock(self, keep_windows: bool = True) -> None: ...
    def show_locked(self) -> None: ...
    def show_backup_reminder(self) -> None: ...


class BackupRestore:
    def __init__(self, window: Host, local: LocalSettings) -> None:
        self._window = window
        self._local = local
        self._to_close_after_jobs: list[Database] = []

    def busy(self) -> bool:
        """A backup or restore is running, or a file it read is still to be closed."""
        return jobs.busy() or bool(self._to_close_after_jobs)

    def close(self, db: Database) -> None:
        """Close a file the window has let go of, once no backup is reading it."""
        if jobs.busy():
            self._to_close_after_jobs.append(db)
        else:
            db.close()

    def release_after_jobs(self) -> None:
        if jobs.busy():
            return
        for db in self._to_close_after_jobs:
            db.close()
        self._to_close_after_jobs.clear()

    def back_up(self, destination: Path | None = None) -> bool:
        """Start a backup; returns False if none was started."""
        window = self._window
        db = window.session.database
        if db is None or jobs.busy():
            return False
        from app.services import security

        if destination is None:
            from PySide6.QtWidgets import QFileDialog

            suggested = Path.home() / security.default_backup_name()
            chosen, _ = QFileDialog.getSaveFileName(
                window.settings_dialog or window,
                "Back up to",
                str(suggested),
                "Escalation Tracker files (*.etdb)",
            )
            if not chosen or window.session.database is not db:
                return False
            destination = Path(chosen)
        actor = window.session.actor
        target = destination

        def done(made: security.BackupMade) -> None:
            window.show_backup_reminder()  # gone, now there is a fresh backup
            show_notice(
                window,
                "Backed up",
                f"Backed up to {made.path}. The copy is encrypted and opens with the same "
                "passphrase. Keep it somewhere safe, away from this computer.\n\n"
                f"{made.seal.printed}: the backup's seal, recorded in the file.",
            )

        return run_op(
            window,
            lambda: security.back_up_sealed(db, target, actor=actor),
            done,
            on_finished=self.release_after_jobs,
            progress=Progress(
                "Backing up", "Making an encrypted copy of the file and checking it…"
            ),
        )

    def restore(self, backup: Path | None = None, passphrase: str | None = None) -> bool:
        """Replace the data file with a backup; returns False if nothing was started."""
        window = self._window
        if window.session.database is None:
            return False
        if jobs.busy():
            show_known_error(window, KnownError("Wait for the backup to finish, then restore."))
            return False
        from app.services import security
        from ui.dialogs.restore import RestoreDialog

        target = self._local.data_file
        if backup is None or passphrase is None:
            dialog = RestoreDialog(target, window.settings_dialog or window)
            if dialog.exec() != QDialog.DialogCode.Accepted or window.session.database is None:
                return False
            backup, passphrase = dialog.backup_path(), dialog.backup_passphrase()
        actor = window.session.actor
        # The file must be closed before it is replaced; what was open is not kept, as
        # the escalations and settings it shows may not be in the backup.
        window.lock(keep_windows=False)
        source, secret = backup, passphrase
        memory = window.unlocking.seal_memory

        def done(kept: Path) -> None:
            show_notice(
                window,
                "Restored",
                f"The backup has been restored. The file it replaced is kept as {kept}. "
                "Unlock with the backup's passphrase.",
            )

        return run_op(
            window,
            lambda: security.restore(source, secret, target, actor=actor, memory=memory),
            done,
            on_finished=window.show_locked,
            progress=Progress("Restoring", "Checking the backup and restoring it…"),
        )
