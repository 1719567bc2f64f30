"""Shared test set-up. Qt runs offscreen (set once, here, before any Qt import)."""

import os
from pathlib import Path

import pytest

from app import paths
from app.policy import PolicyLibrary, default_library

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def library() -> PolicyLibrary:
    """The shipped policies, loaded once per worker (they are read-only)."""
    return default_library()


@pytest.fixture(autouse=True)
def _own_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test (and every process it starts) gets its own per-user folders, so nothing
    it remembers outside a data file (the settings, the wrong-passphrase counts of
    ``app.storage.unlock_attempts``) reaches the developer's own or another test."""
    home = tmp_path_factory.mktemp("user")
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    return home


@pytest.fixture(autouse=True)
def _test_process_stays_dumpable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests call ``app.cli.main`` in the test process itself. Its crash-dump protection
    would lower this process's hard core limit to 0 for good, which every later child
    process inherits and cannot raise, so the core-dump tests' controls (a child that
    can dump) would fail by test order. Those tests run the real protection in child
    processes (tests/reliability/test_core_dumps.py); here it is left out."""
    import app.cli

    monkeypatch.setattr(app.cli, "prevent_crash_dumps", lambda: None)


@pytest.fixture
def instance_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    """For the one-copy-at-a-time tests (app/single_instance): this test's own per-user
    data folder on every system (platformdirs' answer stood in for, as Windows does not
    read the XDG variables above) and its own runtime folder for the socket, so no two
    tests, nor a test and the developer's own app, share an address. Short names: a
    socket's path has a length limit. Returns (data folder, runtime folder)."""
    data = tmp_path_factory.mktemp("data")
    runtime = tmp_path_factory.mktemp("rt")
    monkeypatch.setattr(paths, "user_data_dir", lambda *args, **kwargs: str(data))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    return data, runtime
