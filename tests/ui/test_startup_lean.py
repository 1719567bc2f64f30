"""Start-up stays lean: heavy modules load only when first needed. Checked in a fresh
process, since this test process has imported everything already."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.storage.datafile import create_data_file
from tests.fixtures.make_fixture import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, json, sys
from pathlib import Path
importlib.import_module("app.preload")
from app.policy import default_library
from ui.local_settings import LocalSettings
from ui.main import application
from ui.main_window import MainWindow
application([])
local = LocalSettings(Path(sys.argv[2]))
local.data_file = Path(sys.argv[1])
window = MainWindow(default_library(), local)
window.show()
window.unlock(sys.argv[3])
window.repaint()
assert window.is_unlocked
print(json.dumps({m: m in sys.modules for m in ("reportlab", "pypdfium2", "alembic", "pypdf")}))
"""


def test_dashboard_shows_without_pdf_or_migration_modules(tmp_path: Path) -> None:
    data = tmp_path / "data.etdb"
    create_data_file(data, PASSPHRASE).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(data), str(tmp_path / "s.ini"), PASSPHRASE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == {"reportlab": False, "pypdfium2": False, "alembic": False, "pypdf": False}
