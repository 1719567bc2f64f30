"""Portable mode and resource paths as a frozen bundle sees them (``sys.frozen``,
``sys.executable`` beside ``_internal``), simulated from source."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from platformdirs import user_data_dir

from app import paths, selftest


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A fake installed bundle: the program folder with its ``_internal`` folder."""
    program = tmp_path / "EscalationTracker"
    (program / "_internal").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program / "EscalationTracker.exe"))
    monkeypatch.setattr(sys, "_MEIPASS", str(program / "_internal"), raising=False)
    return program


def test_frozen_resources_come_from_the_bundle(frozen: Path) -> None:
    assert paths.bundle_root() == frozen / "_internal"
    assert paths.shipped_policies_dir() == frozen / "_internal" / "policies"
    assert paths.resource_path("app", "storage", "migrations") == (
        frozen / "_internal" / "app" / "storage" / "migrations"
    )


def test_frozen_without_marker_uses_the_per_user_folder(frozen: Path) -> None:
    assert paths.program_dir() == frozen
    assert not paths.is_portable()
    assert paths.user_data_root() == Path(
        user_data_dir(paths.APP_NAME, appauthor=False, roaming=False)
    )


def test_frozen_with_marker_keeps_data_beside_the_program(frozen: Path) -> None:
    (frozen / paths.PORTABLE_MARKER).touch()
    assert paths.is_portable()
    assert paths.user_data_root() == frozen / "data"
    assert paths.default_data_file() == frozen / "data" / paths.DATA_FILE_NAME
    assert paths.extra_policies_dir() == frozen / "data" / "policies"
    assert paths.log_dir() == frozen / "data" / "logs"


def test_enable_portable_mode_writes_the_marker_beside_the_program(frozen: Path) -> None:
    paths.enable_portable_mode()
    assert (frozen / paths.PORTABLE_MARKER).exists()
    assert paths.is_portable()


def test_self_test_reports_portable_mode_and_creates_nothing_there(
    frozen: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (frozen / paths.PORTABLE_MARKER).touch()
    monkeypatch.setattr(selftest, "STEPS", (("locate data folder", selftest._step_data_folder),))
    out = io.StringIO()
    assert selftest.run(out) == selftest.EXIT_OK
    assert f"ok  locate data folder (portable: {frozen / 'data'};" in out.getvalue()
    assert not (frozen / "data").exists()
