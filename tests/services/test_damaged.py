"""A stored value the app cannot read never stops a file from opening: that escalation
is listed, counted and reported as damaged, with what check says, and everything else
works (each case is what an import that trusted its input let in)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app.errors import KnownError
from app.policy import PolicyLibrary
from app.services.damage import DamagedEscalationError, check_problems, damaged_escalations
from app.services.dashboard import dashboard, first_page
from app.services.documents import DocumentKind
from app.services.escalations import escalation_detail, list_escalations
from app.services.statistics import statistics
from tests.insider import drop_triggers
from tests.plain_store import PlainStore
from tests.seal_files import copy_store, document, make_demo

# (what is changed, in the first escalation; what check says)
CASES = [
    (
        "UPDATE stage_event SET due = 'not-a-date' WHERE id = (SELECT max(id) FROM stage_event "
        "WHERE escalation_id = :e AND kind = 'started'); UPDATE escalation SET current_due = "
        "'not-a-date' WHERE id = :e",
        "is not a date",
    ),
    ("UPDATE stage_event SET number = 99 WHERE escalation_id = :e", "stage 99 is not a stage"),
    (
        "INSERT INTO pathway_snapshot (digest, policy_id, policy_version, pathway_id, content) "
        "VALUES ('x', 'p', 'v', 'resolution', '{}'); UPDATE escalation SET snapshot_id = "
        "(SELECT max(id) FROM pathway_snapshot) WHERE id = :e",
        "pathway it follows cannot be read",
    ),
    ("UPDATE escalation SET nation = 'atlantis' WHERE id = :e", "not a UK nation"),
    ("UPDATE escalation SET raised_at = 'last week' WHERE id = :e", "is not a date"),
    (
        "UPDATE record_version SET content = 'not json' WHERE record_id IN "
        "(SELECT id FROM record WHERE escalation_id = :e)",
        "content cannot be read",
    ),
    (
        "UPDATE child SET date_of_birth = 'unknown' WHERE id = "
        "(SELECT child_id FROM escalation WHERE id = :e)",
        "date of birth is not a date",
    ),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary) -> Path:
    path = tmp_path_factory.mktemp("damaged") / "demo.db"
    make_demo(path, library)
    return path


def _damage(store: PlainStore, sql: str) -> str:
    """Write the bad value as an old import would have; the damaged escalation's ref."""
    with store.session() as session:
        eid, ref = session.execute(
            text(
                "SELECT e.id, e.ref FROM escalation AS e WHERE e.status = 'open' AND EXISTS "
                "(SELECT 1 FROM record WHERE escalation_id = e.id) ORDER BY e.id LIMIT 1"
            )
        ).one()
        triggers = drop_triggers(session)
        for statement in sql.split("; "):
            session.execute(text(statement), {"e": eid})
        for trigger in triggers:
            session.execute(text(trigger))
    return str(ref)


@pytest.mark.parametrize(("sql", "said"), CASES, ids=[c[1] for c in CASES])
def test_a_damaged_escalation_is_shown_as_damaged_and_the_rest_works(
    template: Path, tmp_path: Path, library: PolicyLibrary, sql: str, said: str
) -> None:
    store = copy_store(template, tmp_path / "demo.db")
    total = len(list_escalations(store))
    ref = _damage(store, sql)

    found = damaged_escalations(store)
    assert said in found[ref]
    problems = check_problems(store)
    assert len(problems) == len(found)  # the child's other escalations, for a birth date
    assert any(ref in p and said in p for p in problems)
    rows = list_escalations(store)  # the list (and so the unlock) still reads
    assert len(rows) == total
    damaged = [r for r in rows if r.damaged]
    assert [r.ref for r in damaged] in ([ref], [])  # what the list itself reads, it marks
    page = first_page(store, 5)
    assert page.total == total
    board = dashboard(store)
    for item in board.rows:
        assert item.deadline_text and item.stage_label and item.status_label
        if item.row.damaged:
            assert item.deadline_text.startswith("Damaged:")
    figures = statistics(store)
    assert figures.damaged == len(found) and figures.total == total - len(found)
    with pytest.raises(DamagedEscalationError, match=f"Escalation {ref} is damaged"):
        escalation_detail(store, ref)
    with pytest.raises(KnownError, match="is damaged"):
        document(store, library, ref, DocumentKind.CHRONOLOGY)
    others = [r.ref for r in rows if r.ref not in found]
    for other in others:
        escalation_detail(store, other)
    assert document(store, library, others[0], DocumentKind.CHRONOLOGY).pdf


def test_a_sound_file_has_no_damaged_escalations(template: Path, tmp_path: Path) -> None:
    store = copy_store(template, tmp_path / "demo.db")
    assert damaged_escalations(store) == {}
    assert all(not r.damaged for r in list_escalations(store))
    assert statistics(store).damaged == 0


def test_a_blob_in_a_pinned_row_is_reported_by_check_not_raised(
    template: Path, tmp_path: Path
) -> None:
    """The app never stores bytes; one written into a row from outside used to stop
    check with a TypeError from the digest (app/storage/chain.canonical)."""
    from app.storage import audit

    store = copy_store(template, tmp_path / "demo.db")
    with store.session() as session:
        session.execute(text("UPDATE child SET name = x'00ff' WHERE id = 1"))
    with store.session() as session:
        assert audit.verify(session) == [
            "Child 1 has been changed since it was recorded (the file was changed outside the app)."
        ]
    assert len(list_escalations(store)) > 0
