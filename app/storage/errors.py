"""The data file's errors, and the one translation from what failed to what to tell the user.

Everything in ``app.storage`` that can fail because of the user's environment (wrong
passphrase, file in use, disk full, read-only folder, damaged file) raises a
``StorageError`` with a plain-English message; anything else is a bug and propagates
unchanged. The translation lives here alone, so the open file, its backups and restores
all word the same failure the same way.
"""

from __future__ import annotations

import contextlib
import errno
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import sqlcipher3

from app.errors import KnownError

# Primary SQLite result codes (the low byte of an extended code).
_SQLITE_ERROR: Final = 1
_SQLITE_BUSY: Final = 5
_SQLITE_LOCKED: Final = 6
_SQLITE_READONLY: Final = 8
_SQLITE_IOERR: Final = 10
_SQLITE_CORRUPT: Final = 11
_SQLITE_FULL: Final = 13
_SQLITE_CANTOPEN: Final = 14
_SQLITE_NOTADB: Final = 26


class StorageError(KnownError):
    """The data file could not be read or written; the message says why in plain words."""


class PassphraseRefusedError(StorageError):
    """The file was not opened because of the passphrase; ``retry_after`` is the
    seconds to wait before the next try (``app.storage.unlock_attempts``)."""

    retry_after: int = 0


class WrongPassphraseError(PassphraseRefusedError):
    def __init__(self, retry_after: int = 0) -> None:
        super().__init__("That passphrase does not open this file.")
        self.retry_after = retry_after


class UnlockTooSoonError(PassphraseRefusedError):
    """Tried before the wait after earlier wrong passphrases was over: not tried at all."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("Wrong passphrases were tried on this file a moment ago.")
        self.retry_after = retry_after


class FileInUseError(StorageError):
    def __init__(self) -> None:
        super().__init__("This file is already open in another window.")


class FileBusyError(StorageError):
    """Another program holds SQLite's own lock on the file (the app's single-copy lock
    keeps a second window out, but not every other program)."""


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


def translate(exc: BaseException, outcome: str) -> StorageError | None:
    """The plain-English error for an environment failure, or None if it is a bug."""
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return DiskFullError(f"The disk is full, so {outcome}. Free some space and try again.")
        if exc.errno == errno.EFBIG:
            return DiskFullError(f"The file is too large for this drive, so {outcome}.")
        if exc.errno == errno.EROFS:
            return ReadOnlyError(f"The drive is read-only, so {outcome}.")
        if isinstance(exc, PermissionError):
            return ReadOnlyError(
                f"You do not have permission to change this file or its folder, so {outcome}."
            )
        return StorageError(
            f"The file could not be read or written (was a drive removed?), so {outcome}."
        )
    code = sqlite_code(exc)
    if code == _SQLITE_FULL:
        return DiskFullError(f"The disk is full, so {outcome}. Free some space and try again.")
    if code == _SQLITE_READONLY:
        return ReadOnlyError(f"The file or its folder is read-only, so {outcome}.")
    if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
        return StorageError(
            f"The file could not be read or written (was a drive removed?), so {outcome}."
        )
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return FileBusyError(
            f"Another program is using the file, so {outcome}. Close the other program "
            "or window that has it open, then try again."
        )
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return DamagedFileError(f"The file is damaged, so {outcome}. Restore it from a backup.")
    return None


def sqlite_code(exc: BaseException) -> int | None:
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
        ("database is locked", _SQLITE_BUSY),
        ("database table is locked", _SQLITE_LOCKED),
    ):
        if text in message:
            return fallback
    return code & 0xFF if isinstance(code, int) else None


def is_wrong_key(exc: BaseException) -> bool:
    """True if SQLCipher could not decrypt page 1 with the key or passphrase it was given.

    A wrong key and a damaged first page look the same to SQLCipher (page 1's HMAC fails).
    """
    return sqlite_code(exc) == _SQLITE_NOTADB


@contextlib.contextmanager
def storage_errors(outcome: str) -> Iterator[None]:
    """Turn environment failures inside the block into StorageErrors; let bugs through."""
    try:
        yield
    except Exception as exc:  # OSError, the driver's or SQLAlchemy's errors; others pass
        known = translate(exc, outcome)
        if known is None:
            raise
        raise known from exc


def passphrase_error(exc: BaseException, outcome: str) -> BaseException:
    """What opening with a passphrase raised, for the user: a wrong passphrase and a
    damaged first page look the same to SQLCipher (page 1's HMAC fails). Anything else
    is a bug, and goes on without its frames (they hold the passphrase)."""
    if is_wrong_key(exc):
        return WrongPassphraseError()
    return translate(exc, outcome) or exc.with_traceback(None)
