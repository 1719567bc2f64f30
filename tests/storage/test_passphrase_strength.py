"""New passphrases are rated with zxcvbn wherever they are born (a new file, a change of
passphrase, a transfer file, the CLI's ``demo``); a weak one is refused with one plain
line giving the reason and four random words to use instead. Existing files still open."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.errors import InputError, KnownError
from app.services.people import add_child
from app.services.security import check_new_passphrase
from app.services.transfer import export_child
from app.storage import passphrase_strength
from app.storage.datafile import create_data_file, open_data_file
from app.storage.passphrase_strength import WeakPassphraseError, check_new, suggest

ROOT = Path(__file__).resolve().parents[2]
STRONG = "correct horse battery staple"
# The examples (all accepted before), and a few more kinds of weak.
WEAK = [
    "password",
    "12345678",
    "aaaaaaaa",
    "x",
    "Tr0ub4dor&3",  # 11 characters
    "password password",
    "qwertyuiop123",
    "aaaaaaaaaaaaaaaa",
    "i love you too",
    "safeguarding school",
]


def _one_plain_line(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message
    assert "random words" in message


@pytest.mark.parametrize("weak", WEAK)
def test_weak_new_passphrases_are_refused_with_a_reason_and_a_suggestion(weak: str) -> None:
    with pytest.raises(WeakPassphraseError) as caught:
        check_new(weak)
    message = str(caught.value)
    _one_plain_line(message)
    suggestion = message.rsplit('"', 2)[1]
    assert len(suggestion.split()) == 4
    check_new(suggestion)  # the suggestion passes the rule it is offered under
    with pytest.raises(InputError):  # the form's check is the same rule
        check_new_passphrase(weak, weak)


def test_strong_passphrases_pass() -> None:
    for strong in (STRONG, "crash test passphrase", "Lantern Quince 58 harbour"):
        check_new(strong)
        check_new_passphrase(strong, strong)


def test_suggestions_are_random_words_from_the_shipped_list() -> None:
    words = set(passphrase_strength._words())
    assert len(words) > 7000
    drawn = [suggest() for _ in range(5)]
    assert len(set(drawn)) == 5  # 7,669^4 choices: a repeat means it is not random
    for suggestion in drawn:
        assert set(suggestion.split()) <= words


def test_a_new_file_with_a_weak_passphrase_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "new.etdb"
    for weak in ("password", "12345678", "aaaaaaaa", "x"):
        with pytest.raises(WeakPassphraseError):
            create_data_file(path, weak)
        assert list(tmp_path.iterdir()) == []  # not even a lock file


def test_a_change_to_a_weak_passphrase_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.etdb"
    with create_data_file(path, STRONG) as db, pytest.raises(WeakPassphraseError):
        db.rekey("password")
    with open_data_file(path, STRONG):  # unchanged
        pass


def test_a_transfer_file_with_a_weak_passphrase_is_refused(tmp_path: Path) -> None:
    with create_data_file(tmp_path / "data.etdb", STRONG) as db:
        child = add_child(db, name="Kept Child", date_of_birth=date(2015, 1, 1), actor="test")
        destination = tmp_path / "transfer.etdb"
        with pytest.raises(WeakPassphraseError):
            export_child(db, child.id, destination, "12345678", actor="test")
    assert not destination.exists()


def test_an_existing_file_with_an_old_weak_passphrase_still_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.etdb"
    monkeypatch.setattr("app.storage.database.check_new", lambda _passphrase: None)
    create_data_file(path, "password").close()  # as a version before the rule made it
    monkeypatch.undo()
    with open_data_file(path, "password") as db:
        assert db.is_open


def test_demo_through_the_cli_refuses_x(tmp_path: Path) -> None:
    path = tmp_path / "demo.etdb"
    env = {**os.environ, "ESCALATION_TRACKER_PASSPHRASE": "x"}
    result = subprocess.run(
        [sys.executable, "-m", "app", "demo", "--data-file", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "at least 12 characters" in result.stderr
    assert not path.exists()


def test_weak_passphrase_error_is_a_known_error() -> None:
    assert issubclass(WeakPassphraseError, KnownError)
