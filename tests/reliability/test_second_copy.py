"""A second copy of the app, as a real process (``python -m app`` with the sandbox's
settings), hands over to a first copy and exits 0, quietly, before it loads Qt; neither
copy opens an IP socket (``sandbox.install_guards`` traces both); a socket left by a
first copy that was killed does not stop the next copy from being first. The tray
reminder is one at a time too, on an address of its own."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.single_instance import SHOW, TRAY, InstanceListener, start_or_hand_over
from app.single_instance.address import endpoint
from tests.reliability.sandbox import BOOTSTRAP, ROOT, Sandbox, run_in_sandbox

# The sandbox sends the per-user folders elsewhere through XDG variables and HOME,
# which Windows does not read (its own pipe: tests/test_windows_branches.py).
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the sandbox is XDG's")

WAIT = 60.0  # seconds: a ceiling for a child process, never reached when all is well
HEAVY = ("PySide6", "reportlab", "pypdfium2", "alembic", "sqlalchemy", "sqlcipher3")


@pytest.fixture
def sandbox(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """A sandbox with a short path (a socket's path has a length limit), whose per-user
    folders this test process uses too, so that it finds the same address."""
    sandbox = Sandbox(tmp_path_factory.mktemp("copy"))
    for name, value in sandbox.env().items():
        if name.startswith("XDG_") or name in ("HOME", "TMPDIR"):
            monkeypatch.setenv(name, value)
    where = endpoint()
    assert where is not None and where.address.startswith(str(sandbox.root))
    return sandbox


class Received:
    def __init__(self) -> None:
        self.messages: list[str] = []
        self.arrived = threading.Event()

    def __call__(self, message: str) -> None:
        self.messages.append(message)
        self.arrived.set()


@pytest.fixture
def first_here(sandbox: Sandbox) -> Iterator[tuple[InstanceListener, Received]]:
    """The first copy's listener in this process, with a stand-in for its window."""
    start = start_or_hand_over()
    assert start.listener is not None
    received = Received()
    start.listener.deliver_to(received)
    yield start.listener, received
    start.listener.close()


def _first_copy(sandbox: Sandbox, report: Path) -> subprocess.Popen[str]:
    """``tests.reliability.first_copy`` in the sandbox, under the guards, once ready."""
    process = subprocess.Popen(
        [sys.executable, "-c", BOOTSTRAP, str(report), "tests.reliability.first_copy"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=sandbox.home,
        env=sandbox.env(),
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def _attempts(report: Path) -> list[str]:
    attempts: list[str] = json.loads(report.read_text(encoding="utf-8"))["network_attempts"]
    return attempts


def test_the_second_copy_hands_over_and_neither_opens_an_ip_socket(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    first_report, second_report = tmp_path / "first.json", tmp_path / "second.json"
    first = _first_copy(sandbox, first_report)
    try:
        second = run_in_sandbox(sandbox, second_report, "app", timeout=WAIT)
        assert first.stdout is not None
        said = first.stdout.readline().strip()
        assert first.wait(WAIT) == 0
    finally:
        first.kill()
        first.wait()
        if first.stdout is not None:
            first.stdout.close()
    assert (second.returncode, second.stdout, second.stderr) == (0, "", "")
    assert said == SHOW
    assert _attempts(second_report) == []
    assert _attempts(first_report) == []
    where = endpoint()
    assert where is not None
    assert not Path(where.address).exists()  # the first copy removed it as it closed


def test_after_a_first_copy_is_killed_the_next_copy_is_first(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    killed = _first_copy(sandbox, tmp_path / "killed.json")
    killed.kill()  # SIGKILL: no chance to remove its socket
    killed.wait()
    assert killed.stdout is not None
    killed.stdout.close()
    where = endpoint()
    assert where is not None
    assert Path(where.address).is_socket()  # left behind, stale
    start = start_or_hand_over()
    assert not start.handed_over
    assert start.listener is not None  # this copy is first: the stale socket was removed
    received = Received()
    start.listener.deliver_to(received)
    try:
        second = run_in_sandbox(sandbox, tmp_path / "second.json", "app", timeout=WAIT)
        assert (second.returncode, second.stdout, second.stderr) == (0, "", "")
        assert received.arrived.wait(WAIT)
        assert received.messages == [SHOW]
    finally:
        start.listener.close()


PROBE = """
import json, sys
from app.cli import main
status = main([])
print(json.dumps({"status": status, "loaded": [m for m in sys.argv[1:] if m in sys.modules]}))
"""


def test_the_second_copy_hands_over_before_it_loads_qt(
    sandbox: Sandbox, first_here: tuple[InstanceListener, Received]
) -> None:
    _listener, received = first_here
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *HEAVY],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**sandbox.env(), "PYTHONPATH": str(ROOT)},
        timeout=WAIT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"status": 0, "loaded": []}
    assert received.arrived.wait(WAIT)
    assert received.messages == [SHOW]


CHECK_ONLY = """
import json, sys
from app.single_instance import start_or_hand_over
start = start_or_hand_over()
loaded = [m for m in sys.argv[1:] if m in sys.modules]
start.listener.close()
print(json.dumps({"handed_over": start.handed_over, "loaded": loaded}))
"""


def test_the_check_a_first_copy_makes_loads_nothing_heavy(sandbox: Sandbox) -> None:
    """What every start of the window adds before it: no Qt, no database, no PDF
    modules, no OpenSSL (which start-up leaves until after the first paint)."""
    done = subprocess.run(
        [sys.executable, "-c", CHECK_ONLY, *HEAVY, "pydantic", "_hashlib"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**sandbox.env(), "PYTHONPATH": str(ROOT)},
        timeout=WAIT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"handed_over": False, "loaded": []}


def test_a_second_tray_exits_and_a_tray_never_answers_for_the_window(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    sandbox.user_data.mkdir(parents=True, exist_ok=True)
    (sandbox.user_data / "settings.ini").write_text("[reminders]\non=true\n", encoding="utf-8")
    tray = start_or_hand_over(role=TRAY)
    assert tray.listener is not None
    received = Received()
    tray.listener.deliver_to(received)
    try:
        report = tmp_path / "second-tray.json"
        second = run_in_sandbox(sandbox, report, "app", "--tray", timeout=WAIT)
        assert (second.returncode, second.stdout, second.stderr) == (0, "", "")
        assert received.arrived.wait(WAIT)
        assert _attempts(report) == []
        # IT's check still runs beside a tray that is showing.
        once = run_in_sandbox(sandbox, tmp_path / "once.json", "app", "--tray", "--once")
        assert once.returncode == 0, once.stderr
        assert once.stdout.splitlines()[0] == "Escalation Tracker: nothing to remind about"
        window = start_or_hand_over()  # the tray does not answer for the window
        assert not window.handed_over
        assert window.listener is not None
        window.listener.close()
    finally:
        tray.listener.close()
    assert received.messages == [SHOW]
