"""Wrong passphrases cost the same growing wait through the CLI and the API as in the
window, counted per data file in the per-user settings, so a restart does not reset it.
The clock and the sleeper are replaced (``tests.fake_clock``): nothing sleeps for real."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app import cli
from app.paths import settings_file
from app.storage.datafile import create_data_file, open_data_file
from app.storage.errors import UnlockTooSoonError, WrongPassphraseError
from app.storage.unlock_attempts import SECTION, UnlockAttempts, unlock_delay
from tests.fake_clock import FakeClock

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    return FakeClock().install(monkeypatch)


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.etdb"
    create_data_file(path, PASSPHRASE).close()
    return path


def test_the_count_survives_a_restart(clock: FakeClock, data_file: Path) -> None:
    settings = settings_file()
    first_run = UnlockAttempts(settings)
    assert first_run.failed(data_file) == 0
    assert first_run.failed(data_file) == 1
    restarted = UnlockAttempts(settings)  # a new process reads the same file
    assert restarted.failures(data_file)[0] == 2
    assert restarted.retry_after(data_file) == 1
    clock.advance(1)
    assert restarted.retry_after(data_file) == 0
    assert restarted.failed(data_file) == 2  # and it keeps growing: 0, 0, 1, 2, 4...
    restarted.succeeded(data_file)
    assert UnlockAttempts(settings).failures(data_file)[0] == 0
    assert SECTION in settings.read_text(encoding="utf-8")  # it is the settings file


def test_the_count_follows_the_file_not_its_name(
    clock: FakeClock, data_file: Path, tmp_path: Path
) -> None:
    attempts = UnlockAttempts()
    for _ in range(3):
        attempts.failed(data_file)
    moved = tmp_path / "elsewhere" / "renamed.etdb"
    moved.parent.mkdir()
    shutil.copy2(data_file, moved)
    linked = tmp_path / "link.etdb"
    linked.symlink_to(data_file)
    hard = tmp_path / "hard.etdb"
    os.link(data_file, hard)
    for same in (moved, linked, hard):
        assert attempts.failures(same)[0] == 3
    other = tmp_path / "other.etdb"
    create_data_file(other, PASSPHRASE).close()
    assert attempts.failures(other)[0] == 0


def test_the_api_refuses_a_try_before_the_wait_is_over(clock: FakeClock, data_file: Path) -> None:
    waits = []
    for wrong in ("wrong one", "wrong two"):
        with pytest.raises(WrongPassphraseError) as caught:
            open_data_file(data_file, wrong)
        waits.append(caught.value.retry_after)
    assert waits == [0, 1]
    # Even the right passphrase is not tried until the wait is over.
    with pytest.raises(UnlockTooSoonError) as too_soon:
        open_data_file(data_file, PASSPHRASE)
    assert too_soon.value.retry_after == 1
    clock.advance(1)
    with open_data_file(data_file, PASSPHRASE) as db:
        assert db.is_open
    assert UnlockAttempts().failures(data_file)[0] == 0  # the right one starts again


def test_ten_wrong_tries_through_the_cli_wait_as_the_window_would(
    clock: FakeClock,
    data_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(cli.PASSPHRASE_ENV, "not the passphrase")
    for _ in range(10):
        assert cli.main(["list", "--data-file", str(data_file)]) == 2
    # Before each try, the wait the failures before it cost: 0, 0, 1, 2, 4, 8, 16, 30...
    assert clock.slept == [unlock_delay(n) for n in range(2, 10)]
    assert sum(clock.slept) == 121  # ten tries took 22 s in all before
    errors = capsys.readouterr().err.splitlines()
    # A file without a key file also names the key file it may have lost (issue 23).
    wrong = [e for e in errors if e.startswith("error: That passphrase does not open this file.")]
    assert len(wrong) == 10
    assert "waiting 1 second." in errors[2]

    monkeypatch.setenv(cli.PASSPHRASE_ENV, PASSPHRASE)
    assert cli.main(["list", "--data-file", str(data_file)]) == 0
    assert clock.slept[-1] == 30  # the right passphrase waits its turn too, then opens
    assert UnlockAttempts().failures(data_file)[0] == 0


def test_the_window_settings_survive_and_the_window_sees_the_count(
    clock: FakeClock, data_file: Path
) -> None:
    from ui.local_settings import LocalSettings

    window = LocalSettings()  # the window's QSettings on the same file
    window.data_file = data_file
    window.idle_minutes = 7
    attempts = UnlockAttempts()
    attempts.failed(data_file)
    attempts.failed(data_file)
    window.idle_minutes = 9  # the window writes again after the count was written
    assert UnlockAttempts().failures(data_file)[0] == 2
    reread = LocalSettings()
    assert reread.data_file == data_file and reread.idle_minutes == 9


def test_a_settings_file_that_cannot_be_parsed_is_left_alone(
    clock: FakeClock, data_file: Path
) -> None:
    settings = settings_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("this is not = an [ini file\n[\n", encoding="utf-8")
    before = settings.read_bytes()
    with pytest.raises(WrongPassphraseError):
        open_data_file(data_file, "wrong")
    assert settings.read_bytes() == before
