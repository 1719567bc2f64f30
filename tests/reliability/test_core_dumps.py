"""No core dump holds child data: every entry point makes the process undumpable before
it reads anything (``app.crash_dumps``). Checked in child processes, as the app runs, with
the core size limit raised first (``ulimit -c unlimited``), and by crashing one for real.
The Windows calls are checked at their boundary (a stand-in for kernel32)."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app import crash_dumps

ROOT = Path(__file__).resolve().parents[2]
LINUX = sys.platform.startswith("linux")

# Reports, as JSON, the core limit and whether the process may be dumped.
STATE = """
import ctypes, json, resource
libc = ctypes.CDLL(None)
state = {"rlimit": resource.getrlimit(resource.RLIMIT_CORE), "dumpable": libc.prctl(3, 0, 0, 0, 0)}
"""


def _unlimited_cores() -> None:
    hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


def _child(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=_unlimited_cores,
        timeout=120,
    )


def _state(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    assert result.returncode == 0, result.stderr
    state: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    return state


@pytest.mark.skipif(not LINUX, reason="prctl and /proc are Linux's")
def test_set_up_leaves_no_core_limit_and_an_undumpable_process(tmp_path: Path) -> None:
    before = _state(_child(STATE + "print(json.dumps(state))", tmp_path))
    assert before["rlimit"] != [0, 0] and before["dumpable"] == 1  # the control
    after = _state(
        _child(
            "from app.crash_dumps import prevent_crash_dumps\nprevent_crash_dumps()\n"
            + STATE
            + "print(json.dumps(state))",
            tmp_path,
        )
    )
    assert after == {"rlimit": [0, 0], "dumpable": 0}


@pytest.mark.skipif(not LINUX, reason="prctl and /proc are Linux's")
@pytest.mark.parametrize(
    "argv", [["policies"], ["deadlines", "york", "resolution", "--raised", "2026-12-18"]]
)
def test_every_entry_point_goes_through_it(tmp_path: Path, argv: list[str]) -> None:
    # app.cli.main is the one entry point: the window (no command), every command, the
    # self-test, and the frozen executables (installer/entry.py) all start there.
    code = (
        "import contextlib, io, sys\nfrom app import cli\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    assert cli.main({argv!r}) == 0\n"
        + STATE
        + "print(json.dumps(state))"
    )
    assert _state(_child(code, tmp_path)) == {"rlimit": [0, 0], "dumpable": 0}


def _core_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name == "core" or p.name.startswith("core.")]


@pytest.mark.skipif(
    not LINUX or not Path("/proc/sys/kernel/core_pattern").read_text().startswith("core"),
    reason="needs the kernel to write cores as files in the working folder",
)
def test_a_native_crash_writes_no_core_file(tmp_path: Path) -> None:
    secret = "Zoe Nguyen 12/05/2014 passphrase"
    crash = f"held = {secret!r} * 1000\nimport os, signal\nos.kill(os.getpid(), signal.SIGSEGV)"
    control = tmp_path / "control"
    control.mkdir()
    result = _child(crash, control)
    assert result.returncode == -signal.SIGSEGV
    cores = _core_files(control)
    assert cores, "the control wrote no core: this machine cannot show the difference"
    assert secret.encode() in cores[0].read_bytes()  # what a core would have held
    hardened = tmp_path / "hardened"
    hardened.mkdir()
    result = _child("from app.crash_dumps import prevent_crash_dumps\n"
                    "prevent_crash_dumps()\n" + crash, hardened)  # fmt: skip
    assert result.returncode == -signal.SIGSEGV
    assert _core_files(hardened) == []


class _Kernel32:
    """Stands in for kernel32 on Linux: records what the app asks of Windows."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def GetErrorMode(self) -> int:
        return 0x8000  # SEM_NOOPENFILEERRORBOX, set by someone else: must be kept

    def SetErrorMode(self, mode: int) -> int:
        self.calls.append(("SetErrorMode", mode))
        return 0x8000

    def WerSetFlags(self, flags: int) -> int:
        self.calls.append(("WerSetFlags", flags))
        return 0


def test_on_windows_error_reporting_collects_no_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    kernel32 = _Kernel32()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(crash_dumps, "_kernel32", lambda: kernel32)
    monkeypatch.setattr(crash_dumps, "_no_core_file", lambda: pytest.fail("not on Windows"))
    crash_dumps.prevent_crash_dumps()
    assert kernel32.calls == [
        ("SetErrorMode", 0x8000 | 0x0002 | 0x0001),  # no crash dialog, no critical-error box
        ("WerSetFlags", 0x0001),  # WER_FAULT_REPORTING_FLAG_NOHEAP
    ]


def test_on_windows_a_missing_call_never_stops_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    class Old:  # a system without WerSetFlags
        def GetErrorMode(self) -> int:
            return 0

        def SetErrorMode(self, mode: int) -> int:
            return 0

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(crash_dumps, "_kernel32", lambda: Old())
    crash_dumps.prevent_crash_dumps()
