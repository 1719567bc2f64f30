"""How a connection to the data file is made: given its key, quiet, and configured for
crash safety, whether it is a plain driver connection or one of SQLAlchemy's engine.

One recipe for every connection (the open file's, a backup's, a restore's check), so no
connection can miss a setting that the file's safety relies on. ``app.storage.database``
decides when connections are made and closed.

SQLAlchemy is imported only in ``make_engine``: unlocking and painting the dashboard
read through plain driver connections, and the ORM loads later (checked by
``tests/ui/test_startup_lean.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import sqlcipher3

from app.storage.errors import passphrase_error, translate
from app.storage.keys import execute_secret, raw_key_literal, sql_string

if TYPE_CHECKING:
    import sqlalchemy
    from sqlalchemy.engine.interfaces import DBAPIConnection

# The first read: SQLCipher derives or applies the key here and checks page 1 with it.
FIRST_READ: Final = "SELECT count(*) FROM sqlite_master"
# How long a statement waits for another connection's lock on the file before failing
# with "database is locked" (translated to a plain FileBusyError). The app's own
# connections take turns within this; only another program can hold a lock longer.
BUSY_TIMEOUT_MS = 5000


def _silence_sqlcipher(dbapi_connection: DBAPIConnection, _record: Any = None) -> None:
    # A wrong key otherwise makes SQLCipher print "ERROR CORE ... hmac check failed" lines
    # to stderr. The error still reaches us as an exception; the lines are just noise in a
    # desktop app. Must run before the key is used, hence ``insert=True`` on the engine.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA cipher_log_level = NONE")
    finally:
        cursor.close()


def configure(dbapi_connection: DBAPIConnection, _record: Any = None) -> None:
    """Per-connection settings (none of these pragmas persist in the file).

    Journal mode DELETE with synchronous FULL, for crash safety:
    - a commit writes the old pages to ``<name>-journal``, fsyncs it, writes the file,
      fsyncs it, then deletes the journal. A power cut at any point leaves either the old
      or the new state (a left-over journal is rolled back on the next open), and every
      commit that returned is on disk;
    - the journal's pages are encrypted with the file's key, so nothing is plaintext;
    - between transactions the ``.etdb`` alone is the complete database, so copying one
      file (to a USB stick, by the user or a backup tool) copies everything. WAL would
      keep recent commits in ``-wal``/``-shm`` files until a checkpoint, needs shared
      memory that network drives do not give, and its concurrency is of no use to a
      single-writer app.
    """
    # Our own BEGIN (see ``_begin``): the driver's legacy transaction handling would
    # otherwise commit DDL outside the transaction and not wrap SELECTs at all.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # First: the statements below may already wait for another connection's lock.
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = DELETE")
        cursor.execute("PRAGMA synchronous = FULL")
        # Sorts and temporary tables stay in memory rather than in temp files.
        cursor.execute("PRAGMA temp_store = MEMORY")
        # Deleted records are overwritten, so they cannot be recovered from free pages
        # by someone who later learns the passphrase.
        cursor.execute("PRAGMA secure_delete = ON")
    finally:
        cursor.close()


def _begin(connection: sqlalchemy.Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def make_engine(path: Path, key: bytearray) -> sqlalchemy.Engine:
    import sqlalchemy
    from sqlalchemy import event
    from sqlalchemy.pool import NullPool

    url = sqlalchemy.URL.create(
        "sqlite+pysqlcipher", password=raw_key_literal(key), database=str(path)
    )
    engine = sqlalchemy.create_engine(
        url,
        # A connection per use: nothing decrypted stays cached between operations, and
        # the raw key makes connecting cheap (no PBKDF2 per connection).
        poolclass=NullPool,
        # Bound values are child data: keep them out of exception text and logs.
        hide_parameters=True,
    )
    event.listen(engine, "connect", _silence_sqlcipher, insert=True)
    event.listen(engine, "connect", configure)
    event.listen(engine, "begin", _begin)
    return engine


def keyed(path: Path, key_sql: str, *, any_thread: bool = False) -> Any:
    """A driver connection given its key, with nothing read yet (so no key derived).
    ``key_sql`` is a quoted passphrase or raw-key literal. ``any_thread``: it will be
    used on a thread other than the one opening it."""
    connection = sqlcipher3.connect(
        str(path),
        isolation_level=None,
        check_same_thread=not any_thread,
        timeout=BUSY_TIMEOUT_MS / 1000,  # the first read waits as long as any other
    )
    try:
        _silence_sqlcipher(connection)
        execute_secret(connection.cursor(), f"PRAGMA key = {key_sql}")
    except BaseException:
        connection.close()
        raise
    return connection


def raw_connect(path: Path, key_sql: str) -> Any:
    """A driver connection outside SQLAlchemy (create, verify copies), read once and
    configured. Raises the driver's NOTADB for a wrong key."""
    connection = keyed(path, key_sql)
    try:
        connection.execute(FIRST_READ).fetchone()
        configure(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def keyed_with_passphrase(path: Path, passphrase: str, outcome: str) -> Any:
    """``keyed`` with the passphrase, for a worker thread to read through (see
    ``first_read_with_passphrase``). An error is raised without the driver's (whose
    frames hold the quoted passphrase) as its context."""
    try:
        return keyed(path, sql_string(passphrase), any_thread=True)
    except (sqlcipher3.Error, OSError) as exc:
        failure = translate(exc, outcome) or exc.with_traceback(None)
    raise failure


def first_read_with_passphrase(connection: Any, outcome: str) -> Any:
    """The first read on a connection given the passphrase (``keyed_with_passphrase``),
    during which SQLCipher derives the key and checks it against page 1; the connection,
    or the plain error (a wrong passphrase) once it is closed. Run on a worker thread by
    ``Database.open``.

    Only this read runs on the worker. Each statement there hands the GIL back and forth
    with the opening thread, which is busy building the window, and every handover can
    wait out the interpreter's switch interval; so the settings (``configure``) are made
    on the opening thread after it."""
    try:
        connection.execute(FIRST_READ).fetchone()
        return connection
    except (sqlcipher3.Error, OSError) as exc:
        connection.close()
        failure = passphrase_error(exc, outcome)
    # Raised outside the handler: the driver's error (whose frames hold the quoted
    # passphrase) is not kept as the plain error's context.
    raise failure
