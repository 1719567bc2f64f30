"""A read-only member's transactions cannot change the file: the one place roles are
enforced for every service that writes (docs/architecture.md, "Who did it").

``Database.session()`` calls ``guard`` on every ORM transaction it opens. For a member
whose role may not change records (``app.team.member.may_change``) it adds two locks,
so no service needs its own check and none can forget one:

1. the ORM refuses, before anything reaches the file, any flush of new, changed or
   deleted rows and any INSERT, UPDATE or DELETE statement run through the session,
   with the member's plain-English refusal (``require_change``);
2. the connection is put in SQLite's ``query_only`` mode, so a write that goes round
   the ORM (the audit chain and its pins write through the driver) fails too, and is
   reported with the same refusal.

The one exception is narrow and explicit: ``printing_recorded`` lets the audit entry
that records a document being produced be appended (a read-only member may print, and
every printed copy must be in the audit so its seal can be checked). Nothing else
written inside it is allowed through the ORM, and the ``query_only`` lock is put back
as soon as the entry is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final

from app.team.member import Member, NotAllowedError, may_change, require_change

if TYPE_CHECKING:
    from sqlalchemy.orm import ORMExecuteState, Session

_GUARDED: Final = "read-only member"  # session.info key: the member being guarded
_READ_ONLY_ERROR: Final = "attempt to write a readonly database"


def refusal(member: Member) -> NotAllowedError:
    try:
        require_change(member)
    except NotAllowedError as exc:
        return exc
    raise AssertionError("only called for a member who may not change the file")


def guard(session: Session, member: Member | None) -> None:
    """Lock ``session`` against changes if ``member`` may not make them; nothing for a
    file opened the old way (no members) or a member who may change it."""
    if member is None or may_change(member):
        return
    from sqlalchemy import event

    session.info[_GUARDED] = member

    def before_flush(_session: Session, _context: Any, _instances: Any) -> None:
        raise refusal(member)

    def do_orm_execute(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            raise refusal(member)

    event.listen(session, "before_flush", before_flush)
    event.listen(session, "do_orm_execute", do_orm_execute)
    session.connection().exec_driver_sql("PRAGMA query_only = ON")


@contextmanager
def refused_writes(session: Session) -> Iterator[None]:
    """Report a write stopped by ``query_only`` as the member's refusal, not as a
    read-only disk."""
    member = session.info.get(_GUARDED)
    if member is None:
        yield
        return
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as exc:
        if _READ_ONLY_ERROR in str(exc.orig):
            raise refusal(member) from None
        raise


@contextmanager
def printing_recorded(session: Session) -> Iterator[None]:
    """Inside: the audit entry recording a produced document may be appended, whoever
    signed in. Used only by ``app.services.sealing.produce_sealed``."""
    if session.info.get(_GUARDED) is None:
        yield
        return
    connection = session.connection()
    connection.exec_driver_sql("PRAGMA query_only = OFF")
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA query_only = ON")
