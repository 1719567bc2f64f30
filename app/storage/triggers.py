"""The database triggers a file should have at its schema revision, and what ``check``
says when its triggers differ (docs/reliability.md: tampering).

The triggers refuse UPDATE and DELETE on the history tables (migrations 0001 and 0002)
and keep each escalation's current deadline (migration 0006). A file missing one can be
edited without the database refusing it, and an extra trigger can rewrite rows as they
are written, so the set is compared by name and SQL text. The SQL is frozen here as
the migrations write it; ``tests/storage/test_triggers.py`` runs the migrations to each
revision and checks this list against what they make, so the two cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

_REFUSE = "BEGIN SELECT RAISE(ABORT, 'records are amended, never overwritten'); END"
_LATEST_START = (
    "( SELECT coalesce(due, '') FROM stage_event WHERE escalation_id = {row}.escalation_id "
    "AND kind = 'started' ORDER BY id DESC LIMIT 1 )"
)
# The history tables whose rows are never updated or deleted (but by retention
# destruction, which lifts and restores these triggers in its transaction), with the
# schema revision that made them so.
APPEND_ONLY = {
    "stage_event": ("0001", "stage events"),
    "record_version": ("0001", "record versions"),
    "approval": ("0001", "approvals"),
    "audit_entry": ("0001", "audit entries"),
    "retention_decision": ("0002", "retention decisions"),
}


@dataclass(frozen=True)
class Trigger:
    name: str
    sql: str
    since: str  # the schema revision that made it
    purpose: str  # what it is for, to finish "…, which …"


def append_only_sql(table: str, verb: str) -> str:
    return f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} {_REFUSE}"


def _expected() -> dict[str, Trigger]:
    found: dict[str, Trigger] = {}
    for table, (since, noun) in APPEND_ONLY.items():
        for verb, done in (("UPDATE", "changed"), ("DELETE", "deleted")):
            sql = append_only_sql(table, verb)
            name = f"{table}_no_{verb.lower()}"
            found[name] = Trigger(name, sql, since, f"stops saved {noun} being {done}")
    for event, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
        name = f"stage_event_{event.lower()}_current_due"
        sql = (
            f"CREATE TRIGGER {name} AFTER {event} ON stage_event WHEN {row}.kind = 'started' "
            f"BEGIN UPDATE escalation SET current_due = {_LATEST_START.format(row=row)} "
            f"WHERE id = {row}.escalation_id; END"
        )
        found[name] = Trigger(name, sql, "0006", "keeps each escalation's current deadline")
    return found


EXPECTED = _expected()


def normal(sql: str) -> str:
    """SQL text compared without regard to spacing and line breaks."""
    return " ".join(sql.replace("(", " ( ").replace(")", " ) ").split())


def expected_at(revision: str) -> dict[str, Trigger]:
    return {name: t for name, t in EXPECTED.items() if t.since <= revision}


def problems(connection: Connection, revision: str) -> list[str]:
    """Triggers missing, changed or added, compared with those of ``revision``."""
    actual = {
        str(name): str(sql)
        for name, sql in connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        )
    }
    found: list[str] = []
    for name, trigger in expected_at(revision).items():
        if name not in actual:
            found.append(
                f"The file has lost the database trigger {name}, which {trigger.purpose} "
                "(it was changed outside the app)."
            )
        elif normal(actual[name]) != normal(trigger.sql):
            found.append(
                f"The database trigger {name}, which {trigger.purpose}, has been changed "
                "(it was changed outside the app)."
            )
    for name in sorted(set(actual) - set(expected_at(revision))):
        found.append(
            f"The file has a database trigger the app does not make: {name} (it was added "
            "outside the app)."
        )
    return found


def drop_append_only(connection: Connection) -> None:
    """Retention destruction, the one lawful delete of history rows, lifts the triggers
    that refuse it inside its own transaction, then ``restore_append_only``."""
    for table in APPEND_ONLY:
        for verb in ("update", "delete"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")


def restore_append_only(connection: Connection) -> None:
    for table in APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            connection.exec_driver_sql(append_only_sql(table, verb))
