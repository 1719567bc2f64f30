"""One measured process for the start-up and memory benchmarks.

``python -m bench.probe MODE FILE`` where MODE is:
- ``app``: the real app, as ``ui.main.main`` starts it — QApplication, main window,
  unlock with the passphrase, dashboard and list filled and painted. That is the
  start-up figure. The app then loads the rest (the policy library and the contacts:
  see ``WorkspaceLoader.load_rest``); the probe waits for that too and reports it as
  ``ready_seconds``, and the peak RSS is read after it, so memory counts everything;
- ``baseline``: a bare QApplication + QMainWindow shown, and the same encrypted file
  opened with sqlcipher3 directly.
It prints one JSON line: seconds since the parent's START timestamp (env
BENCH_START, from time.time() just before it started this process) to the painted
dashboard and to the app being ready, peak RSS in MB, and which heavy modules had been
imported when the dashboard was painted (reportlab must not have been).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from bench.keying import key_sql

# From the environment, not bench.data: importing that would load half the app into the
# baseline process too.
PASSPHRASE = ""


def _peak_mb() -> float:
    """This process's peak RSS. Not ru_maxrss: Linux carries that across exec from the
    parent (the benchmark runner, itself large), so every child would report the same."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


HEAVY = ("reportlab", "sqlalchemy", "pydantic", "alembic", "holidays", "pypdfium2")


def app(path: Path, settings: Path) -> dict[str, Any]:
    import importlib

    importlib.import_module("app.preload")  # as the real entry point does, before Qt
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.local_settings import LocalSettings
    from ui.main import application, load_policies
    from ui.main_window import MainWindow

    qt = application([])
    local = LocalSettings(settings)
    local.data_file = path
    window = MainWindow(load_policies, local)
    window.show()
    window.unlock(PASSPHRASE)
    rows = window.workspace.escalations.table.model().rowCount()
    window.repaint()
    QApplication.processEvents()
    painted = _elapsed()
    assert window.is_unlocked and rows > 0 and qt, "the dashboard did not open"
    loaded = [m for m in HEAVY if m in sys.modules]
    # An event loop, not a processEvents() loop: PySide6 6.12 crashes ("deallocating
    # None") after many thousands of processEvents() calls.
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: window.rest_loaded and loop.quit())
    poll.start(2)
    loop.exec()
    assert window.workspace.escalations.policy.count() > 1, "the policies did not load"
    return {"seconds": painted, "ready_seconds": _elapsed(), "rows": rows, "loaded": loaded}


def baseline(path: Path) -> dict[str, Any]:
    import sqlcipher3
    from PySide6.QtWidgets import QApplication, QMainWindow

    qt = QApplication([])
    window = QMainWindow()
    window.resize(1200, 760)
    window.show()
    connection = sqlcipher3.connect(str(path))
    connection.execute(f"PRAGMA key = {key_sql(path, PASSPHRASE)}")
    count = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    window.repaint()
    QApplication.processEvents()
    connection.close()
    assert qt
    return {"seconds": _elapsed(), "rows": int(count), "loaded": []}


def _elapsed() -> float:
    return time.time() - float(os.environ["BENCH_START"])


def main() -> int:
    global PASSPHRASE
    PASSPHRASE = os.environ["BENCH_PASSPHRASE"]
    mode, path = sys.argv[1], Path(sys.argv[2])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = app(path, Path(sys.argv[3])) if mode == "app" else baseline(path)
    print(json.dumps({**result, "peak_mb": _peak_mb()}))
    sys.stdout.flush()
    os._exit(0)  # measured; skip teardown


if __name__ == "__main__":
    sys.exit(main())
