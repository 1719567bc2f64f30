"""What was open when the screen locked, kept until the same file is unlocked again.

Locking hides, and does not close, every window and dialog that was open: escalation
windows and their forms, the new-escalation form, settings, the records windows, the
messages on them. Nothing of them is written anywhere: they stay in this process's
memory, hidden, exactly as they were (every field, the cursor, the scroll position).
Unlocking the same file shows them again, each with its focus, cursor and selection as
they were (not the first field focused with its text selected, as a new window's is,
which the next key typed would replace), and the keyboard where it was; they
read and save through ``Session.store``, which is whichever file is open at the time.

If another file is unlocked instead, a backup is restored over this one, or the app is
quit from the lock screen, what was kept is wiped and closed without asking. Unsaved
typing is then lost: keeping it anywhere but in memory would put child data on disk.

What was kept belongs to the member who typed it (issue 23): if another member unlocks
the same file, it is wiped and closed too, never shown to them. Shown, a deputy's
half-typed discussion could be saved in the DSL's name, and its windows act for the
member who opened them. Holding it hidden for its member while another works would
keep child data in windows no one on screen can see or close, and an escalation the
other member opens could not be its own window; so, as for another file, it goes.

A dialog waiting in ``exec()`` (a question, a file picker, a small form of the records
windows: application-modal here, where the app's own windows open with ``open()`` or
``show()``) runs a nested event loop that hiding would end as though it were answered,
so it is cancelled instead, as its Cancel button would, and the window behind it comes
back. Popups (a drop-down list, a tooltip) just close.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog, QWidget
from shiboken6 import isValid

if TYPE_CHECKING:
    from app.team.member import Member
    from ui.dialogs.immediate_risk import ImmediateRiskDialog
    from ui.dialogs.settings import SettingsDialog
    from ui.escalation.view import EscalationView
    from ui.widgets.keyboard import KeptFocus


class Host(Protocol):
    """What the keeper needs of the main window: where it keeps what holds child data."""

    views: dict[str, EscalationView]
    risk_dialog: ImmediateRiskDialog | None
    settings_dialog: SettingsDialog | None


def _depth(widget: QWidget) -> int:
    """How many windows it sits over (a form over an escalation window: 2)."""
    depth, parent = 0, widget.parentWidget()
    while parent is not None:
        depth, parent = depth + 1, parent.window().parentWidget()
    return depth


class LockKeeper:
    def __init__(self, window: Host) -> None:
        self._window = window
        self._file: Path | None = None  # the file the kept windows belong to
        self._member: Member | None = None  # and the member who typed in them
        self._kept: list[QWidget] = []  # hidden; parents before the dialogs over them
        self._active: QWidget | None = None
        self._focus: QWidget | None = None
        # Each kept window's focus, cursor and selection: shown again, it is as it was.
        self._kept_focus: list[KeptFocus] = []

    @property
    def kept(self) -> list[QWidget]:
        return [w for w in self._kept if isValid(w)]

    def _others(self) -> list[QWidget]:
        """Every window on screen but the main window and what carries no child data:
        the immediate-risk guidance, a backup's progress."""
        return [
            w
            for w in QApplication.topLevelWidgets()
            if w.isVisible()
            and w is not self._window
            and w is not self._window.risk_dialog
            and not isinstance(w, QProgressDialog)
        ]

    def put_away(self, data_file: Path, member: Member) -> None:
        """The screen is locking: hide what is open, remembering where the focus was,
        for ``member`` (who signed in) alone."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QToolTip

        if self._file is None:
            self._file, self._member = data_file.resolve(), member
            self._active, self._focus = QApplication.activeWindow(), QApplication.focusWidget()
        QToolTip.hideText()
        found = self._others()
        for widget in found:
            if widget.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
                widget.close()
            elif widget.windowModality() == Qt.WindowModality.ApplicationModal:
                _cancel(widget)
        kept = [w for w in found if w.isVisible()]
        # Imported here, as Qt is above: the locked window is shown without Qt's
        # namespace, which ui.widgets.keyboard loads (see ui.widgets.common.set_enum).
        from ui.widgets.keyboard import KeptFocus

        self._kept_focus += [f for f in map(KeptFocus.of, kept) if f is not None]
        was_active = QApplication.activeWindow() is not None
        for widget in kept:
            widget.hide()
        self._kept += sorted(kept, key=_depth)
        main = cast(QWidget, self._window)
        if was_active and kept:  # the app had the keyboard: it goes to the lock screen
            main.raise_()
            main.activateWindow()

    def bring_back(self, data_file: Path, member: Member) -> None:
        """A file has been unlocked by ``member``: if it is the one locked and the same
        member, show again what was kept, the focus where it was; if not, discard it."""
        if self._file is None:
            return
        if data_file.resolve() != self._file or member != self._member:
            self.discard()
            return
        from PySide6.QtCore import Qt

        from ui.widgets.keyboard import focus_kept

        kept = self.kept
        for widget in kept:
            with focus_kept(widget):  # not the first field's, as a new window's is
                widget.show()
        for kept_focus in self._kept_focus:
            if isValid(kept_focus.widget) and kept_focus.widget.window() in kept:
                kept_focus.restore()
        # Where the focus can go back to: these windows and the main window.
        windows = [*kept, cast(QWidget, self._window)]
        active, focus = self._active, self._focus
        if focus is not None and (not isValid(focus) or focus.window() not in windows):
            focus = None  # in a question that was cancelled, or a window gone since
        # A question cancelled by the lock: the window it was asked over.
        active = _nearest(active, windows) or (focus.window() if focus is not None else None)
        if active is not None:
            active.raise_()
            active.activateWindow()
            focus = focus or active.focusWidget()
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._forget()

    def refresh_views(self) -> None:
        """Once the unlocked file can be read at full speed: the escalation windows read
        again (the day may have changed while the screen was locked)."""
        for view in list(self._window.views.values()):
            if isValid(view) and view.isVisible():
                view.refresh()

    def _forget(self) -> None:
        self._file, self._member, self._kept = None, None, []
        self._active, self._focus, self._kept_focus = None, None, []

    def discard(self) -> None:
        """Wipe and close, without asking, every window holding child data, kept or on
        screen: a form's unsaved typing included."""
        window = self._window
        # Forms first: closing an escalation window would ask about them. (Their module
        # loads with the first form; none can be open before, and start-up need not
        # pay for it.)
        forms = sys.modules.get("ui.widgets.form_dialog")
        found = [w for w in (*self.kept, *self._others()) if isValid(w)]
        self._forget()
        if forms is not None:
            for widget in found:
                if isinstance(widget, forms.FormDialog):
                    widget.discard()
        for view in list(window.views.values()):
            view.wipe()
            view.close()
            view.deleteLater()
        window.views.clear()
        if window.settings_dialog is not None:
            window.settings_dialog.close()
            window.settings_dialog.deleteLater()
            window.settings_dialog = None
        # The records windows, messages and pickers too: hidden or not, none comes back.
        for widget in found:
            if isValid(widget) and isinstance(widget, QDialog):
                if forms is not None:
                    forms.wipe(widget)
                widget.reject()


def _nearest(widget: QWidget | None, kept: list[QWidget]) -> QWidget | None:
    """The window of ``kept`` that is ``widget``'s own, or the nearest under it."""
    while widget is not None and isValid(widget):
        window = widget.window()
        if window in kept:
            return window
        widget = window.parentWidget()
    return None


def _cancel(dialog: QWidget) -> None:
    """A dialog waiting in ``exec()``: forget what was typed in it and answer Cancel."""
    forms = sys.modules.get("ui.widgets.form_dialog")
    if forms is not None and isinstance(dialog, forms.FormDialog):
        dialog.discard()
        return
    if forms is not None:
        forms.wipe(dialog)
    if isinstance(dialog, QDialog):
        dialog.reject()
    else:
        dialog.close()
