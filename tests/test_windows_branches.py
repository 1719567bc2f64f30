"""The app's Windows code paths, run on any system with the Windows calls replaced where
the app meets them (a stand-in ``msvcrt``, platformdirs' known-folder lookup, the errors
Windows raises), so their logic is exercised by every CI run. docs/installing.md lists
every place the app behaves differently on Windows and which test covers it."""

from __future__ import annotations

import errno
import importlib.util
import os
import stat
import sys
from pathlib import Path, PureWindowsPath
from types import ModuleType, SimpleNamespace

import pytest

from app import crashlog, paths
from app.storage import files
from app.storage.errors import ReadOnlyError, translate

ROOT = Path(__file__).resolve().parents[1]


def load_as_on_windows(monkeypatch: pytest.MonkeyPatch, relative: str) -> ModuleType:
    """A fresh copy of one of the app's modules, imported as Windows would import it."""
    name = "windows_copy_of_" + relative.replace("/", "_").removesuffix(".py")
    spec = importlib.util.spec_from_file_location(name, ROOT / relative)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


# --- The data-file lock: msvcrt.locking -----------------------------------------------


class FakeMsvcrt:
    """``msvcrt.locking`` as Windows behaves: a byte range locked through one handle
    refuses every other handle, in this process too, with EACCES."""

    LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = range(5)

    def __init__(self) -> None:
        self.held: dict[tuple[int, int, int, int], int] = {}
        self.calls: list[tuple[int, int, int]] = []
        self.fail_with: OSError | None = None

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        self.calls.append((fd, mode, nbytes))
        if self.fail_with is not None:
            raise self.fail_with
        info = os.fstat(fd)
        region = (info.st_dev, info.st_ino, os.lseek(fd, 0, os.SEEK_CUR), nbytes)
        owner = self.held.get(region)
        if mode == self.LK_NBLCK:
            if owner is not None:
                raise PermissionError(errno.EACCES, "Permission denied")
            self.held[region] = fd
        elif mode == self.LK_UNLCK:
            if owner != fd:
                raise PermissionError(errno.EACCES, "Permission denied")
            del self.held[region]
        else:
            raise AssertionError(f"mode {mode}: the app must never wait for another window")


@pytest.fixture
def msvcrt(monkeypatch: pytest.MonkeyPatch) -> FakeMsvcrt:
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setitem(sys.modules, "fcntl", None)  # Windows has none: importing it fails
    return fake


@pytest.fixture
def windows_lock(monkeypatch: pytest.MonkeyPatch, msvcrt: FakeMsvcrt) -> ModuleType:
    return load_as_on_windows(monkeypatch, "app/storage/lock.py")


