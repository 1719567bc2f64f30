"""An unencrypted SQLite store with the real schema, for service tests that are about
rules rather than encryption (the encrypted file has its own tests)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session

from app.storage.migrate import create_schema


class PlainStore:
    """``create``: build the schema (as a new file); False opens the file as it is.
    ``scratch``: a throwaway copy, not synced to disk (the figures' loops make hundreds)."""

    def __init__(self, path: Path, *, create: bool = True, scratch: bool = False) -> None:
        self.engine = create_engine(f"sqlite:///{path}")
        self.path = path
        event.listen(
            self.engine,
            "connect",
            lambda conn, _: (
                conn.execute("PRAGMA foreign_keys=ON"),
                conn.execute("PRAGMA secure_delete=ON"),
                conn.execute(f"PRAGMA synchronous={'OFF' if scratch else 'FULL'}"),
                conn.execute(f"PRAGMA journal_mode={'MEMORY' if scratch else 'DELETE'}"),
            ),
        )
        if create:
            with self.engine.begin() as conn:
                create_schema(conn)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """As ``Database.read()``: one read transaction on a plain connection."""
        connection = sqlite3.connect(self.path, isolation_level=None)
        try:
            connection.execute("BEGIN")
            yield connection
        finally:
            connection.close()

    def vacuum(self) -> None:
        raw = self.engine.raw_connection()
        try:
            raw.execute("VACUUM")
        finally:
            raw.close()
