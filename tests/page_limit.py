"""A full disk, simulated honestly on the real encrypted file: SQLite's page limit
(``PRAGMA max_page_count``) on every new connection. SQLite reports SQLITE_FULL exactly
as for a full disk, and the storage layer turns it into ``DiskFullError``."""

from __future__ import annotations

from collections.abc import Callable

import sqlcipher3
from sqlalchemy import event

from app.storage.database import Database


def stop_growth(db: Database) -> Callable[[], None]:
    """Make the open file unable to grow by a single page; returns what frees the space
    again (idempotent, and harmless once the file is closed)."""
    with db.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()

    def no_growth(dbapi_connection: sqlcipher3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(db.engine, "connect", no_growth)

    def free_space() -> None:
        if db.is_open and event.contains(db.engine, "connect", no_growth):
            event.remove(db.engine, "connect", no_growth)

    return free_space
