"""Getting from the locked window to the workspace: the first run that creates the
encrypted file, unlocking it, or choosing another file.

A file is opened as one member of its team (``app.services.team.unlock``, issue 23):
the unlock page lists the key file's members, and the member who unlocks is remembered
on this computer (their name only). A file from before teams is upgraded at its unlock
by the service; its new recovery key, like a new file's at first run, is shown once
(``ui.dialogs.recovery_key``). "Forgotten your passphrase?" opens the recovery
(``ui.dialogs.recover_access``), then unlocks as the member it gave a new passphrase.

Unlocking is tuned for start-up (docs/performance.md, "Where start-up time goes"): the
garbage collector is paused until the rest has loaded, the workspace is built while the
passphrase's key is derived on a worker thread, and the window then paints the first
screenful before anything heavy is imported (``ui.workspace_loader``).
"""

from __future__ import annotations

import gc
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QTimer

from app.errors import KnownError
from app.storage.database import Database
from app.storage.errors import PassphraseRefusedError
from ui.errors import show_message
from ui.operations import run_op, wait_cursor

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStackedWidget, QWidget

    from app.services.seal_memory import SealMemory
    from app.services.team import Unlocked
    from app.session import Session
    from ui.dialogs.recover_access import RecoverAccessDialog
    from ui.dialogs.recovery_key import RecoveryKeyDialog
    from ui.idle import IdleWatcher
    from ui.local_settings import LocalSettings
    from ui.lock_keeper import LockKeeper
    from ui.widgets.first_run import FirstRunChoices, FirstRunPage
    from ui.widgets.unlock import UnlockPage
    from ui.widgets.workspace import Workspace


class _Busy(Protocol):
    def busy(self) -> bool: ...


class _FirstPaint(Protocol):
    def first_paint(self) -> None: ...


class Host(Protocol):
    """What unlocking needs of the main window (a ``QWidget`` too, to parent its
    messages): its pages, the session, the idle watcher, whether a backup still runs."""

    session: Session
    stack: QStackedWidget
    unlock_page: UnlockPage
    idle: IdleWatcher
    files: _Busy
    loader: _FirstPaint
    keeper: LockKeeper

    @property
    def first_run(self) -> FirstRunPage: ...
    @property
    def workspace(self) -> Workspace: ...
    @property
    def is_unlocked(self) -> bool: ...

    def build_workspace(self) -> None: ...
    def set_unlocked_ui(self, unlocked: bool) -> None: ...
    def show_locked(self) -> None: ...
    def lock(self, keep_windows: bool = True) -> None: ...


# The history check runs this long after the rest of an unlock has loaded: it reads the
# audit chain through the ORM, which nothing before needs (docs/performance.md).
SEAL_CHECK_AFTER_MS = 1000


