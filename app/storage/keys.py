"""The data file's key: which passphrases are allowed, the raw key SQLCipher derives from
one, how a passphrase or key is handed to SQLCipher without leaking, and wiping it.

Kept apart from the open file (``app.storage.database``) so that every place a secret is
handled can be read in one short module: the key is derived once per open (on a worker
thread, see ``InBackground``), kept only as a bytearray that can be overwritten, and never
put in an error message.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, Generic, TypeVar

import sqlcipher3

from app.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPICursor

T = TypeVar("T")

# SQLCipher 4 defaults. They are not set anywhere (the library's defaults are used);
# they are repeated here only to derive the same key in Python, see ``derive_raw_key``.
KDF_ITERATIONS: Final = 256_000
KEY_BYTES: Final = 32
SALT_BYTES: Final = 16


def check_passphrase(passphrase: str) -> None:
    if not passphrase:
        raise InputError("Enter a passphrase: it cannot be empty.")
    if "\x00" in passphrase:
        # SQLite statements end at a NUL, so such a passphrase could not be given to it.
        raise InputError("The passphrase cannot contain a null character.")
    try:
        passphrase.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("The passphrase contains characters that cannot be used.") from None


def sql_string(value: str) -> str:
    """A SQL string literal. PRAGMA values cannot be bound parameters, so quote by hand."""
    return "'" + value.replace("'", "''") + "'"


def execute_secret(cursor: DBAPICursor, sql: str, parameters: tuple[str, ...] = ()) -> None:
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


def derive_raw_key(passphrase: str, salt: bytes) -> bytearray:
    """The key SQLCipher 4 itself derives from this passphrase and this file's salt.

    Done once per open: with NullPool every connection would otherwise re-run 256,000
    PBKDF2 rounds. The file stays a standard passphrase file.
    """
    import hashlib  # here: loading OpenSSL's libcrypto waits until after the first paint

    return bytearray(
        hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)
    )


def raw_key_literal(key: bytearray, salt: bytes | None = None) -> str:
    """SQLCipher's raw-key syntax: ``x'<key hex>'``, or ``x'<key hex><salt hex>'``.

    With the salt included, a *new* database (the ATTACHed backup) is written with that
    salt instead of a random one, so the same passphrase derives the same key for it.
    """
    return "x'" + key.hex() + (salt.hex() if salt is not None else "") + "'"


def zero_key(key: bytearray) -> None:
    """Overwrite the key in place, so no copy of it outlives its use in this buffer."""
    key[:] = bytes(len(key))


class InBackground(Generic[T]):
    """``work()`` on a worker thread; ``result()`` waits for it and returns or raises.

    Unlocking runs its two key derivations this way: SQLCipher's (opening the file with
    the passphrase) and hashlib's (the raw key for every later connection). Both release
    the GIL while they hash, so the window's own work goes on meanwhile."""

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
