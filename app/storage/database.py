"""The encrypted data file: open, create, lock, back up, restore, change passphrase.

A data file (``.etdb``) is a standard SQLCipher 4 database with the default settings
(AES-256, HMAC-SHA512 per page, PBKDF2-HMAC-SHA512 with 256,000 iterations), reached
through SQLAlchemy's ``sqlite+pysqlcipher`` dialect and the ``sqlcipher3`` wheel. Any
SQLCipher 4 tool opens it with the passphrase alone.

Everything here that can fail because of the user's environment (wrong passphrase, file
in use, disk full, read-only folder, damaged file) raises a ``StorageError`` with a
plain-English message; anything else is a bug and propagates unchanged.

Secrets never reach an error message or log: the engine hides bound parameters, and the
statements that carry a passphrase or key (``PRAGMA key``/``rekey``, ``ATTACH ... KEY``)
run through ``_execute_secret``, which strips the driver's message (a syntax error
quotes the statement).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Generic, Self, TypeVar

import sqlcipher3

from app.errors import InputError, KnownError
from app.storage.lock import UNSUPPORTED as LOCKING_UNSUPPORTED
from app.storage.lock import DataFileLock

if TYPE_CHECKING:
    import sqlalchemy
    from sqlalchemy.engine.interfaces import DBAPIConnection, DBAPICursor
    from sqlalchemy.orm import Session

T = TypeVar("T")

# SQLAlchemy (about 0.2 s and 30 MB to import) is loaded on the first ``session()`` or
# ``connect()``, not on open: unlocking and painting the dashboard read through ``read()``
# on plain driver connections (issue 9: start-up).

__all__ = [
    "FILE_EXTENSION",
    "DamagedFileError",
    "Database",
    "DiskFullError",
    "FileAlreadyExistsError",
    "FileInUseError",
    "NotADataFileError",
    "ReadOnlyError",
    "StorageError",
    "WrongPassphraseError",
    "before_restore_path",
    "restore_backup",
]

FILE_EXTENSION: Final = ".etdb"

# SQLCipher 4 defaults. They are not set anywhere (the library's defaults are used);
# they are repeated here only to derive the same key in Python, see ``_derive_key``.
KDF_ITERATIONS: Final = 256_000
KEY_BYTES: Final = 32
SALT_BYTES: Final = 16

_PLAINTEXT_SQLITE_HEADER: Final = b"SQLite format 3\x00"
_MIN_PAGE_SIZE: Final = 512  # every SQLite page size is a multiple of this

# Primary SQLite result codes (the low byte of an extended code).
_SQLITE_ERROR: Final = 1
_SQLITE_READONLY: Final = 8
_SQLITE_IOERR: Final = 10
_SQLITE_CORRUPT: Final = 11
_SQLITE_FULL: Final = 13
_SQLITE_CANTOPEN: Final = 14
_SQLITE_NOTADB: Final = 26

# What the user is told did not happen, per operation.
_NOT_SAVED: Final = "the last change was not saved"
_NOT_OPENED: Final = "the file could not be opened"
_NOT_CREATED: Final = "the file was not created"
_NOT_REKEYED: Final = "the passphrase was not changed"
_NOT_BACKED_UP: Final = "the backup was not made"
_NOT_RESTORED: Final = "the backup was not restored"
_NOT_CHECKED: Final = "the file could not be checked"
_NOT_READ: Final = "it could not be read"


# --- Errors ----------------------------------------------------------------------------


class StorageError(KnownError):
    """The data file could not be read or written; the message says why in plain words."""


class WrongPassphraseError(StorageError):
    def __init__(self) -> None:
        super().__init__("That passphrase does not open this file.")


class FileInUseError(StorageError):
    def __init__(self) -> None:
        super().__init__("This file is already open in another window.")


class NotADataFileError(StorageError):
    """The file is missing, a folder, or not an encrypted data file."""


class FileAlreadyExistsError(StorageError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"A file called {path.name} already exists there. Choose a different name."
        )


class DiskFullError(StorageError):
    pass


class ReadOnlyError(StorageError):
    pass


class DamagedFileError(StorageError):
    pass


def _translate(exc: BaseException, outcome: str) -> StorageError | None:
    """The plain-English error for an environment failure, or None if it is a bug."""
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return DiskFullError(f"The disk is full, so {outcome}. Free some space and try again.")
        if exc.errno == errno.EROFS:
            return ReadOnlyError(f"The drive is read-only, so {outcome}.")
        if isinstance(exc, PermissionError):
            return ReadOnlyError(
                f"You do not have permission to change this file or its folder, so {outcome}."
            )
        return StorageError(
            f"The file could not be read or written (was a drive removed?), so {outcome}."
        )
    code = _sqlite_code(exc)
    if code == _SQLITE_FULL:
        return DiskFullError(f"The disk is full, so {outcome}. Free some space and try again.")
    if code == _SQLITE_READONLY:
        return ReadOnlyError(f"The file or its folder is read-only, so {outcome}.")
    if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
        return StorageError(
            f"The file could not be read or written (was a drive removed?), so {outcome}."
        )
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return DamagedFileError(f"The file is damaged, so {outcome}. Restore it from a backup.")
    return None


def _sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code behind a driver or SQLAlchemy error."""
    original = exc
    orm_errors = sys.modules.get("sqlalchemy.exc")  # not loaded: the error is not its
    if orm_errors is not None and isinstance(exc, orm_errors.DBAPIError):
        original = exc.orig
    if not isinstance(original, sqlcipher3.Error):
        return None
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF != _SQLITE_ERROR:
        return code & 0xFF
    # Older drivers without error codes, and SQL functions that pass a failure on as a
    # generic SQLITE_ERROR with SQLite's own message (``sqlcipher_export`` does, for a
    # full disk during a backup): fall back on SQLite's fixed messages.
    message = str(original)
    for text, fallback in (
        ("database or disk is full", _SQLITE_FULL),
        ("readonly database", _SQLITE_READONLY),
        ("file is not a database", _SQLITE_NOTADB),
        ("disk image is malformed", _SQLITE_CORRUPT),
        ("disk I/O error", _SQLITE_IOERR),
    ):
        if text in message:
            return fallback
    return code & 0xFF if isinstance(code, int) else None


