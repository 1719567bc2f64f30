"""Generated malformed and forged transfer files, and what importing each must do.

Each case changes a copy of a real transfer (plain SQLite for speed: the encryption
has its own cases, ``file_cases``) in one of these ways:

- ``resealed``: a value fuzzed, rows deleted or duplicated, the schema changed, then
  the manifest and chain recomputed and a new seal given that matches (a sending
  setting that means harm, or a broken one: the seal proves nothing about the values);
- ``forged``: the same changes with the chain recomputed, but imported with the sender's
  real seal (whoever knew the transfer passphrase on the way);
- ``chain``: the audit trail itself changed without recomputing (naive).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

Change = Callable[[Session], None]

# Tables a transfer carries, and the columns a fuzzed value may go into.
TABLES = (
    "child",
    "escalation",
    "pathway_snapshot",
    "stage_event",
    "record",
    "record_version",
    "approval",
)
VALUES: list[Any] = [
    None,
    "",
    " ",
    "not-a-date",
    "2026-02-30",
    "2026-13-01",
    "2026-11-18",
    "2026-11-18T09:30",
    "2026-11-18 09:30:00.000000",
    "1899-12-31",
    "2100-01-01 00:00:00.000000",
    "99999-01-01",
    -1,
    0,
    1,
    2,
    99,
    2**62,
    3.5,
    b"\x00\xff\x10",
    "x" * 30_000,
    "a\x00b",
    "tab\tand\x07bell",
    "Zoë <img src=x> & 'quotes'",
    "{}",
    "[]",
    "null",
    '{"id": "resolution"}',
    "atlantis",
    "england",
    "open",
    "resolved",
    "started",
    "completed",
    "discussion",
    "outcome",
    "ESC-2026-0001",
    "\u202eevil",
    "🙂" * 50,
]
# JSON edits of a record version's content: a value of the wrong type, a field removed,
# a field added.
CONTENT_EDITS = [
    "json_set(content, '$.held_at', 'yesterday')",
    "json_set(content, '$.held_at', 12)",
    "json_set(content, '$.participants', 'one')",
    "json_set(content, '$.participants', json('[]'))",
    "json_set(content, '$.summary', '')",
    "json_set(content, '$.method', 'pigeon')",
    "json_set(content, '$.agreed_on', '2026-02-30')",
    "json_set(content, '$.parties', json('[{\"name\": 1}]'))",
    "json_remove(content, '$.summary')",
    "json_remove(content, '$.reason')",
    "json_set(content, '$.extra', 1)",
    "json_set(content, '$.due', 'soon')",
    "json_set(content, '$.description', '')",
    "'[1, 2, 3]'",
    "'\"text\"'",
    "substr(content, 1, 10)",
]
# Pathway edits: the snapshot an escalation follows.
PATHWAY_EDITS = [
    "'{}'",
    "'[]'",
    "json_remove(content, '$.stages')",
    "json_set(content, '$.stages', json('[]'))",
    "json_set(content, '$.id', 'elsewhere')",
    "json_set(content, '$.kind', 'mystery')",
    "json_remove(content, '$.title')",
    "json_set(content, '$.stages[0].timescales[0].amount', -5)",
    "json_set(content, '$.stages[0].title', 1)",
    "substr(content, 1, length(content) / 2)",
    "json_set(content, '$.title', 'Renamed pathway')",  # accepted: still a pathway
]
STRUCTURAL = [
    "DELETE FROM child",
    "DELETE FROM escalation WHERE id = (SELECT min(id) FROM escalation)",
    "DELETE FROM stage_event WHERE id = (SELECT min(id) FROM stage_event)",
    "DELETE FROM stage_event WHERE id = (SELECT max(id) FROM stage_event)",
    "DELETE FROM record_version WHERE id = (SELECT min(id) FROM record_version)",
    "DELETE FROM pathway_snapshot",
    "DELETE FROM alembic_version",
    "UPDATE alembic_version SET version_num = '0003'",
    "UPDATE alembic_version SET version_num = '9999'",
    "DELETE FROM file_info WHERE key = 'transfer.id'",
    "UPDATE file_info SET value = '2' WHERE key = 'transfer.format'",
    "UPDATE file_info SET value = 'someday' WHERE key = 'transfer.exported_at'",
    "INSERT INTO child (name, date_of_birth, identifier, cp_plan, looked_after, child_in_need, "
    "created_at) SELECT 'Second child', date_of_birth, '', 0, 0, 0, created_at FROM child",
    "INSERT INTO escalation (ref, child_id, policy_id, policy_version, pathway_id, snapshot_id, "
    "nation, raised_at, raised_by, other_agency, other_practitioner, category, disputed, "
    "change_wanted, impact, immediate_risk, protect_by, status, transferred_from, closed_at, "
    "created_at, created_by) SELECT ref || '-B', child_id, policy_id, policy_version, "
    "pathway_id, snapshot_id, nation, raised_at, raised_by, other_agency, other_practitioner, "
    "category, disputed, change_wanted, impact, immediate_risk, protect_by, status, "
    "transferred_from, closed_at, created_at, created_by FROM escalation "
    "WHERE id = (SELECT min(id) FROM escalation)",
    "INSERT INTO record_version (record_id, version, content, recorded_at, recorded_by, reason) "
    "SELECT record_id, version + 10, content, recorded_at, recorded_by, reason "
    "FROM record_version WHERE id = (SELECT min(id) FROM record_version)",
    "UPDATE record_version SET version = 3 WHERE id = (SELECT min(id) FROM record_version)",
    "UPDATE stage_event SET escalation_id = 999 WHERE id = (SELECT min(id) FROM stage_event)",
    "UPDATE record SET escalation_id = 999",
    "INSERT INTO approval (version_id, approved_at, approved_by) VALUES (999, "
    "'2026-11-20 10:00:00.000000', 'Nobody')",
    "ALTER TABLE record RENAME COLUMN kind TO sort",
    "DROP TABLE approval",
    "CREATE TABLE extra (id INTEGER PRIMARY KEY, note TEXT)",
    "INSERT INTO contact (name, agency, role, phone, email, named_officer_role, internal) "
    "VALUES ('Planted contact', '', '', '', '', '', 1)",
    "UPDATE escalation SET ref = (SELECT ref FROM escalation ORDER BY id DESC LIMIT 1)",
]
CHAIN = [
    "UPDATE audit_entry SET actor = 'Someone else' WHERE id = 3",
    "DELETE FROM audit_entry WHERE id = 4",
    "DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)",
    "UPDATE audit_entry SET digest = 'x' WHERE id = (SELECT max(id) FROM audit_entry)",
    "UPDATE audit_entry SET hash = 'x' WHERE id = (SELECT max(id) FROM audit_entry)",
    "UPDATE audit_entry SET at = 'never' WHERE id = 2",
    "UPDATE audit_entry SET id = 'two' WHERE id = 2",
    "UPDATE file_info SET value = '1:x' WHERE key = 'audit_head'",
    "UPDATE audit_entry SET action = 'something else' WHERE id = (SELECT max(id) FROM audit_entry)",
    "DELETE FROM audit_entry",
]


@dataclass(frozen=True)
class Case:
    family: str  # "resealed", "forged", "chain"
    name: str
    sql: str
    params: dict[str, Any]


def _columns(session: Session, table: str) -> list[str]:
    rows = session.execute(text(f"PRAGMA table_info({table})")).all()
    return [str(r[1]) for r in rows if r[1] != "id"]


def value_cases(session: Session, rng: random.Random, count: int, family: str) -> list[Case]:
    """A random value, in a random column of a random row of a random table."""
    cases: list[Case] = []
    for _ in range(count):
        table = rng.choice(TABLES)
        ids = [int(i) for i in session.scalars(text(f"SELECT id FROM {table}"))]
        row = rng.choice(ids)
        if table == "record_version" and rng.random() < 0.4:
            edit = rng.choice(CONTENT_EDITS)
            sql, params = (
                f"UPDATE record_version SET content = {edit} WHERE id = :row",
                {"row": row},
            )
            name = f"record_version:{row} content {edit[:40]}"
        elif table == "pathway_snapshot" and rng.random() < 0.6:
            edit = rng.choice(PATHWAY_EDITS)
            sql, params = (
                f"UPDATE pathway_snapshot SET content = {edit} WHERE id = :row",
                {"row": row},
            )
            name = f"pathway_snapshot:{row} {edit[:40]}"
        else:
            column = rng.choice(_columns(session, table))
            value = rng.choice(VALUES)
            sql = f"UPDATE {table} SET {column} = :value WHERE id = :row"
            params = {"value": value, "row": row}
            name = f"{table}:{row}.{column} = {str(value)[:30]!r}"
        cases.append(Case(family, name, sql, params))
    return cases


def structural_cases(family: str) -> list[Case]:
    return [Case(family, sql[:60], sql, {}) for sql in STRUCTURAL]


def chain_cases() -> list[Case]:
    return [Case("chain", sql[:60], sql, {}) for sql in CHAIN]


def run_sql(case: Case) -> Change:
    def change(session: Session) -> None:
        session.execute(text(case.sql), case.params)

    return change
