"""The main window: its pages (first run, unlock, the workspace), its actions, and the
lock that clears it.

The window holds the open data file only while unlocked, in its ``app.session.Session``
with the setting's details and the policy library (loaded when first needed). Locking
(idle, Ctrl+L, "Hide screen") hides every other window, forms half-typed included, until
the same file is unlocked again (``ui.lock_keeper``), empties the workspace's models and
labels, closes the file and shows the unlock page. Everything the window shows
comes from ``app.services``; no SQL, no deadline arithmetic here.

The rest is in small modules the window wires together: ``ui.menus`` (actions, menus,
toolbar), ``ui.unlock_flow`` (first run, unlock, entering), ``ui.workspace_loader``
(the first paint, the rest just after, refresh), ``ui.dialog_openers`` (what the actions
open), ``ui.lock_keeper`` (what is kept through a lock) and ``ui.backup_restore``. The
service modules that write (and import SQLAlchemy) are imported by the methods that use
them, after the first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QStackedWidget

from app.session import Session
from app.team.member import may_change
from app.team.signed_in import change_refusal
from ui import form_scrolling
from ui.auto_backup import AutoBackups
from ui.backup_restore import BackupRestore
from ui.dialog_openers import DialogOpeners, show_help
from ui.idle import HideScreenKey, IdleWatcher
from ui.local_settings import LocalSettings
from ui.lock_keeper import LockKeeper
from ui.menus import add_menus, add_toolbar, build_actions
from ui.team_openers import TeamOpeners
from ui.unlock_flow import UnlockFlow
from ui.widgets.sizing import restore_or_fit
from ui.widgets.unlock import UnlockPage
from ui.window_titles import window_title
from ui.workspace_loader import WorkspaceLoader

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from app.policy import PolicyLibrary
    from app.storage.database import Database
    from ui.dialogs.change_passphrase import ChangePassphraseDialog
    from ui.dialogs.immediate_risk import ImmediateRiskDialog
    from ui.dialogs.new_escalation import NewEscalationDialog
    from ui.dialogs.settings import SettingsDialog
    from ui.escalation.view import EscalationView
    from ui.widgets.first_run import FirstRunPage
    from ui.widgets.workspace import Workspace

MS_PER_MINUTE = 60_000


class MainWindow(QMainWindow):
    def __init__(
        self, library: PolicyLibrary | Callable[[], PolicyLibrary], local: LocalSettings
    ) -> None:
        """``library``: the policies, or a function that loads them (called once, after
        the first paint or when first needed)."""
        super().__init__()
        self.session = Session(library)
        self._local = local
        self.loader = WorkspaceLoader(self, local)
        self.unlocking = UnlockFlow(self, local)
        self.dialogs = DialogOpeners(self, local)
        self.files = BackupRestore(self, local)
        self.team = TeamOpeners(self)
        self.backups = AutoBackups(self, local)
        # Open escalation windows by reference: each holds child data until the lock.
        self.views: dict[str, EscalationView] = {}
        self.risk_dialog: ImmediateRiskDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.keeper = LockKeeper(self)

        self.stack = QStackedWidget()
        self._first_run: FirstRunPage | None = None  # made when first shown
        self.unlock_page = UnlockPage()
        self.stack.addWidget(self.unlock_page)
        # Built while the passphrase's key is derived at the first unlock (see unlock).
        self._workspace: Workspace | None = None
        self.setCentralWidget(self.stack)
        self.session.when_library_loaded(self._policies_loaded)

        self.main_actions = build_actions(self)
        self.risk_action, self.new_action = self.main_actions.risk, self.main_actions.new
        self.hide_action = self.main_actions.hide
        add_menus(self.menuBar(), self.main_actions)
        self.toolbar = add_toolbar(self, self.main_actions)
        self._watch_for_the_lock(local)

        self.unlock_page.unlock_requested.connect(self.unlock)
        self.unlock_page.other_file_requested.connect(self.unlocking.choose_existing)
        self.unlock_page.new_file_requested.connect(self._show_first_run)
        self.unlock_page.recover_requested.connect(self.unlocking.show_recover)

        restore_or_fit(self, local.geometry, 1200, 760)
        self.show_locked()

    def _watch_for_the_lock(self, local: LocalSettings) -> None:
        """The idle lock and the hide-screen key (their input filters are installed
        after the first unlocked paint: see ``watch_input``)."""
        app = QApplication.instance()
        assert app is not None
        self.idle = IdleWatcher(app, local.idle_minutes * MS_PER_MINUTE, self)
        self.idle.idle.connect(self.lock)
        self.hide_key = HideScreenKey(app, self.hide_action.shortcut(), self)
        self.hide_key.pressed.connect(self._hide_key_pressed)

    def watch_input(self) -> None:
        """After the first paint (``WorkspaceLoader.load_rest``): each filter costs every
        event a call into Python, and the wheel's, the first time it sees each kind of
        Qt object, makes that class's Python enums (some 130 of them for the dashboard)."""
        self.idle.install()
        self.hide_key.install()
        form_scrolling.activate()  # the wheel scrolls forms, not the field under it

    def set_idle_minutes(self, minutes: int) -> None:
        self._local.idle_minutes = minutes
        self.idle.set_interval_ms(self._local.idle_minutes * MS_PER_MINUTE)

    # Pages ------------------------------------------------------------------------------

    def _policies_loaded(self, library: PolicyLibrary) -> None:
        if self._workspace is not None:
            self._workspace.set_library(library, self.session.details.default_policy)
        # Labels for the next first paint, which comes before the library loads.
        self._local.policy_names = library.short_names()

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            from ui.widgets.workspace import Workspace

            self._workspace = Workspace()
            self._workspace.escalations.open_requested.connect(self.open_escalation)
            self._workspace.escalations.rows_wanted.connect(self.loader.complete_list)
            self._workspace.builder_requested.connect(self.open_policy_builder)
            self.stack.addWidget(self._workspace)
            if self.session.library_loaded:
                self._workspace.set_library(
                    self.session.library, self.session.details.default_policy
                )
        return self._workspace

    def build_workspace(self) -> None:
        """Run while the key is derived: whatever the unlocked window needs that does not
        need the file."""
        self.workspace  # noqa: B018 - built now, while the key is derived

    @property
    def first_run(self) -> FirstRunPage:
        if self._first_run is None:
            from ui.widgets.first_run import FirstRunPage

            form_scrolling.activate()
            self._first_run = FirstRunPage(self.session.library, self._local.data_file)
            self._first_run.create_requested.connect(self.unlocking.create)
            self._first_run.open_existing_requested.connect(self.unlocking.choose_existing)
            self.stack.addWidget(self._first_run)
        return self._first_run

    def show_locked(self) -> None:
        path = self._local.data_file
        if path.exists():
            self.unlock_page.set_file(path)
            self.unlocking.show_members()
            self.unlock_page.reset()
            self.unlock_page.show_kept(bool(self.keeper.kept))
            self.stack.setCurrentWidget(self.unlock_page)
            self.unlock_page.first_field().setFocus()
        else:
            self._show_first_run()
        self.set_unlocked_ui(False)

    def _show_first_run(self) -> None:
        self.first_run.set_local_path(self._local.data_file)
        self.stack.setCurrentWidget(self.first_run)
        self.first_run.passphrase.setFocus()

    def show_tab(self, index: int) -> None:
        if self.is_unlocked:
            self.workspace.tabs.setCurrentIndex(index)

    def set_unlocked_ui(self, unlocked: bool) -> None:
        for act in self.main_actions.needing_a_file():
            # Hidden, not greyed out: the locked window offers only what works there.
            act.setEnabled(unlocked)
            act.setVisible(unlocked)
        name = self.session.details.setting_name
        if unlocked:
            self.main_actions.follow_role(change_refusal(self.session.member))
            member = self.database.member if self.database is not None else None
            # Who is signed in, as the audit trail names them (issue 23).
            self.setWindowTitle(window_title(name, member.actor if member is not None else ""))
        else:
            self.setWindowTitle(window_title("Locked"))

    def show_default_policy(self) -> None:
        """The immediate-risk guidance, if open, in the setting's default policy's words."""
        if self.risk_dialog is not None:
            self.risk_dialog.set_policy(self.session.default_policy())

    @property
    def is_unlocked(self) -> bool:
        return self.session.is_open

    @property
    def database(self) -> Database | None:
        return self.session.database

    @property
    def rest_loaded(self) -> bool:
        """True once the rest of this unlock has loaded (see ``ui.workspace_loader``)."""
        return self.session.rest_loaded

    # Unlocking, reading, and what the actions open --------------------------------------

    def unlock(self, passphrase: str, member: str | None = None) -> None:
        """``member``: who is unlocking (None: as chosen on the unlock page)."""
        self.unlocking.unlock(passphrase, member)

    def use_data_file(self, path: Path) -> None:
        """Switch to another data file; it must then be unlocked."""
        self.unlocking.use_data_file(path)

    def refresh(self) -> None:
        self.loader.refresh()

    def open_escalation(self, ref: str) -> EscalationView | None:
        return self.dialogs.open_escalation(ref)

    def new_escalation(self) -> NewEscalationDialog | None:
        return self.dialogs.new_escalation()

    def show_immediate_risk(self) -> ImmediateRiskDialog:
        return self.dialogs.show_immediate_risk()

    def show_statistics(self) -> QDialog | None:
        return self.dialogs.show_statistics()

    def show_retention(self) -> QDialog | None:
        return self.dialogs.show_retention()

    def show_child_records(self) -> QDialog | None:
        return self.dialogs.show_child_records()

    def show_verify_seal(self) -> QDialog | None:
        return self.dialogs.show_verify_seal()

    def open_policy_builder(self, source_id: str = "", same_id: bool = False) -> QDialog:
        from ui.policy_builder_opener import open_policy_builder

        return open_policy_builder(self, self.session, source_id, same_id)

    def show_settings(self) -> SettingsDialog | None:
        return self.dialogs.show_settings()

    def show_change_passphrase(self) -> ChangePassphraseDialog | None:
        return self.dialogs.show_change_passphrase()

    def show_team(self) -> QDialog | None:
        return self.team.show_members()

    def show_recover(self) -> QDialog | None:
        return self.unlocking.show_recover()

    def show_user_guide(self) -> QDialog:
        return show_help(self, "guide", self._local.data_file)

    def show_about(self) -> QDialog:
        return show_help(self, "about", self._local.data_file)

    def back_up(self, destination: Path | None = None) -> bool:
        """Start a backup; returns False if none was started."""
        return self.files.back_up(destination)

    def restore(self, backup: Path | None = None, passphrase: str | None = None) -> bool:
        """Replace the data file with a backup; returns False if nothing was started."""
        return self.files.restore(backup, passphrase)

    def show_backup_reminder(self) -> None:
        self.backups.show_reminder()

    def add_deadlines_to_calendar(self, destination: Path | None = None) -> bool:
        from ui.deadline_calendar import add_deadlines_to_calendar

        return add_deadlines_to_calendar(self, self._local, destination)

    # Lock -------------------------------------------------------------------------------

    def lock(self, keep_windows: bool = True) -> None:
        """Hide the screen: hide the other windows (kept for the same file's unlock, or
        with ``keep_windows=False`` wiped and closed), clear the workspace, close the
        file."""
        self.idle.stop()
        if not keep_windows:
            self.keeper.discard()
        elif self.is_unlocked:  # (locked already: what was put away stays put away)
            self.keeper.put_away(self._local.data_file, self.session.member)
        if self._workspace is not None:
            self._workspace.clear()
        if self.risk_dialog is not None:
            self.risk_dialog.set_policy(None)
        self.unlocking.remember_seal()
        from ui.tray.at_lock import remember_due_moments

        remember_due_moments(self, self.session, self._local.path)
        member = self.session.member
        db = self.session.close()
        if db is not None:
            if may_change(member):  # a read-only member's role makes no backups
                self.backups.at_lock(db, member.actor)  # if on; never holds the lock up
            self.files.close(db)  # when a backup reading it has finished
        self.show_locked()

    def _hide_key_pressed(self) -> None:
        if self.is_unlocked:
            self.lock()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._local.geometry = self.saveGeometry()
        self.lock(keep_windows=False)  # unsaved typing is not written anywhere
        if self.backups.running:  # the automatic backup: close when it is done
            self.backups.close_when_done = True
            event.ignore()
            return
        if self.risk_dialog is not None:
            self.risk_dialog.close()
        self.idle.uninstall()
        self.hide_key.uninstall()
        super().closeEvent(event)
