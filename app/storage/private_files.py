"""Files the app writes that hold records: made readable by their owner only, written
whole or not at all, and no partial copy left behind, now or after a crash.

* Owner only: data files, backups, transfer files, the copies kept before a restore or a
  migration, and saved documents are created with mode 0600 (``create_private``), so
  other accounts on the machine cannot read them (0644 before). On Windows the mode
  bits say nothing about other accounts: a file takes the permissions of its folder,
  which under the user's profile (``%LOCALAPPDATA%``, Documents) only that user, the
  system and administrators can read (docs/reliability.md).
* Whole or nothing: a saved PDF or CSV is written to a temporary name beside its final
  one (``files.temp_sibling``), synced and renamed into place (``write_private_file``);
  a failure removes the temporary file. A full disk once left a 28 KB partial plaintext
  PDF.
* Nothing left after a crash: a temporary name carries the writing process's id, and
  ``remove_stale_partials`` deletes those whose process is gone: at the next open (the
  data file's folder) and before a backup or document is written into a folder. A
  backup killed half-way once left a copy of every record that nothing removed.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path
from typing import Any, Final

OWNER_ONLY: Final = 0o600
_BINARY: Final = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
# ``files.temp_sibling``: ".<name>.<pid>-<12 hex>.partial", and the journal SQLite may
# leave beside one. Names from before the pid was added have no "<pid>-".
_PARTIAL: Final = re.compile(r"^\..+\.(?:(\d+)-)?[0-9a-f]{12}\.partial(?:-journal)?$")
# A partial file without a process id is stale once it is this old (seconds).
_UNOWNED_STALE_AFTER: Final = 3600


def create_private(path: Path) -> None:
    """Create ``path``, empty and readable by its owner only; refuse an existing one
    (FileExistsError)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, OWNER_ONLY))


def write_private_file(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``, whole, readable by its owner only. Raises the
    OSError (a full disk, a missing folder) with nothing written: no temporary file, and
    an earlier file at ``path`` left as it was."""
    from app.storage.files import fsync_dir, remove_quietly, temp_sibling

    remove_stale_partials(path.parent)
    temporary = temp_sibling(path)
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, OWNER_ONLY)
        with open(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        remove_quietly(temporary)
        raise
    fsync_dir(path.parent)


def remove_stale_partials(folder: Path) -> list[Path]:
    """Delete the temporary files in ``folder`` that no running process is writing
    (best effort); returns those removed."""
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        match = _PARTIAL.match(name)
        if match is None:
            continue
        path = folder / name
        if _still_written(path, match.group(1)):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def _still_written(path: Path, pid: str | None) -> bool:
    if pid is None:
        import time

        try:
            return time.time() - path.stat().st_mtime < _UNOWNED_STALE_AFTER
        except OSError:
            return True
    return process_is_running(int(pid))


def process_is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _windows_process_is_running(pid)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether it exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's
    except OSError:
        return True
    return True


def _windows_process_is_running(pid: int) -> bool:
    """``os.kill`` on Windows would stop the process: ask the kernel instead."""
    import ctypes

    windll: Any = ctypes
    kernel32 = windll.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return bool(windll.get_last_error() == 5)  # ERROR_ACCESS_DENIED: it exists
    try:
        code = ctypes.c_ulong()
        running = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return bool(running) and code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)