@contextlib.contextmanager
def _storage_errors(outcome: str) -> Iterator[None]:
    """Turn environment failures inside the block into StorageErrors; let bugs through."""
    try:
        yield
    except Exception as exc:  # OSError, the driver's or SQLAlchemy's errors; others pass
        known = _translate(exc, outcome)
        if known is None:
            raise
        raise known from exc


# --- Passphrases and keys --------------------------------------------------------------


def _check_passphrase(passphrase: str) -> None:
    if not passphrase:
        raise InputError("Enter a passphrase: it cannot be empty.")
    if "\x00" in passphrase:
        # SQLite statements end at a NUL, so such a passphrase could not be given to it.
        raise InputError("The passphrase cannot contain a null character.")
    try:
        passphrase.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("The passphrase contains characters that cannot be used.") from None


def _sql_string(value: str) -> str:
    """A SQL string literal. PRAGMA values cannot be bound parameters, so quote by hand."""
    return "'" + value.replace("'", "''") + "'"


def _execute_secret(cursor: DBAPICursor, sql: str, parameters: tuple[str, ...] = ()) -> None:
    """Run a statement holding a passphrase or key; on failure, re-raise the same driver
    error type and SQLite code with a message that cannot contain the secret."""
    try:
        cursor.execute(sql, parameters)
    except sqlcipher3.Error as exc:
        name = getattr(exc, "sqlite_errorname", "error")
        scrubbed = type(exc)(f"{name} (statement hidden: it holds a key)")
        for attribute in ("sqlite_errorcode", "sqlite_errorname"):
            if hasattr(exc, attribute):
                setattr(scrubbed, attribute, getattr(exc, attribute))
        raise scrubbed from None


def _derive_key(passphrase: str, salt: bytes) -> bytearray:
    """The key SQLCipher 4 itself derives from this passphrase and this file's salt.

    Done once per open: with NullPool every connection would otherwise re-run 256,000
    PBKDF2 rounds (about 0.2 s). The file stays a standard passphrase file.
    """
    import hashlib  # here: OpenSSL's libcrypto is 3 ms to load, after the first paint

    return bytearray(
        hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)
    )


