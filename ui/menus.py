"""The main window's actions, and the menus and toolbar that offer them.

Built without ``PySide6.QtCore.Qt``: the locked window is shown before Qt's namespace
is made (see ``ui.widgets.common.set_enum``), so shortcuts are set as key sequences and
enum properties by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenuBar, QToolBar

from ui.widgets.common import set_enum, std_icon, warning_icon

TABS = ("&Escalations", "&Contacts", "&Policies")
# A whole instruction, the first line of what it opens (ui.dialogs.immediate_risk): the
# app's own advice, the same whichever partnership's policy is in use.
RISK_TEXT = "If a child is at &immediate risk: call 999 — what to do…"


@dataclass(frozen=True)
class MainActions:
    risk: QAction
    new: QAction
    hide: QAction
    refresh: QAction
    settings: QAction
    statistics: QAction
    retention: QAction
    child_records: QAction
    verify_seal: QAction
    backup: QAction
    restore: QAction
    calendar: QAction
    team: QAction
    recover: QAction
    quit: QAction
    guide: QAction
    about: QAction
    tabs: tuple[QAction, ...]  # Ctrl+1, 2, 3: the workspace's tabs

    def needing_a_file(self) -> list[QAction]:
        """Hidden while locked: the locked window offers only what works there."""
        return [
            self.new,
            self.hide,
            self.refresh,
            self.settings,
            self.backup,
            self.restore,
            self.calendar,
            self.team,
            self.statistics,
            self.retention,
            self.child_records,
            self.verify_seal,
            *self.tabs,
        ]

    def changing_the_file(self) -> list[QAction]:
        """Greyed for a member whose role may not change the file, with the reason.
        A backup and a restore are the DSL's and deputies' (a backup is recorded in the
        audit and copies every record; a restore replaces them). Statistics, a child's
        records and verifying print or read: a read-only member may."""
        return [
            self.new,
            self.settings,
            self.backup,
            self.restore,
            self.calendar,
            self.retention,
        ]

    def follow_role(self, refusal: str) -> None:
        """``refusal``: why the signed-in member may not change the file ("" if they
        may), from ``app.team.signed_in.change_refusal``."""
        for act in self.changing_the_file():
            if act.property("usual_tip") is None:
                act.setProperty("usual_tip", act.toolTip())
            act.setEnabled(not refusal)
            act.setToolTip(refusal or str(act.property("usual_tip")))

    def on_toolbar(self) -> tuple[QAction, ...]:
        return (self.risk, self.new, self.hide, self.refresh, self.settings)


def _action(
    window: QMainWindow,
    text: str,
    slot: Callable[[], object],
    shortcut: Any = None,
    *,
    icon: QIcon | None = None,
    tip: str = "",
) -> QAction:
    act = QAction(text, window)
    act.triggered.connect(lambda _checked=False: slot())
    if shortcut is not None:
        act.setShortcuts([QKeySequence(shortcut)])  # see set_enum
    if icon is not None:
        act.setIcon(icon)
    if tip:
        act.setToolTip(tip)
    return act


class Host(Protocol):
    """What the actions call: the main window's slots (it is the ``QMainWindow`` the
    actions belong to, too)."""

    def style(self) -> Any: ...
    def close(self) -> bool: ...
    def lock(self) -> None: ...
    def refresh(self) -> None: ...
    def show_tab(self, index: int) -> None: ...
    def new_escalation(self) -> Any: ...
    def show_immediate_risk(self) -> Any: ...
    def show_statistics(self) -> Any: ...
    def show_retention(self) -> Any: ...
    def show_child_records(self) -> Any: ...
    def show_settings(self) -> Any: ...
    def show_team(self) -> Any: ...
    def show_recover(self) -> Any: ...
    def show_user_guide(self) -> Any: ...
    def show_about(self) -> Any: ...
    def back_up(self, destination: Any = None) -> bool: ...
    def restore(self, backup: Any = None, passphrase: str | None = None) -> bool: ...
    def add_deadlines_to_calendar(self, destination: Any = None) -> bool: ...


def build_actions(window: Host) -> MainActions:
    pixmap = window.style().StandardPixmap
    action = partial(_action, window)
    return MainActions(
        risk=action(
            RISK_TEXT,
            window.show_immediate_risk,
            "F1",
            icon=warning_icon(),
            tip="Call the police on 999, then Children's Social Care: what to do now (F1)",
        ),
        new=action(
            "&New escalation…",
            window.new_escalation,
            "Ctrl+N",
            icon=std_icon(pixmap.SP_FileIcon),
            tip="Open a new escalation: the Escalation Monitoring Form (Ctrl+N)",
        ),
        # From other windows of the app (an escalation, a modal dialog) HideScreenKey
        # catches it.
        hide=action(
            "&Hide screen",
            window.lock,
            "Ctrl+L",
            icon=std_icon(pixmap.SP_DialogCloseButton),
            tip="Lock now and hide every record (Ctrl+L)",
        ),
        refresh=action(
            "&Refresh",
            window.refresh,
            QKeySequence.StandardKey.Refresh,
            icon=std_icon(pixmap.SP_BrowserReload),
        ),
        settings=action(
            "&Settings…", window.show_settings, icon=std_icon(pixmap.SP_FileDialogDetailedView)
        ),
        statistics=action("&Statistics…", window.show_statistics),
        retention=action("&Retention review…", window.show_retention),
        child_records=action(
            "A &child's records (transfer, subject access)…", window.show_child_records
        ),
        verify_seal=action("&Verify a printed document…", window.show_verify_seal),
        backup=action("&Back up now…", lambda: window.back_up()),
        restore=action("Restore from a b&ackup…", lambda: window.restore()),
        calendar=action(
            "Add deadlines to my &calendar…",
            lambda: window.add_deadlines_to_calendar(),
            tip="Save the open deadlines as a calendar file (references and stages only)",
        ),
        team=action(
            "Safeguarding &team…",
            window.show_team,
            tip="The members who sign in to this file, their roles, and the recovery key",
        ),
        recover=action(
            "&Recover access…",
            window.show_recover,
            tip="A member forgot their passphrase: set a new one with the recovery key",
        ),
        quit=action("&Quit", window.close, QKeySequence.StandardKey.Quit),
        guide=action("&User guide", window.show_user_guide),
        about=action("&About Escalation Tracker", window.show_about),
        tabs=tuple(
            action(name, partial(window.show_tab, i), f"Ctrl+{i + 1}")
            for i, name in enumerate(TABS)
        ),
    )


def add_menus(menu: QMenuBar, actions: MainActions) -> None:
    file_menu = menu.addMenu("&File")
    file_menu.addAction(actions.new)
    file_menu.addSeparator()
    for act in (
        actions.settings,
        actions.team,
        actions.backup,
        actions.restore,
        actions.calendar,
    ):
        file_menu.addAction(act)
    file_menu.addSeparator()
    file_menu.addAction(actions.hide)
    file_menu.addAction(actions.quit)
    view_menu = menu.addMenu("&View")
    for act in actions.tabs:
        view_menu.addAction(act)
    view_menu.addSeparator()
    view_menu.addAction(actions.refresh)
    records_menu = menu.addMenu("&Records")
    for act in (actions.statistics, actions.retention, actions.child_records, actions.verify_seal):
        records_menu.addAction(act)
    help_menu = menu.addMenu("&Help")
    help_menu.addAction(actions.risk)
    help_menu.addSeparator()
    help_menu.addAction(actions.guide)
    help_menu.addAction(actions.recover)
    help_menu.addAction(actions.about)


def add_toolbar(window: QMainWindow, actions: MainActions) -> QToolBar:
    toolbar = QToolBar("Main toolbar")
    toolbar.setObjectName("main-toolbar")
    toolbar.setAccessibleName("Main toolbar")
    toolbar.setMovable(False)
    set_enum(toolbar, "toolButtonStyle", "ToolButtonTextBesideIcon")
    for act in actions.on_toolbar():
        toolbar.addAction(act)
        button = toolbar.widgetForAction(act)
        if button is not None:
            button.setAccessibleName(act.iconText())
            button.setAccessibleDescription(act.toolTip())
    window.addToolBar(toolbar)  # at the top
    return toolbar
