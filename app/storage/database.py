"""The open data file: open, create, lock, and the connections, engine and sessions.

A data file (``.etdb``) is a standard SQLCipher 4 database with the default settings
(AES-256, HMAC-SHA512 per page). A team's file is keyed with a random raw key that its
members' slots hold (``app.storage.team_file``); a file made the old way (and a
transfer file) with a passphrase (PBKDF2-HMAC-SHA512, 256,000 iterations).

``Database`` owns what changes while a file is open: its lock, its key, the connection
SQLCipher opened with the passphrase, and the engine; ``keys``, ``files``,
``connections``, ``integrity``, ``backup`` and ``errors`` beside it do the rest. Secrets
never reach an error message or log (the engine hides bound parameters; secret
statements run through ``keys.execute_secret``). SQLAlchemy loads on first use.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self

import sqlcipher3

from app.errors import InputError
from app.storage.connections import (
    configure,
    first_read_with_passphrase,
    keyed_with_passphrase,
    make_engine,
    raw_connect,
)
from app.storage.errors import (
    FileAlreadyExistsError,
    FileBusyError,
    FileInUseError,
    StorageError,
    WrongPassphraseError,
    passphrase_error,
    storage_errors,
)
from app.storage.files import (
    acquire_lock,
    belongs_to,
    check_is_data_file,
    journal_path,
    read_salt,
    remove_quietly,
)
from app.storage.keys import (
    InBackground,
    check_passphrase,
    derive_raw_key,
    execute_secret,
    raw_key_literal,
    sql_string,
    zero_key,
)
from app.storage.lock import DataFileLock
from app.storage.passphrase_strength import check_new
from app.storage.private_files import create_private

if TYPE_CHECKING:
    import sqlalchemy
    from sqlalchemy.orm import Session

    from app.team.member import Member

__all__ = ["Database"]

# What the user is told did not happen, per operation.
_NOT_SAVED: Final = "the last change was not saved"
_NOT_OPENED: Final = "the file could not be opened"
_NOT_CREATED: Final = "the file was not created"
_NOT_REKEYED: Final = "the passphrase was not changed"
_NOT_CHECKED: Final = "the file could not be checked"
_NOT_READ: Final = "it could not be read"


def _close(connection: Any) -> None:
    connection.close()


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
        key: bytearray | InBackground[bytearray] | Callable[[], bytearray],
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
        # The raw key is the only secret kept while open, as a bytearray ``close`` can
        # overwrite. Python cannot promise more: hex strings built from it (the engine
        # URL, PRAGMA text) linger until collected; SQLCipher wipes its own on close.
        self._key: bytearray | None = None
        self._pending_key: InBackground[bytearray] | None = None
        self._key_source: Callable[[], bytearray] | None = None  # not started yet
        if isinstance(key, InBackground):
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
        # Who signed in (app.storage.team_file); None for a file opened the old way. A
        # read-only member's sessions refuse changes (``app.storage.role_guard``).
        self.member: Member | None = None

    # Lifecycle ------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        *,
        schema: Callable[[sqlalchemy.Connection], None] | None = None,
        raw_key: bytearray | None = None,
    ) -> Database:
        """A new encrypted file, locked and open. ``schema(conn)`` runs in one transaction.

        Refuses an existing path and a weak passphrase (``passphrase_strength``). If
        anything fails, no file is left behind. With ``raw_key`` (a team's file, whose
        members' passphrases are checked by the caller), the file is encrypted with that
        key and ``passphrase`` is not used.
        """
        if raw_key is None:
            check_passphrase(passphrase)
            check_new(passphrase)
        path = Path(path).absolute()
        if path.exists():
            raise FileAlreadyExistsError(path)
        lock = acquire_lock(path, _NOT_CREATED)
        created = False
        database: Database | None = None
        try:
            with storage_errors(_NOT_CREATED):
                try:
                    # O_EXCL: the check above could race another process. Owner only:
                    # SQLite gives its journal the same mode.
                    create_private(path)
                except FileExistsError:
                    raise FileAlreadyExistsError(path) from None
                created = True
                if not lock.hold_identity():  # now that it has one: see app/storage/lock.py
                    raise FileInUseError()
                # A journal left beside a deleted file would be "rolled back" into ours.
                journal_path(path).unlink(missing_ok=True)
                # SQLCipher itself derives the key from the passphrase and a random salt,
                # so the file is an ordinary passphrase file. Writing the header (any
                # write will do) puts the salt at the start of the file.
                key_sql = sql_string(passphrase if raw_key is None else raw_key_literal(raw_key))
                connection = raw_connect(path, key_sql)
                try:
                    connection.execute("PRAGMA user_version = 0")
                finally:
                    connection.close()
                salt = read_salt(path)
            key = derive_raw_key(passphrase, salt) if raw_key is None else bytearray(raw_key)
            database = cls(path, lock, key, salt)
            database._verify_key(_NOT_CREATED)
            if schema is not None:
                with database.connect() as connection:
                    schema(connection)
        except BaseException:
            if database is not None:
                database._forget_key()
            if created:
                remove_quietly(path, journal_path(path))
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
        first paint (on a two-core machine that paint is noticeably slower sharing one).

        On any failure the file is released. A wrong passphrase changes nothing, except
        that SQLite finishes rolling back a transaction a crash interrupted (the journal
        holds encrypted page images, so that needs no key and restores the last commit).
        """
        check_passphrase(passphrase)
        path = Path(path).absolute()
        with storage_errors(_NOT_OPENED):
            check_is_data_file(path)
        # The lock first, so a second copy of the app is refused at once (before any
        # connection could wait on its writes) and nothing can replace the file before
        # it is read. Then SQLCipher derives the key and opens the file on a worker
        # thread (its OpenSSL derives faster than hashlib's) while this one runs
        # meanwhile().
        lock = acquire_lock(path, _NOT_OPENED)
        connection: Any = None
        opening: InBackground[Any] | None = None
        first: Any = None
        database: Database | None = None
        try:
            with storage_errors(_NOT_OPENED):
                salt = read_salt(path)
            connection = keyed_with_passphrase(path, passphrase, _NOT_OPENED)
            opening = InBackground(
                lambda: first_read_with_passphrase(connection, _NOT_OPENED), "open-file"
            )
            if meanwhile is not None:
                meanwhile()
            first = opening.result()
            with storage_errors(_NOT_OPENED):
                configure(first)
            # The raw key for every other connection.
            database = cls(path, lock, lambda: derive_raw_key(passphrase, salt), salt, first)
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

    @classmethod
    def with_key(cls, path: Path, lock: DataFileLock, key: bytearray, salt: bytes) -> Database:
        """The file ``lock`` holds, opened with the raw key a member's slot gave."""
        database = cls(path, lock, key, salt)
        try:
            database._verify_key(_NOT_OPENED)
        except BaseException:
            database.close()
            raise
        return database

    def data_key(self) -> bytearray:
        """The raw key, to seal into the key file's slots only (never logged or shown)."""
        return self._key_or_raise()

    def adopt_key(self, key: bytearray) -> None:
        """Every later connection uses ``key``: the file was rekeyed under it."""
        old_engine, old_key, self._key, self._engine = self._engine, self._key, key, None
        if old_engine is not None:
            old_engine.dispose()
        if old_key is not None and old_key is not key:
            zero_key(old_key)

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
                self._pending_key = InBackground(source, "derive-key")

    def _forget_key(self) -> None:
        with self._key_lock:
            self._key_source = None  # it holds the passphrase
            if not self._first_busy:  # else the read using it closes it when done
                self._drop_first()
            pending, self._pending_key = self._pending_key, None
            if pending is not None:
                pending.discard(zero_key)
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._key is not None:
            zero_key(self._key)
            self._key = None

    @property
    def is_open(self) -> bool:
        return (
            self._key is not None or self._pending_key is not None or self._key_source is not None
        )

    @property
    def engine(self) -> sqlalchemy.Engine:
        if self._engine is None:
            self._engine = make_engine(self.path, self._key_or_raise())
        return self._engine

    @contextlib.contextmanager
    def _raw(self, outcome: str) -> Iterator[Any]:
        """A driver connection with the key, outside SQLAlchemy, in autocommit mode."""
        key_sql = sql_string(raw_key_literal(self._key_or_raise()))
        with storage_errors(outcome):
            connection = raw_connect(self.path, key_sql)
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
        """Decrypt page 1 with ``key`` (default: the file's); see ``passphrase_error``."""
        key_sql = sql_string(raw_key_literal(key if key is not None else self._key_or_raise()))
        try:
            raw_connect(self.path, key_sql).close()  # it reads sqlite_master
            return
        except sqlcipher3.Error as exc:
            failure = passphrase_error(exc, outcome)
        raise failure  # outside the handler, as in ``first_read_with_passphrase``

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
                except FileBusyError:
                    # Another program held the file a moment: check again on next use.
                    self._pending_key = InBackground(lambda: key, "derive-key")
                    raise
                except BaseException:
                    zero_key(key)
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
        """One ORM transaction: commit on success, roll back on any exception. For a
        member who may not change the file, it refuses any change (``role_guard``)."""
        from sqlalchemy.orm import Session

        from app.storage.role_guard import guard, refused_writes

        with storage_errors(_NOT_SAVED), Session(self.engine) as session, session.begin():
            guard(session, self.member)
            with refused_writes(session):
                yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Any]:
        """One read transaction on a plain driver connection (a consistent snapshot for
        several SELECTs); ``execute(sql, parameters)`` as in ``sqlite3``. For the reads
        that run at every unlock, so they need neither SQLAlchemy nor the ORM."""
        with self._first_or_raw(_NOT_READ) as connection, storage_errors(_NOT_READ):
            connection.execute("BEGIN")
            try:
                yield connection
            finally:
                connection.execute("ROLLBACK")

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlalchemy.Connection]:
        """One Core transaction on a raw connection (migrations, pragmas)."""
        with storage_errors(_NOT_SAVED), self.engine.begin() as connection:
            yield connection

    # Maintenance ----------------------------------------------------------------------

    def vacuum(self) -> None:
        """Rebuild the file, so pages freed by a deletion (already zeroed by
        secure_delete) are dropped from it. VACUUM cannot run inside a transaction, so it
        runs on a raw connection in autocommit mode."""
        with self._raw(_NOT_SAVED) as raw, storage_errors(_NOT_SAVED):
            raw.execute("VACUUM")

    def rekey(self, new_passphrase: str) -> None:
        """Change the passphrase. SQLCipher re-encrypts every page in one transaction (a
        crash part-way leaves the old passphrase working); the salt stays the same."""
        check_passphrase(new_passphrase)
        check_new(new_passphrase)
        with self._raw(_NOT_REKEYED) as raw, storage_errors(_NOT_REKEYED):
            execute_secret(raw.cursor(), f"PRAGMA rekey = {sql_string(new_passphrase)}")
        with storage_errors(_NOT_REKEYED):
            salt = read_salt(self.path)
        self._salt = salt
        self.adopt_key(derive_raw_key(new_passphrase, salt))
        # Prove the new passphrase opens the file with a fresh connection.
        try:
            self._verify_key(_NOT_REKEYED)
        except WrongPassphraseError:
            raise StorageError(
                "The passphrase was changed but the file could not be reopened with it."
            ) from None

    def integrity_problems(self) -> list[str]:
        """Every page's HMAC, then SQLite's structure check. [] when the file is sound."""
        with self._raw(_NOT_CHECKED) as raw, storage_errors(_NOT_CHECKED):
            from app.storage.integrity import integrity_problems  # see backup_to

            return integrity_problems(raw.cursor())

    def backup_to(self, destination: Path) -> None:
        """A checked encrypted copy that opens as this file does, with its key file if
        it has one (``backup.write_backup``, ``keyfile.carry_key_file``)."""
        destination = Path(destination).absolute()
        if belongs_to(self.path, destination):
            raise InputError(
                f"Choose a different place for the backup: {destination.name} is the open "
                "file or one of the files that belong to it."
            )
        key, salt = self._key_or_raise(), self._salt
        # Imported here, as the check is: neither is needed to unlock and show the file.
        from app.storage.backup import write_backup
        from app.storage.keyfile import carry_key_file

        write_backup(self.path, key, salt, destination)
        carry_key_file(self.path, destination)