class _InBackground(Generic[T]):
    """``work()`` on a worker thread; ``result()`` waits for it and returns or raises.

    Unlocking runs its two key derivations this way: SQLCipher's (opening the file with
    the passphrase) and hashlib's (the raw key for every later connection). Both release
    the GIL while they hash, so the window's own work goes on meanwhile (issue 9)."""

    def __init__(self, work: Callable[[], T], name: str) -> None:
        self._value: list[T] = []
        self._error: list[BaseException] = []

        def run() -> None:
            try:
                self._value.append(work())
            except BaseException as exc:  # handed to result()'s caller
                # Without its frames, which hold the passphrase (the worker's arguments).
                self._error.append(exc.with_traceback(None))

        self._worker = threading.Thread(target=run, name=name, daemon=True)
        self._worker.start()

    def done(self) -> bool:
        return not self._worker.is_alive()

    def result(self) -> T:
        self._worker.join()
        if self._error:
            raise self._error[0]
        return self._value.pop()

    def discard(self, dispose: Callable[[T], None]) -> None:
        """Wait, then ``dispose`` of the result, if there is one (errors are dropped)."""
        self._worker.join()
        while self._value:
            dispose(self._value.pop())
        self._error.clear()


def _open_with(connection: Any) -> Any:
    """``Database.open``'s worker: the first read on a connection given the passphrase
    (``_keyed``), during which SQLCipher derives the key and checks it against page 1.

    Only this read runs on the worker. Each statement there hands the GIL back and forth
    with the opening thread, which is busy building the window; every handover can wait
    out the 5 ms switch interval, and the whole of ``_raw_connect`` there took 0.15-0.19 s
    instead of 0.10 s (issue 9). The settings are made on the opening thread after it."""
    try:
        connection.execute(_FIRST_READ).fetchone()
        return connection
    except (sqlcipher3.Error, OSError) as exc:
        connection.close()
        failure = _passphrase_error(exc, _NOT_OPENED)
    # Raised outside the handler: the driver's error (whose frames hold the quoted
    # passphrase) is not kept as the plain error's context.
    raise failure


def _keyed_with_passphrase(path: Path, passphrase: str) -> Any:
    """``_keyed`` with the passphrase, for ``Database.open`` (its worker reads through
    it). An error is raised without the driver's (whose frames hold the quoted
    passphrase) as its context."""
    try:
        return _keyed(path, _sql_string(passphrase), any_thread=True)
    except (sqlcipher3.Error, OSError) as exc:
        failure = _translate(exc, _NOT_OPENED) or exc.with_traceback(None)
    raise failure


def _zero(key: bytearray) -> None:
    key[:] = bytes(len(key))


def _close(connection: Any) -> None:
    connection.close()


def _passphrase_error(exc: BaseException, outcome: str) -> BaseException:
    """What opening with a passphrase raised, for the user: a wrong passphrase and a
    damaged first page look the same to SQLCipher (page 1's HMAC fails). Anything else
    is a bug, and goes on without its frames (they hold the passphrase)."""
    if _sqlite_code(exc) == _SQLITE_NOTADB:
        return WrongPassphraseError()
    return _translate(exc, outcome) or exc.with_traceback(None)


def _raw_key_literal(key: bytearray, salt: bytes | None = None) -> str:
    """SQLCipher's raw-key syntax: ``x'<key hex>'``, or ``x'<key hex><salt hex>'``.

    With the salt included, a *new* database (the ATTACHed backup) is written with that
    salt instead of a random one, so the same passphrase derives the same key for it.
    """
    return "x'" + key.hex() + (salt.hex() if salt is not None else "") + "'"


# --- Files -----------------------------------------------------------------------------


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def before_restore_path(target: Path) -> Path:
    """Where ``restore_backup`` keeps the file it replaced: ``name.before-restore.etdb``."""
    return target.with_name(f"{target.stem}.before-restore{target.suffix}")


