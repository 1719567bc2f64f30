"""The second copy's side, and the check every desktop start makes before its window.

``start_or_hand_over``: if a first copy answers, it has been asked to come forward and
this copy exits; otherwise this copy claims the address (removing a socket left by a
copy that was killed) and listens. Two copies started at the same moment (a shortcut
double-clicked twice) take turns through a lock file on Linux and macOS, and on Windows
the pipe can be created by one copy only, so one of them hands over to the other.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client
from pathlib import Path

from app.single_instance.address import WINDOW, Endpoint, authkey, endpoint
from app.single_instance.listener import MAX_MESSAGE, OK, SHOW, InstanceListener

ANSWER_SECONDS = 5.0  # a first copy that is alive answers at once, from its own thread


@dataclass(frozen=True)
class Start:
    """What this copy does: exit (``handed_over``), or start, listening if it could."""

    handed_over: bool
    listener: InstanceListener | None = None


def start_or_hand_over(message: str = SHOW, role: str = WINDOW) -> Start:
    """``role``: the window's address, or the tray reminder's (``address.TRAY``)."""
    where = endpoint(role)
    if where is None:
        return Start(handed_over=False)
    try:
        key = authkey()
    except OSError:
        return Start(handed_over=False)  # no secret, no hand-over: start as before
    with _claim_lock(where.claim_lock):
        if hand_over(where, key, message):
            return Start(handed_over=True)
        listener = _claim(where, key)
        # Windows, with no claim lock: another copy may have made the pipe just now.
        # (Elsewhere a copy that holds the address did not answer: no second wait.)
        if listener is None and where.claim_lock is None and hand_over(where, key, message):
            return Start(handed_over=True)
    if listener is not None:
        listener.start()
    return Start(handed_over=False, listener=listener)


def hand_over(
    where: Endpoint, key: bytes, message: str = SHOW, timeout: float | None = None
) -> bool:
    """Give the first copy ``message``; True once it has answered. The connection runs
    on a worker thread with a time limit, as multiprocessing's client has none: a first
    copy that accepts but hangs must not hang this one."""
    answered: list[bool] = []
    finished = threading.Event()

    def ask() -> None:
        try:
            with Client(where.address, where.family, authkey=key) as connection:
                _allow_foreground(int(connection.recv_bytes(MAX_MESSAGE)))
                connection.send_bytes(message.encode("ascii"))
                answered.append(connection.recv_bytes(MAX_MESSAGE) == OK)
        except (OSError, EOFError, ValueError, AuthenticationError):
            answered.append(False)  # none there, a stale socket, or the wrong secret
        finally:
            finished.set()

    threading.Thread(target=ask, name="hand-over", daemon=True).start()
    waited = finished.wait(ANSWER_SECONDS if timeout is None else timeout)
    return waited and answered == [True]


def _allow_foreground(pid: int) -> None:
    """Windows gives the foreground only to the process the person just started (this
    one); this lets the first copy's window take it when it comes forward."""
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(pid)


def _claim(where: Endpoint, key: bytes) -> InstanceListener | None:
    try:
        return InstanceListener(where, key)
    except OSError:
        if where.family != "AF_UNIX" or not _stale(where.address):
            return None
    with contextlib.suppress(FileNotFoundError):
        os.unlink(where.address)  # left by a copy that was killed
    try:
        return InstanceListener(where, key)
    except OSError:
        return None


def _stale(path: str) -> bool:
    """A socket nothing accepts on any more: its copy was killed before it could remove
    it. (This local connection is refused or closed at once; no data is sent.)"""
    probe = socket.socket(socket.AF_UNIX)
    try:
        probe.connect(path)
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
    finally:
        probe.close()
    return False


@contextlib.contextmanager
def _claim_lock(path: Path | None) -> Iterator[None]:
    """Held while this copy looks for a first copy and claims the address (Linux and
    macOS; the OS drops it if the copy dies)."""
    if path is None or sys.platform == "win32":
        yield
        return
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
