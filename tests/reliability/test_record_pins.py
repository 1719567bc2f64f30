"""The rows an insider with the passphrase could once change unseen: a record moved to
another escalation, deleted or redated; children's names and dates of birth swapped or
changed; contacts; the setting's details; an escalation reopened or closed; a pathway
snapshot; the database triggers; and pins replaced by appending a newer digest. ``check``
finds each and names the row in plain words (docs/reliability.md: tampering).

Every case here passed ``check`` before every row was pinned. The controls change the
same rows lawfully, through the services, and ``check`` stays quiet.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from app import clock
from app.domain.records import Outcome, Party
from app.policy import Nation, default_library
from app.services import escalations as esc
from app.services.people import add_child, list_children
from app.services.retention import destroy
from app.services.settings import SettingDetails, save_settings
from app.storage.datafile import check_data_file, open_data_file
from tests.fixtures.make_fixture import PASSPHRASE
from tests.tampering import (
    Tamper,
    append_entry,
    careful,
    careless,
    digest,
    latest_entry,
    row,
    tamper_and_check,
)

FIXTURE = sorted((Path(__file__).parent.parent / "fixtures").glob("schema-*.etdb"))[-1]
# Rows of the fixture (the demo): record 1 is in ESC-2026-0001 (escalation 1), which is
# open; ESC-2026-0008 is resolved; children 1 and 2; contact 2; pathway snapshot 1.
IDS: dict[str, Any] = {
    "record": 1,
    "ref": "ESC-2026-0001",
    "other": 2,
    "other_ref": "ESC-2026-0002",
    "resolved": "ESC-2026-0008",
    "a": 1,
    "b": 2,
    "contact": 2,
    "snapshot": 1,
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The newest fixture, opened once by this version of the app (as a DSL would)."""
    path = tmp_path_factory.mktemp("pins") / "base.etdb"
    shutil.copyfile(FIXTURE, path)
    with open_data_file(path, PASSPHRASE) as db:
        assert check_data_file(db) == []
    return path


def _pin_again(target: str, content: Any) -> Tamper:
    """Edit nothing more: append a pin of ``target`` with ``content``'s digest, linked to
    the chain's head as the app links its entries (the 'latest pin wins' forgery)."""

    def run(conn: sqlcipher3.Connection, ids: dict[str, Any]) -> None:
        append_entry(conn, action="pin", target=target.format(**ids), digest=content(conn, ids))

    return run


def _both(*tampers: Tamper) -> Tamper:
    def run(conn: sqlcipher3.Connection, ids: dict[str, Any]) -> None:
        for tamper in tampers:
            tamper(conn, ids)

    return run


def _child_digest(conn: sqlcipher3.Connection, ids: dict[str, Any]) -> str:
    return digest(row(conn, "child", f"id = {ids['a']}"))


def _form_digest(conn: sqlcipher3.Connection, ids: dict[str, Any]) -> str:
    form = row(conn, "escalation", f"ref = '{ids['ref']}'")
    pathway = conn.execute(
        "SELECT content FROM pathway_snapshot WHERE id = ?", (form["snapshot_id"],)
    ).fetchone()[0]
    content = {
        k: v
        for k, v in form.items()
        if k not in {"status", "closed_at", "snapshot_id", "current_due"}
    }
    content["pathway_sha256"] = hashlib.sha256(pathway.encode("utf-8")).hexdigest()
    return digest(content)


def _repin(reason: str, target: str, replaces: str = "latest", status: str = "") -> Tamper:
    """Append an entry in the re-pin form the app writes, for ``target``: naming its
    latest entry (or another one) and ``reason``; with ``status``, the escalation's
    status is first set to it and the entry pins that."""

    def run(conn: sqlcipher3.Connection, ids: dict[str, Any]) -> None:
        name = target.format(**ids)
        # An escalation closed before every row was pinned has its close event as the
        # pin of its status; one closed since (fixtures from 0008 on) has its own pin.
        pinned_by = name
        if not conn.execute("SELECT 1 FROM audit_entry WHERE target = ?", (name,)).fetchone():
            pinned_by = name.replace("escalation-status:", "escalation:")
        entry_id, link, pinned = latest_entry(conn, pinned_by)
        if replaces != "latest":
            entry_id, link = (
                3,
                conn.execute("SELECT hash FROM audit_entry WHERE id = 3").fetchone()[0],
            )
        if status:
            careful(
                f"UPDATE escalation SET status = '{status}', closed_at = NULL "
                f"WHERE ref = '{name.partition(':')[2]}'"
            )(conn, ids)
            pinned = digest({"status": status, "closed_at": None})
        action = f"re-pin ({reason}): replaces entry {entry_id} {link}"
        append_entry(conn, action=action, target=name, digest=pinned)

    return run