def _check_data_file(path: Path) -> None:
    """Refuse what cannot be an encrypted data file, before any lock file is made.

    A random file and an encrypted file opened with the wrong key look the same to
    SQLCipher (every byte is noise), so only the cheap signs are checked here: it
    exists, is a regular file, its size is whole pages, and it is not plain SQLite.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise NotADataFileError(f"The file {path} could not be found.") from None
    if not stat.S_ISREG(info.st_mode):
        raise NotADataFileError(f"{path.name} is a folder, not a data file.")
    if info.st_size < _MIN_PAGE_SIZE or info.st_size % _MIN_PAGE_SIZE:
        raise NotADataFileError(f"{path.name} is not an Escalation Tracker data file.")
    if _read_salt(path) == _PLAINTEXT_SQLITE_HEADER:
        raise NotADataFileError(
            f"{path.name} is an unencrypted database, not an Escalation Tracker data file."
        )


def _read_salt(path: Path) -> bytes:
    """SQLCipher 4 stores the KDF salt, in the clear, as the first 16 bytes of the file."""
    with path.open("rb") as file:
        salt = file.read(SALT_BYTES)
    if len(salt) != SALT_BYTES:
        raise NotADataFileError(f"{path.name} is not an Escalation Tracker data file.")
    return salt


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as file:
        os.fsync(file.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable. Windows cannot open a folder this way; NTFS journals renames."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(*paths: Path) -> None:
    """Best-effort cleanup of temporary files while another error is propagating."""
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _temp_sibling(path: Path) -> Path:
    """A fresh name in the same folder, so the final os.replace is an atomic rename."""
    import secrets  # which loads hashlib (see _derive_key)

    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.partial")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def _acquire_lock(path: Path, outcome: str) -> DataFileLock:
    lock = DataFileLock(path)
    with _storage_errors(outcome):  # e.g. a read-only folder: no lock file can be made
        try:
            held = lock.try_acquire()
        except OSError as exc:
            if exc.errno not in LOCKING_UNSUPPORTED:
                raise
            raise StorageError(
                f"This drive cannot lock the file against a second window, so {outcome}. "
                "Use a folder on this computer's own drive."
            ) from exc
    if not held:
        raise FileInUseError()
    return lock


# --- Connections -----------------------------------------------------------------------


def _silence_sqlcipher(dbapi_connection: DBAPIConnection, _record: Any = None) -> None:
    # A wrong key otherwise makes SQLCipher print "ERROR CORE ... hmac check failed" lines
    # to stderr. The error still reaches us as an exception; the lines are just noise in a
    # desktop app. Must run before the key is used, hence ``insert=True`` on the engine.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA cipher_log_level = NONE")
    finally:
        cursor.close()


def _configure(dbapi_connection: DBAPIConnection, _record: Any = None) -> None:
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


def _make_engine(path: Path, key: bytearray) -> sqlalchemy.Engine:
    import sqlalchemy
    from sqlalchemy import event
    from sqlalchemy.pool import NullPool

    url = sqlalchemy.URL.create(
        "sqlite+pysqlcipher", password=_raw_key_literal(key), database=str(path)
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
    event.listen(engine, "connect", _configure)
    event.listen(engine, "begin", _begin)
    return engine


# The first read: SQLCipher derives or applies the key here and checks page 1 with it.
_FIRST_READ = "SELECT count(*) FROM sqlite_master"


def _keyed(path: Path, key_sql: str, *, any_thread: bool = False) -> Any:
    """A driver connection given its key, with nothing read yet (so no key derived).
    ``key_sql`` is a quoted passphrase or raw-key literal. ``any_thread``: it will be
    used on a thread other than the one opening it."""
    connection = sqlcipher3.connect(
        str(path), isolation_level=None, check_same_thread=not any_thread
    )
    try:
        _silence_sqlcipher(connection)
        _execute_secret(connection.cursor(), f"PRAGMA key = {key_sql}")
    except BaseException:
        connection.close()
        raise
    return connection


def _raw_connect(path: Path, key_sql: str) -> Any:
    """A driver connection outside SQLAlchemy (create, verify copies), read once and
    configured. Raises the driver's NOTADB for a wrong key."""
    connection = _keyed(path, key_sql)
    try:
        connection.execute(_FIRST_READ).fetchone()
        _configure(connection)
    except BaseException:
        connection.close()
        raise
    return connection


_HMAC_FAILURE = re.compile(r"HMAC verification failed for page (\d+)", re.IGNORECASE)


def _integrity_problems(cursor: DBAPICursor) -> list[str]:
    """Both checks, in plain English; [] when the file is sound."""
    problems: list[str] = []
    try:
        # Checks every page's HMAC: finds tampering and bit rot anywhere in the file.
        cursor.execute("PRAGMA cipher_integrity_check")
        for (message,) in cursor.fetchall():
            match = _HMAC_FAILURE.search(str(message))
            if match:
                problems.append(
                    f"Page {match.group(1)} of the file has been damaged or altered "
                    "(its tamper check failed)."
                )
            else:
                problems.append(f"The encryption check found a problem: {message}.")
    except sqlcipher3.DatabaseError as exc:
        problems.append(f"The encryption check could not be completed ({exc}).")
    try:
        # Checks the database structure (indexes, page links) on the decrypted pages.
        cursor.execute("PRAGMA integrity_check")
        for (message,) in cursor.fetchall():
            if message != "ok":
                problems.append(f"The database structure is damaged: {message}.")
    except sqlcipher3.DatabaseError as exc:
        problems.append(f"The database could not be read completely ({exc}).")
    return problems


