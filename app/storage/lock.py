"""One process at a time per data file.

SQLite's own locks only protect a single transaction; two app windows on the same file
would each keep their own view and overwrite each other's work. So a data file is held
for as long as it is open, through an OS lock on a sibling ``<name>.lock`` file: ``flock``
on Linux and macOS, ``msvcrt.locking`` (the C runtime's byte-range lock) on Windows. The
OS drops the lock when the process dies, so a crash never leaves a file stuck "in use".

A data file's lock file is never deleted while the file is in use. Deleting it on
release would let two copies lock two different files of the same name: one opens the
old file, the other deletes it and creates a new one.

The lock is keyed on the file, not on the name it was opened by: the lock file sits
beside the resolved real path (so a symbolic link, or a link to its folder, finds the
same lock), and a second lock is held on the file's identity, its (device, inode), in
the per-user ``locks`` folder (so a hard link, another name for the same file, perhaps
in another folder, is refused too). Before, a second window opened the file through a
link and both wrote to it (docs/reliability.md, "The single-copy lock").

Not the ``filelock`` package, which did this once: it has grown to 10,000 lines
(leases, soft and read-write locks, asyncio), and importing it, with the hashing and
decimal modules it loads, was a noticeable share of the locked window's start-up, for
what is two system calls here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import threading
from pathlib import Path

# What a lock already held elsewhere raises: EWOULDBLOCK from flock (EACCES on some file
# systems), EACCES from msvcrt.locking.
_HELD_ELSEWHERE = frozenset({errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK})
# What a file system that cannot lock at all raises (some network and FUSE mounts), as
# flock reports it. On Windows such a share is reported by errno as a generic failure.
UNSUPPORTED = frozenset(
    {errno.ENOLCK, errno.ENOSYS, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}
)

if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        # One byte from the start (the position of a file just opened), past its end.
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path_for(data_path: Path) -> Path:
    """The lock file beside the data file, by its real path (links resolved)."""
    real = _real_path(data_path)
    return real.with_name(real.name + ".lock")


def identity_lock_path(data_path: Path, folder: Path) -> Path | None:
    """The lock for the file's (device, inode) in ``folder``; None while it does not
    exist (a file being created: ``hold_identity`` again once it does)."""
    try:
        info = os.stat(data_path)
    except OSError:
        return None
    return folder / f"{info.st_dev:x}-{info.st_ino:x}.lock"


def default_identity_folder() -> Path:
    from app.paths import user_data_root

    return user_data_root() / "locks"


def _real_path(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except OSError:  # a link loop: the name as given
        return Path(path).absolute()


def _open_locked(path: Path) -> int | None:
    """An open descriptor holding ``path``'s lock, or None if someone else holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)  # the umask applies
    try:
        _lock(fd)
    except BaseException as exc:
        os.close(fd)
        if isinstance(exc, OSError) and exc.errno in _HELD_ELSEWHERE:
            return None
        raise
    return fd


class DataFileLock:
    """A non-blocking, non-reentrant hold on one data file. Any thread may release it
    (a backup job or the idle lock may close the file, not the thread that opened it)."""

    def __init__(self, data_path: Path, identity_folder: Path | None = None) -> None:
        self.data_path = _real_path(data_path)
        self.path = lock_path_for(self.data_path)
        self._identity_folder = identity_folder
        self._fds: list[int] = []
        self._identity_held = False
        self._releasing = threading.Lock()  # two threads closing must not close one fd twice

    def try_acquire(self) -> bool:
        """True if this process now holds the file; False if someone else does,
        including another ``DataFileLock`` in this process, by any name of the file.

        OSError (a read-only folder where the lock file cannot be made, or a file
        system that cannot lock: see ``UNSUPPORTED``) is left for the caller to
        translate."""
        if self._fds:
            raise RuntimeError("this lock is already held")
        fd = _open_locked(self.path)
        if fd is None:
            return False
        self._fds.append(fd)
        if not self.hold_identity():
            self.release()
            return False
        return True

    def hold_identity(self) -> bool:
        """Hold the file's (device, inode) too: False if another holder has it. Best
        effort where the per-user folder cannot be written (the lock beside the file
        still holds); a file not made yet is held once ``hold_identity`` is called
        again after it is."""
        if self._identity_held:
            return True
        folder = self._identity_folder or default_identity_folder()
        path = identity_lock_path(self.data_path, folder)
        if path is None:
            return True
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = _open_locked(path)
        except OSError:
            return True
        if fd is None:
            return False
        self._fds.append(fd)
        self._identity_held = True
        return True

    @property
    def is_held(self) -> bool:
        return bool(self._fds)

    def release(self) -> None:
        """Idempotent. Closing drops the lock too, so a failed unlock (a drive removed)
        is not an error here."""
        with self._releasing:
            fds, self._fds = self._fds, []
            self._identity_held = False
        for fd in fds:
            with contextlib.suppress(OSError):
                _unlock(fd)
            os.close(fd)
