"""Tampering with the rows tests/storage/test_audit_tamper.py does not touch: approvals,
retention decisions (including a forged decision written to make a deletion look lawful)
and the escalation row itself (the Escalation Monitoring Form: what is disputed, the
change wanted, the impact, the date raised, the child, the policy and pathway). Each is
found by ``check``, and its first finding names the row or the escalation.

Tampering needs the passphrase and the append-only triggers lifted; ``check`` finds it
anyway. The escalation row changes lawfully (its status and closed date when it closes),
so what was recorded when it opened is pinned by an audit entry of its own
(``escalation-form:<ref>``); the controls below close, withdraw and move escalations
through the services, destroy a child's records, transfer them, and migrate an older
file, and ``check`` stays quiet.
"""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app import clock
from app.domain.records import Outcome, Party
from app.services import escalations as esc
from app.services.people import list_children
from app.services.retention import destroy, retain
from app.services.transfer import export_child, import_transfer
from app.storage.datafile import check_data_file, create_data_file, open_data_file
from app.storage.models import Approval, Escalation, RecordVersion, RetentionDecision
from tests.fixtures.make_fixture import PASSPHRASE
from tests.tampering import Tamper, careful, tamper_and_check

FIXTURES = sorted((Path(__file__).parent.parent / "fixtures").glob("schema-*.etdb"))
FIXTURE = FIXTURES[-1]
# The form's finding: which value changed when check can tell, else that the form has.
ALTERED = "Escalation {ref}: the form as recorded when it was opened"
CHANGED = re.compile(
    r"^Escalation (\S+)(: the form as recorded| was moved from |'s .* was changed)"
)


def _form_changed(problem: str, ref: str) -> bool:
    found = CHANGED.match(problem)
    return found is not None and found[1] == ref


