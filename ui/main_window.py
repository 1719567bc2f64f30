"""The main window: first run, unlock, the workspace, and the lock that clears it.

The window holds the open data file (``Database``) only while unlocked. Locking (idle,
Ctrl+L, "Hide screen") closes every window holding child data, empties every model and
label, closes the file and shows the unlock view. Everything the window shows comes from
``app.services``; no SQL, no session, no deadline arithmetic here.

Start-up (issue 9): unlocking paints the dashboard first, from plain-SQL reads; the
policy library (pydantic) and the contacts load straight after, in ``_load_rest``, or
at once if an action needs them first. The service modules that write (and import
SQLAlchemy) are imported inside the methods that use them.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore  # QtCore.Qt where used, not imported: see set_enum
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QProgressDialog,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app.errors import KnownError
from app.services.setting_details import SettingDetails, get_settings
from app.storage.database import Database
from app.storage.datafile import open_data_file
from app.storage.errors import PassphraseRefusedError
from ui import jobs
from ui.errors import show_known_error, show_message, show_notice
from ui.idle import HideScreenKey, IdleWatcher
from ui.local_settings import LocalSettings
from ui.widgets.common import set_enum, std_icon, warning_icon
from ui.widgets.unlock import UnlockPage

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from app.policy import Policy, PolicyLibrary
    from ui.dialogs.change_passphrase import ChangePassphraseDialog
    from ui.dialogs.immediate_risk import ImmediateRiskDialog
    from ui.dialogs.new_escalation import NewEscalationDialog
    from ui.dialogs.settings import SettingsDialog
    from ui.widgets.escalation_view import EscalationView
    from ui.widgets.first_run import FirstRunChoices, FirstRunPage
    from ui.widgets.workspace import Workspace

APP_TITLE = "Escalation Tracker"
MS_PER_MINUTE = 60_000
# The rest loads this long after unlocking, so the dashboard's paint (a posted event)
# always comes first, whatever order the event loop takes its events in.
LOAD_REST_AFTER_MS = 50
# The list rows unlocking paints before reading the rest: more than a screen shows (a
# 2,160-pixel-high screen at 100% scaling shows about 80; a 4K screen turned upright would
# show the last 45 empty for the 50 ms until the rest is read). Each row costs about
# 15 us to read (200 took 1.4 ms more than 100).
FIRST_PAGE_ROWS = 100


@contextmanager
def wait_cursor() -> Iterator[None]:
    QGuiApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def report_failure(parent: QWidget | None, exc: BaseException) -> None:
    """A job's error on the GUI thread: a known one as a message, a bug to the hook."""
    if isinstance(exc, KnownError):
        show_known_error(parent, exc)
    else:
        sys.excepthook(type(exc), exc, exc.__traceback__)


