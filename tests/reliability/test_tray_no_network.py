"""The tray reminder's notification path (``python -m app --tray --once``) under the
socket tracer (``sandbox.install_guards``: AF_INET and AF_INET6 refused and recorded,
AF_UNIX allowed): through desktop-notifier to a notification service on a private
D-Bus session bus, and with a bus address that would be reached over TCP, which the
app does not use. Neither opens an IP socket, and the notification says counts only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from app import clock
from app.nation import Nation
from app.reminders import due_file
from tests.reliability.sandbox import ROOT, Sandbox, run_in_sandbox


def _sandbox(tmp_path: Path) -> Sandbox:
    """Reminders on, and a due-moments file: one overdue, one due today."""
    sandbox = Sandbox(tmp_path / "sandbox")
    sandbox.env()  # makes the folders
    sandbox.user_data.mkdir(parents=True)
    (sandbox.user_data / "settings.ini").write_text("[reminders]\non=true\nmorning=08:30\n")
    now = clock.now()
    moments = due_file.DueMoments((now - timedelta(days=3), now.date()), Nation.ENGLAND, now)
    due_file.write(sandbox.user_data / due_file.FILE_NAME, moments)
    return sandbox


@pytest.fixture
def session_bus(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A private session bus with the stand-in notification service on it."""
    daemon_path = shutil.which("dbus-daemon")
    if daemon_path is None or sys.platform != "linux":
        pytest.skip("dbus-daemon is not installed here")
    address = f"unix:path={tmp_path / 'bus'}"
    daemon = subprocess.Popen(
        [daemon_path, "--session", "--nofork", f"--address={address}", "--print-address"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert daemon.stdout is not None
    if not daemon.stdout.readline().startswith("unix:"):  # not listening
        daemon.kill()
        daemon.wait()
        daemon.stdout.close()
        pytest.fail("dbus-daemon did not start")
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.fake_notifications"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert server.stdout is not None
    try:
        assert server.stdout.readline().strip() == "ready"
        yield address, server
    finally:
        for process in (server, daemon):
            process.kill()
            process.wait()
            if process.stdout is not None:
                process.stdout.close()


def _run(sandbox: Sandbox, tmp_path: Path, bus: str) -> tuple[list[str], list[str], str]:
    report = tmp_path / "report.json"
    env = sandbox.env(DBUS_SESSION_BUS_ADDRESS=bus)
    done = run_in_sandbox(sandbox, report, "app", "--tray", "--once", env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    attempts: list[str] = json.loads(report.read_text(encoding="utf-8"))["network_attempts"]
    return done.stdout.strip().splitlines(), attempts, done.stderr


def test_desktop_notifications_over_d_bus_open_no_ip_socket(
    tmp_path: Path, session_bus: tuple[str, subprocess.Popen[str]]
) -> None:
    address, server = session_bus
    lines, attempts, _ = _run(_sandbox(tmp_path), tmp_path, address)
    assert attempts == []
    assert lines == [
        "Escalation Tracker: 1 overdue, 1 due today. Unlock to see them.",
        "shown by: native",
    ]
    assert server.stdout is not None
    shown = json.loads(server.stdout.readline())
    assert shown == ["Escalation Tracker", "1 overdue, 1 due today. Unlock to see them."]


def test_a_bus_reached_over_tcp_is_not_used(tmp_path: Path) -> None:
    lines, attempts, errors = _run(_sandbox(tmp_path), tmp_path, "tcp:host=127.0.0.1,port=9")
    assert attempts == []
    assert lines[-1] == "shown by: tray"  # Qt's message instead
    # The offscreen platform has no notification area: IT's check says so, not nothing.
    assert "no notification area" in errors
