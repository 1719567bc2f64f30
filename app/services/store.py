"""What services need from the data file, as protocols (no SQLAlchemy at run time).

``session()`` is one ORM transaction, for writes and detailed reads. ``read()`` is one
read transaction on a plain DB-API connection (``execute(sql, parameters)`` returning
rows, as ``sqlite3`` does), for the reads that run at every unlock and refresh: they
must not wait for SQLAlchemy to load (start-up: docs/performance.md)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session


class ReadStore(Protocol):
    def read(self) -> AbstractContextManager[Any]: ...


class Sessions(Protocol):
    """What a write needs: ORM transactions."""

    def session(self) -> AbstractContextManager[Session]: ...


class Store(ReadStore, Sessions, Protocol): ...


class MaintainedStore(Store, Protocol):
    """A store that can also rebuild its file (after retention destruction), and says
    where the file is (the copies the app keeps beside it: app.storage.copies)."""

    path: Path

    def vacuum(self) -> None: ...


class OneTransaction:
    """A ``Store`` whose every ``session()`` is one already-open session, so several
    service calls commit or roll back together (a new child and their first escalation:
    a failure of the second must not leave the first behind)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def session(self) -> AbstractContextManager[Session]:
        return nullcontext(self._session)
