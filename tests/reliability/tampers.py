"""Generated insider tampers for the seal figures: single changes across the tables the
audit pins (each row's value altered, rows deleted, rows backdated into the middle of
the history, the tail cut short), each followed by the insider's full recompute of
digests, chain and head (``tests.insider``). Deterministic for a seed."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

Change = Callable[[Session], None]


@dataclass(frozen=True)
class Tamper:
    kind: str  # "alter", "delete", "backdate", "cut"
    table: str
    name: str
    change: Change


def _ids(session: Session, table: str, where: str = "1") -> list[int]:
    return [int(i) for i in session.scalars(text(f"SELECT id FROM {table} WHERE {where}"))]


def _update(table: str, row: int, assignment: str, **params: Any) -> Change:
    def run(session: Session) -> None:
        done = session.execute(
            text(f"UPDATE {table} SET {assignment} WHERE id = :row"), {"row": row, **params}
        )
        assert done.rowcount == 1  # type: ignore[attr-defined]

    return run


def _shift(column: str, days: int) -> str:
    """A stored date or date-time moved by ``days``, in the same text form."""
    return (
        f"{column} = CASE WHEN length({column}) > 10 THEN "
        f"strftime('%Y-%m-%d %H:%M:%S.000000', {column}, '{days:+d} days') "
        f"ELSE date({column}, '{days:+d} days') END"
    )


# (table, assignments): each an SQL SET clause that changes the value it names.
ALTERATIONS: dict[str, list[str]] = {
    "record_version": [
        "content = json_set(content, '$.summary', 'FORGED: CSC agreed no action needed')",
        "content = json_set(content, '$.agreed', 'Nothing was agreed')",
        "content = json_set(content, '$.reason', 'Withdrawn at the family''s request')",
        "content = json_set(content, '$.actions_to_date', 'None')",
        "recorded_by = 'Ms Grace Adeyemi (CSC)'",
        "reason = 'Typing error corrected'",
        _shift("recorded_at", -3),
        _shift("recorded_at", 1),
    ],
    "stage_event": [
        _shift("due", 7),
        _shift("due", -2),
        _shift("at", -1),
        _shift("at", 2),
        "note = 'Resolved at stage 1'",
        "recorded_by = 'Mr Ben Hughes (Deputy DSL)'",
        "rule = '20 working days from the start of the stage'",
    ],
    "approval": [
        "approved_by = 'Mrs Priya Shah (Headteacher)'",
        _shift("approved_at", -5),
        _shift("approved_at", 3),
    ],
    "retention_decision": [
        "reason = 'No longer needed'",
        "decision = 'destroy'",
        _shift("next_review", -400),
        "decided_by = 'Someone else'",
    ],
    "escalation": [
        "disputed = 'Nothing was disputed'",
        "change_wanted = 'No change'",
        "impact = 'None'",
        _shift("raised_at", 5),
        _shift("raised_at", -10),
        "raised_by = 'Someone else'",
        "other_agency = 'Police CAIU'",
        "category = 'other'",
        "child_id = (SELECT min(id) FROM child WHERE id != escalation.child_id)",
        "protect_by = '2030-01-01'",
        "immediate_risk = NOT immediate_risk",
        "nation = CASE nation WHEN 'wales' THEN 'england' ELSE 'wales' END",
        "policy_version = 'v0'",
        "other_practitioner = 'Dr Someone Else'",
    ],
    "child": [
        "name = 'Somebody Else'",
        _shift("date_of_birth", 365),
        "identifier = 'UPN-X0000'",
        "cp_plan = NOT cp_plan",
        "looked_after = NOT looked_after",
        "identifier = ''",
    ],
    "record": [
        _shift("created_at", -7),
        "escalation_id = (SELECT min(id) FROM escalation WHERE id != record.escalation_id)",
        "kind = CASE kind WHEN 'discussion' THEN 'action' ELSE 'discussion' END",
    ],
    "contact": [
        "name = 'Mr Nobody'",
        "phone = '07700 900000'",
        "internal = NOT internal",
        "named_officer_role = ''",
    ],
    "pathway_snapshot": [
        "content = json_set(content, '$.stages[0].title', 'Not the first stage')",
        "content = json_set(content, '$.title', 'Another pathway')",
    ],
}


def alterations(session: Session, rng: random.Random, per_table: int) -> list[Tamper]:
    """``per_table`` changes of each pinned table's rows (rows and columns picked at
    random), each a real change of one value."""
    found: list[Tamper] = []
    for table, assignments in ALTERATIONS.items():
        for number in range(per_table):
            assignment = assignments[number % len(assignments)]
            column = assignment.split(" = ")[0].strip()
            row = rng.choice(_ids(session, table, f"{column} IS NOT NULL AND {column} != ''"))
            found.append(
                Tamper(
                    "alter",
                    table,
                    f"{table}:{row} {assignment[:40]}",
                    _update(table, row, assignment),
                )
            )
    return found


def deletions(session: Session, rng: random.Random, count: int) -> list[Tamper]:
    """A record's latest version (and its approvals), or a stage event, removed with
    their audit entries."""
    found: list[Tamper] = []
    versions = _ids(session, "record_version")
    events = _ids(session, "stage_event", "kind != 'started'")
    for number in range(count):
        if number % 2 == 0:
            row = rng.choice(versions)
            statements = [
                "DELETE FROM approval WHERE version_id = :row",
                "DELETE FROM record_version WHERE id = :row",
            ]
            table = "record_version"
        else:
            row = rng.choice(events)
            statements = ["DELETE FROM stage_event WHERE id = :row"]
            table = "stage_event"

        def run(session: Session, statements: list[str] = statements, row: int = row) -> None:
            for statement in statements:
                session.execute(text(statement), {"row": row})

        found.append(Tamper("delete", table, f"delete {table}:{row}", run))
    return found


def backdatings(session: Session, rng: random.Random, count: int) -> list[Tamper]:
    """A discussion that never happened, added to an escalation with its audit entry
    slipped into the history at the date it claims."""
    found: list[Tamper] = []
    escalations = _ids(session, "escalation")
    last = int(session.scalar(text("SELECT max(id) FROM audit_entry")) or 0)
    for _ in range(count):
        escalation, position = rng.choice(escalations), rng.randrange(2, last - 1)

        def run(session: Session, escalation: int = escalation, position: int = position) -> None:
            at = session.scalar(text("SELECT at FROM audit_entry WHERE id = :p"), {"p": position})
            record = session.execute(
                text(
                    "INSERT INTO record (escalation_id, kind, created_at) "
                    "VALUES (:e, 'discussion', :at)"
                ),
                {"e": escalation, "at": at},
            ).lastrowid  # type: ignore[attr-defined]
            content = (
                '{"agreed_actions":"","held_at":"2026-11-20T10:00:00","method":"phone",'
                '"participants":["Ms Grace Adeyemi"],"summary":"CSC agreed no action needed"}'
            )
            version = session.execute(
                text(
                    "INSERT INTO record_version (record_id, version, content, recorded_at, "
                    "recorded_by, reason) VALUES (:r, 1, :c, :at, 'Ms Hannah Okafor (DSL)', '')"
                ),
                {"r": record, "c": content, "at": at},
            ).lastrowid  # type: ignore[attr-defined]
            session.execute(
                text("UPDATE audit_entry SET id = id + 100000 WHERE id > :p"), {"p": position}
            )
            session.execute(
                text(
                    "INSERT INTO audit_entry (id, at, actor, action, target, digest, prev_hash, "
                    "hash) VALUES (:id, :at, 'Ms Hannah Okafor (DSL)', 'record discussion', :t, "
                    "'', '', '')"
                ),
                {"id": position + 1, "at": at, "t": f"record_version:{version}"},
            )

        found.append(
            Tamper("backdate", "record_version", f"backdated discussion at {position}", run)
        )
    return found


def tail_cuts(session: Session, rng: random.Random, count: int) -> list[Tamper]:
    """The last entries removed with the rows they recorded, the head pointed at the
    new last entry (a resolved escalation made open again, if it was closed then)."""
    last = int(session.scalar(text("SELECT max(id) FROM audit_entry")) or 0)
    found: list[Tamper] = []
    for _ in range(count):
        keep = rng.randrange(last // 2, last - 1)

        def run(session: Session, keep: int = keep) -> None:
            for target in session.scalars(
                text("SELECT target FROM audit_entry WHERE id > :k"), {"k": keep}
            ).all():
                table, _, row = str(target).partition(":")
                if table in ("record_version", "stage_event", "approval"):
                    if table == "record_version":
                        session.execute(
                            text("DELETE FROM approval WHERE version_id = :r"), {"r": row}
                        )
                    session.execute(text(f"DELETE FROM {table} WHERE id = :r"), {"r": row})
            session.execute(text("DELETE FROM audit_entry WHERE id > :k"), {"k": keep})

        found.append(Tamper("cut", "audit_entry", f"history cut after entry {keep}", run))
    return found
