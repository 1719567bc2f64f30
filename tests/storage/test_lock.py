"""The data-file lock on its own (``app/storage/lock.py``). How opening a file uses it,
across processes and crashes, is tested in test_database.py."""

from __future__ import annotations

import errno
import os
import sys
import threading
from pathlib import Path

import pytest

from app.storage import lock as lock_module
from app.storage.database import Database
from app.storage.errors import StorageError
from app.storage.lock import DataFileLock, lock_path_for


def test_a_second_hold_on_the_same_file_is_refused_until_released(tmp_path: Path) -> None:
    data = tmp_path / "data.etdb"
    first, second = DataFileLock(data), DataFileLock(data)
    assert first.try_acquire() and first.is_held
    assert not second.try_acquire() and not second.is_held
    first.release()
    assert not first.is_held
    assert second.try_acquire()
    second.release()


def test_another_file_in_the_same_folder_is_not_held(tmp_path: Path) -> None:
    first, other = DataFileLock(tmp_path / "a.etdb"), DataFileLock(tmp_path / "b.etdb")
    assert first.try_acquire() and other.try_acquire()
    first.release()
    other.release()


def test_any_thread_can_release_it(tmp_path: Path) -> None:
    data = tmp_path / "data.etdb"
    held = DataFileLock(data)
    assert held.try_acquire()
    releaser = threading.Thread(target=held.release)
    releaser.start()
    releaser.join()
    again = DataFileLock(data)
    assert again.try_acquire()
    again.release()


def test_release_is_idempotent_and_the_lock_file_stays(tmp_path: Path) -> None:
    """Never deleted: see the module's note on two copies locking two files."""
    data = tmp_path / "data.etdb"
    held = DataFileLock(data)
    assert held.try_acquire()
    held.release()
    held.release()
    assert lock_path_for(data).exists()
    assert held.try_acquire()  # the file left behind is locked again
    held.release()


def test_holding_twice_is_a_bug_not_a_refusal(tmp_path: Path) -> None:
    held = DataFileLock(tmp_path / "data.etdb")
    assert held.try_acquire()
    with pytest.raises(RuntimeError):
        held.try_acquire()
    held.release()


@pytest.mark.skipif(sys.platform != "linux", reason="counts descriptors in /proc")
def test_a_drive_that_cannot_lock_gets_a_plain_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some network and FUSE mounts answer flock with ENOLCK: say what to do, and leave
    no descriptor open."""
    data = tmp_path / "data.etdb"
    data.write_bytes(b"\0" * 4096)

    def no_locks(fd: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(lock_module, "_lock", no_locks)
    descriptors = len(os.listdir("/proc/self/fd"))
    with pytest.raises(StorageError) as raised:
        Database.open(data, "a passphrase")
    message = str(raised.value)
    assert message.startswith("This drive cannot lock the file against a second window")
    assert "so the file could not be opened" in message
    assert len(os.listdir("/proc/self/fd")) == descriptors


def test_a_failed_unlock_still_lets_the_file_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A removed drive can make unlocking fail; closing the descriptor drops the lock,
    so releasing does not raise (closing the app's file must still lock the screen)."""
    data = tmp_path / "data.etdb"
    held = DataFileLock(data)
    assert held.try_acquire()

    def drive_gone(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(lock_module, "_unlock", drive_gone)
    held.release()
    assert not held.is_held
    again = DataFileLock(data)
    assert again.try_acquire()
    again.release()