DROP_ALL = [
    f"DROP TRIGGER {table}_no_{verb}"
    for table in ("stage_event", "record_version", "approval", "audit_entry", "retention_decision")
    for verb in ("update", "delete")
]
CASES: list[tuple[str, Tamper, str]] = [
    (
        "move a record to another escalation",
        careful("UPDATE record SET escalation_id = {other} WHERE id = {record}"),
        "Record {record} was moved from {ref} to {other_ref}.",
    ),
    (
        "delete a record row",
        careful("DELETE FROM record WHERE id = {record}"),
        "Record {record} is recorded in the audit trail but missing",
    ),
    (
        "redate a record",
        careful("UPDATE record SET created_at = '2026-01-05 09:00:00.000000' WHERE id = {record}"),
        "Record {record}'s date added was changed from",
    ),
    (
        "add a record row",
        careful(
            "INSERT INTO record (escalation_id, kind, created_at) "
            "SELECT escalation_id, kind, created_at FROM record WHERE id = {record}"
        ),
        "has no audit entry: it was added outside the app",
    ),
    (
        "swap two children's names and dates of birth",
        careful(
            "UPDATE child SET name = 'x' WHERE id = {a}",
            "UPDATE child SET (name, date_of_birth) = (SELECT name, date_of_birth FROM child "
            "WHERE id = {b}) WHERE id = {a}",
            "UPDATE child SET name = 'Zoë Nguyễn', date_of_birth = '2014-05-12' WHERE id = {b}",
        ),
        "Child {a} and child {b} have had their name and date of birth swapped.",
    ),
    (
        "change a child's date of birth (moving the retention review)",
        careful("UPDATE child SET date_of_birth = '2004-05-12' WHERE id = {a}"),
        "Child {a}'s date of birth was changed from 12/05/2014 to 12/05/2004.",
    ),
    (
        "change a child's name",
        careful("UPDATE child SET name = 'Someone Else' WHERE id = {a}"),
        "Child {a} has been changed since it was recorded",
    ),
    (
        "add a child",
        careful(
            "INSERT INTO child (name, date_of_birth, identifier, cp_plan, looked_after, "
            "child_in_need, created_at) SELECT 'Forged', date_of_birth, identifier, cp_plan, "
            "looked_after, child_in_need, created_at FROM child WHERE id = {a}"
        ),
        "Child 9 has no audit entry: it was added outside the app.",
    ),
    (
        "delete a child",
        careful("DELETE FROM child WHERE id = {b}"),
        "Child {b} is recorded in the audit trail but missing",
    ),
    (
        "change a contact's phone",
        careful("UPDATE contact SET phone = '07700 900000' WHERE id = {contact}"),
        "Contact {contact}'s phone was changed from '01234 567890' to '07700 900000'.",
    ),
    (
        "delete a contact",
        careful("DELETE FROM contact WHERE id = {contact}"),
        "Contact {contact} is recorded in the audit trail but missing",
    ),
    (
        "change the setting's nation (its bank holidays)",
        careful("UPDATE file_info SET value = 'wales' WHERE key = 'setting.nation'"),
        "The setting's nation was changed from 'england' to 'wales'.",
    ),
    (
        "change the setting's DSL",
        careful("UPDATE file_info SET value = 'Mr Nobody' WHERE key = 'setting.dsl_name'"),
        "The setting's details have been changed",
    ),
    (
        "remove a setting that reads the same by default",
        careful("DELETE FROM file_info WHERE key = 'setting.nation'"),
        "a value was added or removed: nation",
    ),
    (
        "reopen a resolved escalation",
        careful("UPDATE escalation SET status = 'open', closed_at = NULL WHERE ref = '{resolved}'"),
        "Escalation {resolved}'s status was changed from 'resolved' to 'open', and its closed "
        "date from",
    ),
    (
        "close an open escalation with SQL",
        careful("UPDATE escalation SET status = 'resolved' WHERE ref = '{ref}'"),
        "Escalation {ref}'s status was changed from 'open' to 'resolved'.",
    ),
    (
        "change a pathway snapshot's policy",
        careful("UPDATE pathway_snapshot SET policy_id = 'suffolk' WHERE id = {snapshot}"),
        "Pathway snapshot {snapshot} has been changed since it was recorded",
    ),
    (
        "drop all ten append-only triggers",
        careless(*DROP_ALL),
        "The file has lost the database trigger stage_event_no_update, which stops saved "
        "stage events being changed",
    ),
    (
        "add a trigger that rewrites new versions",
        careless(
            "CREATE TRIGGER quiet AFTER INSERT ON record_version BEGIN "
            "UPDATE record SET kind = 'action' WHERE id = NEW.record_id; END"
        ),
        "The file has a database trigger the app does not make: quiet",
    ),
    (
        "weaken an append-only trigger",
        careless(
            "DROP TRIGGER approval_no_delete",
            "CREATE TRIGGER approval_no_delete BEFORE DELETE ON approval WHEN 0 BEGIN "
            "SELECT RAISE(ABORT, 'records are amended, never overwritten'); END",
        ),
        "The database trigger approval_no_delete, which stops saved approvals being deleted, "
        "has been changed",
    ),
    (
        "append a newer pin for a changed child",
        _both(
            careful("UPDATE child SET date_of_birth = '2004-05-12' WHERE id = {a}"),
            _pin_again("child:{a}", _child_digest),
        ),
        "pins child {a} again without naming the pin it replaces",
    ),
    (
        "append a newer pin for an escalation's changed form",
        _both(
            careful("UPDATE escalation SET disputed = 'Nothing in dispute' WHERE ref = '{ref}'"),
            _pin_again("escalation-form:{ref}", _form_digest),
        ),
        "pins escalation {ref}'s form again without naming the pin it replaces",
    ),
    (
        "re-pin with a reason the app never gives",
        _both(
            careful("UPDATE child SET date_of_birth = '2004-05-12' WHERE id = {a}"),
            _repin("corrected", "child:{a}"),
        ),
        "replaces the pin of child {a} without a lawful reason",
    ),
    (
        "re-pin a child with the settings' reason",
        _repin("settings saved", "child:{a}"),
        "replaces the pin of child {a} without a lawful reason",
    ),
    (
        "re-pin naming a pin that is not the latest",
        _repin("settings saved", "file_info:settings", replaces="another"),
        "replaces a pin of the setting's details that is not its latest pin",
    ),
    (
        "reopen an escalation with a well-formed close re-pin",
        _repin("escalation closed", "escalation-status:{resolved}", status="open"),
        "replaces the pin of escalation {resolved}'s status without a lawful reason",
    ),
]


