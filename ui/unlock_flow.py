"""Getting from the locked window to the workspace: the first run that creates the
encrypted file, unlocking it, or choosing another file.

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
from app.storage.datafile import open_data_file
from app.storage.errors import PassphraseRefusedError
from ui.errors import show_message
from ui.operations import run_op, wait_cursor

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStackedWidget

    from app.services.seal_memory import SealMemory
    from app.session import Session
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

        def create() -> Database:
            if choices.portable:
                enable_portable_mode()
            return security.set_up_data_file(
                choices.path,
                choices.passphrase,
                choices.repeat,
                choices.details,
                window.session.library,
            )

        def created(db: Database) -> None:
            self._local.data_file = choices.path
            window.first_run.clear_secrets()
            self.enter(db)
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

    def unlock(self, passphrase: str) -> None:
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
            self._open_and_enter(passphrase)
        finally:
            if not window.is_unlocked:  # not opened, or entering failed and locked again
                gc.enable()

    def _open_and_enter(self, passphrase: str) -> None:
        waiting = ExitStack()

        def meanwhile() -> None:
            # The wait cursor from when the key is being derived (the file is locked
            # and found by then, which is quick): its shape is in Qt's namespace, which
            # the locked window does without (see set_enum), and this is the first
            # moment unlocking can spend the time making it.
            waiting.enter_context(wait_cursor())
            self._window.build_workspace()

        def open_file() -> Database:
            with waiting:
                # The raw key is derived with the rest, after the first paint.
                return open_data_file(
                    self._local.data_file, passphrase, meanwhile=meanwhile, defer_key=True
                )

        # The wait cursor is set in ``meanwhile``, not before the file is opened.
        run_op(self._window, open_file, self.enter, on_failure=self._refused, cursor=False)

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
