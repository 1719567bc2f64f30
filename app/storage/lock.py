"""One process at a time per data file.

SQLite's own locks only protect a single transaction; two app windows on the same file
would each keep their own view and overwrite each other's work. So a data file is held
for as long as it is open, through an OS lock on a sibling ``<name>.lock`` file: ``flock``
on Linux and macOS, ``msvcrt.locking`` (the C runtime's byte-range lock) on Windows. The
OS drops the lock when the process dies, so a crash never leaves a file stuck "in use".

A data file's lock file is never deleted while the file is in use. Deleting it on
release would let two copies lock two different files of the same name: one opens the
old file, the other deletes it and creates a new one.

Not the ``filelock`` package, which did this until issue 9: it has grown to 10,000 lines
(leases, soft and read-write locks, asyncio), and importing it, with the hashing and
decimal modules it loads, took 14 ms of the locked window's start-up (170 ms) on the
development machine, for what is two system calls here.
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
    return data_path.with_name(data_path.name + ".lock")


class DataFileLock:
    """A non-blocking, non-reentrant hold on one data file. Any thread may release it
    (a backup job or the idle lock may close the file, not the thread that opened it)."""

    def __init__(self, data_path: Path) -> None:
        self.path = lock_path_for(data_path)
        self._fd: int | None = None
        self._releasing = threading.Lock()  # two threads closing must not close one fd twice

    def try_acquire(self) -> bool:
        """True if this process now holds the file; False if someone else does,
        including another ``DataFileLock`` in this process.

        OSError (a read-only folder where the lock file cannot be made, or a file
        system that cannot lock: see ``UNSUPPORTED``) is left for the caller to
        translate."""
        if self._fd is not None:
            raise RuntimeError("this lock is already held")
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)  # the umask applies
        try:
            _lock(fd)
        except BaseException as exc:
            os.close(fd)
            if isinstance(exc, OSError) and exc.errno in _HELD_ELSEWHERE:
                return False
            raise
        self._fd = fd
        return True

    @property
    def is_held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Idempotent. Closing drops the lock too, so a failed unlock (a drive removed)
        is not an error here."""
        with self._releasing:
            fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)
