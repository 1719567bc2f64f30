"""Tampering as an insider who knows the passphrase would try it: plain SQL on the
decrypted file, with the append-only triggers lifted, and sometimes audit entries
written by hand. Shared by the tamper tests in tests/storage and tests/reliability.

Self-contained on purpose (plain sqlcipher3 and hashlib, nothing from app.storage but
the chain's published hash rule), so each test runs unchanged against an older version
of the app and shows what that version missed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from app.storage.audit import entry_hash
from app.storage.datafile import check_data_file, open_data_file
from tests.fixtures.make_fixture import PASSPHRASE

Tamper = Callable[[sqlcipher3.Connection, dict[str, Any]], None]


def raw(path: Path, passphrase: str = PASSPHRASE) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path))
    conn.execute("PRAGMA key = '{}'".format(passphrase.replace("'", "''")))
    return conn


def _triggers(conn: sqlcipher3.Connection) -> list[tuple[str, str]]:
    return conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()


def careful(*statements: str) -> Tamper:
    """Lift every trigger, run the statements (``{name}`` filled from the ids), and put
    the triggers back exactly as they were: only the rows differ afterwards."""

    def run(conn: sqlcipher3.Connection, ids: dict[str, Any]) -> None:
        kept = _triggers(conn)
        for name, _sql in kept:
            conn.execute(f"DROP TRIGGER {name}")
        for statement in statements:
            conn.execute(statement.format(**ids))
        for _name, sql in kept:
            conn.execute(sql)

    return run


def careless(*statements: str) -> Tamper:
    """Run the statements as given (triggers dropped by them stay dropped)."""

    def run(conn: sqlcipher3.Connection, ids: dict[str, Any]) -> None:
        for statement in statements:
            conn.execute(statement.format(**ids))

    return run


def apply(path: Path, tamper: Tamper, ids: dict[str, Any] | None = None) -> None:
    conn = raw(path)
    try:
        tamper(conn, ids or {})
        conn.commit()
    finally:
        conn.close()


def checked(path: Path) -> list[str]:
    """What ``check`` finds in the file (opening it as the app does)."""
    with open_data_file(path, PASSPHRASE) as db:
        return check_data_file(db)


def tamper_and_check(
    base: Path, folder: Path, tamper: Tamper, ids: dict[str, Any] | None = None
) -> list[str]:
    folder.mkdir(exist_ok=True)
    path = folder / "data.etdb"
    shutil.copyfile(base, path)
    apply(path, tamper, ids)
    return checked(path)


def _typed(declared: str, value: Any) -> Any:
    """A stored value as SQLAlchemy's SQLite types read it (text no date reads as is
    kept as it is)."""
    parse = {"DATETIME": datetime.fromisoformat, "DATE": date.fromisoformat}.get(declared)
    if isinstance(value, str) and parse is not None:
        try:
            return parse(value)
        except ValueError:
            return value
    if declared == "BOOLEAN" and value is not None:
        return bool(value)
    return value


def row(conn: sqlcipher3.Connection, table: str, where: str) -> dict[str, Any]:
    declared = {r[1]: str(r[2]).upper() for r in conn.execute(f"PRAGMA table_info({table})")}
    values = conn.execute(f"SELECT {', '.join(declared)} FROM {table} WHERE {where}").fetchone()
    return {name: _typed(declared[name], v) for name, v in zip(declared, values, strict=True)}


def digest(content: Any) -> str:
    """The digest the app pins: SHA-256 of canonical JSON, dates in ISO form."""
    text = json.dumps(
        content,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=lambda v: v.isoformat(),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append_entry(
    conn: sqlcipher3.Connection, *, action: str, target: str, digest: str, actor: str = "DSL"
) -> tuple[int, str]:
    """Append an audit entry by hand, linked to the head as the app links it; returns
    the new entry's id and hash."""
    head = conn.execute("SELECT value FROM file_info WHERE key = 'audit_head'").fetchone()[0]
    last, _, prev_hash = head.partition(":")
    entry_id, at = int(last) + 1, datetime(2026, 12, 2, 9, 0)
    link = entry_hash(
        prev_hash, id=entry_id, at=at, actor=actor, action=action, target=target, digest=digest
    )
    conn.execute(
        "INSERT INTO audit_entry (id, at, actor, action, target, digest, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (entry_id, f"{at:%Y-%m-%d %H:%M:%S.%f}", actor, action, target, digest, prev_hash, link),
    )
    conn.execute("UPDATE file_info SET value = ? WHERE key = 'audit_head'", (f"{entry_id}:{link}",))
    return entry_id, link


def latest_entry(conn: sqlcipher3.Connection, target: str) -> tuple[int, str, str]:
    """(id, hash, digest) of the latest entry for ``target``."""
    found = conn.execute(
        "SELECT id, hash, digest FROM audit_entry WHERE target = ? ORDER BY id DESC LIMIT 1",
        (target,),
    ).fetchone()
    assert found is not None, f"no entry for {target}"
    return found
