"""Opening and creating the data file: the encrypted database plus its schema, migrated
on open after an encrypted copy of the older file is kept beside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.storage import migrate
from app.storage.database import Database
from app.storage.keys import derive_raw_key, zero_key

SUFFIX = ".etdb"


def _migrate_on_open(db: Database) -> None:
    with db.read() as connection:  # no SQLAlchemy or Alembic when the file is current
        if not migrate.needs_migration(connection):
            return
    with db.connect() as connection:
        revision = migrate.current_revision(connection)
        migrate.refuse_if_tampered(connection)
    # Keep the file as it was before changing its schema (still encrypted).
    db.backup_to(migrate.pre_migration_copy_path(db.path, revision))
    with db.connect() as connection:
        migrate.upgrade(connection)


def create_data_file(path: Path, passphrase: str) -> Database:
    return Database.create(path, passphrase, schema=migrate.create_schema)


def open_data_file(
    path: Path,
    passphrase: str,
    *,
    meanwhile: Callable[[], None] | None = None,
    defer_key: bool = False,
) -> Database:
    """``meanwhile()`` runs while the key is derived; ``defer_key``: the raw key is
    derived from ``db.derive_key()`` on (see ``Database.open``)."""
    return Database.open(
        path, passphrase, prepare=_migrate_on_open, meanwhile=meanwhile, defer_key=defer_key
    )


def check_data_file(db: Database) -> list[str]:
    """Every problem ``check`` can find: cipher and SQLite integrity, then the audit
    chain and the history rows it pins."""
    from app.storage import audit

    problems = db.integrity_problems()
    if problems:
        return problems
    with db.session() as session:
        return audit.verify(session)


def passphrase_opens(db: Database, passphrase: str) -> bool:
    """True if ``passphrase`` is the open file's passphrase (one key derivation, ~0.2 s).

    Compares derived keys rather than reopening, because the open file is locked. It
    reads ``Database`` internals; it belongs on ``Database`` itself once that module
    settles.
    """
    if not passphrase:
        return False
    import hmac  # which loads hashlib (see keys.derive_raw_key)

    candidate = derive_raw_key(passphrase, db._salt)
    try:
        return hmac.compare_digest(bytes(candidate), bytes(db._key_or_raise()))
    finally:
        zero_key(candidate)
