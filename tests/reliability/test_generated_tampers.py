"""Generated single-row tampers on a demo file, each found by check alone and named.

For every table that holds record content (and the audit trail itself), on a demo file
(``app.demo.create_demo``, plus a retain and a destroy decision): an UPDATE of each
column of sampled rows to a value that reads differently, an INSERT of a copy of a row
(its unique values made unique), and a DELETE of a row. The append-only triggers are
lifted for the edit and put back, as a careful insider would, so nothing but the row
differs. Every tamper must be found by the check ``python -m app check`` runs
(``audit.verify_connection``, in a transaction rolled back after each one), and a
finding must name the table's row ("Child 3", "Record version 12", "Escalation
ESC-2026-0004", "The setting's …", "Audit entry 40"). A sample, one per table and kind,
is repeated on copies of the file through ``check_data_file`` and the CLI.

    .venv/bin/python -m pytest tests/reliability/test_generated_tampers.py -s -n0

prints the counts per table (docs/reliability.md: the figures).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from app import clock
from app.demo import create_demo
from app.policy import default_library
from app.services.people import list_children
from app.services.retention import destroy, retain
from app.storage import audit
from app.storage.datafile import check_data_file, create_data_file, open_data_file
from tests.tampering import raw

PASSPHRASE = "generated tampers passphrase"
# Table -> how its rows are named in check's findings, and the column that keys them.
TABLES: dict[str, tuple[str, str]] = {
    "child": ("Child {}", "id"),
    "contact": ("Contact {}", "id"),
    "escalation": ("Escalation {}", "ref"),
    "pathway_snapshot": ("Pathway snapshot {}", "id"),
    "stage_event": ("Stage event {}", "id"),
    "record": ("Record {}", "id"),
    "record_version": ("Record version {}", "id"),
    "approval": ("Approval {}", "id"),
    "retention_decision": ("Retention decision {}", "id"),
    "file_info": ("The setting", "key"),
    "audit_entry": ("Audit entry {}", "id"),
}
# A copy must differ in these to be inserted at all.
UNIQUE = {
    "escalation": "ref || '-copy'",
    "pathway_snapshot": "digest || 'x'",
    "record_version": "version + 1000",
    "file_info": "key || '_copy'",
}
SAMPLED = 3  # rows per table whose every column is altered


@dataclass(frozen=True)
class Tamper:
    table: str
    kind: str  # update | insert | delete
    what: str
    statement: str
    params: tuple[Any, ...]
    name: str
    # Params to try instead when the first collide with a unique constraint.
    instead: tuple[
        Any, ...
    ] = ()  # how check must name the row ('' for an insert: known once it is made)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "demo.etdb"
    saved = clock.now
    clock.now = lambda: datetime(2027, 1, 6, 9, 0)  # type: ignore[assignment]
    try:
        with create_data_file(path, PASSPHRASE) as db:
            create_demo(db, default_library())
            children = {c.name: c.id for c in list_children(db)}
            retain(
                db,
                children["Freya Llewellyn"],
                reason="Relevant to a review",
                next_review=date(2028, 1, 1),
                actor="DSL",
            )
            destroy(db, children["Amira Haddad"], reason="Past review date", actor="DSL")
            assert check_data_file(db) == []
    finally:
        clock.now = saved  # type: ignore[assignment]
    path.with_name(path.name + ".lock").unlink(missing_ok=True)
    return path


def _altered(declared: str, value: Any, column: str) -> Any:
    """A value that reads differently from ``value`` in a column of this type."""
    if declared == "BOOLEAN":
        return 1 if not value else 0
    if declared == "DATE":
        return (
            (date.fromisoformat(value) + timedelta(days=1)).isoformat() if value else "2026-01-01"
        )
    if declared == "DATETIME":
        moved = (
            datetime.fromisoformat(value) + timedelta(hours=1) if value else datetime(2026, 1, 1)
        )
        return f"{moved:%Y-%m-%d %H:%M:%S.%f}"
    if declared == "INTEGER":
        return 1 if value is None else value + (1000 if column == "id" else 1)
    return "altered" if value is None else f"{value} (altered)"


def _rows(connection: Connection, table: str) -> tuple[dict[str, str], list[dict[str, Any]]]:
    declared = {
        str(r[1]): str(r[2]).upper()
        for r in connection.exec_driver_sql(f"PRAGMA table_info({table})")
    }
    where = "WHERE key LIKE 'setting.%'" if table == "file_info" else ""
    order = "key" if table == "file_info" else "id"
    rows = [
        dict(zip(declared, values, strict=True))
        for values in connection.exec_driver_sql(f"SELECT * FROM {table} {where} ORDER BY {order}")
    ]
    return declared, rows


def _sample(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    picks = {0, len(rows) // 2, len(rows) - 1}
    return [rows[i] for i in sorted(picks)][:SAMPLED]


def generate(connection: Connection) -> Iterator[Tamper]:
    for table, (name, key) in TABLES.items():
        declared, rows = _rows(connection, table)
        assert rows, f"the demo file has no {table} rows"
        columns = ["value"] if table == "file_info" else list(declared)
        for row in _sample(rows):
            named = name.format(row[key])
            for column in columns:
                new = _altered(declared[column], row[column], column)
                far = new + 1000 if isinstance(new, int) else f"{new} (again)"
                yield Tamper(
                    table,
                    "update",
                    f"{column} of {row[key]}",
                    f"UPDATE {table} SET {column} = ? WHERE {key} = ?",
                    (new, row[key]),
                    named,
                    (far, row[key]),
                )
            yield Tamper(
                table,
                "delete",
                str(row[key]),
                f"DELETE FROM {table} WHERE {key} = ?",
                (row[key],),
                named,
            )
            copied = [c for c in declared if c != "id"]
            values = [
                UNIQUE.get(table, c) if c in {"ref", "digest", "version", "key"} else c
                for c in copied
            ]
            yield Tamper(
                table,
                "insert",
                f"copy of {row[key]}",
                f"INSERT INTO {table} ({', '.join(copied)}) SELECT {', '.join(values)} "
                f"FROM {table} WHERE {key} = ?",
                (row[key],),
                "",
            )


class _Undo(Exception):
    pass


def _findings(connection: Connection, tamper: Tamper) -> tuple[list[str], str]:
    """Apply ``tamper`` with the append-only triggers lifted and put back; what check
    finds, and how it must name the row."""
    lifted = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_no\\_%' "
        "ESCAPE '\\'"
    ).all()
    for trigger, _sql in lifted:
        connection.exec_driver_sql(f"DROP TRIGGER {trigger}")
    try:
        connection.exec_driver_sql(tamper.statement, tamper.params)
    except IntegrityError:  # SQLite undoes the statement, not the transaction
        connection.exec_driver_sql(tamper.statement, tamper.instead)
    name = tamper.name
    if tamper.kind == "insert":
        key = TABLES[tamper.table][1]
        made = connection.exec_driver_sql(
            f"SELECT {key} FROM {tamper.table} WHERE rowid = last_insert_rowid()"
        ).scalar()
        name = TABLES[tamper.table][0].format(made)
    for _trigger, sql in lifted:
        connection.exec_driver_sql(sql)
    return audit.verify_connection(connection), name


def _named(problems: list[str], name: str, table: str) -> bool:
    if table == "audit_entry" and any("audit trail" in p for p in problems):
        return True  # a cut end is named as the trail's, not one entry's
    return any(name.lower() in p.lower() for p in problems)


def test_every_generated_single_row_tamper_is_found_and_named(demo: Path) -> None:
    counts: Counter[tuple[str, str]] = Counter()
    unseen: list[str] = []  # not found at all
    missed: list[str] = []  # not found, or found without naming the row
    with open_data_file(demo, PASSPHRASE) as db:
        with db.connect() as connection:
            tampers = list(generate(connection))
        for tamper in tampers:
            try:
                with db.connect() as connection:
                    connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
                    problems, name = _findings(connection, tamper)
                    raise _Undo
            except _Undo:
                pass
            counts[(tamper.table, tamper.kind)] += 1
            if not problems:
                unseen.append(f"{tamper.table} {tamper.kind} {tamper.what}")
            if not problems or not _named(problems, name, tamper.table):
                missed.append(f"{tamper.table} {tamper.kind} {tamper.what}: {problems[:2]}")
    print(f"\n{'table':<20}{'update':>8}{'insert':>8}{'delete':>8}{'found':>8}{'named':>8}")
    for table in TABLES:
        row = [counts[(table, kind)] for kind in ("update", "insert", "delete")]
        lost = sum(1 for m in unseen if m.startswith(f"{table} "))
        bad = sum(1 for m in missed if m.startswith(f"{table} "))
        print(
            f"{table:<20}{row[0]:>8}{row[1]:>8}{row[2]:>8}{sum(row) - lost:>8}{sum(row) - bad:>8}"
        )
    total = sum(counts.values())
    print(f"{'total':<44}{total - len(unseen):>8}{total - len(missed):>8} of {total}")
    assert total >= 200
    assert all(counts[(t, k)] for t in TABLES for k in ("update", "insert", "delete"))
    assert missed == []


def test_a_sample_is_found_by_check_itself(demo: Path, tmp_path: Path) -> None:
    """The same tampers, one of each kind per table, on copies of the file: found by
    ``check_data_file`` (what the CLI runs), and one of them by ``python -m app check``."""
    with open_data_file(demo, PASSPHRASE) as db, db.connect() as connection:
        seen: set[tuple[str, str]] = set()
        sample = []
        for tamper in generate(connection):
            if (tamper.table, tamper.kind) not in seen:
                seen.add((tamper.table, tamper.kind))
                sample.append(tamper)
    for n, tamper in enumerate(sample):
        path = tmp_path / f"{n}.etdb"
        shutil.copyfile(demo, path)
        conn = raw(path, PASSPHRASE)
        lifted = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_no\\_%' "
            "ESCAPE '\\'"
        ).fetchall()
        for trigger, _sql in lifted:
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute(tamper.statement, tamper.params)
        for _trigger, sql in lifted:
            conn.execute(sql)
        conn.commit()
        conn.close()
        with open_data_file(path, PASSPHRASE) as db:
            assert check_data_file(db), f"{tamper} went unnoticed"
    cli = subprocess.run(
        [sys.executable, "-m", "app", "check", "--data-file", str(tmp_path / "0.etdb")],
        capture_output=True,
        text=True,
        env={**os.environ, "ESCALATION_TRACKER_PASSPHRASE": PASSPHRASE},
        check=False,
    )
    assert cli.returncode == 1, cli
    assert re.search(r": [0-9]+ problems? found:", cli.stderr), cli.stderr
    assert "Child 1" in cli.stderr, cli.stderr
