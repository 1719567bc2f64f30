"""Roles enforced where the file is written (app/storage/role_guard.py): a read-only
member's every change is refused in plain English, by the ORM and by the driver, while
their printing is still recorded in the audit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import clock
from app.demo import create_demo
from app.domain.calendar_events import Reminders
from app.domain.records import Action, Discussion
from app.policy import default_library
from app.services import escalations as esc
from app.services import records as rec
from app.services.calendar_export import export_calendar
from app.services.documents import DocumentKind, generate_document
from app.services.escalation_rows import list_escalations
from app.services.settings import SettingDetails, save_settings
from app.storage.database import Database
from app.storage.datafile import create_data_file, open_data_file
from app.storage.models import AuditEntry, FileInfo
from app.storage.role_guard import printing_recorded
from app.team.member import Member, NotAllowedError, Role

PASSPHRASE = "a roles test passphrase"
LIBRARY = default_library()
GOVERNOR = Member("Alex Moore", Role.READ_ONLY)
DEPUTY = Member("Mr Ben Hughes", Role.DEPUTY)
REFUSAL = "Alex Moore can read and print these records but not change them"
# An hour ago: the demo's escalations were raised days before today.
TALK = Discussion(
    held_at=clock.now().replace(second=0, microsecond=0) - timedelta(hours=1),
    method="phone",
    participants=["Ms C"],
    summary="s",
)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roles") / "roles.etdb"
    with create_data_file(path, PASSPHRASE) as db:
        create_demo(db, LIBRARY)
    return path


@pytest.fixture
def db(demo_file: Path) -> Iterator[Database]:
    database = open_data_file(demo_file, PASSPHRASE)
    try:
        yield database
    finally:
        database.close()


def _open_ref(db: Database) -> str:
    return next(
        row.ref
        for row in list_escalations(db)
        if row.status == "open" and row.stage_number < row.stage_count
    )


def _entries(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


Change = Callable[[Database, str], object]
CHANGES: list[tuple[str, Change]] = [
    ("record a discussion", lambda db, ref: rec.record_discussion(db, ref, TALK, actor="x")),
    (
        "add an action",
        lambda db, ref: rec.add_action(db, ref, Action(description="d", owner="o"), actor="x"),
    ),
    ("move a stage", lambda db, ref: esc.move_to_next_stage(db, ref, result="r", actor="x")),
    ("withdraw", lambda db, ref: esc.withdraw(db, ref, "Resolved", actor="x")),
    (
        "save the settings",
        lambda db, _ref: save_settings(
            db, SettingDetails(setting_name="Mine", dsl_name="Me"), LIBRARY, actor="x"
        ),
    ),
    (
        "export the calendar",
        lambda db, _ref: export_calendar(
            db, db.path.with_name("deadlines.ics"), reminders=Reminders(), actor="x"
        ),
    ),
]


@pytest.mark.parametrize(("what", "change"), CHANGES, ids=[what for what, _ in CHANGES])
def test_a_read_only_member_changes_nothing(db: Database, what: str, change: Change) -> None:
    ref = _open_ref(db)
    before = _entries(db)
    db.member = GOVERNOR
    with pytest.raises(NotAllowedError, match=REFUSAL):
        change(db, ref)
    db.member = None
    assert _entries(db) == before, what


def test_a_write_round_the_orm_is_refused_too(db: Database) -> None:
    """The second lock: the connection is query_only, and says so as the role."""
    db.member = GOVERNOR
    with pytest.raises(NotAllowedError, match=REFUSAL), db.session() as session:
        session.connection().exec_driver_sql("INSERT INTO file_info (key, value) VALUES ('x', 'y')")
    db.member = None
    with db.session() as session:
        assert session.get(FileInfo, "x") is None


def test_a_read_only_member_prints_and_the_printing_is_recorded(db: Database) -> None:
    ref = _open_ref(db)
    db.member = GOVERNOR
    document = generate_document(
        db, LIBRARY, DocumentKind.CHRONOLOGY, ref, setting="S", dsl="D", actor=GOVERNOR.actor
    )
    assert document.pdf.startswith(b"%PDF")
    with db.session() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None
        recorded = (last.actor, last.action, last.digest)
    assert recorded == (
        "Alex Moore (Read-only)",
        "generate Case chronology",
        document.sha256,
    )
    # The exception lets the audit entry through, nothing else.
    with (
        pytest.raises(NotAllowedError, match=REFUSAL),
        db.session() as session,
        printing_recorded(session),
    ):
        session.add(FileInfo(key="x", value="y"))
        session.flush()


def test_a_deputy_changes_the_file(db: Database) -> None:
    ref = _open_ref(db)
    db.member = DEPUTY
    record_id = rec.record_discussion(db, ref, TALK, actor=DEPUTY.actor)
    assert rec.records_for(db, ref)[-1].id == record_id


def test_a_document_names_who_prepared_and_who_approved(db: Database) -> None:
    """Prepared by one member, approved by another: the chronology prints both, and a
    record's own document says who prepared it."""
    from tests.services.test_redacted_exports import text_of

    ref = next(row.ref for row in list_escalations(db) if row.kind == "conference-dissent")
    dissent = generate_document(
        db, LIBRARY, DocumentKind.CONFERENCE_DISSENT, ref, setting="S", dsl="D", actor="x"
    )
    words = " ".join(text_of(dissent.pdf).split())
    assert "Prepared by Ms Hannah Okafor (DSL) on " in words
    approved = next(
        row.ref
        for row in list_escalations(db)
        if any(r.approved for r in rec.records_for(db, row.ref) if r.kind == "discussion")
    )
    chronology = generate_document(
        db, LIBRARY, DocumentKind.CHRONOLOGY, approved, setting="S", dsl="D", actor="x"
    )
    words = " ".join(text_of(chronology.pdf).split())
    assert "Ms Hannah Okafor (DSL)" in words and "Mr Ben Hughes (Deputy DSL)" in words
