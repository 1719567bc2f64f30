"""The domain never imports Qt (GUIDE section 4)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import app

ROOT = Path(__file__).resolve().parent.parent

BLOCK_QT = """
import importlib, importlib.abc, pkgutil, sys

class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("PySide6 is blocked in this test")
        return None

sys.meta_path.insert(0, BlockQt())
import app
for module in pkgutil.walk_packages(app.__path__, "app."):
    if module.name != "app.__main__":
        importlib.import_module(module.name)
print("imported", len(list(pkgutil.walk_packages(app.__path__, "app."))))
"""


def test_app_imports_with_pyside6_blocked() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_QT], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    modules = list(pkgutil.walk_packages(app.__path__, "app."))
    assert result.stdout.strip() == f"imported {len(modules)}"


def test_blocker_really_blocks() -> None:
    probe = BLOCK_QT.replace("import app\n", "import PySide6\nimport app\n", 1)
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120
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