@pytest.fixture(scope="module")
def with_decisions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The newest fixture plus a 'retain' and a 'destroy' retention decision (the
    destruction removes two escalations, lawfully)."""
    path = tmp_path_factory.mktemp("tamper") / "base.etdb"
    shutil.copyfile(FIXTURE, path)
    saved_now = clock.now
    clock.now = lambda: datetime(2027, 1, 6, 9, 0)  # type: ignore[assignment]
    try:
        with open_data_file(path, PASSPHRASE) as db:
            children = {c.name: c.id for c in list_children(db)}
            retain(
                db,
                children["Freya Llewellyn"],
                reason="Relevant to a review",
                next_review=date(2028, 1, 1),
                actor="DSL",
            )
            destroy(db, children["Amira Haddad"], reason="Past review date", actor="DSL")
            with db.session() as session:
                ids: dict[str, Any] = {
                    "retain": session.scalars(
                        select(RetentionDecision.id).where(RetentionDecision.decision == "retain")
                    ).one(),
                    "destroy": session.scalars(
                        select(RetentionDecision.id).where(RetentionDecision.decision == "destroy")
                    ).one(),
                    "approval": session.scalars(select(Approval.id).order_by(Approval.id)).first()
                    or 0,
                    "version": session.scalars(
                        select(RecordVersion.id)
                        .where(~RecordVersion.approvals.any())
                        .order_by(RecordVersion.id)
                    ).first()
                    or 0,
                }
                first = session.scalars(select(Escalation).order_by(Escalation.id)).first()
                assert first is not None
                ids |= {"escalation": first.id, "ref": first.ref}
            assert check_data_file(db) == []
    finally:
        clock.now = saved_now  # type: ignore[assignment]
    assert ids["approval"] and ids["version"]
    return path, ids


_sql = careful


CASES: list[tuple[str, Tamper, str]] = [
    (
        "alter an approval",
        _sql("UPDATE approval SET approved_by = 'Someone else' WHERE id = {approval}"),
        "Approval {approval}'s approved by was changed from",
    ),
    (
        "backdate an approval",
        _sql("UPDATE approval SET approved_at = '2020-01-01 00:00:00' WHERE id = {approval}"),
        "Approval {approval} has been changed since it was recorded",
    ),
    (
        "delete an approval",
        _sql("DELETE FROM approval WHERE id = {approval}"),
        "Approval {approval} is recorded in the audit trail but missing",
    ),
    (
        "insert an approval",
        _sql(
            "INSERT INTO approval (id, version_id, approved_at, approved_by) "
            "VALUES (100000, {version}, '2026-12-01 10:00:00', 'Forged approver')"
        ),
        "Approval 100000 has no audit entry",
    ),
    (
        # SQLite hands out the next id after the highest left, so an inserted row can take
        # the id of one lawfully destroyed: it is then reported as that row, altered.
        "insert an approval under a destroyed one's id",
        _sql(
            "INSERT INTO approval (version_id, approved_at, approved_by) "
            "VALUES ({version}, '2026-12-01 10:00:00', 'Forged approver')"
        ),
        "Approval ",
    ),
    (
        "alter a retention decision",
        _sql("UPDATE retention_decision SET reason = 'Changed' WHERE id = {retain}"),
        "Retention decision {retain} has been changed since it was recorded",
    ),
    (
        "delete a retain decision",
        _sql("DELETE FROM retention_decision WHERE id = {retain}"),
        "Retention decision {retain} is recorded in the audit trail but missing",
    ),
    (
        "delete a destroy decision",
        _sql("DELETE FROM retention_decision WHERE id = {destroy}"),
        "is recorded in the audit trail but missing",
    ),
    (
        "widen a destroy decision to cover another deletion",
        _sql(
            "UPDATE retention_decision SET destroyed_targets = "
            "replace(destroyed_targets, '[', '[\"record_version:{version}\", ') "
            "WHERE id = {destroy}",
            "DELETE FROM record_version WHERE id = {version}",
        ),
        "Retention decision {destroy} has been changed since it was recorded",
    ),
    (
        "forge a destroy decision to cover a deletion",
        _sql(
            "DELETE FROM record_version WHERE id = {version}",
            "INSERT INTO retention_decision (child_id, decided_at, decided_by, decision, "
            "reason, rule, next_review, destroyed_targets) VALUES (1, '2026-12-01 10:00:00', "
            "'DSL', 'destroy', 'Forged', 'IRMS', NULL, '[\"record_version:{version}\"]')",
        ),
        "has no audit entry: it was added outside the app",
    ),
    (
        "alter what is disputed",
        _sql("UPDATE escalation SET disputed = 'Nothing in dispute' WHERE id = {escalation}"),
        ALTERED,
    ),
    (
        "alter the change wanted",
        _sql("UPDATE escalation SET change_wanted = 'Nothing' WHERE id = {escalation}"),
        ALTERED,
    ),
    (
        "alter the impact",
        _sql("UPDATE escalation SET impact = 'None' WHERE id = {escalation}"),
        ALTERED,
    ),
    (
        "backdate the date raised",
        _sql(
            "UPDATE escalation SET raised_at = '2026-01-05 09:30:00.000000' WHERE id = {escalation}"
        ),
        ALTERED,
    ),
    (
        "move the escalation to another child",
        _sql(
            "UPDATE escalation SET child_id = (SELECT max(id) FROM child) WHERE id = {escalation}"
        ),
        ALTERED,
    ),
    (
        "set a child-safety date",
        _sql("UPDATE escalation SET protect_by = '2026-12-01' WHERE id = {escalation}"),
        ALTERED,
    ),
    (
        "alter who raised it",
        _sql("UPDATE escalation SET raised_by = 'Someone else' WHERE id = {escalation}"),
        ALTERED,
    ),
    (
        "alter the policy version",
        _sql("UPDATE escalation SET policy_version = '9' WHERE id = {escalation}"),
        ALTERED,
    ),
    (
        "claim it came from another setting",
        _sql("UPDATE escalation SET transferred_from = 'ESC-2020-0001' WHERE id = {escalation}"),
        ALTERED,
    ),
    (
        "point it at another pathway",
        _sql(
            "UPDATE escalation SET snapshot_id = (SELECT max(id) FROM pathway_snapshot) "
            "WHERE id = {escalation}"
        ),
        ALTERED,
    ),
    (
        "alter the pathway it follows",
        _sql(
            "UPDATE pathway_snapshot SET content = replace(content, '\"stages\"', "
            "'\"stages\" ') WHERE id = (SELECT snapshot_id FROM escalation "
            "WHERE id = {escalation})"
        ),
        ALTERED,
    ),
    (
        "change its reference",
        _sql("UPDATE escalation SET ref = 'ESC-2026-0999' WHERE id = {escalation}"),
        "Escalation ESC-2026-0999 has no audit entry for its form",
    ),
    (
        "insert an escalation",
        _sql(
            "INSERT INTO escalation (ref, child_id, policy_id, policy_version, pathway_id, "
            "snapshot_id, nation, raised_at, raised_by, other_agency, other_practitioner, "
            "category, disputed, change_wanted, impact, immediate_risk, protect_by, status, "
            "transferred_from, closed_at, created_at, created_by) "
            "SELECT 'ESC-2026-9999', child_id, policy_id, policy_version, pathway_id, "
            "snapshot_id, nation, raised_at, raised_by, other_agency, other_practitioner, "
            "category, 'Forged', change_wanted, impact, immediate_risk, protect_by, status, "
            "transferred_from, closed_at, created_at, created_by "
            "FROM escalation WHERE id = {escalation}"
        ),
        "Escalation ESC-2026-9999 has no audit entry for its form (it was inserted",
    ),
    (
        "delete an escalation row",
        _sql("DELETE FROM escalation WHERE id = {escalation}"),
        "Escalation {ref} is recorded in the audit trail but missing",
    ),
]


def _tamper_and_check(base: Path, folder: Path, ids: dict[str, Any], tamper: Tamper) -> list[str]:
    return tamper_and_check(base, folder, tamper, ids)


@pytest.mark.parametrize(("tamper", "finding"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_check_finds_tampering_with_approvals_and_retention(
    tmp_path: Path, with_decisions: tuple[Path, dict[str, Any]], tamper: Tamper, finding: str
) -> None:
    base, ids = with_decisions
    problems = _tamper_and_check(base, tmp_path, ids, tamper)
    assert problems, "tampering went unnoticed"
    if finding == ALTERED:
        assert _form_changed(problems[0], ids["ref"]), problems
    else:
        assert finding.format(**ids) in problems[0], problems


def test_untouched_copy_passes(tmp_path: Path, with_decisions: tuple[Path, dict[str, Any]]) -> None:
    """Control: the copy-and-reopen route itself reports nothing."""
    base, ids = with_decisions
    assert _tamper_and_check(base, tmp_path, ids, _sql()) == []


def test_altering_an_escalations_form_text_is_found(
    tmp_path: Path, with_decisions: tuple[Path, dict[str, Any]]
) -> None:
    base, ids = with_decisions
    tamper = _sql("UPDATE escalation SET disputed = 'Nothing in dispute' WHERE id = {escalation}")
    problems = _tamper_and_check(base, tmp_path, ids, tamper)
    assert len(problems) == 1 and _form_changed(problems[0], ids["ref"]), problems


def test_deleting_an_escalation_with_its_history_names_it(
    tmp_path: Path, with_decisions: tuple[Path, dict[str, Any]]
) -> None:
    """Removing an escalation whole (its stage events, records and approvals too) is
    found first as a missing history row; the escalation is named as well."""
    base, ids = with_decisions
    tamper = _sql(
        "DELETE FROM approval WHERE version_id IN (SELECT v.id FROM record_version v "
        "JOIN record r ON r.id = v.record_id WHERE r.escalation_id = {escalation})",
        "DELETE FROM record_version WHERE record_id IN "
        "(SELECT id FROM record WHERE escalation_id = {escalation})",
        "DELETE FROM record WHERE escalation_id = {escalation}",
        "DELETE FROM stage_event WHERE escalation_id = {escalation}",
        "DELETE FROM escalation WHERE id = {escalation}",
    )
    problems = _tamper_and_check(base, tmp_path, ids, tamper)
    assert "is recorded in the audit trail but missing" in problems[0]
    assert f"Escalation {ids['ref']} is recorded in the audit trail but missing." in problems


def test_lawful_moves_and_closing_pass_check(
    tmp_path: Path, with_decisions: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: the escalation row's status and closed date change through the services
    (a stage moved, an outcome agreed, a withdrawal), and check stays quiet."""
    base, _ids = with_decisions
    path = tmp_path / "data.etdb"
    shutil.copyfile(base, path)
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 1, 6, 9, 0))
    with open_data_file(path, PASSPHRASE) as db:
        open_refs = [r.ref for r in esc.list_escalations(db) if r.status == "open"]
        assert len(open_refs) >= 3
        moved, resolved, withdrawn = open_refs[:3]
        esc.move_to_next_stage(db, moved, result="Not resolved", actor="DSL")
        esc.agree_outcome(
            db,
            resolved,
            Outcome(
                agreed="An assessment will be completed.",
                parties=[Party(name="Ms C Social Worker", agency="CSC")],
                agreed_on=date(2027, 1, 5),
            ),
            actor="DSL",
        )
        esc.withdraw(db, withdrawn, "Resolved informally", actor="DSL")
        statuses = {r.ref: r.status for r in esc.list_escalations(db)}
        assert (statuses[resolved], statuses[withdrawn]) == ("resolved", "withdrawn")
        assert check_data_file(db) == []
    # Then the same file still shows an altered form.
    assert (
        _tamper_and_check(
            path,
            tmp_path / "again",
            {"ref": resolved},
            _sql("UPDATE escalation SET impact = 'None' WHERE ref = '{ref}'"),
        )
        != []
    )


