"""Running a child process in a sandbox folder, with its network blocked and every file it
writes from Python recorded; and scanning folders for plaintext.

The child's environment sends every per-user location into the sandbox: ``HOME``, the
XDG folders (platformdirs and Qt's QSettings honour them on Linux), ``TMPDIR``/``TEMP``/
``TMP`` (``tempfile`` and Qt's temp path). The child starts with ``BOOTSTRAP``, which
installs the guards before the app is imported and then runs the module given.

The guards:

* network: ``socket.socket`` for AF_INET/AF_INET6, ``socket.create_connection`` and
  ``socket.getaddrinfo`` are replaced by functions that log the attempt and raise; an
  audit hook (``sys.addaudithook``) does the same for ``socket.__new__``,
  ``socket.connect`` and name look-ups, so a module holding the original ``socket``
  class (``from socket import socket``) is caught too;
* files: the ``open`` audit event (``open()``, ``os.open``) records every path opened
  for writing, so the test can show they all lie inside the sandbox. Native code (SQLite,
  Qt) does not raise audit events; where ``strace`` is available the test traces the
  system calls as well.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run as ``python -c BOOTSTRAP REPORT_FILE MODULE ARGS...``.
BOOTSTRAP = """
import sys
from tests.reliability import sandbox
sandbox.install_guards(sys.argv[1])
import runpy
sys.argv = [sys.argv[2], *sys.argv[3:]]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


class NetworkBlocked(OSError):
    """Raised by the guards: this process may not use the network."""


_report_path: Path | None = None
_attempts: list[str] = []
_written: list[str] = []
_recording = True


def _save_report() -> None:
    global _recording
    if _report_path is None:
        return
    _recording = False  # writing the report is not the scenario's doing
    _report_path.write_text(
        json.dumps({"network_attempts": _attempts, "written": sorted(set(_written))}),
        encoding="utf-8",
    )
    _recording = True


def _refuse(what: str) -> None:
    _attempts.append(what)
    _save_report()  # at once: a crash after this must not hide the attempt
    raise NetworkBlocked(f"network use is blocked in this test ({what})")


_NETWORK_EVENTS = ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _audit(event: str, args: tuple[object, ...]) -> None:
    if not _recording:
        return
    if event == "open":
        path, mode, flags = args
        writing = (
            any(c in mode for c in "wax+")
            if isinstance(mode, str)
            else isinstance(flags, int) and bool(flags & _WRITE_FLAGS)
        )
        if writing and isinstance(path, str | bytes | os.PathLike):
            _written.append(os.path.abspath(os.fsdecode(path)))
    elif event in ("os.rename", "shutil.copyfile", "shutil.copytree"):
        _written.append(os.path.abspath(os.fsdecode(args[1])))  # type: ignore[arg-type]
    elif event == "socket.__new__":
        import socket

        family = args[1]
        if family in (-1, socket.AF_INET, socket.AF_INET6):  # -1: the AF_INET default
            _refuse(f"socket.__new__(family={family})")
    elif event in _NETWORK_EVENTS or (
        event == "socket.connect" and isinstance(args[1], tuple)  # not an AF_UNIX path
    ):
        _refuse(event)


def install_guards(report: str) -> None:
    global _report_path
    import socket

    _report_path = Path(report)
    real_socket = socket.socket

    class GuardedSocket(real_socket):  # type: ignore[misc,valid-type]
        def __init__(
            self, family: int = -1, type: int = -1, proto: int = -1, fileno: object = None
        ) -> None:
            if fileno is None and family in (-1, socket.AF_INET, socket.AF_INET6):
                _refuse(f"socket.socket(family={family})")
            super().__init__(family, type, proto, fileno)

    def create_connection(*args: object, **kwargs: object) -> None:
        _refuse("socket.create_connection")

    def getaddrinfo(*args: object, **kwargs: object) -> None:
        _refuse("socket.getaddrinfo")

    socket.socket = GuardedSocket  # type: ignore[misc]
    socket.create_connection = create_connection  # type: ignore[assignment]
    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]
    sys.addaudithook(_audit)
    import atexit

    atexit.register(_save_report)


