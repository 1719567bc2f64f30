"""Helpers for the installer tests: the scripts in installer/ are not a package, so they
are loaded from their files; the PyInstaller bundle and the Wine prefix are shared by the
xdist workers, each behind a lock file (``holding``)."""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest

from app.storage.lock import DataFileLock

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
# Long enough for another worker to build the bundle (about a minute on two cores) and
# compile the installer under Wine; only a hang ever reaches it.
LOCK_TIMEOUT = 1200.0


def load_installer_module(name: str) -> ModuleType:
    if str(INSTALLER) not in sys.path:
        sys.path.insert(0, str(INSTALLER))
    spec = importlib.util.spec_from_file_location(f"installer_{name}", INSTALLER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def build_module() -> ModuleType:
    return load_installer_module("build")


@pytest.fixture(scope="session")
def project_info() -> ModuleType:
    return load_installer_module("project_info")


@pytest.fixture(scope="session")
def inno_module() -> ModuleType:
    return load_installer_module("inno")


@contextmanager
def holding(path: Path, what: str) -> Iterator[None]:
    """Hold ``<path>.lock`` (the data-file lock, so it works on Windows too) while another
    xdist worker may use ``path``. The first to get it does the work, the others wait."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = DataFileLock(path)
    deadline = time.monotonic() + LOCK_TIMEOUT
    while not lock.try_acquire():  # another worker is using it
        assert time.monotonic() < deadline, f"{what} stayed locked by another worker"
        time.sleep(0.5)
    try:
        yield
    finally:
        lock.release()
