"""The triggers check expects are the ones the migrations make, at every revision: the
list in app/storage/triggers.py is frozen text, and this is what keeps it true."""

from __future__ import annotations

import pytest
import sqlalchemy
import sqlcipher3
from sqlalchemy.pool import StaticPool

from app.storage import migrate, triggers


def _made_by_migrations(revision: str) -> dict[str, str]:
    from alembic import command

    engine = sqlalchemy.create_engine(
        "sqlite://", creator=lambda: sqlcipher3.connect(":memory:"), poolclass=StaticPool
    )
    try:
        with engine.begin() as connection:
            command.upgrade(migrate._config(connection), revision)
            return {
                str(name): triggers.normal(str(sql))
                for name, sql in connection.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                )
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize("revision", sorted(migrate.known_revisions()))
def test_the_expected_triggers_are_what_the_migrations_make(revision: str) -> None:
    expected = {name: triggers.normal(t.sql) for name, t in triggers.expected_at(revision).items()}
    assert expected == _made_by_migrations(revision)


def test_spacing_and_line_breaks_do_not_count() -> None:
    sql = triggers.EXPECTED["stage_event_no_update"].sql
    assert triggers.normal(sql.replace(" BEGIN ", "\n  BEGIN\n    ")) == triggers.normal(sql)
    assert triggers.normal(sql.replace("ABORT", "IGNORE")) != triggers.normal(sql)
