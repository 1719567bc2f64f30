"""A file whose records do not match its audit trail is never migrated: the migrations
that pin rows (0004, the pin baseline) would pin the forgery as if the app had written
it. Downgrading a file with the shipped migrations, editing it and opening it again is
refused, naming what was changed, and the file is left as it was. A value the app
merely cannot read is not such a failure. Unlocking an up-to-date file never runs the
full check (docs/reliability.md: tampering).
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from app.errors import KnownError
from app.storage import audit, migrate
from app.storage.datafile import check_data_file, open_data_file
from tests.fixtures.make_fixture import PASSPHRASE
from tests.tampering import append_entry, apply, careful, checked, digest, row

FIXTURES = Path(__file__).parent.parent / "fixtures"
# Written before every row was pinned (a fixture made since starts with the baseline).
LEGACY = FIXTURES / "schema-0006.etdb"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _current(tmp_path: Path) -> Path:
    path = tmp_path / "data.etdb"
    shutil.copyfile(LEGACY, path)
    with open_data_file(path, PASSPHRASE) as db:
        assert check_data_file(db) == []
    return path


def _downgrade(path: Path, revision: str) -> None:
    """What an insider with the passphrase and this app's own migrations could do."""
    from alembic import command

    with open_data_file(path, PASSPHRASE) as db, db.connect() as connection:
        command.downgrade(migrate._config(connection), revision)


def _refused(path: Path) -> str:
    before, copies = _sha(path), set(path.parent.glob("*before-schema*"))
    with pytest.raises(KnownError) as refused:
        open_data_file(path, PASSPHRASE)
    assert _sha(path) == before, "a refused file must be left as it was"
    assert set(path.parent.glob("*before-schema*")) == copies, "no copy is made for nothing"
    return str(refused.value)


def test_a_downgraded_and_edited_file_is_not_migrated(tmp_path: Path) -> None:
    path = _current(tmp_path)
    _downgrade(path, "0003")
    apply(path, careful("UPDATE escalation SET disputed = 'Nothing' WHERE id = 1"))
    message = _refused(path)
    assert message.startswith("This file was not updated for this version"), message
    assert "Escalation ESC-2026-0001" in message
    assert "The file has not been changed." in message


def test_a_downgraded_file_left_alone_comes_back_clean(tmp_path: Path) -> None:
    """Control: migration 0004 does not pin a form that is pinned already."""
    path = _current(tmp_path)
    _downgrade(path, "0003")
    assert checked(path) == []


@pytest.mark.parametrize("fixture", [FIXTURES / "schema-0003.etdb", LEGACY], ids=lambda f: f.stem)
def test_an_older_file_altered_before_its_update_is_not_migrated(
    tmp_path: Path, fixture: Path
) -> None:
    path = tmp_path / "old.etdb"
    shutil.copyfile(fixture, path)
    apply(path, careful("UPDATE stage_event SET due = '2030-01-01' WHERE id = 1"))
    assert "Stage event 1 has been changed since it was recorded" in _refused(path)


def _unreadable_event(conn: sqlcipher3.Connection, _ids: dict[str, Any]) -> None:
    """A stage event whose date the app cannot read, pinned as the app pins rows (as a
    transfer file could once bring one in)."""
    conn.execute(
        "INSERT INTO stage_event (id, escalation_id, number, kind, at, due, rule, note, "
        "recorded_by) VALUES (999, 1, 1, 'completed', 'not-a-date', NULL, '', '', 'x')"
    )
    content = row(conn, "stage_event", "id = 999")
    assert content["at"] == "not-a-date"
    append_entry(
        conn,
        action="transfer received: stage event",
        target="stage_event:999",
        digest=digest(content),
    )


def test_a_value_the_app_cannot_read_does_not_block_the_update(tmp_path: Path) -> None:
    path = tmp_path / "old.etdb"
    shutil.copyfile(LEGACY, path)
    apply(path, _unreadable_event)
    with open_data_file(path, PASSPHRASE) as db:  # migrated
        assert check_data_file(db) == []


def test_a_baseline_claimed_without_its_entry_is_reported(tmp_path: Path) -> None:
    """The key spares unlocking a search of the trail; check trusts the trail. Adding
    the key to an older file would otherwise leave its records unpinned for ever."""
    path = tmp_path / "old.etdb"
    shutil.copyfile(LEGACY, path)
    apply(path, careful("INSERT INTO file_info (key, value) VALUES ('pins_baseline', '1')"))
    # The fixture's schema is older than the app's, so opening it checks it before the
    # update, and refuses it, saying so.
    refused = _refused(path)
    assert "every row was pinned at an audit entry that does not record it" in refused


def test_removing_the_baseline_key_brings_the_check_back(tmp_path: Path) -> None:
    path = _current(tmp_path)
    apply(
        path,
        careful(
            "UPDATE record SET escalation_id = 2 WHERE id = 1",
            "DELETE FROM file_info WHERE key = 'pins_baseline'",
        ),
    )
    assert "Record 1 was moved from ESC-2026-0001 to ESC-2026-0002." in _refused(path)


def test_unlocking_a_current_file_does_not_run_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _current(tmp_path)
    calls: list[datetime] = []
    real = audit.verify_connection
    monkeypatch.setattr(
        audit, "verify_connection", lambda c: calls.append(datetime.now()) or real(c)
    )
    with open_data_file(path, PASSPHRASE):
        pass
    assert calls == []
    older = tmp_path / "older.etdb"
    shutil.copyfile(LEGACY, older)
    with open_data_file(older, PASSPHRASE):
        pass
    assert len(calls) == 1  # once, before the update


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE escalation SET status = 'open', closed_at = NULL WHERE ref = 'ESC-2026-0008'",
        "UPDATE escalation SET status = 'resolved' WHERE ref = 'ESC-2026-0001'",
    ],
    ids=["reopened", "closed"],
)
def test_an_older_files_escalation_reopened_or_closed_is_not_migrated(
    tmp_path: Path, statement: str
) -> None:
    """Before every row was pinned, closing recorded the status and closed date in an
    event entry; the update checks each escalation's status against it (or, never
    closed, against open) before pinning the status."""
    path = tmp_path / "old.etdb"
    shutil.copyfile(LEGACY, path)
    apply(path, careful(statement))
    assert "'s status was changed from" in _refused(path)