def test_a_transferred_escalation_is_pinned_in_both_files(
    tmp_path: Path, with_decisions: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _ids = with_decisions
    path = tmp_path / "data.etdb"
    shutil.copyfile(base, path)
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 1, 6, 9, 0))
    transfer = tmp_path / "transfer.etdb"
    with open_data_file(path, PASSPHRASE) as db:
        child = next(c for c in list_children(db) if c.name == "Zoë Nguyễn")
        sent_seal = export_child(db, child.id, transfer, PASSPHRASE, actor="DSL").seal
    with open_data_file(transfer, PASSPHRASE) as sent:
        assert check_data_file(sent) == []
    receiving = tmp_path / "receiving.etdb"
    with create_data_file(receiving, PASSPHRASE) as db:
        assert sent_seal is not None
        got = import_transfer(db, transfer, PASSPHRASE, seal=sent_seal, actor="DSL B")
        assert len(got.refs) >= 1
        assert check_data_file(db) == []
    receiving.with_name(receiving.name + ".lock").unlink(missing_ok=True)
    problems = _tamper_and_check(
        receiving,
        tmp_path / "tampered",
        {"ref": got.refs[0]},
        _sql("UPDATE escalation SET disputed = 'Nothing' WHERE ref = '{ref}'"),
    )
    assert problems and _form_changed(problems[0], got.refs[0]), problems


@pytest.mark.parametrize("fixture", FIXTURES[:-1], ids=[f.stem for f in FIXTURES[:-1]])
def test_a_migrated_older_file_passes_check_then_shows_tampering(
    tmp_path: Path, fixture: Path
) -> None:
    """An older file's escalations are pinned by the migration that brings it up to date
    (0004): it passes check at once, and from then on an altered form is found."""
    path = tmp_path / "old.etdb"
    shutil.copyfile(fixture, path)
    with open_data_file(path, PASSPHRASE) as db:  # migrates
        assert check_data_file(db) == []
        with db.session() as session:
            first = session.scalars(select(Escalation).order_by(Escalation.id)).first()
            assert first is not None
            ref = first.ref
    problems = _tamper_and_check(
        path,
        tmp_path / "tampered",
        {"ref": ref},
        _sql("UPDATE escalation SET raised_at = '2026-01-05 09:30:00.000000' WHERE ref = '{ref}'"),
    )
    assert problems and _form_changed(problems[0], ref), problems
