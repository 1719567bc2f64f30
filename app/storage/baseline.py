"""The pin baseline: the moment from which every row of a file is pinned.

Files written before every row was pinned lack pins for their records, their
escalations' status and their pathway snapshots. When such a file is updated (after
``verify`` has passed, ``app.storage.migrate``), every row without a pin gets one, and an
entry records that it was done; from that entry on, ``check`` reports any row without a
pin as added outside the app. A new file gets the entry when it is created. The
``file_info`` key only spares unlocking a search of the trail: ``check`` trusts the
entry in the chain, and reports a key with no entry behind it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from app.storage.chain import append_entry, digest_of, read_entries
from app.storage.migrate import PINS_BASELINE_KEY
from app.storage.pins import contents
from app.storage.trail import BASELINE_ACTION, BASELINE_TARGET, expected, find_baseline

if TYPE_CHECKING:
    from sqlalchemy import Connection

ACTOR = "Escalation Tracker (schema update)"


def pin_unpinned(connection: Connection, *, actor: str, at: datetime | None = None) -> int:
    """Pin every row that has no pin; returns how many were pinned."""
    trail = expected(connection, read_entries(connection))
    count = 0
    for target, content in contents(connection).items():
        if target not in trail.pins or target in trail.implied:
            append_entry(
                connection,
                actor=actor,
                action="pin (schema update)",
                target=target,
                digest=digest_of(content),
                at=at,
            )
            count += 1
    return count


def ensure(connection: Connection, revision: str) -> None:
    """Give the file its baseline, unless its trail already records one."""
    entries = read_entries(connection)
    entry = find_baseline(entries)
    if entry is None:
        at = datetime.now().replace(microsecond=0)
        count = pin_unpinned(connection, actor=ACTOR, at=at)
        entry = append_entry(
            connection,
            actor=ACTOR,
            action=BASELINE_ACTION,
            target=BASELINE_TARGET,
            digest=digest_of({"pinned": count, "revision": revision}),
            at=at,
        )
    connection.exec_driver_sql(
        "INSERT OR REPLACE INTO file_info (key, value) VALUES (?, ?)",
        (PINS_BASELINE_KEY, str(entry.id)),
    )


def key_problems(connection: Connection, baseline_id: int | None) -> list[str]:
    found = connection.exec_driver_sql(
        "SELECT value FROM file_info WHERE key = ?", (PINS_BASELINE_KEY,)
    ).first()
    if found is None or found[0] == str(baseline_id):
        return []
    return [
        "The file says every row was pinned at an audit entry that does not record it (the "
        "file was changed outside the app)."
    ]
