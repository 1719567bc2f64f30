"""What the desktop window holds while it is unlocked, without Qt: the open data file,
the setting's details, and the policy library.

The library is loaded once, the first time something needs it. Loading it (pydantic
and the policy files) is start-up time the first paint does not wait for: until then
the list is labelled with the short names remembered from last time (see
docs/performance.md, "Where start-up time goes"). The window's side of the start-up
sequence, the timers and the first paint, is ``ui.startup``.

Nothing here imports SQLAlchemy, pydantic or the dashboard's reads at module level:
this module is imported before the locked window is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from app.errors import KnownError
from app.services.setting_details import SettingDetails, get_settings
from app.team.member import Member
from app.team.signed_in import signed_in

if TYPE_CHECKING:
    from sqlalchemy.orm import Session as OrmSession

    from app.domain.views import ContactView
    from app.policy import Policy, PolicyLibrary
    from app.services.dashboard import Dashboard
    from app.storage.database import Database


LOCKED = "The screen is locked. Unlock it, then try again."


def member_of(database: Database) -> Member:
    """Who is acting on ``database`` outside the window (the command line): the member
    who signed in, or for a file opened the old way, its DSL (``Session.member``'s
    rule, with the details read now)."""
    return signed_in(database.member, get_settings(database).dsl_name)


class OpenFile:
    """The session's open file as a ``MaintainedStore``: whichever file is open at each
    call. A window kept hidden through a lock (``ui.lock_keeper``) holds this, not the
    ``Database`` closed by the lock, so it reads and saves again once the same file is
    unlocked; the window discards the ones it kept if another file is unlocked."""

    def __init__(self, session: Session) -> None:
        self._session = session

    @contextmanager
    def session(self) -> Iterator[OrmSession]:
        with self._session.require_open(LOCKED).session() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Any]:
        with self._session.require_open(LOCKED).read() as connection:
            yield connection

    def vacuum(self) -> None:
        self._session.require_open(LOCKED).vacuum()


class Session:
    """One per window. ``library``: the policies, or a function that loads them."""

    def __init__(self, library: PolicyLibrary | Callable[[], PolicyLibrary]) -> None:
        self._library_source = library
        self._library: PolicyLibrary | None = None if callable(library) else library
        self._library_wanted: list[Callable[[PolicyLibrary], object]] = []
        self.database: Database | None = None
        self.store = OpenFile(self)  # what windows that may outlive a lock are given
        self.details = SettingDetails()  # read with every dashboard
        self._rest_loaded = False

    # The policy library ------------------------------------------------------------------

    @property
    def library(self) -> PolicyLibrary:
        """The policies, loaded (and validated) on first use."""
        if self._library is None:
            source = self._library_source
            assert callable(source)
            self._library = source()
            for callback in self._library_wanted:
                callback(self._library)
        return self._library

    def reload_library(self) -> PolicyLibrary:
        """Load the policy files again (one was saved or imported in the app) and give
        the new library to everything that asked for it."""
        from app.policy import default_library

        self._library_source = default_library
        self._library = default_library()
        for callback in self._library_wanted:
            callback(self._library)
        return self._library

    @property
    def library_loaded(self) -> bool:
        return self._library is not None

    def when_library_loaded(self, callback: Callable[[PolicyLibrary], object]) -> None:
        """Call ``callback`` with the library once it is loaded (now, if it is)."""
        self._library_wanted.append(callback)
        if self._library is not None:
            callback(self._library)

    def short_names(self, remembered: Mapping[str, str]) -> Mapping[str, str]:
        """The policies' short names for labels: the library's once it is loaded, else
        those ``remembered`` from the last time it was."""
        return self._library.short_names() if self._library is not None else remembered

    def default_policy(self) -> Policy | None:
        """The setting's default policy, if this version of the app has it."""
        policy_id = self.details.default_policy
        if policy_id and policy_id in self.library.ids():
            return self.library.get(policy_id)
        return None

    # The open file -----------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.database is not None

    @property
    def member(self) -> Member:
        """Who is acting in this window: the member who signed in, or for a file with
        no members yet (opened the old way) its DSL, named from the setting's details.
        Every name the audit, the records and the documents give for "who did it"
        comes from here (``actor``), never from a name typed in a form."""
        return signed_in(self.database.member if self.database else None, self.details.dsl_name)

    @property
    def actor(self) -> str:
        """How the audit trail names who is acting in this window."""
        return self.member.actor

    def open(self, database: Database) -> None:
        self.database = database
        self._rest_loaded = False

    def close(self) -> Database | None:
        """Forget the file and the details read from it; the caller closes the file
        (when a backup reading it has finished)."""
        database, self.database = self.database, None
        self.details = SettingDetails()
        return database

    def require_open(self, refusal: str) -> Database:
        """The open file, or a KnownError saying ``refusal`` (the screen locked while a
        dialog was open)."""
        if self.database is None:
            raise KnownError(refusal)
        return self.database

    # Reads -------------------------------------------------------------------------------

    def read_dashboard(self, short_names: Mapping[str, str], rows: int | None = None) -> Dashboard:
        """The details and the dashboard, from plain-SQL reads. ``rows``: the counts and
        total, but only that many rows of the list (what unlocking paints first)."""
        from app.services import dashboard

        database = self._database()
        self.details = get_settings(database)
        if rows is not None:
            return dashboard.first_page(database, rows, short_names)
        return dashboard.dashboard(database, short_names)

    def contacts(self) -> list[ContactView]:
        from app.services.contact_rows import list_contacts

        return list_contacts(self._database())

    @property
    def rest_loaded(self) -> bool:
        """True once ``begin_rest`` has begun the rest of this unlock."""
        return self._rest_loaded

    def begin_rest(self) -> bool:
        """Once per unlock, after the first paint: start deriving the raw key on a
        worker thread (not before: it takes a core, and the first paint is slower
        sharing it). Reads until then use the connection that opened the file, and the
        first write waits for the key. False if locked or already begun."""
        if self.database is None or self._rest_loaded:
            return False
        self._rest_loaded = True
        self.database.derive_key()
        return True

    def _database(self) -> Database:
        if self.database is None:
            raise RuntimeError("No data file is open.")  # a bug: the caller checks
        return self.database
