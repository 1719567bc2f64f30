"""Saving a discussion, against the same rows written with sqlcipher3 alone.

The app's side is the service call a form's Save makes, ``record_discussion``: it checks
the discussion, finds the escalation and refuses a closed one, writes the record, its
first version and an audit entry chained to the last, moves the chain's head, and
commits. The baseline does the same reads and writes on the same file in plain SQL, on
one connection keyed with ``PRAGMA key`` (as the start-up baseline keys it; the key is
derived once, before timing) and set up as the app sets up its own (journal DELETE,
synchronous FULL, secure_delete), so both commits make the same fsyncs. The baseline's
rows are hashed and chained exactly as the app's, so the file still passes ``check``.
What the app costs beyond it is its validation, its ORM and its connection per
transaction (it keeps no decrypted pages between operations).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.data import PASSPHRASE
from bench.keying import key_sql
from bench.timing import summary, timed

SAVE_RUNS = 100
WARM_RUNS = 3
ACTOR = "Ms Hannah Okafor (DSL)"
SUMMARY = (
    "Discussed the referral with the team manager. They agreed to review the decision "
    "not to assess, with the health visitor's new information, and to reply by Friday."
)


def _discussion(held_at: datetime) -> Any:
    from app.domain.records import Discussion

    return Discussion(
        held_at=held_at,
        method="phone",
        participants=["Ms Hannah Okafor", "Mr J Team-Manager"],
        summary=SUMMARY,
        agreed_actions="Team manager to review and reply by Friday.",
    )


def _stored(moment: datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite."""
    return moment.isoformat(sep=" ", timespec="microseconds")


def raw_connection(path: Path) -> Any:
    """A sqlcipher3 connection keyed as the start-up baseline keys one, then set up
    for writing as the app's connections are."""
    import sqlcipher3

    connection = sqlcipher3.connect(str(path), isolation_level=None)
    connection.execute(f"PRAGMA key = {key_sql(path, PASSPHRASE)}")
    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # derives the key
    for pragma in (
        "foreign_keys = ON",
        "journal_mode = DELETE",
        "synchronous = FULL",
        "temp_store = MEMORY",
        "secure_delete = ON",
    ):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def raw_save(connection: Any, ref: str, content: str, at: datetime) -> int:
    """The rows ``record_discussion`` writes, in one transaction of plain SQL."""
    from app.storage import audit

    connection.execute("BEGIN")
    try:
        found = connection.execute("SELECT * FROM escalation WHERE ref = ?", (ref,))
        row = found.fetchone()
        columns = [column[0] for column in found.description]
        if row is None or dict(zip(columns, row, strict=True))["status"] != "open":
            raise RuntimeError(f"{ref} is not an open escalation")
        record = connection.execute(
            "INSERT INTO record (escalation_id, kind, created_at) VALUES (?, 'discussion', ?)",
            (row[columns.index("id")], _stored(at)),
        ).lastrowid
        version = {
            "id": None,
            "record_id": record,
            "version": 1,
            "content": content,
            "recorded_at": at,
            "recorded_by": ACTOR,
            "reason": "",
        }
        version["id"] = connection.execute(
            "INSERT INTO record_version (record_id, version, content, recorded_at, "
            "recorded_by, reason) VALUES (?, 1, ?, ?, ?, '')",
            (record, content, _stored(at), ACTOR),
        ).lastrowid
        _raw_audit(connection, f"record_version:{version['id']}", audit.canonical(version), at)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return int(record)


def _raw_audit(connection: Any, target: str, content: str, at: datetime) -> None:
    from app.storage import audit

    (head,) = connection.execute(
        "SELECT value FROM file_info WHERE key = ?", (audit.HEAD_KEY,)
    ).fetchone()
    last, _, prev_hash = head.partition(":")
    entry = {
        "id": int(last) + 1,
        "at": at.replace(microsecond=0),
        "actor": ACTOR,
        "action": "record discussion",
        "target": target,
        "digest": audit.sha256(content),
    }
    digest = audit.entry_hash(prev_hash, **entry)
    connection.execute(
        "INSERT INTO audit_entry (id, at, actor, action, target, digest, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (entry["id"], _stored(entry["at"]), *list(entry.values())[2:], prev_hash, digest),
    )
    connection.execute(
        "UPDATE file_info SET value = ? WHERE key = ?",
        (f"{entry['id']}:{digest}", audit.HEAD_KEY),
    )


def _open_refs(db: Any, count: int) -> list[str]:
    with db.read() as connection:
        refs = [
            r
            for (r,) in connection.execute(
                "SELECT ref FROM escalation WHERE status = 'open' ORDER BY id"
            )
        ]
    return random.Random(18).sample(refs, count)


def _round(db: Any, raw: Any, ours: str, theirs: str) -> tuple[float, float]:
    """One discussion saved by the app on ``ours`` and one by the baseline on
    ``theirs`` (each escalation gets one, so neither side's rows pile up on one)."""
    from app import clock
    from app.services.records import record_discussion
    from app.storage import audit

    at = clock.now()
    discussion = _discussion(at - timedelta(hours=1))
    # The baseline is given the JSON the app makes of it, as plain data.
    content = audit.canonical(discussion.model_dump(mode="json"))
    took = timed(lambda: record_discussion(db, ours, discussion, actor=ACTOR, at=at))
    return took, timed(lambda: raw_save(raw, theirs, content, at))


def save_figure(path: Path) -> dict[str, float]:
    """p95 of saving a discussion, and of its baseline, timed in turn, each round on
    two different open escalations of ``path`` (the 5,000-escalation file)."""
    from app.services import team

    db = team.unlock(path, None, PASSPHRASE).db  # a team's file (bench/data.py)
    raw = raw_connection(path)
    try:
        refs = iter(_open_refs(db, 2 * (WARM_RUNS + SAVE_RUNS)))
        for _ in range(WARM_RUNS):  # the first save imports and sets up the ORM
            _round(db, raw, next(refs), next(refs))
        rounds = [_round(db, raw, next(refs), next(refs)) for _ in range(SAVE_RUNS)]
    finally:
        raw.close()
        db.close()
    return summary([app for app, _ in rounds], [base for _, base in rounds])