def _verify_copy(path: Path, key_sql: str) -> tuple[list[str], int, list[tuple[Any, ...]]]:
    """Open a copy with its key and check it: (problems, user_version, schema rows).

    Raises WrongPassphraseError if the key does not open it.
    """
    try:
        connection = _raw_connect(path, key_sql)
    except sqlcipher3.DatabaseError as exc:
        if _sqlite_code(exc) == _SQLITE_NOTADB:
            raise WrongPassphraseError() from None
        raise
    try:
        cursor = connection.cursor()
        problems = _integrity_problems(cursor)
        version = int(cursor.execute("PRAGMA user_version").fetchone()[0])
        schema = _schema_rows(cursor)
    finally:
        connection.close()
    return problems, version, schema


def _schema_rows(cursor: DBAPICursor) -> list[tuple[Any, ...]]:
    cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
    return [tuple(row) for row in cursor.fetchall()]


# --- The open file ---------------------------------------------------------------------


class Database:
    """An open, locked, encrypted data file. Make one with ``create`` or ``open``.

    Use ``session()`` for ORM work and ``connect()`` for raw SQL, each one transaction.
    Do not keep ``engine`` beyond a call: ``rekey`` replaces it and ``close`` drops it.
    """

    path: Path

    def __init__(
        self,
        path: Path,
        lock: DataFileLock,
        key: bytearray | _InBackground[bytearray] | Callable[[], bytearray],
        salt: bytes,
        first: Any = None,
    ) -> None:
        """``key``: the raw key, its derivation still running, or a function that
        derives it, not yet started (see ``open``'s ``defer_key``). ``first``: a
        connection SQLCipher opened with the passphrase, which ``read()`` uses until the
        raw key is ready, so unlocking need not wait for a second derivation."""
        self.path = path
        self._lock = lock
        self._salt = salt
        # The derived key is the only secret kept while open (the passphrase is not: a
        # backup is written with this key and this salt, which is what the passphrase
        # derives to). A bytearray so ``close`` can overwrite it. Python cannot promise
        # more: the hex strings built from it (the engine URL, PRAGMA text) are immutable
        # and linger until garbage-collected, and SQLCipher holds its own copy per open
        # connection (which it wipes on close).
        self._key: bytearray | None = None
        self._pending_key: _InBackground[bytearray] | None = None
        self._key_source: Callable[[], bytearray] | None = None  # not started yet
        if isinstance(key, _InBackground):
            self._pending_key = key
        elif isinstance(key, bytearray):
            self._key = key
        else:
            self._key_source = key
        self._first = first
        self._first_busy = False
        self._key_lock = threading.RLock()
        self._owner = threading.get_ident()  # the only thread that may use ``_first``
        self._engine: sqlalchemy.Engine | None = None  # made on first use, see ``engine``

    # Lifecycle ------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        *,
        schema: Callable[[sqlalchemy.Connection], None] | None = None,
    ) -> Database:
        """A new encrypted file, locked and open. ``schema(conn)`` runs in one transaction.

        Refuses an existing path. If anything fails, no file is left behind.
        """
        _check_passphrase(passphrase)
        path = Path(path).absolute()
        if path.exists():
            raise FileAlreadyExistsError(path)
        lock = _acquire_lock(path, _NOT_CREATED)
        created = False
        database: Database | None = None
        try:
            with _storage_errors(_NOT_CREATED):
                try:
                    # O_EXCL: the check above could race another process.
                    path.open("xb").close()
                except FileExistsError:
                    raise FileAlreadyExistsError(path) from None
                created = True
                # A journal left beside a deleted file would be "rolled back" into ours.
                journal_path(path).unlink(missing_ok=True)
                # SQLCipher itself derives the key from the passphrase and a random salt,
                # so the file is an ordinary passphrase file. Writing the header (any
                # write will do) puts the salt at the start of the file.
                connection = _raw_connect(path, _sql_string(passphrase))
                try:
                    connection.execute("PRAGMA user_version = 0")
                finally:
                    connection.close()
                salt = _read_salt(path)
            database = cls(path, lock, _derive_key(passphrase, salt), salt)
            database._verify_key(_NOT_CREATED)
            if schema is not None:
                with database.connect() as connection:
                    schema(connection)
        except BaseException:
            if database is not None:
                database._forget_key()
            if created:
                _remove(path, journal_path(path))
            lock.release()
            raise
        return database

    @classmethod
    def open(
        cls,
        path: Path,
        passphrase: str,
        *,
        prepare: Callable[[Database], None] | None = None,
        meanwhile: Callable[[], None] | None = None,
        defer_key: bool = False,
    ) -> Database:
        """Lock the file, open it with the passphrase, then ``prepare(db)`` (migrations).
        ``meanwhile()``, if given, runs on this thread while SQLCipher derives the key
        on a worker thread.

        The raw key every later connection uses is derived again, by hashlib, on a
        worker thread: from here, or with ``defer_key`` from ``derive_key()`` or the
        first thing that needs it. Deferred, it does not take a core from the window's
        first paint (issue 9: on two cores that paint took a third longer).

        On any failure the file is released. A wrong passphrase changes nothing, except
        that SQLite finishes rolling back a transaction a crash interrupted (the journal
        holds encrypted page images, so that needs no key and restores the last commit).
        """
        _check_passphrase(passphrase)
        path = Path(path).absolute()
        with _storage_errors(_NOT_OPENED):
            _check_data_file(path)
        # The lock first, so a second copy of the app is refused at once (before any
        # connection could wait on its writes) and nothing can replace the file before
        # it is read. Then SQLCipher derives the key and opens the file on a worker
        # thread (its OpenSSL is faster than hashlib's here: 0.10 s against 0.13 s)
        # while this one runs meanwhile().
        lock = _acquire_lock(path, _NOT_OPENED)
        connection: Any = None
        opening: _InBackground[Any] | None = None
        first: Any = None
        database: Database | None = None
        try:
            with _storage_errors(_NOT_OPENED):
                salt = _read_salt(path)
            connection = _keyed_with_passphrase(path, passphrase)
            opening = _InBackground(lambda: _open_with(connection), "open-file")
            if meanwhile is not None:
                meanwhile()
            first = opening.result()
            with _storage_errors(_NOT_OPENED):
                _configure(first)
            # The raw key for every other connection.
            database = cls(path, lock, lambda: _derive_key(passphrase, salt), salt, first)
            if not defer_key:
                database.derive_key()
            if prepare is not None:
                prepare(database)
        except BaseException:
            if opening is not None:
                opening.discard(_close)  # the worker closes the connection if it fails
            elif connection is not None:
                connection.close()  # the worker never started
            if database is not None:
                database.close()
            else:
                if first is not None:
                    first.close()
                lock.release()
            raise
        return database

    def close(self) -> None:
        """Idempotent: drop the engine and the key, then let other windows have the file."""
        self._forget_key()
        self._lock.release()

    def derive_key(self) -> None:
        """Start deriving the raw key on a worker thread, if it is not derived or being
        derived already (see ``open``'s ``defer_key``)."""
        with self._key_lock:
            source, self._key_source = self._key_source, None
            if source is not None:
                self._pending_key = _InBackground(source, "derive-key")

    def _forget_key(self) -> None:
        with self._key_lock:
            self._key_source = None  # it holds the passphrase
            if not self._first_busy:  # else the read using it closes it when done
                self._drop_first()
            pending, self._pending_key = self._pending_key, None
            if pending is not None:
                pending.discard(_zero)
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._key is not None:
            self._key[:] = bytes(len(self._key))
            self._key = None

    @property
    def is_open(self) -> bool:
        return (
            self._key is not None or self._pending_key is not None or self._key_source is not None
        )

    @property
    def engine(self) -> sqlalchemy.Engine:
        if self._engine is None:
            self._engine = _make_engine(self.path, self._key_or_raise())
        return self._engine

    @contextlib.contextmanager
    def _raw(self, outcome: str) -> Iterator[Any]:
        """A driver connection with the key, outside SQLAlchemy, in autocommit mode."""
        key_sql = _sql_string(_raw_key_literal(self._key_or_raise()))
        with _storage_errors(outcome):
            connection = _raw_connect(self.path, key_sql)
        try:
            yield connection
        finally:
            connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _verify_key(self, outcome: str, key: bytearray | None = None) -> None:
        """Decrypt page 1 with ``key`` (default: the file's); see ``_passphrase_error``."""
        key_sql = _sql_string(_raw_key_literal(key if key is not None else self._key_or_raise()))
        try:
            _raw_connect(self.path, key_sql).close()  # it reads sqlite_master
            return
        except sqlcipher3.Error as exc:
            failure = _passphrase_error(exc, outcome)
        raise failure  # outside the handler, as in ``_open_with``

    def _key_or_raise(self) -> bytearray:
        with self._key_lock:  # a backup's thread may ask at the same time
            self.derive_key()  # if deferred and not started: now, and wait for it
            pending = self._pending_key
            if pending is not None:
                key = pending.result()
                self._pending_key = None
                try:
                    # hashlib derived it, SQLCipher checked the passphrase: they agree.
                    self._verify_key(_NOT_READ, key)
                except BaseException:
                    _zero(key)
                    raise
                self._key = key
                if not self._first_busy:
                    self._drop_first()  # from now on, a connection per use
            if self._key is None:
                raise RuntimeError("The database is closed.")
            return self._key

    def _drop_first(self) -> None:
        first, self._first = self._first, None
        if first is not None:
            first.close()

    @contextlib.contextmanager
    def _first_or_raw(self, outcome: str) -> Iterator[Any]:
        """The passphrase-opened connection while the raw key is still being derived
        (on the thread that opened the file, one use at a time), else ``_raw``."""
        with self._key_lock:
            pending = self._pending_key
            if pending is not None and pending.done():
                self._key_or_raise()  # and drops the first connection
            first = self._first
            use_first = (
                first is not None and not self._first_busy and threading.get_ident() == self._owner
            )
            if use_first:
                self._first_busy = True
        if not use_first:
            with self._raw(outcome) as connection:
                yield connection
            return
        try:
            yield first
        finally:
            with self._key_lock:
                self._first_busy = False
                # As with a connection per use: no decrypted pages kept between reads.
                with contextlib.suppress(sqlcipher3.Error):
                    first.execute("PRAGMA shrink_memory")
                if self._pending_key is None and self._key_source is None:
                    self._drop_first()  # the key arrived, or the file was closed

    # Transactions ---------------------------------------------------------------------

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One ORM transaction: commit on success, roll back on any exception."""
        from sqlalchemy.orm import Session

        with _storage_errors(_NOT_SAVED), Session(self.engine) as session, session.begin():
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Any]:
        """One read transaction on a plain driver connection (a consistent snapshot for
        several SELECTs); ``execute(sql, parameters)`` as in ``sqlite3``. For the reads
        that run at every unlock, so they need neither SQLAlchemy nor the ORM."""
        with self._first_or_raw(_NOT_READ) as connection, _storage_errors(_NOT_READ):
            connection.execute("BEGIN")
            try:
                yield connection
            finally:
                connection.execute("ROLLBACK")

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlalchemy.Connection]:
        """One Core transaction on a raw connection (migrations, pragmas)."""
        with _storage_errors(_NOT_SAVED), self.engine.begin() as connection:
            yield connection

    # Maintenance ----------------------------------------------------------------------

    def vacuum(self) -> None:
        """Rebuild the file, so pages freed by a deletion (already zeroed by
        secure_delete) are dropped from it. VACUUM cannot run inside a transaction, so it
        runs on a raw connection in autocommit mode."""
        with self._raw(_NOT_SAVED) as raw, _storage_errors(_NOT_SAVED):
            raw.execute("VACUUM")

    def rekey(self, new_passphrase: str) -> None:
        """Change the passphrase. SQLCipher re-encrypts every page in one transaction (a
        crash part-way leaves the old passphrase working); the salt stays the same."""
        _check_passphrase(new_passphrase)
        with self._raw(_NOT_REKEYED) as raw, _storage_errors(_NOT_REKEYED):
            _execute_secret(raw.cursor(), f"PRAGMA rekey = {_sql_string(new_passphrase)}")
        with _storage_errors(_NOT_REKEYED):
            salt = _read_salt(self.path)
        old_engine, old_key = self._engine, self._key
        self._salt = salt
        self._key = _derive_key(new_passphrase, salt)
        self._engine = None  # remade with the new key on first use
        if old_engine is not None:
            old_engine.dispose()
        if old_key is not None:
            old_key[:] = bytes(len(old_key))
        # Prove the new passphrase opens the file with a fresh connection.
        try:
            self._verify_key(_NOT_REKEYED)
        except WrongPassphraseError:
            raise StorageError(
                "The passphrase was changed but the file could not be reopened with it."
            ) from None

    def integrity_problems(self) -> list[str]:
        """Every page's HMAC, then SQLite's structure check. [] when the file is sound."""
        with self._raw(_NOT_CHECKED) as raw, _storage_errors(_NOT_CHECKED):
            return _integrity_problems(raw.cursor())

    def backup_to(self, destination: Path) -> None:
        """A complete encrypted copy that opens with the same passphrase.

        ``sqlcipher_export`` into an ATTACHed database keyed with this file's key *and
        salt*: SQLCipher encrypts each page as it writes it, so no plaintext reaches disk
        and the passphrase need not be kept in memory. (The SQLite backup API copies
        pages as they are and is not supported between differently keyed databases.)
        The copy goes to a temporary name beside ``destination``, is reopened and
        checked, fsynced, and only then renamed over ``destination``.
        """
        destination = Path(destination).absolute()
        if _same_file(self.path, destination):
            raise InputError("Choose a different place for the backup: that is the open file.")
        key, salt = self._key_or_raise(), self._salt
        temporary = _temp_sibling(destination)
        try:
            with _storage_errors(_NOT_BACKED_UP):
                source_version, source_schema = self._export(temporary, key, salt)
                try:
                    problems, version, schema = _verify_copy(
                        temporary, _sql_string(_raw_key_literal(key))
                    )
                except WrongPassphraseError:
                    problems, version, schema = ["The copy does not open with the key."], -1, []
                if (
                    problems
                    or version != source_version
                    or schema != source_schema
                    or _read_salt(temporary) != salt
                ):
                    raise DamagedFileError(
                        "The backup copy did not pass its check, so it was not kept. "
                        "Check the data file with the integrity check, then try again."
                    )
                _fsync_file(temporary)
                # A stale journal beside the old backup would be applied to the new one.
                journal_path(destination).unlink(missing_ok=True)
                os.replace(temporary, destination)
                _fsync_dir(destination.parent)
        except BaseException:
            _remove(temporary, journal_path(temporary))
            raise

    def _export(
        self, temporary: Path, key: bytearray, salt: bytes
    ) -> tuple[int, list[tuple[Any, ...]]]:
        """Write the encrypted copy; return the source's user_version and schema rows."""
        with self._raw(_NOT_BACKED_UP) as raw:
            cursor = raw.cursor()
            # ATTACH cannot run inside a transaction; this connection has none open.
            _execute_secret(
                cursor,
                "ATTACH DATABASE ? AS backup KEY ?",
                (str(temporary), _raw_key_literal(key, salt)),
            )
            try:
                cursor.execute("SELECT sqlcipher_export('backup')")
                version = int(cursor.execute("PRAGMA main.user_version").fetchone()[0])
                # sqlcipher_export copies schema and rows, not the header's user_version
                # (the schema version the migrations rely on).
                cursor.execute(f"PRAGMA backup.user_version = {version}")
                schema = _schema_rows(cursor)
            finally:
                cursor.execute("DETACH DATABASE backup")
        return version, schema


