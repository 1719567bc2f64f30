"""Rows read as the app reads them, from a file at any schema revision, for the audit
pins (docs/architecture.md: the audit chain).

A pin's digest is of a row's content as read back from the file: column name to value,
typed as SQLAlchemy's SQLite types read them (date-times and dates parsed, booleans as
booleans). Plain SQL and the file's own column list, not the ORM, so that ``verify``
can run on a file before it is migrated (its tables may lack today's columns), and so a
value the app cannot read (a malformed date) is kept as the text stored rather than
raising: it is compared with its pin like any other value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection

Row = dict[str, Any]


def _datetime(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def _date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _boolean(value: Any) -> Any:
    return value if value is None else bool(value)


def _plain(value: Any) -> Any:
    return value


# SQLAlchemy's SQLite types read DATETIME and DATE with fromisoformat and BOOLEAN with
# bool(); every other declared type is read as stored.
_READERS: dict[str, Callable[[Any], Any]] = {
    "DATETIME": _datetime,
    "DATE": _date,
    "BOOLEAN": _boolean,
}


def table_exists(connection: Connection, table: str) -> bool:
    found = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).first()
    return found is not None


def columns(connection: Connection, table: str) -> dict[str, str]:
    """The table's columns in the file, in order, with their declared types."""
    return {
        name: str(declared).upper()
        for _cid, name, declared, *_rest in connection.exec_driver_sql(
            f"PRAGMA table_info({table})"
        )
    }


def read(
    connection: Connection,
    table: str,
    where: str = "",
    params: tuple[Any, ...] = (),
    order: str = "",
) -> Iterator[Row]:
    """Every row of ``table`` (optionally ``WHERE where``, ``ORDER BY order``), as the
    app reads it."""
    declared = columns(connection, table)
    readers = [(name, _READERS.get(kind, _plain)) for name, kind in declared.items()]
    names = ", ".join(f'"{name}"' for name in declared)
    sql = f"SELECT {names} FROM {table}" + (f" WHERE {where}" if where else "")
    sql += f" ORDER BY {order}" if order else ""
    for values in connection.exec_driver_sql(sql, params):
        yield {name: reader(value) for (name, reader), value in zip(readers, values, strict=True)}
