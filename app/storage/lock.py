"""One process at a time per data file.

SQLite's own locks only protect a single transaction; two app windows on the same file
would each keep their own view and overwrite each other's work. So a data file is held
for as long as it is open, through an OS lock on a sibling ``<name>.lock`` file
(``flock`` on Linux/macOS, ``LockFileEx`` on Windows, both via ``filelock``). The OS drops
the lock when the process dies, so a crash never leaves a file stuck "in use".
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout


def lock_path_for(data_path: Path) -> Path:
    return data_path.with_name(data_path.name + ".lock")


class DataFileLock:
    """A non-blocking, non-reentrant hold on one data file."""

    def __init__(self, data_path: Path) -> None:
        self.path = lock_path_for(data_path)
        # thread_local=False: the file may be closed from a worker thread (backup, idle
        # lock) other than the one that opened it; a thread-local lock would not release.
        self._lock = FileLock(self.path, timeout=0, thread_local=False)

    def try_acquire(self) -> bool:
        """True if this process now holds the file; False if someone else does.

        OSError (for example a read-only folder where the lock file cannot be created)
        is left for the caller to translate.
        """
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        return True

    @property
    def is_held(self) -> bool:
        return self._lock.is_locked

    def release(self) -> None:
        """Idempotent. ``force`` because the lock is never taken recursively."""
        if self._lock.is_locked:
            self._lock.release(force=True)
