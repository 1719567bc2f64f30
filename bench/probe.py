"""One measured process for the start-up and memory benchmarks.

``python -m bench.probe MODE FILE`` where MODE is:
- ``app``: the real app — QApplication, main window, unlock with the passphrase,
  dashboard and list filled and painted;
- ``baseline``: a bare QApplication + QMainWindow shown, and the same encrypted file
  opened with sqlcipher3 directly.
It prints one JSON line: seconds since the parent's START timestamp (env
BENCH_START, from time.time() just before it started this process), peak RSS in MB,
and whether reportlab had been imported by then (it must not have been).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

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


def app(path: Path, settings: Path) -> int:
    import importlib

    importlib.import_module("app.preload")  # as the real entry point does, before Qt
    from PySide6.QtWidgets import QApplication

    from app.policy import default_library
    from ui.local_settings import LocalSettings
    from ui.main import application
    from ui.main_window import MainWindow

    qt = application([])
    local = LocalSettings(settings)
    local.data_file = path
    window = MainWindow(default_library(), local)
    window.show()
    window.unlock(PASSPHRASE)
    rows = window.workspace.escalations.table.model().rowCount()
    window.repaint()
    QApplication.processEvents()
    assert window.is_unlocked and rows > 0, "the dashboard did not open"
    return rows if qt else 0


def baseline(path: Path) -> int:
    import sqlcipher3
    from PySide6.QtWidgets import QApplication, QMainWindow

    qt = QApplication([])
    window = QMainWindow()
    window.resize(1200, 760)
    window.show()
    connection = sqlcipher3.connect(str(path))
    connection.execute("PRAGMA key = '{}'".format(PASSPHRASE.replace("'", "''")))
    count = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    window.repaint()
    QApplication.processEvents()
    connection.close()
    return int(count) if qt else 0


def main() -> int:
    global PASSPHRASE
    PASSPHRASE = os.environ["BENCH_PASSPHRASE"]
    mode, path = sys.argv[1], Path(sys.argv[2])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    rows = app(path, Path(sys.argv[3])) if mode == "app" else baseline(path)
    elapsed = time.time() - float(os.environ["BENCH_START"])
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "peak_mb": _peak_mb(),
                "rows": rows,
                "reportlab_loaded": "reportlab" in sys.modules,
            }
        )
    )
    sys.stdout.flush()
    os._exit(0)  # measured; skip teardown


if __name__ == "__main__":
    sys.exit(main())
