"""Reads the open file into the workspace: at unlock the first screenful, the rest just
after, and all of it again on Refresh.

Unlocking is tuned for start-up (docs/performance.md, "Where start-up time goes"). The
first paint shows the settings, the counts and the first ``FIRST_PAGE_ROWS`` rows of
the list, from plain-SQL reads. Then, after the paint (or at once, when a search, a
filter, a sort or Refresh needs it), ``load_rest`` reads the whole list, loads the
policy library and the contacts, starts deriving the raw key and starts watching input.
What is held is ``app.session.Session``'s; this module is the Qt side: the timer, the
order, the widgets filled.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QTimer

from ui.operations import run_op

if TYPE_CHECKING:
    from app.domain.views import ContactView
    from app.session import Session
    from ui.local_settings import LocalSettings
    from ui.widgets.workspace import Workspace

# The rest loads this long after unlocking, so the dashboard's paint (a posted event)
# always comes first, whatever order the event loop takes its events in.
LOAD_REST_AFTER_MS = 50
# The list rows unlocking paints before reading the rest: more than a screen shows (a
# 2,160-pixel-high screen at 100% scaling shows about 80; a 4K screen turned upright
# would show the last rows empty until the rest is read). Each row is cheap to read,
# but the whole list of a large file is not.
FIRST_PAGE_ROWS = 100


class Host(Protocol):
    """What the loader needs of the main window."""

    session: Session

    @property
    def workspace(self) -> Workspace: ...

    def set_unlocked_ui(self, unlocked: bool) -> None: ...
    def show_default_policy(self) -> None: ...
    def watch_input(self) -> None: ...
    def show_backup_reminder(self) -> None: ...


class WorkspaceLoader:
    def __init__(self, window: Host, local: LocalSettings) -> None:
        self._window = window
        self._session = window.session
        self._local = local

    def first_paint(self) -> None:
        """What unlocking shows; the rest is read just after the paint."""
        self.show_dashboard(first_page=True)
        QTimer.singleShot(LOAD_REST_AFTER_MS, self.load_rest)  # it resumes the GC

    def load_rest(self) -> None:
        """Once per unlock, straight after the dashboard is painted (or when something
        needs it sooner): the whole list, the policy library and the contacts."""
        gc.enable()  # paused by unlocking until the dashboard was painted
        if not self._session.begin_rest():  # starts deriving the raw key
            return
        window = self._window
        # The input filters (idle lock, hide-screen key) from here too: each costs every
        # event a call into Python, hundreds of them in the first paint (see
        # ``IdleWatcher.install``). Until now the hide-screen key works as the window's
        # shortcut, and the idle timer, minutes long, has only just started.
        window.watch_input()
        escalations = window.workspace.escalations
        # The whole list, after the first screenful. Before the library: reading a large
        # list needs more memory at its peak than it keeps, which the library then reuses.
        if escalations.partial:
            self.show_dashboard()  # on failure it says so; the rest still loads
        names_before = escalations.short_names

        def read() -> list[ContactView]:
            self._session.library  # noqa: B018 - loaded first: the filters wait for it
            return self._session.contacts()

        def loaded(contacts: list[ContactView]) -> None:
            window.workspace.contacts.set_rows(contacts)
            if self._session.library.short_names() != names_before:
                self.show_dashboard()  # labels differed from the remembered ones
            window.show_default_policy()
            window.show_backup_reminder()
            window.unlocking.after_rest()  # the seal check (ui/unlock_flow.py)

        run_op(window, read, loaded)

    def show_dashboard(self, first_page: bool = False) -> bool:
        """The settings and the dashboard, from plain-SQL reads. False if unreadable.

        ``first_page``: the counts, but only the first screenful of the list, when the
        list shows the first rows in deadline order anyway (it does after unlocking).
        The rest follow in ``load_rest``, or at once if a search, filter or sort needs
        them (``complete_list``)."""
        names = self._session.short_names(self._local.policy_names)
        workspace = self._window.workspace
        shows_first = first_page and workspace.escalations.shows_first_page()
        rows = FIRST_PAGE_ROWS if shows_first else None
        return run_op(
            self._window,
            lambda: self._session.read_dashboard(names, rows),
            lambda dash: workspace.show_dashboard(dash, names),
        )

    def complete_list(self) -> None:
        """Something needs the whole list while only its first screenful is held."""
        escalations = self._window.workspace.escalations
        if self._session.is_open:
            if not self._session.rest_loaded:
                self.load_rest()  # reads the whole list first
            elif escalations.partial:
                self.show_dashboard()
        if escalations.partial:
            # It could not be read, and the message said why (once): the list shows,
            # searches and counts the rows it holds rather than asking again.
            escalations.model.drop_partial()

    def refresh(self) -> None:
        session, window = self._session, self._window
        if not session.is_open:
            return
        contacts_read = not session.rest_loaded
        # load_rest reads the whole list itself if only the first screenful is held.
        list_read = contacts_read and window.workspace.escalations.partial
        self.load_rest()  # once per unlock: the library, and the contacts with it
        if not list_read and not self.show_dashboard():
            return
        if not contacts_read and not run_op(
            window, session.contacts, window.workspace.contacts.set_rows
        ):
            return
        window.set_unlocked_ui(True)
        window.show_default_policy()
        window.show_backup_reminder()
