"""One copy at a time (app/single_instance): the address and the secret, and the hand-over
between a listener and a second copy in this process. The real second process, the
killed first copy and the socket trace are in tests/reliability/test_second_copy.py;
the window coming forward in tests/ui/test_bring_forward.py."""

from __future__ import annotations

import importlib
import os
import socket
import stat
import sys
import threading
from collections.abc import Iterator
from multiprocessing.connection import Client
from pathlib import Path
from typing import Any

import pytest

from app import cli, paths
from app.single_instance import SHOW, InstanceListener, hand_over, start_or_hand_over
from app.single_instance.address import (
    SOCKET_PATH_LIMIT,
    Endpoint,
    authkey,
    endpoint,
    key_file,
)

WAIT = 10.0  # seconds: a ceiling for waits on events, never reached when all is well


class Received:
    """What the listener passed on, with an event to wait on (no sleeps)."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.threads: list[threading.Thread] = []
        self.arrived = threading.Event()

    def __call__(self, message: str) -> None:
        self.messages.append(message)
        self.threads.append(threading.current_thread())
        self.arrived.set()


POSIX_ONLY = pytest.mark.skipif(
    sys.platform == "win32",
    reason="Unix sockets and file modes (Windows: tests/test_windows_branches.py)",
)


@pytest.fixture(autouse=True)
def runtime(instance_folders: tuple[Path, Path]) -> Path:
    return instance_folders[1]


@pytest.fixture
def first_copy() -> Iterator[InstanceListener]:
    start = start_or_hand_over()
    assert not start.handed_over
    assert start.listener is not None
    yield start.listener
    start.listener.close()


def _endpoint() -> Endpoint:
    where = endpoint()
    assert where is not None
    return where


@POSIX_ONLY
def test_each_settings_folder_has_its_own_private_address(
    tmp_path: Path, runtime: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _endpoint()
    other = tmp_path / "another-sandbox"
    monkeypatch.setattr(paths, "user_data_dir", lambda *args, **kwargs: str(other))
    second = _endpoint()
    assert first.family == second.family == "AF_UNIX"
    assert first.address != second.address
    folder = Path(first.address).parent
    assert folder == runtime / "EscalationTracker"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@POSIX_ONLY
def test_a_runtime_folder_too_deep_for_a_socket_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / ("deep" * 30)))
    where = _endpoint()
    assert len(os.fsencode(where.address)) <= SOCKET_PATH_LIMIT
    assert "deep" not in where.address
    assert stat.S_IMODE(Path(where.address).parent.stat().st_mode) == 0o700


@POSIX_ONLY
def test_a_shared_folder_someone_else_owns_is_not_used(tmp_path: Path, runtime: Path) -> None:
    """A folder the socket would go in that is not a real folder of this user's (here a
    symbolic link planted in its place) is passed over for the next."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (runtime / "EscalationTracker").symlink_to(elsewhere)
    where = _endpoint()
    assert not where.address.startswith(str(runtime))
    assert list(elsewhere.iterdir()) == []


@POSIX_ONLY
def test_the_secret_is_made_once_and_only_this_user_can_read_it() -> None:
    key = authkey()
    assert len(key) == 32
    assert stat.S_IMODE(key_file().stat().st_mode) == 0o600
    assert authkey() == key
    key_file().chmod(0o644)  # others could read it now: it is no secret any more
    replaced = authkey()
    assert replaced != key
    assert stat.S_IMODE(key_file().stat().st_mode) == 0o600


def test_a_second_copy_hands_over_to_the_first(first_copy: InstanceListener) -> None:
    received = Received()
    first_copy.deliver_to(received)
    second = start_or_hand_over()
    assert second.handed_over
    assert second.listener is None
    assert received.arrived.wait(WAIT)
    assert received.messages == [SHOW]
    assert received.threads[0] is not threading.main_thread()  # the window queues it


def test_what_comes_before_the_window_is_built_is_kept_for_it(
    first_copy: InstanceListener,
) -> None:
    assert start_or_hand_over().handed_over  # answered at once, with no window yet
    received = Received()
    first_copy.deliver_to(received)
    assert received.messages == [SHOW]


def test_a_wrong_secret_is_refused(first_copy: InstanceListener) -> None:
    received = Received()
    first_copy.deliver_to(received)
    assert not hand_over(_endpoint(), b"x" * 32)
    # The listener takes one connection at a time: once the right secret's message is
    # through, the wrong one has been dealt with.
    assert hand_over(_endpoint(), authkey())
    assert received.messages == [SHOW]


def test_a_copy_without_the_secret_cannot_ask(first_copy: InstanceListener) -> None:
    """Another user's program, which cannot read the secret, connects and says the word
    straight away: it is not passed on."""
    received = Received()
    first_copy.deliver_to(received)
    where = _endpoint()
    with Client(where.address, where.family) as stranger:
        stranger.send_bytes(SHOW.encode("ascii"))
        with pytest.raises(EOFError):  # refused, and the connection closed
            while True:
                stranger.recv_bytes()
    assert hand_over(where, authkey())
    assert received.messages == [SHOW]


def test_only_a_known_word_is_passed_on(first_copy: InstanceListener) -> None:
    received = Received()
    first_copy.deliver_to(received)
    assert not hand_over(_endpoint(), authkey(), "open ESC-2026-0001")
    assert hand_over(_endpoint(), authkey(), SHOW)
    assert received.messages == [SHOW]


@POSIX_ONLY
def test_a_first_copy_that_hangs_does_not_hang_the_second() -> None:
    """Something listening at the address that never answers: the second copy gives up
    after its time limit and starts as usual."""
    where = _endpoint()
    silent = socket.socket(socket.AF_UNIX)
    silent.bind(where.address)
    silent.listen()
    try:
        assert not hand_over(where, authkey(), timeout=0.2)
    finally:
        silent.close()
        os.unlink(where.address)


@POSIX_ONLY
def test_a_copy_that_finds_a_hung_first_copy_starts_after_one_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The address held by something that never answers: one wait for an answer, then
    this copy starts as before, without listening (and the live socket is left alone)."""
    module = importlib.import_module("app.single_instance.hand_over")
    where = _endpoint()
    asked: list[str] = []

    def counted(*args: Any, **kwargs: Any) -> bool:
        asked.append(where.address)
        return hand_over(*args, **kwargs)

    monkeypatch.setattr(module, "ANSWER_SECONDS", 0.2)
    monkeypatch.setattr(module, "hand_over", counted)
    silent = socket.socket(socket.AF_UNIX)
    silent.bind(where.address)
    silent.listen()
    try:
        start = start_or_hand_over()
        assert (start.handed_over, start.listener) == (False, None)
        assert len(asked) == 1
        assert Path(where.address).is_socket()
    finally:
        silent.close()
        os.unlink(where.address)


@POSIX_ONLY
def test_closing_stops_listening_and_removes_the_socket() -> None:
    start = start_or_hand_over()
    assert start.listener is not None
    address = Path(_endpoint().address)
    assert address.is_socket()
    start.listener.close()
    assert not address.exists()
    assert not hand_over(_endpoint(), authkey())
    again = start_or_hand_over()  # and the next copy is the first again
    assert not again.handed_over
    assert again.listener is not None
    again.listener.close()


def test_the_command_line_does_not_hand_over(
    first_copy: InstanceListener, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the window is one at a time: a sub-command runs beside a running window."""
    received = Received()
    first_copy.deliver_to(received)
    assert cli.main(["policies"]) == 0
    assert "north-yorkshire" in capsys.readouterr().out
    assert hand_over(_endpoint(), authkey())  # the only message the listener had
    assert received.messages == [SHOW]