@pytest.mark.parametrize(("tamper", "finding"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_check_names_the_row(tmp_path: Path, base: Path, tamper: Tamper, finding: str) -> None:
    problems = tamper_and_check(base, tmp_path, tamper, IDS)
    assert problems, "tampering went unnoticed"
    assert finding.format(**IDS) in problems[0], problems


def test_every_dropped_trigger_is_named(tmp_path: Path, base: Path) -> None:
    problems = tamper_and_check(base, tmp_path, careless(*DROP_ALL))
    lost = [p for p in problems if p.startswith("The file has lost the database trigger")]
    assert len(lost) == 10, problems


def test_an_appended_pin_does_not_hide_the_change(tmp_path: Path, base: Path) -> None:
    """The forged pin is refused and the row is still compared with the pin it tried
    to replace."""
    tamper = _both(
        careful("UPDATE child SET date_of_birth = '2004-05-12' WHERE id = {a}"),
        _pin_again("child:{a}", _child_digest),
    )
    problems = tamper_and_check(base, tmp_path, tamper, IDS)
    assert "Child 1's date of birth was changed from 12/05/2014 to 12/05/2004." in problems


def test_lawful_changes_through_the_services_pass(
    tmp_path: Path, base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: closing, saving the settings twice, and a destruction whose child id
    SQLite hands out again, each re-pin or end pins lawfully; then an edit is still
    found."""
    path = tmp_path / "data.etdb"
    shutil.copyfile(base, path)
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 1, 6, 9, 0))
    library = default_library()
    with open_data_file(path, PASSPHRASE) as db:
        esc.withdraw(db, IDS["ref"], "Resolved informally", actor="DSL")
        outcome = Outcome(
            agreed="An assessment will be completed.",
            parties=[Party(name="Ms C Social Worker", agency="CSC")],
            agreed_on=date(2027, 1, 5),
        )
        esc.agree_outcome(db, IDS["other_ref"], outcome, actor="DSL")
        for nation in (Nation.WALES, Nation.ENGLAND):
            save_settings(db, SettingDetails("St Aidan's", "Ms Okafor", (), None, nation), library)
        last = max(list_children(db), key=lambda c: c.id)
        destroy(db, last.id, reason="Past review date", actor="DSL")
        again = add_child(db, name="New Child", date_of_birth=date(2016, 1, 1), actor="DSL")
        assert again.id == last.id  # the id is reused
        assert check_data_file(db) == []
    problems = tamper_and_check(
        path,
        tmp_path / "edited",
        careful("UPDATE child SET name = 'x' WHERE id = {a}"),
        {"a": again.id},
    )
    assert problems == [
        f"Child {again.id} has been changed since it was recorded (the file was "
        "changed outside the app)."
    ]
