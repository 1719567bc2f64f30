"""Backups that happen: when to remind (a fake clock), which automatic backups are
pruned (only the app's own, beyond the newest N), and a backup that cannot be made."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.domain.backup_schedule import (
    BackupChoices,
    automatic_backup_name,
    backup_reminder,
    is_automatic_backup,
    to_prune,
)
from app.errors import KnownError
from app.services import backups
from app.storage import audit
from app.storage.database import Database
from app.storage.datafile import create_data_file, open_data_file
from tests.plain_store import PlainStore

NOW = datetime(2026, 12, 4, 16, 0)
PASSPHRASE = "correct horse battery staple"


def test_a_reminder_only_once_the_last_backup_is_older_than_the_days_chosen() -> None:
    assert backup_reminder(NOW - timedelta(days=6, hours=23), None, NOW, 7) is None
    said = backup_reminder(NOW - timedelta(days=9), None, NOW, 7)
    assert said is not None and "9 days ago, on Wed 25/11/2026" in said
    assert backup_reminder(NOW - timedelta(days=2), None, NOW, 1) is not None


def test_a_file_never_backed_up_is_reminded_once_it_is_as_old_as_the_days_chosen() -> None:
    assert backup_reminder(None, NOW - timedelta(days=3), NOW, 7) is None
    said = backup_reminder(None, NOW - timedelta(days=7), NOW, 7)
    assert said is not None and "never been backed up" in said


def test_the_last_backup_is_read_from_the_audit_trail(tmp_path: Path) -> None:
    store = PlainStore(tmp_path / "plain.db")
    with store.session() as session:
        audit.append(
            session,
            actor="x",
            action="create file",
            target="file",
            content={},
            at=NOW - timedelta(days=30),
        )
        audit.append(
            session,
            actor="x",
            action="back up",
            target="file",
            content={},
            at=NOW - timedelta(days=8),
        )
        audit.append(
            session,
            actor="x",
            action="back up",
            target="file",
            content={},
            at=NOW - timedelta(days=2),
        )
    assert backups.last_backup(store)[0] == NOW - timedelta(days=2)
    assert backups.reminder(store, 7, NOW) is None
    assert backups.reminder(store, 1, NOW) is not None


def test_automatic_backup_names_hold_the_time_only() -> None:
    name = automatic_backup_name(datetime(2026, 12, 4, 16, 5, 9))
    assert name == "escalations-auto-backup-2026-12-04-160509.etdb"
    assert is_automatic_backup(name)
    assert not is_automatic_backup("escalations-backup-2026-12-04.etdb")  # by hand
    assert not is_automatic_backup(name + ".partial")


def test_only_the_apps_own_beyond_the_newest_n_are_pruned() -> None:
    names = [automatic_backup_name(NOW - timedelta(days=d)) for d in range(7)]
    others = ["escalations-backup-2026-12-01.etdb", "notes.txt", "escalations.etdb"]
    pruned = to_prune([*others, *names], 5)
    assert pruned == sorted(names)[:2]  # the two oldest
    assert to_prune(others, 1) == []


def test_choices_that_cannot_be_saved_say_why(tmp_path: Path) -> None:
    assert BackupChoices(automatic=True).problem() == (
        "Choose a folder for the automatic backups, or turn them off."
    )
    assert "could not be found" in str(
        BackupChoices(automatic=True, folder=tmp_path / "x").problem()
    )
    assert BackupChoices(remind_after_days=0).problem() is not None
    assert BackupChoices(automatic=True, folder=tmp_path).problem() is None


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "data" / "escalations.etdb"
    path.parent.mkdir()
    create_data_file(path, PASSPHRASE).close()
    database = open_data_file(path, PASSPHRASE)
    yield database
    database.close()


def test_automatic_backups_are_verified_copies_and_n_are_kept(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "automatic"
    folder.mkdir()
    (folder / "mine.etdb").write_bytes(b"a backup made by hand")
    for minute in range(4):
        made = backups.automatic_backup(
            db, folder, 3, actor="DSL", now=NOW + timedelta(minutes=minute)
        )
    kept = sorted(p.name for p in folder.iterdir())
    newest = [automatic_backup_name(NOW + timedelta(minutes=m)) for m in (1, 2, 3)]
    assert kept == sorted(["mine.etdb", *newest])
    assert [p.name for p in made.pruned] == [automatic_backup_name(NOW)]
    with open_data_file(made.made.path, PASSPHRASE):
        pass
    assert backups.last_backup(db)[0] is not None


def test_an_unwritable_folder_is_a_plain_message(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(_self: Database, _destination: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Database, "backup_to", refuse)
    with pytest.raises(KnownError, match="could not be written to"):
        backups.automatic_backup(db, tmp_path, 5, actor="DSL", now=NOW)
    with pytest.raises(KnownError, match="could not be found"):
        backups.automatic_backup(db, tmp_path / "gone", 5, actor="DSL", now=NOW)