class MainWindow(QMainWindow):
    def __init__(
        self, library: PolicyLibrary | Callable[[], PolicyLibrary], local: LocalSettings
    ) -> None:
        """``library``: the policies, or a function that loads them (called once, after
        the first paint or when first needed)."""
        super().__init__()
        self._library_source = library
        self._loaded_library: PolicyLibrary | None = None
        self._rest_loaded = False  # see ``_load_rest``
        self._local = local
        self._db: Database | None = None
        self._details = SettingDetails()
        self._failures = 0
        self._to_close_after_jobs: list[Database] = []
        # Open escalation windows by reference: each holds child data until the lock.
        self.views: dict[str, EscalationView] = {}
        self.risk_dialog: ImmediateRiskDialog | None = None
        self.settings_dialog: SettingsDialog | None = None

        self.stack = QStackedWidget()
        self._first_run: FirstRunPage | None = None  # made when first shown
        self.unlock_page = UnlockPage()
        self.stack.addWidget(self.unlock_page)
        # Built while the passphrase's key is derived at the first unlock (see unlock).
        self._workspace: Workspace | None = None
        self.setCentralWidget(self.stack)
        if not callable(library):
            self._library  # noqa: B018 - already loaded: fill the filters now

        self._build_actions()
        app = QApplication.instance()
        assert app is not None
        self.idle = IdleWatcher(app, local.idle_minutes * MS_PER_MINUTE, self)
        self.idle.idle.connect(self.lock)
        self.hide_key = HideScreenKey(app, self.hide_action.shortcut(), self)
        self.hide_key.pressed.connect(self._hide_key_pressed)

        self.unlock_page.unlock_requested.connect(self.unlock)
        self.unlock_page.other_file_requested.connect(self._choose_existing)
        self.unlock_page.new_file_requested.connect(self._show_first_run)

        geometry = local.geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 760)
        self._show_locked()

    # What loads after the first paint -------------------------------------------------

    @property
    def _library(self) -> PolicyLibrary:
        """The policies, loaded (and validated) on first use."""
        if self._loaded_library is None:
            source = self._library_source
            self._loaded_library = source() if callable(source) else source
            if self._workspace is not None:
                self._workspace.set_library(self._loaded_library)
            # Labels for the next first paint, which comes before the library loads.
            self._local.policy_names = self._loaded_library.short_names()
        return self._loaded_library

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            from ui.widgets.workspace import Workspace

            self._workspace = Workspace()
            self._workspace.escalations.open_requested.connect(self.open_escalation)
            self._workspace.escalations.rows_wanted.connect(self._complete_list)
            self.stack.addWidget(self._workspace)
            if self._loaded_library is not None:
                self._workspace.set_library(self._loaded_library)
        return self._workspace

    def _build_workspace(self) -> None:
        """Run while the key is derived: whatever the unlocked window needs that does not
        need the file."""
        self.workspace  # noqa: B018 - built now, while the key is derived

    def _watch_input(self) -> None:
        self.idle.install()
        self.hide_key.install()

    @property
    def first_run(self) -> FirstRunPage:
        if self._first_run is None:
            from ui.widgets.first_run import FirstRunPage

            self._first_run = FirstRunPage(self._library, self._local.data_file)
            self._first_run.create_requested.connect(self._create)
            self._first_run.open_existing_requested.connect(self._choose_existing)
            self.stack.addWidget(self._first_run)
        return self._first_run

    @property
    def rest_loaded(self) -> bool:
        """True once ``_load_rest`` has run for this unlock."""
        return self._rest_loaded

    def _load_rest(self) -> None:
        """Once per unlock, straight after the dashboard is painted (or when an action
        needs it sooner): the policy library, the contacts and the filters it fills."""
        gc.enable()  # paused by unlock until the dashboard was painted
        db = self._db
        if db is None or self._rest_loaded:
            return
        self._rest_loaded = True
        # Not before: deriving it takes a core for 0.1 s, and the first paint was a
        # third slower sharing two cores with it (issue 9). Reads until it is ready use
        # the connection that opened the file; the first write waits for it.
        db.derive_key()
        # The input filters (idle lock, hide-screen key) from here too: each costs every
        # event a call into Python, 400 of them in the first paint (see
        # ``IdleWatcher.install``). Until now the hide-screen key works as the window's
        # shortcut, and the idle timer, minutes long, has only just started.
        self._watch_input()
        from app.services.contact_rows import list_contacts

        # The whole list, after the first screenful. Before the library: reading 10,000
        # rows needs 8 MB more at its peak than it keeps, which the library then reuses.
        if self.workspace.escalations.partial:
            self._show_dashboard(db)  # on failure it says so; the rest still loads
        try:
            names_before = self.workspace.escalations.short_names
            library = self._library
            contacts = list_contacts(db)
        except KnownError as exc:
            show_known_error(self, exc)
            return
        self.workspace.contacts.set_rows(contacts)
        if library.short_names() != names_before:
            self._show_dashboard(db)  # labels differed from the remembered ones
        if self.risk_dialog is not None:
            self.risk_dialog.set_policy(self._default_policy())

    # Actions ----------------------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(text: str, slot: Callable[[], Any], shortcut: Any = None) -> QAction:
            act = QAction(text, self)
            act.triggered.connect(lambda _checked=False: slot())
            if shortcut is not None:
                act.setShortcuts([QKeySequence(shortcut)])  # see set_enum
            return act

        self.risk_action = action(
            "If a child is at &immediate risk", self.show_immediate_risk, "F1"
        )
        self.risk_action.setIcon(warning_icon())
        self.risk_action.setToolTip("What to do now if a child is at immediate risk (F1)")
        self.new_action = action("&New escalation…", self.new_escalation, "Ctrl+N")
        self.new_action.setIcon(std_icon(self.style().StandardPixmap.SP_FileIcon))
        self.new_action.setToolTip("Open a new escalation: the Escalation Monitoring Form (Ctrl+N)")
        self.hide_action = action("&Hide screen", self.lock, "Ctrl+L")
        self.hide_action.setIcon(std_icon(self.style().StandardPixmap.SP_DialogCloseButton))
        self.hide_action.setToolTip("Lock now and hide every record (Ctrl+L)")
        # From other windows of the app (an escalation, a modal dialog) HideScreenKey
        # catches it.
        self.refresh_action = action("&Refresh", self.refresh, QKeySequence.StandardKey.Refresh)
        self.refresh_action.setIcon(std_icon(self.style().StandardPixmap.SP_BrowserReload))
        self.settings_action = action("&Settings…", self.show_settings)
        self.settings_action.setIcon(
            std_icon(self.style().StandardPixmap.SP_FileDialogDetailedView)
        )
        self.statistics_action = action("&Statistics…", self.show_statistics)
        self.retention_action = action("&Retention review…", self.show_retention)
        self.child_records_action = action(
            "A &child's records (transfer, subject access)…", self.show_child_records
        )
        self.backup_action = action("&Back up now…", lambda: self.back_up())
        self.restore_action = action("Restore from a b&ackup…", lambda: self.restore())
        quit_action = action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        views = [
            action(name, partial(self._show_tab, i), f"Ctrl+{i + 1}")
            for i, name in enumerate(("&Escalations", "&Contacts", "&Policies"))
        ]
        self._data_actions = [
            self.new_action,
            self.hide_action,
            self.refresh_action,
            self.settings_action,
            self.backup_action,
            self.restore_action,
            self.statistics_action,
            self.retention_action,
            self.child_records_action,
            *views,
        ]

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        for act in (self.settings_action, self.backup_action, self.restore_action):
            file_menu.addAction(act)
        file_menu.addSeparator()
        file_menu.addAction(self.hide_action)
        file_menu.addAction(quit_action)
        view_menu = menu.addMenu("&View")
        for act in views:
            view_menu.addAction(act)
        view_menu.addSeparator()
        view_menu.addAction(self.refresh_action)
        records_menu = menu.addMenu("&Records")
        for act in (self.statistics_action, self.retention_action, self.child_records_action):
            records_menu.addAction(act)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.risk_action)

        toolbar = QToolBar("Main toolbar")
        toolbar.setObjectName("main-toolbar")
        toolbar.setAccessibleName("Main toolbar")
        toolbar.setMovable(False)
        set_enum(toolbar, "toolButtonStyle", "ToolButtonTextBesideIcon")
        for act in (
            self.risk_action,
            self.new_action,
            self.hide_action,
            self.refresh_action,
            self.settings_action,
        ):
            toolbar.addAction(act)
            button = toolbar.widgetForAction(act)
            if button is not None:
                button.setAccessibleName(act.iconText())
                button.setAccessibleDescription(act.toolTip())
        self.addToolBar(toolbar)  # at the top
        self.toolbar = toolbar

    # Records: statistics, retention, a child's records -----------------------------------

    def _preview(self, title: str, pdf: bytes, suggested: str) -> None:
        from ui.dialogs.pdf_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(title, pdf, suggested, self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def show_statistics(self) -> QDialog | None:
        if self._db is None:
            return None
        self._load_rest()
        from app.services.statistics import statistics
        from ui.dialogs.statistics import StatisticsDialog

        dialog = StatisticsDialog(
            statistics(self._db), self._details.setting_name, self._preview, self
        )
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_retention(self) -> QDialog | None:
        if self._db is None:
            return None
        self._load_rest()
        from ui.dialogs.retention import RetentionDialog

        dialog = RetentionDialog(self._db, self._details.actor, self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self.refresh())
        dialog.show()
        return dialog

    def show_child_records(self) -> QDialog | None:
        if self._db is None:
            return None
        self._load_rest()
        from ui.dialogs.child_records import ChildRecordsDialog

        dialog = ChildRecordsDialog(
            self._db,
            setting=self._details.setting_name,
            dsl=self._details.dsl_name,
            actor=self._details.actor,
            preview=self._preview,
            parent=self,
        )
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self.refresh())
        dialog.show()
        return dialog

    def _show_tab(self, index: int) -> None:
        if self._db is not None:
            self.workspace.tabs.setCurrentIndex(index)

    def _set_unlocked_ui(self, unlocked: bool) -> None:
        for act in self._data_actions:
            # Hidden, not greyed out: the locked window offers only what works there.
            act.setEnabled(unlocked)
            act.setVisible(unlocked)
        name = self._details.setting_name
        if unlocked:
            self.setWindowTitle(f"{APP_TITLE} — {name}" if name else APP_TITLE)
        else:
            self.setWindowTitle(f"{APP_TITLE} — locked")

    @property
    def is_unlocked(self) -> bool:
        return self._db is not None

    @property
    def database(self) -> Database | None:
        return self._db

    # First run and unlock ---------------------------------------------------------------

    def _show_locked(self) -> None:
        path = self._local.data_file
        if path.exists():
            self.unlock_page.set_file(path)
            self.unlock_page.reset()
            self.stack.setCurrentWidget(self.unlock_page)
            self.unlock_page.passphrase.setFocus()
        else:
            self._show_first_run()
        self._set_unlocked_ui(False)

    def _show_first_run(self) -> None:
        self.first_run.set_local_path(self._local.data_file)
        self.stack.setCurrentWidget(self.first_run)
        self.first_run.passphrase.setFocus()

    def _choose_existing(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # see ui.errors.show_message

        chosen, _ = QFileDialog.getOpenFileName(
            self,
            "Open an Escalation Tracker file",
            str(self._local.data_file.parent),
            "Escalation Tracker files (*.etdb);;All files (*)",
        )
        if chosen:
            self.use_data_file(Path(chosen))

    def use_data_file(self, path: Path) -> None:
        """Switch to another data file; it must then be unlocked."""
        self.lock()
        self._local.data_file = path
        self._failures = 0
        self._show_locked()

    def _create(self, choices: FirstRunChoices) -> None:
        from app.paths import enable_portable_mode
        from app.services import security

        try:
            with wait_cursor():
                if choices.portable:
                    enable_portable_mode()
                db = security.set_up_data_file(
                    choices.path,
                    choices.passphrase,
                    choices.repeat,
                    choices.details,
                    self._library,
                )
        except KnownError as exc:
            self.first_run.show_message(str(exc))
            return
        self._local.data_file = choices.path
        self.first_run.clear_secrets()
        self._enter(db)

    def unlock(self, passphrase: str) -> None:
        if jobs.busy() or self._to_close_after_jobs:
            self.unlock_page.show_error(
                "A backup or restore is still running. Try again in a moment."
            )
            return
        # Unlocking makes tens of thousands of objects and frees almost none, so the
        # collector's passes find nothing and only delay the first paint (issue 9; see
        # app/preload.py). Paused until _load_rest, just after the paint.
        gc.disable()
        try:
            self._open_and_enter(passphrase)
        finally:
            if not self.is_unlocked:  # not opened, or _enter failed and locked again
                gc.enable()

    def _open_and_enter(self, passphrase: str) -> None:
        waiting = ExitStack()

        def meanwhile() -> None:
            # The wait cursor from when the key is being derived (the file is locked
            # and found by then, which is quick): its shape is in Qt's namespace, which
            # the locked window does without (see set_enum), and this is the first
            # moment unlocking can spend the 15-20 ms making it.
            waiting.enter_context(wait_cursor())
            self._build_workspace()

        try:
            with waiting:
                # The raw key is derived from _load_rest on, after the first paint.
                db = open_data_file(
                    self._local.data_file, passphrase, meanwhile=meanwhile, defer_key=True
                )
        except PassphraseRefusedError as exc:  # counted per file: app.storage.unlock_attempts
            self.unlock_page.failed(str(exc), exc.retry_after)
            return
        except KnownError as exc:
            self.unlock_page.show_error(str(exc))
            return
        self._failures = 0
        self._enter(db)

    def _enter(self, db: Database) -> None:
        self._db = db
        self._rest_loaded = False
        try:
            self.unlock_page.reset()
            self.stack.setCurrentWidget(self.workspace)
            self._show_dashboard(db, first_page=True)
            self._set_unlocked_ui(True)
            self.idle.start()
            self.workspace.escalations.table.setFocus()
            QTimer.singleShot(LOAD_REST_AFTER_MS, self._load_rest)  # it resumes the GC
        except BaseException:
            # A bug (known errors say so and carry on): not a window that holds the
            # file open without its idle lock, hide-screen key or Hide action.
            self.lock()
            raise

    # Lock -------------------------------------------------------------------------------

    def lock(self) -> None:
        """Hide the screen: close child-data windows, clear every widget, close the file."""
        self.idle.stop()
        self._close_child_windows()
        if self._workspace is not None:
            self._workspace.clear()
        self._details = SettingDetails()
        if self.risk_dialog is not None:
            self.risk_dialog.set_policy(None)
        db, self._db = self._db, None
        if db is not None:
            if jobs.busy():
                # A backup is reading it: close it when the backup reports.
                self._to_close_after_jobs.append(db)
            else:
                db.close()
        self._show_locked()

    def _hide_key_pressed(self) -> None:
        if self._db is not None:
            self.lock()

    def _close_child_windows(self) -> None:
        # Forms first, without asking about unsaved work: what was typed is child data.
        # (Their module loads with the first form; none can be open before that, and
        # start-up need not pay for it.)
        forms = sys.modules.get("ui.widgets.forms")
        if forms is not None:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, forms.FormDialog) and widget.isVisible():
                    widget.discard()
        for view in list(self.views.values()):
            view.wipe()
            view.close()
            view.deleteLater()
        self.views.clear()
        if self.settings_dialog is not None:
            self.settings_dialog.close()
            self.settings_dialog.deleteLater()
            self.settings_dialog = None
        # Message boxes and pickers too: nothing opened while unlocked stays on screen.
        for widget in QApplication.topLevelWidgets():
            if (
                isinstance(widget, QDialog)
                and widget is not self.risk_dialog
                and widget.isVisible()
                and not isinstance(widget, QProgressDialog)
            ):
                widget.reject()

    def _release_after_jobs(self) -> None:
        if jobs.busy():
            return
        for db in self._to_close_after_jobs:
            db.close()
        self._to_close_after_jobs.clear()

    # Data -------------------------------------------------------------------------------

    def _show_dashboard(self, db: Database, first_page: bool = False) -> bool:
        """The settings and the dashboard, from plain-SQL reads. False if unreadable.

        ``first_page``: the counts, but only the first screenful of the list, when the
        list shows the first rows in deadline order anyway (it does after unlocking).
        That is what unlocking paints; the rest follow in ``_load_rest`` just after, or
        at once if a search, filter or sort needs them (``_complete_list``)."""
        names = (
            self._loaded_library.short_names()
            if self._loaded_library is not None
            else self._local.policy_names
        )
        # Loaded with the workspace.
        from app.services.dashboard import dashboard
        from app.services.dashboard import first_page as first_screenful

        escalations = self.workspace.escalations
        try:
            with wait_cursor():
                self._details = get_settings(db)
                if first_page and escalations.shows_first_page():
                    dash = first_screenful(db, FIRST_PAGE_ROWS, names)
                else:
                    dash = dashboard(db, names)
        except KnownError as exc:
            show_known_error(self, exc)
            return False
        self.workspace.show_dashboard(dash, names)
        return True

    def _complete_list(self) -> None:
        """Something needs the whole list while only its first screenful is held."""
        db = self._db
        escalations = self.workspace.escalations
        if db is not None:
            if not self._rest_loaded:
                self._load_rest()  # reads the whole list first
            elif escalations.partial:
                self._show_dashboard(db)
        if escalations.partial:
            # It could not be read, and the message said why (once): the list shows,
            # searches and counts the rows it holds rather than asking again.
            escalations.model.drop_partial()

    def refresh(self) -> None:
        db = self._db
        if db is None:
            return
        contacts_read = not self._rest_loaded
        # _load_rest reads the whole list itself if only the first screenful is held.
        list_read = contacts_read and self.workspace.escalations.partial
        self._load_rest()  # once per unlock: the library, and the contacts with it
        if not list_read and not self._show_dashboard(db):
            return
        if not contacts_read:
            from app.services.contact_rows import list_contacts

            try:
                contacts = list_contacts(db)
            except KnownError as exc:
                show_known_error(self, exc)
                return
            self.workspace.contacts.set_rows(contacts)
        self._set_unlocked_ui(True)
        if self.risk_dialog is not None:
            self.risk_dialog.set_policy(self._default_policy())

    def _default_policy(self) -> Policy | None:
        policy_id = self._details.default_policy
        if policy_id and policy_id in self._library.ids():
            return self._library.get(policy_id)
        return None

    def open_escalation(self, ref: str) -> EscalationView | None:
        """Show an escalation in its own window (brought to the front if already open)."""
        db = self._db
        if db is None:
            return None
        view = self.views.get(ref)
        if view is not None:
            view.refresh()
        else:
            # Imported on first use: the forms are not needed to start the app.
            from ui.widgets.escalation_view import EscalationView

            self._load_rest()
            view = EscalationView(db, self._library, self._details, ref, self)
            if view.detail is None:  # it could not be read; the view said why
                view.deleteLater()
                return None
            view.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
            view.changed.connect(lambda _ref: self.refresh())
            view.destroyed.connect(lambda *_, gone=view: self._forget_view(ref, gone))
            self.views[ref] = view
        view.show()
        view.raise_()
        view.activateWindow()
        return view

    def _forget_view(self, ref: str, view: EscalationView) -> None:
        if self.views.get(ref) is view:
            del self.views[ref]

    def new_escalation(self) -> NewEscalationDialog | None:
        """The Escalation Monitoring Form; once saved, the new escalation opens."""
        db = self._db
        if db is None:
            return None
        from ui.dialogs.new_escalation import NewEscalationDialog

        self._load_rest()
        dialog = NewEscalationDialog(db, self._library, self._details, self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)

        def saved() -> None:
            self.refresh()
            if dialog.created is not None:
                self.open_escalation(dialog.created.ref)

        dialog.accepted.connect(saved)
        dialog.open()
        return dialog

    # Help -------------------------------------------------------------------------------

    def show_immediate_risk(self) -> ImmediateRiskDialog:
        from ui.dialogs.immediate_risk import ImmediateRiskDialog

        self._load_rest()
        if self.risk_dialog is None:
            self.risk_dialog = ImmediateRiskDialog(self)
        self.risk_dialog.set_policy(self._default_policy() if self._db is not None else None)
        self.risk_dialog.show()
        self.risk_dialog.raise_()
        self.risk_dialog.activateWindow()
        return self.risk_dialog

    # Settings ---------------------------------------------------------------------------

    def show_settings(self) -> SettingsDialog | None:
        if self._db is None:
            return None
        from ui.dialogs.settings import SettingsDialog

        self._load_rest()
        if self.settings_dialog is not None:
            self.settings_dialog.close()
            self.settings_dialog.deleteLater()
        dialog = SettingsDialog(
            self._library,
            self._details,
            self._local.idle_minutes,
            self._local.data_file,
            self.save_settings,
            self,
        )
        dialog.change_passphrase_requested.connect(self.show_change_passphrase)
        dialog.backup_requested.connect(lambda: self.back_up())
        dialog.restore_requested.connect(lambda: self.restore())
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def save_settings(self, details: SettingDetails, idle_minutes: int) -> None:
        """Raises ``KnownError`` (the dialog shows it and stays open)."""
        db = self._db
        if db is None:
            raise KnownError("The screen was locked, so the settings were not saved.")
        from app.services.settings import save_settings

        save_settings(db, details, self._library, actor=self._details.actor)
        self._local.idle_minutes = idle_minutes
        self.idle.set_interval_ms(self._local.idle_minutes * MS_PER_MINUTE)
        self.refresh()

    def show_change_passphrase(self) -> ChangePassphraseDialog | None:
        if self._db is None:
            return None
        from ui.dialogs.change_passphrase import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(self.change_passphrase, self.settings_dialog or self)
        dialog.open()
        return dialog

    def change_passphrase(self, current: str, new: str, repeat: str) -> None:
        db = self._db
        if db is None:
            raise KnownError("The screen was locked, so the passphrase was not changed.")
        if jobs.busy():
            raise KnownError("Wait for the backup to finish, then change the passphrase.")
        from app.services import security

        with wait_cursor():
            security.change_passphrase(db, current, new, repeat, actor=self._details.actor)
        show_notice(
            self,
            "Passphrase changed",
            "The passphrase has been changed. Use the new one from now on. Backups made "
            "before today still open with the old one.",
        )

    # Backup and restore (off the GUI thread) --------------------------------------------

    def _progress(self, title: str, text: str) -> QProgressDialog:
        progress = QProgressDialog(text, "", 0, 0, self)  # 0..0: busy, no known end
        progress.setWindowTitle(title)
        progress.setObjectName("progress")
        progress.setAccessibleName(title)
        progress.setCancelButton(None)  # a half-made copy is never left, but nor is it stopped
        progress.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.show()
        return progress

    def back_up(self, destination: Path | None = None) -> bool:
        """Start a backup; returns False if none was started."""
        db = self._db
        if db is None or jobs.busy():
            return False
        from app.services import security

        if destination is None:
            from PySide6.QtWidgets import QFileDialog

            suggested = Path.home() / security.default_backup_name()
            chosen, _ = QFileDialog.getSaveFileName(
                self.settings_dialog or self,
                "Back up to",
                str(suggested),
                "Escalation Tracker files (*.etdb)",
            )
            if not chosen or self._db is not db:
                return False
            destination = Path(chosen)
        actor = self._details.actor
        target = destination
        progress = self._progress(
            "Backing up", "Making an encrypted copy of the file and checking it…"
        )

        def done(path: object) -> None:
            progress.close()
            self._release_after_jobs()
            show_notice(
                self,
                "Backed up",
                f"Backed up to {path}. The copy is encrypted and opens with the same "
                "passphrase. Keep it somewhere safe, away from this computer.",
            )

        def failed(exc: BaseException) -> None:
            progress.close()
            self._release_after_jobs()
            report_failure(self, exc)

        jobs.run_in_background(lambda: security.back_up(db, target, actor=actor), done, failed)
        return True

    def restore(self, backup: Path | None = None, passphrase: str | None = None) -> bool:
        """Replace the data file with a backup; returns False if nothing was started."""
        if self._db is None:
            return False
        if jobs.busy():
            show_message(self, APP_TITLE, "Wait for the backup to finish, then restore.")
            return False
        from app.services import security
        from ui.dialogs.restore import RestoreDialog

        target = self._local.data_file
        if backup is None or passphrase is None:
            dialog = RestoreDialog(target, self.settings_dialog or self)
            if dialog.exec() != QDialog.DialogCode.Accepted or self._db is None:
                return False
            backup, passphrase = dialog.backup_path(), dialog.backup_passphrase()
        self.lock()  # the file must be closed before it is replaced
        progress = self._progress("Restoring", "Checking the backup and restoring it…")
        source, secret = backup, passphrase

        def done(kept: object) -> None:
            progress.close()
            self._failures = 0
            self._show_locked()
            show_notice(
                self,
                "Restored",
                f"The backup has been restored. The file it replaced is kept as {kept}. "
                "Unlock with the backup's passphrase.",
            )

        def failed(exc: BaseException) -> None:
            progress.close()
            self._show_locked()
            report_failure(self, exc)

        jobs.run_in_background(lambda: security.restore(source, secret, target), done, failed)
        return True

    # Closing ----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self._local.geometry = self.saveGeometry()
        self.lock()
        if self.risk_dialog is not None:
            self.risk_dialog.close()
        self.idle.uninstall()
        self.hide_key.uninstall()
        super().closeEvent(event)