class UnlockFlow:
    def __init__(self, window: Host, local: LocalSettings) -> None:
        self._window = window
        self._local = local
        # The last recovery key shown, and the recovery dialog (tests drive them).
        self.recovery_key_dialog: RecoveryKeyDialog | None = None
        self.recover_dialog: RecoverAccessDialog | None = None

    @property
    def seal_memory(self) -> SealMemory:
        """The latest seal of each file, beside the window's settings (not personal
        data). Loaded when first needed: not before the first paint."""
        from app.services.seal_memory import SealMemory

        return SealMemory.beside(self._local.path)

    def create(self, choices: FirstRunChoices) -> None:
        """First run: make the encrypted file with the setting's details, and enter."""
        from app.paths import enable_portable_mode
        from app.services import security

        window = self._window

        def create() -> Unlocked:
            if choices.portable:
                enable_portable_mode()
            # The DSL's name the page asks for is the first member's (role DSL).
            return security.set_up_team_file(
                choices.path,
                choices.passphrase,
                choices.repeat,
                choices.details,
                window.session.library,
            )

        def created(made: Unlocked) -> None:
            self._local.data_file = choices.path
            window.first_run.clear_secrets()
            self._entered(made)
            if choices.reminders:
                self._start_reminders()

        run_op(
            window, create, created, on_failure=lambda exc: window.first_run.show_message(str(exc))
        )

    def _start_reminders(self) -> None:
        """The DSL agreed at first run: the sign-in entry, from the next sign-in on."""
        from app.reminders.choices import ReminderChoices
        from ui.tray.settings import ReminderSettings

        settings = ReminderSettings(self._local.path)
        run_op(self._window, lambda: settings.apply(ReminderChoices(on=True)))

    def show_members(self) -> None:
        """The unlock page's members for the data file (read from its key file, no
        passphrase needed); a key file that cannot be read is named plainly."""
        from app.services import team

        page, path = self._window.unlock_page, self._local.data_file
        try:
            is_team = team.is_team_file(path)
            names = team.member_names(path) if is_team else []
        except KnownError as exc:
            page.set_members([], "", team=False)
            page.show_error(str(exc))
            return
        page.set_members(names, self._local.member, team=is_team)

    def unlock(self, passphrase: str, member: str | None = None) -> None:
        """``member``: who is unlocking (None: as chosen on the unlock page)."""
        window = self._window
        if window.files.busy():
            window.unlock_page.show_error(
                "A backup or restore is still running. Try again in a moment."
            )
            return
        # Unlocking makes tens of thousands of objects and frees almost none, so the
        # collector's passes find nothing and only delay the first paint (see
        # app/preload.py). Paused until the rest loads, just after the paint.
        gc.disable()
        try:
            chosen = member if member is not None else window.unlock_page.chosen_member()
            self._open_and_enter(passphrase, chosen)
        finally:
            if not window.is_unlocked:  # not opened, or entering failed and locked again
                gc.enable()

    def _open_and_enter(self, passphrase: str, member: str | None) -> None:
        waiting = ExitStack()

        def meanwhile() -> None:
            # The wait cursor from when the key is being derived (the file is locked
            # and found by then, which is quick): its shape is in Qt's namespace, which
            # the locked window does without (see set_enum), and this is the first
            # moment unlocking can spend the time making it.
            waiting.enter_context(wait_cursor())
            self._window.build_workspace()

        def open_file() -> Unlocked:
            from app.services import team

            with waiting:
                # A member's key is unwrapped on a worker thread meanwhile.
                return team.unlock(
                    self._local.data_file, member or None, passphrase, meanwhile=meanwhile
                )

        # The wait cursor is set in ``meanwhile``, not before the file is opened.
        run_op(self._window, open_file, self._entered, on_failure=self._refused, cursor=False)

    def _entered(self, unlocked: Unlocked) -> None:
        """Enter, remember who unlocked, and show a new recovery key once."""
        db = unlocked.db
        if db.member is not None:
            self._local.member = db.member.name
        self.enter(db)
        if unlocked.recovery_key is not None:
            self.show_recovery_key(unlocked.recovery_key)

    def show_recovery_key(self, key: str, parent: QWidget | None = None) -> RecoveryKeyDialog:
        """The key, once, over ``parent`` (the window by default)."""
        from ui.dialogs.recovery_key import RecoveryKeyDialog

        window = self._window
        setting = window.session.details.setting_name
        dialog = RecoveryKeyDialog(key, setting, parent or window)
        self.recovery_key_dialog = dialog
        dialog.open()
        return dialog

    def show_recover(self) -> RecoverAccessDialog | None:
        """The unlock page's "Forgotten your passphrase?" (and Help → Recover access):
        the recovery key sets a member's new passphrase, and the file is then unlocked
        as that member."""
        from app.services import team
        from ui.dialogs.recover_access import RecoverAccessDialog

        window = self._window
        refusal = ""
        if window.is_unlocked:
            refusal = (
                "Recover access is for a member who cannot unlock the file, and it is "
                "unlocked now. Lock the screen (Ctrl+L), then choose it again."
            )
        elif not team.is_team_file(self._local.data_file):
            refusal = (
                "This file has no recovery key yet: it is made at the file's next unlock "
                "with its passphrase. Without the passphrase the file cannot be opened."
            )
        if refusal:
            show_message(window, "Recover access", refusal)
            return None
        dialog = RecoverAccessDialog(
            self._local.data_file, window.unlock_page.chosen_member() or "", window
        )
        dialog.recovered.connect(lambda name, passphrase: self.unlock(passphrase, name))
        self.recover_dialog = dialog
        dialog.open()
        return dialog

    def _refused(self, exc: KnownError) -> None:
        page = self._window.unlock_page
        if isinstance(exc, PassphraseRefusedError):  # counted per file, across restarts
            page.failed(str(exc), exc.retry_after)
        else:
            page.show_error(str(exc))

    def enter(self, db: Database) -> None:
        """Show the workspace for a file just opened: the first screenful now, the rest
        just after the paint."""
        window = self._window
        window.session.open(db)
        try:
            window.unlock_page.reset()
            window.stack.setCurrentWidget(window.workspace)
            window.loader.first_paint()
            window.set_unlocked_ui(True)
            window.idle.start()
            window.workspace.escalations.table.setFocus()
            # What was open when this file was locked, focus and all (ui/lock_keeper.py).
            window.keeper.bring_back(self._local.data_file, window.session.member)
        except BaseException:
            # A bug (known errors say so and carry on): not a window that holds the
            # file open without its idle lock, hide-screen key or Hide action.
            window.lock()
            raise

    def after_rest(self) -> None:
        """Once the rest of an unlock has loaded: the history check, a moment later."""
        db = self._window.session.database
        if db is not None:
            self._window.keeper.refresh_views()
            QTimer.singleShot(SEAL_CHECK_AFTER_MS, lambda: self.check_history(db))

    def check_history(self, db: Database) -> str | None:
        """Say plainly if the file's history no longer holds the seal this computer
        remembers for it (``app.services.seal_memory``); the problem, if any."""
        from app.services.seal_memory import check_at_unlock

        if self._window.session.database is not db:
            return None  # locked again meanwhile
        found: list[str | None] = []
        run_op(
            self._window,
            lambda: check_at_unlock(db, self.seal_memory, self._local.data_file),
            found.append,
            cursor=False,
        )
        problem = found[0] if found else None
        if problem is not None:
            show_message(self._window, "The file's history has changed", problem)
        return problem

    def remember_seal(self) -> None:
        """As the file is locked: its seal, for the next unlock to compare."""
        from app.services.seal_memory import remember_at_lock

        db = self._window.session.database
        if db is not None:
            run_op(
                self._window,
                lambda: remember_at_lock(db, self.seal_memory, self._local.data_file),
                cursor=False,
                on_failure=lambda _exc: None,  # never a reason the screen stays unlocked
            )

    def choose_existing(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # see ui.errors.show_message

        chosen, _ = QFileDialog.getOpenFileName(
            self._window,
            "Open an Escalation Tracker file",
            str(self._local.data_file.parent),
            "Escalation Tracker files (*.etdb);;All files (*)",
        )
        if chosen:
            self.use_data_file(Path(chosen))

    def use_data_file(self, path: Path) -> None:
        """Switch to another data file; it must then be unlocked. What was kept through
        the lock belongs to the other file: it goes."""
        self._window.lock(keep_windows=False)
        self._local.data_file = path
        self._window.show_locked()
