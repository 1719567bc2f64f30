"""Hard crashes (``app.crashlog``): a process that dies of a fatal error leaves a report
(code locations only, no child data) that the next start finds, offers once, and forgets
when dismissed; a clean exit leaves nothing. (An exception in a slot is the exception
hook's business: tests/ui/test_errors.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app import crashlog

ROOT = Path(__file__).resolve().parents[2]
CHILD = "Zoë Nguyễn"

CRASHING_APP = """
import faulthandler, sys
from pathlib import Path
from app import crashlog

crashlog.start(Path(sys.argv[1]))

def draw_record(name, date_of_birth):
    note = f"{name} was seen with bruising"  # child data in locals and arguments
    faulthandler._sigsegv()  # a crash in native code, as a Qt or SQLite fault would be

draw_record(sys.argv[2], "12/05/2014")
"""

CLEAN_APP = """
import sys
from pathlib import Path
from app import crashlog

log = crashlog.start(Path(sys.argv[1]))
assert log.is_active and log.path.exists()
log.stop()
"""


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="SIGSEGV exit status is POSIX")
def test_a_hard_crash_is_offered_once_at_the_next_start(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    done = _run(CRASHING_APP, str(logs), CHILD)
    assert done.returncode == -signal.SIGSEGV  # it really died

    reports = crashlog.previous_crashes(logs)
    assert len(reports) == 1
    text = reports[0].read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in text
    assert "draw_record" in text  # where it happened
    for secret in (CHILD, "Nguy", "12/05/2014", "bruising"):
        assert secret not in text

    assert crashlog.previous_crashes(logs) == reports  # offered until dismissed
    crashlog.dismiss(reports[0])
    assert crashlog.previous_crashes(logs) == []
    assert list(logs.iterdir()) == []


def test_a_clean_exit_leaves_nothing_to_offer(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    done = _run(CLEAN_APP, str(logs))
    assert done.returncode == 0, done.stderr
    assert crashlog.previous_crashes(logs) == []
    assert list(logs.iterdir()) == []


def test_a_running_windows_file_is_left_alone_and_stale_ones_go(tmp_path: Path) -> None:
    """An empty fault file is another window still running (keep it) or a run that was
    killed without crashing (power cut): removed once old."""
    running = crashlog.start(tmp_path)
    try:
        stale = tmp_path / "fault-1-1.txt"
        stale.write_text("")
        old = time.time() - timedelta(days=40).total_seconds()
        os.utime(stale, (old, old))
        assert crashlog.previous_crashes(tmp_path, now=datetime.now()) == []
        assert running.path.exists() and not stale.exists()
    finally:
        running.stop()
    assert not running.path.exists()


def test_an_unwritable_log_folder_does_not_stop_the_app(tmp_path: Path) -> None:
    blocker = tmp_path / "logs"
    blocker.write_text("a file where the folder should be")
    log = crashlog.start(blocker)
    assert not log.is_active
    log.stop()  # harmless
    assert crashlog.previous_crashes(blocker) == []
