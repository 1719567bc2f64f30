"""Altering, inserting or deleting one audit or history row is found by check, which
names the first bad entry. Tampering needs the passphrase and lifting the append-only
triggers (put back afterwards, as a careful insider would); check finds it anyway."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.storage.datafile import check_data_file, open_data_file
from tests.fixtures.make_fixture import PASSPHRASE
from tests.tampering import Tamper, apply, careful, careless

FIXTURE = sorted((Path(__file__).parent.parent / "fixtures").glob("schema-*.etdb"))[-1]
_sql = careful

CASES: list[tuple[str, Tamper, str]] = [
    (
        "alter audit entry",
        _sql("UPDATE audit_entry SET actor = 'Someone else' WHERE id = 7"),
        "Audit entry 7 has been altered",
    ),
    (
        "delete audit entry",
        _sql("DELETE FROM audit_entry WHERE id = 12"),
        "Audit entry 12 is missing",
    ),
    (
        "delete last audit entry",
        _sql("DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)"),
        "removed from the end",
    ),
    (
        "insert audit entry",
        _sql(
            "UPDATE audit_entry SET id = id + 1000 WHERE id >= 20",
            "UPDATE audit_entry SET id = id - 999 WHERE id >= 1020",
            "INSERT INTO audit_entry (id, at, actor, action, target, digest, prev_hash, hash) "
            "SELECT 20, at, actor, action, target, digest, prev_hash, hash "
            "FROM audit_entry WHERE id = 19",
        ),
        "Audit entry 20 does not link",  # the inserted copy is the first bad entry
    ),
    (
        "alter discussion",
        _sql("UPDATE record_version SET content = replace(content, 'phone', 'email') WHERE id = 1"),
        "Record version 1 has been changed since it was recorded",
    ),
    (
        "delete a version",
        _sql(
            "DELETE FROM approval WHERE version_id = 2", "DELETE FROM record_version WHERE id = 2"
        ),
        "Record version 2 is recorded in the audit trail but missing",
    ),
    (
        "alter a stored deadline",
        _sql("UPDATE stage_event SET due = '2030-01-01' WHERE id = 1"),
        "Stage event 1 has been changed since it was recorded",
    ),
    (
        "hide an escalation from the list",
        _sql("UPDATE escalation SET current_due = NULL WHERE id = 1"),
        "the current deadline the list shows it by does not match its stage events",
    ),
    (
        "move an escalation in the list",
        _sql("UPDATE escalation SET current_due = '2099-01-01' WHERE id = 2"),
        "the current deadline the list shows it by does not match its stage events",
    ),
    (
        "drop the trigger that keeps the current deadline",
        careless("DROP TRIGGER stage_event_insert_current_due"),
        "lost the database trigger stage_event_insert_current_due, which keeps each "
        "escalation's current deadline",
    ),
    (
        "insert a history row",
        _sql(
            "INSERT INTO stage_event "
            "(escalation_id, number, kind, at, due, rule, note, recorded_by) "
            "VALUES (1, 4, 'started', '2026-01-01 00:00:00', NULL, '', '', 'x')"
        ),
        "has no audit entry",
    ),
]


@pytest.mark.parametrize(("tamper", "finding"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_check_finds_tampering(tmp_path: Path, tamper: Tamper, finding: str) -> None:
    path = tmp_path / "data.etdb"
    shutil.copyfile(FIXTURE, path)
    db = open_data_file(path, PASSPHRASE)
    assert check_data_file(db) == []
    db.close()
    apply(path, tamper)
    db = open_data_file(path, PASSPHRASE)
    try:
        problems = check_data_file(db)
    finally:
        db.close()
    assert problems, "tampering went unnoticed"
    assert finding in problems[0], problems