def restore_backup(backup: Path, passphrase: str, target: Path) -> None:
    """Replace ``target`` with ``backup`` once the backup is proven to open and be sound.

    ``target`` must not be open (close the Database first): its lock is taken for the
    duration. The file being replaced is kept, still encrypted, at
    ``before_restore_path(target)`` (an earlier one there is overwritten). ``target``
    then takes the backup's passphrase.
    """
    _check_passphrase(passphrase)
    backup, target = Path(backup).absolute(), Path(target).absolute()
    with _storage_errors(_NOT_RESTORED):
        _check_data_file(backup)
    if _same_file(backup, target):
        raise InputError("That backup is the data file itself: choose a different backup.")
    lock = _acquire_lock(target, _NOT_RESTORED)
    temporary = _temp_sibling(target)
    key: bytearray | None = None
    try:
        with _storage_errors(_NOT_RESTORED):
            # Check the copy that will become the target, not only the original: the
            # copy onto this drive is what the user will rely on.
            shutil.copyfile(backup, temporary)
            key = _derive_key(passphrase, _read_salt(temporary))
            problems, _version, _schema = _verify_copy(
                temporary, _sql_string(_raw_key_literal(key))
            )
            if problems:
                raise DamagedFileError(
                    "The backup is damaged, so it was not restored: " + " ".join(problems)
                )
            _fsync_file(temporary)
            if target.exists():
                before = before_restore_path(target)
                # Encrypted bytes, copied as they are: no plaintext on the way.
                shutil.copyfile(target, before)
                _fsync_file(before)
                # A journal belongs to the file it sits beside: a stale one would be
                # rolled back into the wrong file. Keep a crash journal with its file.
                journal_path(before).unlink(missing_ok=True)
                if journal_path(target).exists():
                    os.replace(journal_path(target), journal_path(before))
            os.replace(temporary, target)
            _fsync_dir(target.parent)
    except BaseException:
        _remove(temporary, journal_path(temporary))
        raise
    finally:
        if key is not None:
            key[:] = bytes(len(key))
        lock.release()
