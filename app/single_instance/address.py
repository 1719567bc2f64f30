"""Where the first copy listens, and the secret a copy must know to speak to it.

The address is named from a hash of this user's settings file (``app.paths``), so each
user, each portable copy and each test's sandbox (which points the settings somewhere
of its own) has its own, and parallel tests never meet. On Linux and macOS it is an
AF_UNIX socket in a folder only this user can enter: the runtime folder
(``$XDG_RUNTIME_DIR``) if there is one, else the per-user data folder, else (a path too
long for a socket) this user's own folder in the temporary folder. On Windows it is a
named pipe, which Windows' default security lets only its owner (and administrators)
write to.

The secret (``authkey``) is 32 random bytes in the per-user data folder, readable by
this user only (0600); another user of the computer, who cannot read it, cannot make the
window come forward. (On Windows the data folder's own permissions keep it the user's;
in portable mode it is on the stick, as the data file is.)
"""

from __future__ import annotations

import contextlib
import importlib
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.paths import settings_file, user_data_root

KEY_FILE = "instance.key"
KEY_BYTES = 32
# sun_path holds 108 bytes on Linux and 104 on macOS, with its closing NUL.
SOCKET_PATH_LIMIT = 100
FOLDER = "EscalationTracker"
PIPE_PREFIX = "\\\\.\\pipe\\EscalationTracker-"


@dataclass(frozen=True)
class Endpoint:
    address: str
    family: str  # "AF_UNIX" or "AF_PIPE", as multiprocessing.connection names them
    # Linux and macOS: held while a copy checks for a first copy and claims the address,
    # so two copies started together (a double double-click) cannot both claim it.
    claim_lock: Path | None


def _sha256_hex(text: str) -> str:
    # The builtin SHA-256, not hashlib's: hashlib loads OpenSSL (3 ms), which start-up
    # leaves until after the first paint (tests/ui/test_startup_lean.py).
    for module_name in ("_sha2", "_sha256"):  # Python 3.12 on, 3.11
        with contextlib.suppress(ImportError):
            module = importlib.import_module(module_name)
            return str(module.sha256(text.encode()).hexdigest())
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


WINDOW = "window"  # the desktop app's window
TRAY = "tray"  # the reminder at sign-in (python -m app --tray): one icon, not two


def tag(role: str = WINDOW) -> str:
    """This user's (or sandbox's) name for the address: from the settings file's path,
    and which process it is for."""
    return _sha256_hex(f"{settings_file().absolute()}\0{role}")[:16]


def endpoint(role: str = WINDOW) -> Endpoint | None:
    """None when there is no private folder for the socket: the app then starts without
    the hand-over (a second copy meets the data file's lock, as before)."""
    name = tag(role)
    if sys.platform == "win32":
        return Endpoint(PIPE_PREFIX + name, "AF_PIPE", None)
    for folder in _socket_folders():
        socket_path = folder / f"{name}.sock"
        if len(os.fsencode(socket_path)) <= SOCKET_PATH_LIMIT and _private_folder(folder):
            return Endpoint(str(socket_path), "AF_UNIX", folder / f"{name}.lock")
    return None


def _socket_folders() -> list[Path]:
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    folders = [Path(runtime) / FOLDER] if os.path.isabs(runtime) else []
    folders.append(user_data_root() / "run")
    folders.append(Path(tempfile.gettempdir()) / f"{FOLDER}-{os.getuid()}")
    return folders


def _private_folder(folder: Path) -> bool:
    """Made if missing, with 0700; used only if it is a real folder of this user's that
    no one else can enter (a name in the shared temporary folder could be anyone's)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return False
        if info.st_mode & 0o077:
            os.chmod(folder, 0o700)
    except OSError:
        return False
    return True


def key_file() -> Path:
    return user_data_root() / KEY_FILE


def authkey() -> bytes:
    """This user's secret, made at the first call. Raises OSError if it can be neither
    read nor made (the app then starts without the hand-over)."""
    path = key_file()
    key = _read_key(path)
    if key is None:
        _write_key(path)
        key = _read_key(path)
    if key is None:
        raise OSError(f"{path} is not a private key file")
    return key


def _read_key(path: Path) -> bytes | None:
    """The key, if the file is this user's alone and whole; None otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if sys.platform != "win32" and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            return None  # others could read it: replaced by a new one
        key = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    return key if len(key) == KEY_BYTES else None


def _write_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{KEY_FILE}.{os.getpid()}.new")
    fd = os.open(
        temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600
    )
    try:
        os.write(fd, os.urandom(KEY_BYTES))
    finally:
        os.close(fd)
    try:
        if os.path.lexists(path):
            os.replace(temporary, path)  # a key others could read, or a broken one
        else:
            os.link(temporary, path)  # never over the key another copy made this instant
    except FileExistsError:
        pass  # that copy's key is the one both use
    except OSError:
        os.replace(temporary, path)  # no hard links (a FAT-formatted stick)
    finally:
        temporary.unlink(missing_ok=True)