def is_closed(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return True
    return False


def test_windows_lock_refuses_a_second_window_until_released(
    windows_lock: ModuleType, msvcrt: FakeMsvcrt, tmp_path: Path
) -> None:
    data = tmp_path / "escalations.etdb"
    first, second = windows_lock.DataFileLock(data), windows_lock.DataFileLock(data)
    assert first.try_acquire() and first.is_held
    assert not second.try_acquire() and not second.is_held
    first.release()
    assert second.try_acquire()
    second.release()
    # One byte, without waiting, then its unlock; the lock file stays (see lock.py).
    modes = [(mode, nbytes) for _fd, mode, nbytes in msvcrt.calls]
    assert modes == [(2, 1), (2, 1), (0, 1), (2, 1), (0, 1)]
    assert windows_lock.lock_path_for(data).exists()
    assert all(is_closed(fd) for fd, _mode, _n in msvcrt.calls)


def test_windows_lock_file_is_not_created_read_only(
    windows_lock: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Windows keeps only the owner-write bit of a new file's mode: without it the lock
    file would be read-only, and the next start could not open it for writing."""
    modes: list[int] = []
    real_open = os.open

    def recording_open(path: str, flags: int, mode: int = 0o777) -> int:
        modes.append(mode)
        return real_open(path, flags, mode)

    monkeypatch.setattr(windows_lock.os, "open", recording_open)
    lock = windows_lock.DataFileLock(tmp_path / "escalations.etdb")
    assert lock.try_acquire()
    lock.release()
    assert modes and modes[0] & stat.S_IWRITE


def test_windows_lock_errors_other_than_held_reach_the_caller(
    windows_lock: ModuleType, msvcrt: FakeMsvcrt, tmp_path: Path
) -> None:
    """A failure that is not "held elsewhere" (a share that cannot lock) is raised for
    acquire_lock to word, and the handle is not leaked."""
    msvcrt.fail_with = OSError(errno.EINVAL, "Invalid argument")
    lock = windows_lock.DataFileLock(tmp_path / "escalations.etdb")
    with pytest.raises(OSError) as raised:
        lock.try_acquire()
    assert raised.value.errno == errno.EINVAL and not lock.is_held
    assert is_closed(msvcrt.calls[0][0])


def test_windows_lock_release_survives_a_failed_unlock(
    windows_lock: ModuleType, msvcrt: FakeMsvcrt, tmp_path: Path
) -> None:
    """A drive pulled out: the unlock fails, closing the handle still drops the lock."""
    lock = windows_lock.DataFileLock(tmp_path / "escalations.etdb")
    assert lock.try_acquire()
    msvcrt.fail_with = OSError(errno.EBADF, "Bad file descriptor")
    lock.release()
    lock.release()  # idempotent
    assert not lock.is_held and is_closed(msvcrt.calls[0][0])


# --- The per-user data folder: platformdirs on Windows --------------------------------


def test_windows_data_folder_is_local_appdata_not_roaming(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """%LOCALAPPDATA%\\EscalationTracker: never the roaming profile (the encrypted file
    must not be copied to a server at every log-off), and the very folder the uninstaller
    names ({localappdata}\\{#DataFolderName}, written by installer/build.py)."""
    from platformdirs import windows

    local = r"C:\Users\dsl\AppData\Local"
    known = {"CSIDL_LOCAL_APPDATA": local, "CSIDL_APPDATA": r"C:\Users\dsl\AppData\Roaming"}
    asked: list[str] = []

    def known_folder(csidl_name: str) -> str:  # SHGetKnownFolderPath, in platformdirs
        asked.append(csidl_name)
        return known[csidl_name]

    def windows_user_data_dir(*args: object, **kwargs: object) -> str:
        folder: str = windows.Windows(*args, **kwargs).user_data_dir  # type: ignore[arg-type]
        return folder

    monkeypatch.setattr(windows, "get_win_folder", known_folder)
    monkeypatch.setattr(paths, "user_data_dir", windows_user_data_dir)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "EscalationTracker.exe"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)

    root = PureWindowsPath(str(paths.user_data_root()))
    assert root == PureWindowsPath(local, "EscalationTracker")
    assert asked == ["CSIDL_LOCAL_APPDATA"]
    assert PureWindowsPath(str(paths.default_data_file())) == root / "escalations.etdb"
    assert PureWindowsPath(str(paths.log_dir())) == root / "logs"
    iss = (ROOT / "installer" / "escalation_tracker.iss").read_text(encoding="utf-8")
    assert r"{localappdata}\{#DataFolderName}" in iss and root.name == paths.APP_NAME


# --- Files: what Windows refuses ------------------------------------------------------


def test_fsync_dir_where_a_folder_cannot_be_opened(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Windows refuses to open a folder as a file (NTFS journals renames itself): the
    rename is then left as it is, with no error."""
    synced: list[int] = []

    def refuse(path: str, flags: int, mode: int = 0o777) -> int:
        raise PermissionError(errno.EACCES, "Access is denied", str(path))

    monkeypatch.setattr(files.os, "open", refuse)
    monkeypatch.setattr(files.os, "fsync", synced.append)
    files.fsync_dir(tmp_path)
    assert synced == []


def test_windows_access_denied_is_worded_as_read_only() -> None:
    """ERROR_ACCESS_DENIED (5) reaches Python as PermissionError with errno EACCES."""
    denied = PermissionError(errno.EACCES, "Access is denied", "escalations.etdb", 5)
    error = translate(denied, "the change was not saved")
    assert isinstance(error, ReadOnlyError) and "permission" in str(error)


# --- Crash reports: a file another window holds open ---------------------------------


def test_a_fault_file_another_window_holds_open_is_left_for_later(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Windows refuses to rename a file another process has open (a second window still
    running): that one is skipped, and the crash report beside it is still offered."""
    held = tmp_path / "fault-111-1.txt"
    crashed = tmp_path / "fault-222-2.txt"
    for path in (held, crashed):
        path.write_text("Fatal Python error: Segmentation fault\n", encoding="utf-8")
    real_replace = Path.replace

    def replace(self: Path, target: str | os.PathLike[str]) -> Path:
        if self == held:  # ERROR_SHARING_VIOLATION
            raise PermissionError(errno.EACCES, "used by another process", str(self), 32)
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    reports = crashlog.previous_crashes(tmp_path)
    assert [report.name.endswith("-222.txt") for report in reports] == [True]
    assert held.exists() and not crashed.exists()


# --- One window at a time: a named pipe, and the foreground handed on ------------------


def test_windows_first_copy_listens_on_a_named_pipe_of_its_users(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A pipe named from the user's settings path (no socket folder, no claim lock: a
    pipe can be created by one listener only); the secret's file is read without the
    POSIX owner check, which Windows has no ``os.getuid`` for."""
    address = load_as_on_windows(monkeypatch, "app/single_instance/address.py")
    monkeypatch.delattr(os, "getuid", raising=False)
    first = address.endpoint()
    assert first.family == "AF_PIPE"
    assert first.claim_lock is None
    assert first.address.startswith("\\\\.\\pipe\\EscalationTracker-")
    assert address.endpoint(address.TRAY).address != first.address
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "another user"))
    assert address.endpoint().address != first.address
    key = address.authkey()
    assert len(key) == 32
    assert address.authkey() == key


def test_windows_second_copy_lets_the_first_take_the_foreground(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows gives the foreground to the process the person started: the second copy
    passes it to the first (AllowSetForegroundWindow with the pid the first one sent)."""
    import ctypes
    import multiprocessing.connection  # noqa: F401 - loaded for this system, not as on Windows

    hand_over = load_as_on_windows(monkeypatch, "app/single_instance/hand_over.py")
    allowed: list[int] = []

    class User32:
        def AllowSetForegroundWindow(self, pid: int) -> int:
            allowed.append(pid)
            return 1

    monkeypatch.setattr(ctypes, "windll", SimpleNamespace(user32=User32()), raising=False)
    hand_over._allow_foreground(4321)
    assert allowed == [4321]
