"""``python -m app`` with no command starts the window; ``--data-file PATH`` before any
command starts it with that file chosen on the unlock page (README.md, "Running it")."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

import app.cli_window
import app.single_instance
from app.cli import main


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Path | None]:
    """What the window was started with, instead of starting it."""
    calls: list[Path | None] = []

    def window(listener: object = None, data_file: Path | None = None) -> int:
        calls.append(data_file)
        return 0

    modules = {"ui.main": types.SimpleNamespace(main=window), "app.preload": None}
    monkeypatch.setattr(app.cli_window.importlib, "import_module", modules.__getitem__)
    # No first copy to hand over to, and no address claimed (tests/test_single_instance.py
    # covers the hand-over itself).
    monkeypatch.setattr(
        app.single_instance, "start_or_hand_over", lambda: app.single_instance.Start(False)
    )
    return calls


def test_no_command_starts_the_window_with_the_file_remembered(started: list[Path | None]) -> None:
    assert main([]) == 0
    assert started == [None]


def test_data_file_starts_the_window_with_that_file(
    started: list[Path | None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--data-file", "school.etdb"]) == 0
    assert started == [tmp_path / "school.etdb"]  # a whole path: the window's is one


def test_a_folder_is_refused_in_one_line(
    started: list[Path | None], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-file", str(tmp_path)]) == 2
    assert started == []
    assert capsys.readouterr().err == (
        f"error: --data-file: {tmp_path} is a folder; give the data file in it.\n"
    )


def test_the_window_option_before_a_command_is_refused(
    started: list[Path | None], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--data-file", "a.etdb", "list", "--data-file", "b.etdb"])
    assert exited.value.code == 2 and started == []
    assert "put it after the command" in capsys.readouterr().err


def test_a_file_asked_of_a_second_copy_is_named_not_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copy is running (it keeps its own file open): the second says where to go."""
    monkeypatch.setattr(
        app.single_instance, "start_or_hand_over", lambda: app.single_instance.Start(True)
    )
    other = tmp_path / "other.etdb"
    assert main(["--data-file", str(other)]) == 0
    err = capsys.readouterr().err
    assert "already open" in err and str(other) in err and "unlock page" in err
