"""``--self-test`` from source: the whole run in a child process (as IT would run it), and
its failure handling and guards in process with stand-in steps."""

from __future__ import annotations

import contextlib
import io
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from app import paths, selftest
from tests.installer.conftest import ROOT

STEP_NAMES = [name for name, _ in selftest.STEPS] + [selftest.CLEANUP_STEP]


def check_report(output: str) -> list[str]:
    """Every step reported ok (the optional window step may be skipped); the lines."""
    lines = output.strip().splitlines()
    assert lines[0].startswith("Escalation Tracker ") and "self-test" in lines[0]
    assert lines[-1].startswith("self-test passed in ")
    steps = lines[1:-1]
    assert len(steps) == len(STEP_NAMES), steps
    for line, name in zip(steps, STEP_NAMES, strict=True):
        if name == "open main window offscreen" and line.startswith("skip "):
            continue
        assert line.startswith(f"ok  {name}"), line
    return lines


def test_python_m_app_self_test_passes_with_no_display_set(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    user_data = tmp_path / "xdg-data"
    env["XDG_DATA_HOME"] = str(user_data)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg-config")
    result = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = check_report(result.stdout)
    assert any(line.startswith("ok  compute North Yorkshire deadline") for line in lines)
    assert "stage 3 due Wed 06/01/2027" in result.stdout
    assert "(from source," in lines[0]
    reminder = "'Escalation Tracker: 1 overdue, 1 due today. Unlock to see them.' via tray"
    assert any(
        line.startswith("ok  show the reminder at sign-in offscreen") and reminder in line
        for line in lines
    )
    assert not (tmp_path / "xdg-config").exists()  # no sign-in entry was added
    # Nothing is left in the user's data folder: no lock, no setting, no file.
    assert not user_data.exists() or list(user_data.rglob("*")) == []


@pytest.fixture
def fake_steps(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Quick stand-in steps; the list collects each run's temporary folder."""
    folders: list[Path] = []
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def remember(ctx: selftest._Context) -> str:
        folders.append(ctx.folder)
        (ctx.folder / "scratch.txt").write_text("x", encoding="utf-8")
        return "fine"

    def skipped(_ctx: selftest._Context) -> str:
        raise selftest.StepSkipped("not here")

    monkeypatch.setattr(selftest, "STEPS", (("first step", remember), ("optional step", skipped)))
    return folders


def test_report_lines_and_exit_status(fake_steps: list[Path]) -> None:
    out = io.StringIO()
    assert selftest.run(out) == selftest.EXIT_OK
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("ok  first step (fine) [")
    assert lines[2] == "skip optional step: not here"
    assert lines[3] == "ok  delete temporary files"
    assert lines[4].startswith("self-test passed in ")
    assert not fake_steps[0].exists()
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"


def test_first_failure_stops_with_a_plain_line_and_cleans_up(
    fake_steps: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []

    def broken(_ctx: selftest._Context) -> str:
        raise ValueError("the fonts are missing")

    def never(_ctx: selftest._Context) -> str:
        ran.append("never")
        return ""

    monkeypatch.setattr(
        selftest, "STEPS", (*selftest.STEPS[:1], ("render", broken), ("later", never))
    )
    out = io.StringIO()
    assert selftest.run(out) == selftest.EXIT_FAILED
    lines = out.getvalue().splitlines()
    assert lines[-2] == "FAIL render: ValueError: the fonts are missing"
    assert lines[-1] == "self-test FAILED (temporary files deleted)"
    assert not ran
    assert not fake_steps[0].exists()


def test_network_use_fails_the_step_and_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def phone_home(_ctx: selftest._Context) -> str:
        # Even if the app swallowed the error, the attempt is remembered.
        with contextlib.suppress(OSError):
            socket.create_connection(("192.0.2.1", 80), timeout=1)
        return "quietly"

    monkeypatch.setattr(
        selftest, "STEPS", (("phone home", phone_home), ("no network use", selftest._step_network))
    )
    out = io.StringIO()
    assert selftest.run(out) == selftest.EXIT_FAILED
    assert "FAIL no network use: network use was attempted: socket.create_connection" in (
        out.getvalue()
    )
    # The guard is lifted afterwards.
    assert socket.socket.__name__ == "socket"


def test_no_network_guard_blocks_sockets_and_restores_them() -> None:
    attempts: list[str] = []
    original = socket.socket
    with selftest.no_network(attempts), pytest.raises(OSError, match="blocked"):
        socket.socket()
    assert attempts == ["socket.socket"]
    assert socket.socket is original


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets here")
def test_no_network_guard_allows_local_unix_sockets_only() -> None:
    """D-Bus (the reminder's notifications on Linux) is a Unix socket: allowed; every
    IP family is refused."""
    attempts: list[str] = []
    with selftest.no_network(attempts):
        left, right = socket.socketpair(socket.AF_UNIX)
        local = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        for family in (socket.AF_INET, socket.AF_INET6):
            with pytest.raises(OSError, match="blocked"):
                socket.socket(family, socket.SOCK_STREAM)
    for sock in (left, right, local):
        sock.close()
    assert attempts == ["socket.socket", "socket.socket"]


def test_isolated_user_data_redirects_every_caller(tmp_path: Path) -> None:
    from ui.local_settings import default_settings_path

    before = paths.user_data_root()
    with selftest.isolated_user_data(tmp_path):
        assert paths.user_data_root() == tmp_path
        assert paths.default_data_file() == tmp_path / paths.DATA_FILE_NAME
        assert default_settings_path() == tmp_path / "settings.ini"
    assert paths.user_data_root() == before


def test_report_goes_to_a_file_when_there_is_no_stdout(
    fake_steps: list[Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    assert selftest.run() == selftest.EXIT_OK
    report = (tmp_path / selftest.REPORT_FILE_NAME).read_text(encoding="utf-8")
    assert "ok  first step" in report and "self-test passed" in report


def test_cli_flag_is_wired(monkeypatch: pytest.MonkeyPatch) -> None:
    from app import cli

    called: list[str] = []
    monkeypatch.setattr(selftest, "run", lambda: called.append("run") or 0)
    assert cli.main(["--self-test"]) == 0
    assert called == ["run"]
