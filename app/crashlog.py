"""Hard-crash reports: when the process dies of a fatal error (a crash inside Qt, SQLite
or another native library, where no Python exception hook runs), ``faulthandler`` writes
the Python stack of every thread to a file; the next start finds it and offers it.

A report holds code locations only (file, line, function name): faulthandler never
prints a value, an argument or an exception message, so no child data can reach it.

Each run writes to its own ``fault-<pid>-<start time>.txt`` in the log folder. A clean
exit (``CrashLog.stop``) removes it. A run that crashed leaves it behind, not empty, and
``previous_crashes`` at the next start renames it ``crash-<when>.txt`` and returns it until
``dismiss`` deletes it. Nothing here imports Qt; the desktop app calls it (see
``docs/reliability.md``).
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from app.paths import log_dir

RUNNING_PREFIX = "fault-"
REPORT_PREFIX = "crash-"
SUFFIX = ".txt"
# An empty file left by a run that was killed (power cut, task manager) rather than
# crashed; removed once it is this old, so a long-running other window's file is kept.
STALE_AFTER = timedelta(days=30)


class CrashLog:
    """This run's fault file. ``start`` at launch, ``stop`` on a clean exit."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else log_dir()
        self.path = self.folder / f"{RUNNING_PREFIX}{os.getpid()}-{time.time_ns()}{SUFFIX}"
        self._file: TextIO | None = None

    def start(self) -> None:
        """Best effort: a folder that cannot be written must not stop the app starting."""
        if self._file is not None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("w", encoding="utf-8")
        except OSError:
            self._file = None
            return
        faulthandler.enable(self._file, all_threads=True)

    @property
    def is_active(self) -> bool:
        return self._file is not None

    def stop(self) -> None:
        """A clean exit: stop watching and remove this run's file."""
        if self._file is None:
            return
        faulthandler.disable()
        self._file.close()
        self._file = None
        with contextlib.suppress(OSError):
            self.path.unlink()


def start(folder: Path | None = None) -> CrashLog:
    crash_log = CrashLog(folder)
    crash_log.start()
    return crash_log


def previous_crashes(folder: Path | None = None, *, now: datetime | None = None) -> list[Path]:
    """Reports from earlier runs that crashed, oldest first, until dismissed.

    Call it before ``start`` at launch. Fault files that are not empty belong to runs
    that died (faulthandler writes only as the process dies): each becomes a
    ``crash-<when>.txt`` report. Old empty ones are removed.
    """
    folder = folder if folder is not None else log_dir()
    now = now or datetime.now()
    try:
        running = sorted(folder.glob(f"{RUNNING_PREFIX}*{SUFFIX}"))
    except OSError:
        return []
    for path in running:
        with contextlib.suppress(OSError):  # e.g. Windows: another window holds it open
            info = path.stat()
            when = datetime.fromtimestamp(info.st_mtime)
            if info.st_size > 0:
                stamp = f"{when:%Y%m%d-%H%M%S}-{path.stem.split('-')[1]}"
                path.replace(folder / f"{REPORT_PREFIX}{stamp}{SUFFIX}")
            elif now - when > STALE_AFTER:
                path.unlink()
    try:
        return sorted(folder.glob(f"{REPORT_PREFIX}*{SUFFIX}"))
    except OSError:
        return []


def dismiss(report: Path) -> None:
    """The user has seen (or saved) the report: do not offer it again."""
    with contextlib.suppress(OSError):
        report.unlink()
