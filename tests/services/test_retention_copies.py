"""Retention destruction reaches the other copies: the copies the app kept beside the
file (before a schema update, before a restore) made since the child was recorded are
destroyed with the records, the backups made since then are listed by date, and no
audit entry keeps a file name (a transfer or backup file named after the child)."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from app import clock
from app.policy import default_library
from app.services.people import add_child, list_children
from app.services.retention_copies import destroy_with_copies
from app.services.security import back_up
from app.services.transfer import export_child, import_transfer
from app.storage.datafile import create_data_file
from app.storage.files import before_restore_path, journal_path
from app.storage.migrate import pre_migration_copy_path
from tests.plain_store import PlainStore
from tests.seal_files import ACTOR, SETTING, make_demo

PASSPHRASE = "Copper meadow 42, quiet lantern"
NAME = "Zoë Nguyễn"
BEFORE_CHILD = datetime(2026, 3, 2, 9, 0)
CHILD_ADDED = datetime(2026, 3, 3, 10, 0)
LATER = datetime(2026, 6, 8, 14, 30)


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def _kept_copy(path: Path, made: datetime) -> Path:
    path.write_bytes(os.urandom(4096))  # stands in for the encrypted copy
    os.utime(path, (made.timestamp(), made.timestamp()))
    return path


def test_the_apps_own_copies_go_and_the_backups_are_listed_by_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "escalations.etdb"
    (tmp_path / "backups").mkdir()
    _at(monkeypatch, BEFORE_CHILD)
    db = create_data_file(data, PASSPHRASE)
    try:
        back_up(db, tmp_path / "backups" / "before.etdb", actor=ACTOR)
        older = _kept_copy(pre_migration_copy_path(data, "0005"), BEFORE_CHILD)
        _at(monkeypatch, CHILD_ADDED)
        child = add_child(db, name=NAME, date_of_birth=date(2000, 1, 1), actor=ACTOR).id
        add_child(db, name="Kept Child", date_of_birth=date(2015, 1, 1), actor=ACTOR)
        _at(monkeypatch, LATER)
        back_up(db, tmp_path / "backups" / "after.etdb", actor=ACTOR)
        newer = _kept_copy(pre_migration_copy_path(data, "0006"), LATER)
        restored = _kept_copy(before_restore_path(data), LATER)
        _kept_copy(journal_path(restored), LATER)
        _at(monkeypatch, datetime(2026, 7, 1, 12, 0))
        done = destroy_with_copies(db, child, reason="Review date passed", actor=ACTOR)
        assert [c.name for c in list_children(db)] == ["Kept Child"]
    finally:
        db.close()
    assert older.exists()  # made before the child was recorded: never held them
    assert not newer.exists() and not restored.exists() and not journal_path(restored).exists()
    copies = done.copies
    assert copies.destroyed == [LATER, LATER] and copies.not_destroyed == []
    assert copies.backups == [LATER]  # the backup before the child never held them
    words = copies.words()
    assert "08/06/2026 at 14:30" in words and "02/03/2026" not in words
    assert "Make a new backup now, then delete those older backup files" in words
    assert "Zo" not in words and "after.etdb" not in words  # by date, never by name


def _text_in_file(store: PlainStore) -> str:
    """Every value of every table of a plain store, as text."""
    with store.session() as session:
        tables = session.scalars(text("SELECT name FROM sqlite_master WHERE type='table'"))
        return "\n".join(
            str(value)
            for table in list(tables)
            for row in session.execute(text(f'SELECT * FROM "{table}"'))
            for value in row
        )


def test_no_audit_entry_keeps_a_file_name_named_after_the_child(tmp_path: Path) -> None:
    sender = make_demo(tmp_path / "sender.db", default_library())
    child = next(c.id for c in list_children(sender) if c.name == NAME)
    named = tmp_path / "Zoe_Nguyen_from_StAidans.etdb"
    sent = export_child(sender, child, named, PASSPHRASE, actor=ACTOR, setting=SETTING)
    assert sent.seal is not None
    receiving = PlainStore(tmp_path / "receiving.db")
    add_child(receiving, name="Someone Else", date_of_birth=date(2016, 1, 1), actor=ACTOR)
    import_transfer(receiving, named, PASSPHRASE, seal=sent.seal, actor=ACTOR)
    kept = _text_in_file(receiving) + _text_in_file(sender)
    assert "transfer:" in kept and NAME in kept  # the scan does read the values
    assert "Zoe_Nguyen" not in kept and "StAidans" not in kept