# --- The parent's side -------------------------------------------------------------------


@dataclass(frozen=True)
class Sandbox:
    root: Path

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def temp(self) -> Path:
        return self.root / "tmp"

    @property
    def user_data(self) -> Path:
        """What ``app.paths.user_data_root()`` resolves to in the child."""
        return self.root / "xdg-data" / "EscalationTracker"

    @property
    def config(self) -> Path:
        return self.root / "xdg-config"

    def env(self, **extra: str) -> dict[str, str]:
        folders = {
            "HOME": self.home,
            "XDG_DATA_HOME": self.root / "xdg-data",
            "XDG_CONFIG_HOME": self.config,
            "XDG_CACHE_HOME": self.root / "xdg-cache",
            "XDG_STATE_HOME": self.root / "xdg-state",
            "XDG_RUNTIME_DIR": self.root / "xdg-runtime",
            "TMPDIR": self.temp,
            "TEMP": self.temp,
            "TMP": self.temp,
        }
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        keep = {
            k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "SYSTEMROOT")
        }
        return {
            **keep,
            **{k: str(v) for k, v in folders.items()},
            "PYTHONPATH": str(ROOT),
            "PYTHONDONTWRITEBYTECODE": "1",
            "QT_QPA_PLATFORM": "offscreen",
            **extra,
        }


def strace_works() -> bool:
    strace = shutil.which("strace")
    if strace is None or sys.platform != "linux":
        return False
    probe = subprocess.run(
        [strace, "-f", "-qq", "-e", "trace=openat", "-o", os.devnull, "true"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def run_in_sandbox(
    sandbox: Sandbox,
    report: Path,
    module: str,
    *args: str,
    env: dict[str, str] | None = None,
    trace: Path | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", BOOTSTRAP, str(report), module, *args]
    if trace is not None:
        command = [
            "strace", "-f", "-qq", "-o", str(trace),
            "-e", "trace=open,openat,creat,rename,renameat,renameat2,mkdir,mkdirat",
            *command,
        ]  # fmt: skip
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=sandbox.home,
        env=env if env is not None else sandbox.env(),
        timeout=timeout,
        check=False,
    )


def traced_writes(trace: Path) -> list[str]:
    """Paths a traced process created, opened for writing, renamed to or made."""
    paths: list[str] = []
    for line in trace.read_text(encoding="utf-8", errors="replace").splitlines():
        if "= -1 " in line or '"' not in line:
            continue
        call = line.split(None, 1)[1] if line[:1].isdigit() else line
        name = call.split("(", 1)[0]
        quoted = call.split('"')
        if name in ("open", "openat"):
            flags = call.rsplit('",', 1)[1]
            if any(f in flags for f in ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND")):
                paths.append(quoted[1])
        elif name in ("creat", "mkdir", "mkdirat"):
            paths.append(quoted[1])
        elif name.startswith("rename") and len(quoted) >= 4:
            paths.append(quoted[3])
    return paths


def needle_forms(needle: str) -> set[bytes]:
    """The byte forms a string could take on disk: UTF-8 (composed or decomposed, as
    macOS writes file names), UTF-16 (Qt's and Windows' native strings)."""
    forms = set()
    for text in {
        needle,
        unicodedata.normalize("NFC", needle),
        unicodedata.normalize("NFD", needle),
    }:
        forms.add(text.encode("utf-8"))
        forms.add(text.encode("utf-16-le"))
    return forms


def scan(folders: Iterable[Path], needles: Iterable[str]) -> list[tuple[Path, str]]:
    """Every (file, needle) where the needle appears in the file's bytes."""
    patterns = [(needle, needle_forms(needle)) for needle in needles]
    hits: list[tuple[Path, str]] = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            hits.extend(
                (path, needle) for needle, forms in patterns if any(f in data for f in forms)
            )
    return hits
