"""Start-up stays lean: the dashboard is painted before the PDF, migration,
ORM and policy-schema modules load; the policies and contacts load straight after, still
without the ORM. Checked in a fresh
process, started as ``ui.main.main`` starts the app, since this test process has
imported everything already."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.demo import create_demo
from app.policy import default_library
from app.services import team
from tests.fixtures.make_fixture import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "reportlab",
    "uharfbuzz",
    "bidi",
    "pypdfium2",
    "alembic",
    "pypdf",
    "sqlalchemy",
    "pydantic",
    "holidays",
)

PROBE = """
import gc, importlib, json, sys
from pathlib import Path
importlib.import_module("app.preload")
collector = {"preload": gc.isenabled()}
from PySide6.QtWidgets import QApplication
from ui.local_settings import LocalSettings
from ui.main import application, load_policies
from ui.main_window import MainWindow
application([])
local = LocalSettings(Path(sys.argv[2]))
local.data_file = Path(sys.argv[1])
window = MainWindow(load_policies, local)
window.show()
import builtins, PySide6.QtCore, PySide6.QtWidgets
# PySide6 adds a class to its module's namespace when it is first used.
shown = {
    "feature hook": builtins.__import__ is builtins.__feature_import__,
    "_hashlib": "_hashlib" in sys.modules,
    "Qt": "Qt" in vars(PySide6.QtCore),
    "QMessageBox": "QMessageBox" in vars(PySide6.QtWidgets),
}
window.unlock(sys.argv[3])
window.repaint()
assert window.is_unlocked
collector["painted"] = gc.isenabled()
heavy = sys.argv[4].split(",")
painted = {m: m in sys.modules for m in heavy}
from ui.form_scrolling import FormScrolling
def wheel_filter():
    return QApplication.instance().findChild(FormScrolling).installed
wheel = {"painted": wheel_filter()}
rows = window.workspace.escalations.model.rowCount()
# An event loop, not a processEvents() loop: PySide6 6.12 crashes ("deallocating None")
# after many thousands of processEvents() calls.
from PySide6.QtCore import QEventLoop, QTimer
loop = QEventLoop()
poll = QTimer()
poll.timeout.connect(lambda: window.rest_loaded and loop.quit())
poll.start(2)
loop.exec()
collector["ready"] = gc.isenabled()
wheel["ready"] = wheel_filter()
print(json.dumps({
    "collector": collector,
    "wheel": wheel,
    "shown": shown,
    "painted": painted,
    "ready": {m: m in sys.modules for m in heavy},
    "rows": rows,
    "policies": window.workspace.escalations.policy.count() - 1,
    "contacts": window.workspace.contacts.model.rowCount(),
    "labels": sorted({window.workspace.escalations.model.index(r, 3).data()
                      for r in range(rows)}),
}))
"""


def test_dashboard_is_painted_before_heavy_modules_and_the_rest_follows(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data.etdb"
    # A team's file (issue 23), as every file is once unlocked in the window: the
    # member's slot is unwrapped while the workspace is built.
    with team.create(data, "Ms Hannah Okafor", PASSPHRASE).db as db:
        create_demo(db, default_library())
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    runs = []
    for _ in range(2):  # the second start has the policies' short names remembered
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                PROBE,
                str(data),
                str(tmp_path / "s.ini"),
                PASSPHRASE,
                ",".join(HEAVY),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    for run in runs:
        # The locked window is shown before OpenSSL's libcrypto loads (3 ms: hashlib
        # derives the raw key after the dashboard is painted) and without Qt's
        # namespace (15-20 ms of Python enums, made while the key is derived: see
        # ui.widgets.common.set_enum), nor QMessageBox's (2 ms; see ui.errors); and
        # PySide6's feature hook no longer reads each module imported (see ui/__init__).
        assert run["shown"] == {
            "feature hook": False,
            "_hashlib": False,
            "Qt": False,
            "QMessageBox": False,
        }
        assert run["painted"] == dict.fromkeys(HEAVY, False)
        # The garbage collector is paused from the start to the painted dashboard (see
        # app/preload.py), and running again once the rest has loaded.
        assert run["collector"] == {"preload": False, "painted": False, "ready": True}
        # The wheel's application-wide filter starts after the paint too: seeing each
        # kind of Qt object for the first time, it made some 130 of Qt's Python enums
        # while the key was derived (ui/form_scrolling.py).
        assert run["wheel"] == {"painted": False, "ready": True}
        assert run["rows"] > 0
        assert run["policies"] == len(default_library().ids())  # filled after the paint
        assert run["contacts"] > 0
        # The list and contacts are read with plain SQL: the ORM (about 40 MB) and the
        # PDF and migration modules wait for something that needs them.
        loaded = {m for m, present in run["ready"].items() if present}
        assert loaded == {"pydantic"}, loaded
    # Labelled with the partnerships' short names once they are known, e.g. "(NYSCP)".
    assert any("(NYSCP)" in label for label in runs[1]["labels"]), runs[1]["labels"]
    assert not any("(north-yorkshire)" in label for label in runs[1]["labels"])
