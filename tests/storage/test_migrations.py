"""Every released schema version's fixture file opens and migrates; a newer file is
refused untouched; a migration first keeps an encrypted copy of the older file."""

from __future__ import annotations

import hashlib
import shutil
import textwrap
import warnings
from pathlib import Path

import pytest
import sqlcipher3

from app.paths import resource_path
from app.services.escalations import list_escalations
from app.storage import migrate
from app.storage.datafile import check_data_file, open_data_file
from app.storage.migrate import NewerFileError, head_revision
from tests.fixtures.make_fixture import PASSPHRASE

FIXTURES = sorted((Path(__file__).parent.parent / "fixtures").glob("schema-*.etdb"))


def _copy(fixture: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data.etdb"
    shutil.copyfile(fixture, target)
    return target


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_schema_head_constant_matches_the_scripts() -> None:
    """The fast check on open relies on these; Alembic is the authority."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(resource_path("app", "storage", "migrations")))
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_current_head() == migrate.SCHEMA_HEAD
    assert migrate.known_revisions() == {r.revision for r in scripts.walk_revisions()}


def test_there_is_a_fixture_for_the_current_schema() -> None:
    assert any(f.name == f"schema-{head_revision()}.etdb" for f in FIXTURES), (
        "add a fixture for the new schema: python -m tests.fixtures.make_fixture"
    )


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_fixture_opens_migrates_and_checks(fixture: Path, tmp_path: Path) -> None:
    path = _copy(fixture, tmp_path)
    db = open_data_file(path, PASSPHRASE)
    try:
        with db.connect() as conn:
            assert migrate.current_revision(conn) == head_revision()
        assert check_data_file(db) == []
        rows = list_escalations(db)
        assert len(rows) >= 10
        assert any(r.child_name == "Zoë Nguyễn" for r in rows)
    finally:
        db.close()


def _raw(path: Path) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path))
    conn.execute("PRAGMA key = '{}'".format(PASSPHRASE.replace("'", "''")))
    return conn


def test_models_and_migrations_agree() -> None:
    """A model change without a migration (or the reverse) fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from app.storage.models import Base

    with create_engine("sqlite://").begin() as conn, warnings.catch_warnings():
        # The list's order index is on expressions, made by migration 0006 alone (see
        # models.Escalation); SQLAlchemy says it cannot reflect it, and skips it.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        migrate.create_schema(conn)
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_older_fixture_gains_the_new_schema(tmp_path: Path) -> None:
    path = _copy(FIXTURES[0], tmp_path)
    db = open_data_file(path, PASSPHRASE)
    db.close()
    if FIXTURES[0].name != f"schema-{head_revision()}.etdb":
        assert (tmp_path / f"data.before-schema-{FIXTURES[0].stem.split('-')[1]}.etdb").exists()


def test_after_0007_a_date_of_birth_may_be_not_known(tmp_path: Path) -> None:
    """0007 rebuilds ``child`` (NULL now allowed) under escalations that refer to it:
    every child and escalation is still there, still linked, and the file checks."""
    from app.services.people import add_child, list_children

    previous = next(f for f in FIXTURES if f.name == "schema-0006.etdb")
    db = open_data_file(_copy(previous, tmp_path), PASSPHRASE)
    try:
        before = {(r.ref, r.child_name) for r in list_escalations(db)}
        added = add_child(db, name="Nobody Knows", date_of_birth=None, actor="DSL")
        assert added.date_of_birth is None and added.retention_review is None
        children = {c.name: c.date_of_birth for c in list_children(db)}
        assert len(children) == 9 and children["Nobody Knows"] is None
        assert children["Zoë Nguyễn"] is not None
        assert {(r.ref, r.child_name) for r in list_escalations(db)} == before
        with db.read() as connection:
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert check_data_file(db) == []
    finally:
        db.close()


def test_a_migrated_file_counts_and_orders_from_the_indexes(tmp_path: Path) -> None:
    """0006: unlocking's counts come from ``ix_escalation_counts`` alone, and the list,
    whole or its first screenful, is read in the order of ``ix_escalation_order``, so
    nothing scans a table or sorts every escalation (start-up: docs/performance.md). SQLite uses an
    index on expressions only for an ORDER BY written exactly as the index, so this
    fails if ``escalation_rows._order`` and the migration's index differ."""
    from app.services import escalation_rows

    previous = next(f for f in FIXTURES if f.name == "schema-0005.etdb")
    db = open_data_file(_copy(previous, tmp_path), PASSPHRASE)
    try:
        with db.read() as connection:

            def plan(sql: str, parameters: object) -> list[tuple[int, int, str]]:
                rows = connection.execute(f"EXPLAIN QUERY PLAN {sql}", parameters)
                return [(node, parent, detail) for node, parent, _, detail in rows]

            term = {"start": "2026-09-01", "after": "2027-01-01"}
            assert [step[2] for step in plan(escalation_rows._COUNTS, term)] == [
                "SCAN escalation USING COVERING INDEX ix_escalation_counts"
            ]
            whole = [step[2] for step in plan(escalation_rows._ESCALATIONS, ())]
            assert whole[0] == "SCAN e USING INDEX ix_escalation_order", whole
            assert not any("TEMP B-TREE" in step for step in whole), whole
            first = plan(escalation_rows._FIRST_ROWS, (200,))
            chosen = next(node for node, _, step in first if step == "CO-ROUTINE o")
            inside = [step for _, parent, step in first if parent == chosen]
            # The first rows are the index's first entries; only those are sorted again.
            assert inside == ["SCAN escalation USING INDEX ix_escalation_order"], first
            scans = [step for _, _, step in first if step.startswith("SCAN ")]
            assert scans == [inside[0], "SCAN o"], first
    finally:
        db.close()


def test_a_migrated_file_holds_each_current_deadline(tmp_path: Path) -> None:
    """0006 fills ``current_due`` from the stage events; the triggers keep it after."""
    previous = next(f for f in FIXTURES if f.name == "schema-0005.etdb")
    db = open_data_file(_copy(previous, tmp_path), PASSPHRASE)
    try:
        with db.read() as connection:
            (filled, open_ended, differ) = connection.execute(
                """
                SELECT count(current_due), sum(current_due = ''), sum(current_due IS NOT (
                    SELECT coalesce(due, '') FROM stage_event
                    WHERE escalation_id = e.id AND kind = 'started'
                    ORDER BY id DESC LIMIT 1
                )) FROM escalation AS e
                """
            ).fetchone()
    finally:
        db.close()
    assert (differ, filled > open_ended > 0) == (0, True)


def test_0006_downgrades_and_upgrades_with_escalations_in_the_file(tmp_path: Path) -> None:
    """Its downgrade drops the column in place: rebuilding the table, as Alembic's batch
    mode does, would break the foreign keys that point at escalations."""
    from alembic import command

    db = open_data_file(_copy(FIXTURES[-1], tmp_path), PASSPHRASE)
    try:
        with db.connect() as conn:
            command.downgrade(migrate._config(conn), "0005")
            columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(escalation)")}
            assert "current_due" not in columns and "ref" in columns
            command.upgrade(migrate._config(conn), "head")
            assert migrate.current_revision(conn) == head_revision()
        assert list_escalations(db) and check_data_file(db) == []
    finally:
        db.close()


def test_newer_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = _copy(FIXTURES[-1], tmp_path)
    conn = _raw(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.execute("UPDATE file_info SET value = '9.9.9' WHERE key = 'written_by_app'")
    conn.commit()
    conn.close()
    before = _sha(path)
    with pytest.raises(
        NewerFileError, match=r"newer version of Escalation Tracker \(version 9\.9\.9"
    ):
        open_data_file(path, PASSPHRASE)
    assert _sha(path) == before
    assert not list(tmp_path.glob("*before-schema*"))
    # The lock was released: the file can be opened again (and refused again).
    with pytest.raises(NewerFileError):
        open_data_file(path, PASSPHRASE)


def test_older_file_is_copied_then_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulate the next release: a copy of the migrations with one more revision."""
    released = head_revision()
    scripts = tmp_path / "migrations"
    shutil.copytree(resource_path("app", "storage", "migrations"), scripts)
    (scripts / "versions" / "9000_contact_note.py").write_text(
        textwrap.dedent(
            """
            import sqlalchemy as sa
            from alembic import op

            revision = "9000"
            down_revision = "{head}"
            branch_labels = None
            depends_on = None


            def upgrade() -> None:
                op.add_column("contact", sa.Column("note", sa.Text(), nullable=True))


            def downgrade() -> None:
                op.drop_column("contact", "note")
            """
        ).replace("{head}", released),
        encoding="utf-8",
    )
    # resource_path("app", "storage", "migrations", *rest) -> the copied scripts.
    monkeypatch.setattr(migrate, "resource_path", lambda *parts: scripts.joinpath(*parts[3:]))
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", "9000")
    path = _copy(FIXTURES[-1], tmp_path)
    before = _sha(path)
    db = open_data_file(path, PASSPHRASE)
    try:
        with db.connect() as conn:
            assert migrate.current_revision(conn) == "9000"
            columns = [row[1] for row in conn.exec_driver_sql("PRAGMA table_info(contact)")]
        assert "note" in columns
        assert check_data_file(db) == []
    finally:
        db.close()
    copy = tmp_path / f"data.before-schema-{released}.etdb"
    assert copy.exists()
    assert b"SQLite format 3" not in copy.read_bytes()[:16]  # still encrypted
    old = _raw(copy)
    assert old.execute("SELECT version_num FROM alembic_version").fetchone() == (released,)
    old.close()
    assert _sha(path) != before
