"""What the main window's actions open: an escalation, the new-escalation form, the
records dialogs, settings, the passphrase change, the immediate-risk guidance and the
Help menu's guide and About.

Each is given the narrow things it needs (the open file, the policy library, the
setting's details, who is acting) from the window's ``app.session.Session``: the file
as ``session.store``, not the ``Database``, since a window may outlive a lock and be
shown again for the next unlock (``ui.lock_keeper``). The dialog modules are imported on
first use: none is needed to start the app. The window keeps track of what holds child
data (``views``, ``settings_dialog``) so the lock can hide it, or close it for good.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6 import QtCore  # QtCore.Qt only inside methods: see set_enum

from app.errors import KnownError
from ui import jobs
from ui.errors import show_notice

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QWidget

    from app.services.setting_details import SettingDetails
    from app.session import Session
    from ui.dialogs.change_passphrase import ChangePassphraseDialog
    from ui.dialogs.immediate_risk import ImmediateRiskDialog
    from ui.dialogs.new_escalation import NewEscalationDialog
    from ui.dialogs.reminder_settings import ComputerChoices
    from ui.dialogs.settings import SettingsDialog
    from ui.escalation.view import EscalationView
    from ui.local_settings import LocalSettings


def _delete_on_close(dialog: QDialog) -> None:
    dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)


def show_help(parent: QWidget, which: str, data_file: Path) -> QDialog:
    """The user guide ("guide") or About ("about"): no child data, so open while locked."""
    from ui.dialogs.help import AboutDialog, UserGuideDialog

    dialog = (
        UserGuideDialog(data_file, parent) if which == "guide" else AboutDialog(data_file, parent)
    )
    _delete_on_close(dialog)
    dialog.show()
    return dialog


class Host(Protocol):
    """What the dialogs' openers need of the main window (a ``QWidget`` too, to parent
    them): the session, and where it keeps what holds child data, so the lock closes it."""

    session: Session
    views: dict[str, EscalationView]
    risk_dialog: ImmediateRiskDialog | None
    settings_dialog: SettingsDialog | None

    def refresh(self) -> None: ...
    def show_default_policy(self) -> None: ...
    def set_idle_minutes(self, minutes: int) -> None: ...
    def back_up(self, destination: Path | None = None) -> bool: ...
    def restore(self, backup: Path | None = None, passphrase: str | None = None) -> bool: ...


class DialogOpeners:
    def __init__(self, window: Host, local: LocalSettings) -> None:
        self._window = window
        self._session = window.session
        self._local = local

    # Escalations --------------------------------------------------------------------------

    def open_escalation(self, ref: str) -> EscalationView | None:
        """Show an escalation in its own window (brought to the front if already open)."""
        window, db = self._window, self._session.database
        if db is None:
            return None
        view = window.views.get(ref)
        if view is not None:
            view.refresh()
        else:
            from ui.escalation.view import EscalationView

            session = self._session
            view = EscalationView(
                session.store, session.library, session.details, ref, window, member=session.member
            )
            if view.detail is None:  # it could not be read; the view said why
                view.deleteLater()
                return None
            view.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
            view.save_folders = self._local  # where its Save as PDF starts
            view.changed.connect(lambda _ref: window.refresh())
            view.destroyed.connect(lambda *_, gone=view: self._forget_view(ref, gone))
            window.views[ref] = view
        view.show()
        view.raise_()
        view.activateWindow()
        return view

    def _forget_view(self, ref: str, view: EscalationView) -> None:
        if self._window.views.get(ref) is view:
            del self._window.views[ref]

    def new_escalation(self) -> NewEscalationDialog | None:
        """The Escalation Monitoring Form; once saved, the new escalation opens."""
        window, db = self._window, self._session.database
        if db is None:
            return None
        from ui.dialogs.new_escalation import NewEscalationDialog

        session = self._session
        dialog = NewEscalationDialog(
            session.store, session.library, session.details, window, member=session.member
        )
        _delete_on_close(dialog)

        def saved() -> None:
            window.refresh()
            if dialog.created is not None:
                self.open_escalation(dialog.created.ref)

        dialog.accepted.connect(saved)
        dialog.open()
        return dialog

    def show_immediate_risk(self) -> ImmediateRiskDialog:
        from ui.dialogs.immediate_risk import ImmediateRiskDialog

        window = self._window
        if window.risk_dialog is None:
            window.risk_dialog = ImmediateRiskDialog(window)
        window.show_default_policy()  # none while locked
        window.risk_dialog.show()
        window.risk_dialog.raise_()
        window.risk_dialog.activateWindow()
        return window.risk_dialog

    # Records: statistics, retention, a child's records -----------------------------------

    def preview(self, title: str, pdf: bytes, suggested: str) -> None:
        from ui.dialogs.pdf_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(title, pdf, suggested, self._window, folders=self._local)
        _delete_on_close(dialog)
        dialog.show()

    def show_statistics(self) -> QDialog | None:
        store = self._session.store
        if self._session.database is None:
            return None
        from app.services.documents import statistics_document
        from app.services.statistics import statistics
        from ui.dialogs.statistics import StatisticsDialog

        setting, actor = self._session.details.setting_name, self._session.actor
        figures = statistics(store)
        dialog = StatisticsDialog(
            figures,
            setting,
            self.preview,
            self._window,
            # Sealed and recorded in the file, like every document it produces.
            render=lambda partnership: statistics_document(
                store, figures, setting=setting, actor=actor, for_partnership=partnership
            ),
        )
        _delete_on_close(dialog)
        dialog.show()
        return dialog

    def show_retention(self) -> QDialog | None:
        db = self._session.database
        if db is None:
            return None
        from ui.dialogs.retention import RetentionDialog

        dialog = RetentionDialog(self._session.store, self._session.actor, self._window)
        return self._show_refreshing(dialog)

    def show_child_records(self) -> QDialog | None:
        db = self._session.database
        if db is None:
            return None
        from ui.dialogs.child_records import ChildRecordsDialog

        details = self._session.details
        dialog = ChildRecordsDialog(
            self._session.store,
            setting=details.setting_name,
            dsl=details.dsl_name,
            actor=self._session.actor,
            preview=self.preview,
            parent=self._window,
        )
        return self._show_refreshing(dialog)

    def show_verify_seal(self) -> QDialog | None:
        db = self._session.database
        if db is None:
            return None
        from ui.dialogs.verify_seal import VerifySealDialog

        dialog = VerifySealDialog(self._session.store, self._window)
        _delete_on_close(dialog)
        dialog.show()
        return dialog

    def _show_refreshing(self, dialog: QDialog) -> QDialog:
        """Shown; the workspace is read again when it closes (it may have changed)."""
        _delete_on_close(dialog)
        dialog.finished.connect(lambda _result: self._window.refresh())
        dialog.show()
        return dialog

    # Settings and the passphrase ---------------------------------------------------------

    def show_settings(self) -> SettingsDialog | None:
        window = self._window
        if self._session.database is None:
            return None
        from ui.dialogs.reminder_settings import ComputerChoices
        from ui.dialogs.settings import SettingsDialog
        from ui.tray.settings import ReminderSettings

        if window.settings_dialog is not None:
            window.settings_dialog.close()
            window.settings_dialog.deleteLater()
        dialog = SettingsDialog(
            self._session.library,
            self._session.details,
            self._local.idle_minutes,
            self._local.data_file,
            self.save_settings,
            window,
            ComputerChoices(
                self._local.backups,
                self._local.calendar_reminders,
                ReminderSettings(self._local.path).choices,
            ),
        )
        dialog.change_passphrase_requested.connect(self.show_change_passphrase)
        dialog.backup_requested.connect(lambda: window.back_up())
        dialog.restore_requested.connect(lambda: window.restore())
        window.settings_dialog = dialog
        dialog.open()
        return dialog

    def save_settings(
        self, details: SettingDetails, idle_minutes: int, computer: ComputerChoices
    ) -> None:
        """Raises ``KnownError`` (the dialog shows it and stays open)."""
        session = self._session
        db = session.require_open("The screen was locked, so the settings were not saved.")
        from app.errors import InputError
        from app.services.settings import save_settings

        problem = computer.problem()  # before anything is saved
        if problem is not None:
            raise InputError(problem)
        from ui.tray.settings import ReminderSettings

        ReminderSettings(self._local.path).apply(computer.tray)  # the sign-in entry too
        save_settings(db, details, session.library, actor=session.actor)
        self._window.set_idle_minutes(idle_minutes)
        self._local.backups = computer.backups
        self._local.calendar_reminders = computer.reminders
        self._window.refresh()

    def show_change_passphrase(self) -> ChangePassphraseDialog | None:
        window = self._window
        if self._session.database is None:
            return None
        from ui.dialogs.change_passphrase import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(self.change_passphrase, window.settings_dialog or window)
        dialog.open()
        return dialog

    def change_passphrase(self, current: str, new: str, repeat: str) -> None:
        """Raises ``KnownError`` (the dialog shows it and stays open)."""
        session = self._session
        db = session.require_open("The screen was locked, so the passphrase was not changed.")
        if jobs.busy():
            raise KnownError("Wait for the backup to finish, then change the passphrase.")
        from app.services import security

        # A team's file: the signed-in member's own slot (the service decides).
        security.change_passphrase(db, current, new, repeat, actor=session.actor)
        show_notice(
            self._window,
            "Passphrase changed",
            "Your passphrase has been changed. Use the new one from now on. Backups made "
            "before today still open with the old one.",
        )
