"""The data file on disk: the files beside it, its salt, durable renames, and its lock.

Opening, backing up and restoring all replace or create files next to the data file
(its journal, a temporary copy, the file kept before a restore) and must make those
changes survive a power cut; the rules for that are here once. Failures are reported as
``app.storage.errors`` words them.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Final

from app.storage.errors import FileInUseError, NotADataFileError, StorageError, storage_errors
from app.storage.keys import SALT_BYTES
from app.storage.lock import UNSUPPORTED as LOCKING_UNSUPPORTED
from app.storage.lock import DataFileLock, lock_path_for

FILE_EXTENSION: Final = ".etdb"

_PLAINTEXT_SQLITE_HEADER: Final = b"SQLite format 3\x00"
_MIN_PAGE_SIZE: Final = 512  # every SQLite page size is a multiple of this


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def before_restore_path(target: Path) -> Path:
    """Where ``restore_backup`` keeps the file it replaced: ``name.before-restore.etdb``."""
    return target.with_name(f"{target.stem}.before-restore{target.suffix}")


def check_is_data_file(path: Path) -> None:
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
    if read_salt(path) == _PLAINTEXT_SQLITE_HEADER:
        raise NotADataFileError(
            f"{path.name} is an unencrypted database, not an Escalation Tracker data file."
        )


def read_salt(path: Path) -> bytes:
    """SQLCipher 4 stores the KDF salt, in the clear, as the first 16 bytes of the file."""
    with path.open("rb") as file:
        salt = file.read(SALT_BYTES)
    if len(salt) != SALT_BYTES:
        raise NotADataFileError(f"{path.name} is not an Escalation Tracker data file.")
    return salt


def fsync_file(path: Path) -> None:
    with path.open("rb+") as file:
        os.fsync(file.fileno())


def fsync_dir(folder: Path) -> None:
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


def remove_quietly(*paths: Path) -> None:
    """Best-effort cleanup of temporary files while another error is propagating."""
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def temp_sibling(path: Path) -> Path:
    """A fresh name in the same folder, so the final os.replace is an atomic rename. It
    names this process, so a copy left by one that died can be told from one still being
    written (``private_files.remove_stale_partials``)."""
    import secrets  # which loads hashlib (see keys.derive_raw_key)

    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(6)}.partial")


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def companions(data_path: Path) -> list[Path]:
    """The data file and the files that belong to it: SQLite's journal (and the WAL and
    shared-memory files another journal mode would use), its lock file, and the copy
    kept before a restore with its journal. Writing any of them would destroy the file
    or be destroyed by it (SQLite deletes a journal it rolls back)."""
    before = before_restore_path(data_path)
    return [
        data_path,
        journal_path(data_path),
        data_path.with_name(data_path.name + "-wal"),
        data_path.with_name(data_path.name + "-shm"),
        lock_path_for(data_path),
        data_path.with_name(data_path.name + ".keys"),  # a team's key file (keyfile.py)
        before,
        journal_path(before),
        before.with_name(before.name + ".keys"),
    ]


def belongs_to(data_path: Path, candidate: Path) -> bool:
    """True if ``candidate`` names the data file or one of its ``companions``, by any
    name (a link, another spelling of the folder)."""
    names = {*companions(data_path), *companions(data_path.resolve())}
    return any(same_file(name, candidate) for name in names)


def acquire_lock(path: Path, outcome: str) -> DataFileLock:
    """Hold the data file against every other window, or raise why it cannot be held."""
    lock = DataFileLock(path)
    with storage_errors(outcome):  # e.g. a read-only folder: no lock file can be made
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
