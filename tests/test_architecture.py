"""The domain never imports Qt (docs/architecture.md: the layers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Every module file under app/, found on disk rather than by pkgutil (which skips folders
# without an __init__.py, as app/services once was), except the two that only run inside
# something else: __main__ starts the app, and the migrations' env.py runs only inside
# Alembic's context. Those two are read for Qt imports instead (below).
NOT_IMPORTED = {"app/__main__.py", "app/storage/migrations/env.py"}


def app_modules() -> list[str]:
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "app").rglob("*.py"))
    names = [f[: -len(".py")].removesuffix("/__init__").replace("/", ".") for f in files]
    return [n for f, n in zip(files, names, strict=True) if f not in NOT_IMPORTED]


BLOCK_QT = """
import importlib, importlib.abc, sys

class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("PySide6 is blocked in this test")
        return None

sys.meta_path.insert(0, BlockQt())
import app
walked = 0
for name in sys.argv[1:]:
    importlib.import_module(name)
    walked += 1
print("imported", walked)
"""


def test_app_imports_with_pyside6_blocked() -> None:
    modules = app_modules()
    # The services, the migrations and the storage are all walked.
    assert {"app.services.escalations", "app.storage.database", "app.cli"} <= set(modules)
    assert any(m.startswith("app.storage.migrations.versions.") for m in modules)
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_QT, *modules],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"imported {len(modules)}"
    assert len(modules) == len(list((ROOT / "app").rglob("*.py"))) - len(NOT_IMPORTED)


def test_modules_not_imported_name_no_qt() -> None:
    for relative in NOT_IMPORTED:
        text = (ROOT / relative).read_text("utf-8")
        assert "PySide6" not in text, relative


def test_blocker_really_blocks() -> None:
    probe = BLOCK_QT.replace("import app\n", "import PySide6\nimport app\n", 1)
    result = subprocess.run(
        [sys.executable, "-c", probe, "app.clock"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode != 0 and "PySide6 is blocked" in result.stderr


def test_nothing_uses_pysides_feature_switches() -> None:
    """``ui/__init__`` removes PySide6's import hook, which exists only for its
    ``__feature__`` switches (snake_case, true_property): nothing may use them, the tests
    and the benchmark included, which import ``ui`` in the same process."""
    sources = [
        p for top in ("app", "ui", "tests", "bench") for p in ROOT.joinpath(top).rglob("*.py")
    ]
    assert len(sources) > 100
    users = [
        p
        for p in sources
        if p != Path(__file__)  # which names them, to look for them
        and ("import __feature__" in (t := p.read_text("utf-8")) or "from __feature__" in t)
    ]
    assert users == []


FEATURE_HOOK = """
import builtins
from PySide6.QtCore import QObject
hooked = builtins.__import__ is builtins.__feature_import__
import ui
from PySide6.QtWidgets import QStyle  # PySide's lazy classes still load
print(hooked, builtins.__import__ is builtins.__orig_import__, QStyle.__name__)
"""


def test_the_desktop_app_takes_pysides_feature_hook_out() -> None:
    result = subprocess.run(
        [sys.executable, "-c", FEATURE_HOOK],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "QStyle"]
