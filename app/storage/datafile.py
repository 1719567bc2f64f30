"""Opening and creating the data file: the encrypted database plus its schema, migrated
on open after an encrypted copy of the older file is kept beside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlcipher3

from app.storage import migrate
from app.storage.database import Database
from app.storage.files import remove_quietly
from app.storage.keys import derive_raw_key, zero_key
from app.storage.private_files import remove_stale_partials
from app.storage.unlock_attempts import UnlockAttempts

SUFFIX = ".etdb"


def migrate_on_open(db: Database) -> None:
    """Bring an older file's schema up to date, after keeping an encrypted copy."""
    try:
        with db.read() as connection:  # no SQLAlchemy or Alembic when the file is current
            if not migrate.needs_migration(connection):
                return
    except sqlcipher3.Error as exc:  # no alembic_version table, or not the shape it has
        raise migrate.SchemaRecordError(None) from exc
    with db.connect() as connection:
        revision = migrate.current_revision(connection)
        migrate.refuse_if_schema_record_wrong(connection, revision)
        migrate.refuse_if_tampered(connection)
    # Keep the file as it was before changing its schema (still encrypted).
    copy = migrate.pre_migration_copy_path(db.path, revision)
    db.backup_to(copy)
    try:
        with db.connect() as connection:
            migrate.upgrade(connection)
    except BaseException as exc:
        # One transaction, rolled back: the file is as it was, so the copy is not needed.
        remove_quietly(copy)
        if migrate.is_schema_mismatch(exc):
            raise migrate.SchemaRecordError(revision) from exc
        raise


def create_data_file(path: Path, passphrase: str) -> Database:
    return Database.create(path, passphrase, schema=migrate.create_schema)


def open_data_file(
    path: Path,
    passphrase: str,
    *,
    meanwhile: Callable[[], None] | None = None,
    defer_key: bool = False,
    attempts: UnlockAttempts | None = None,
) -> Database:
    """``meanwhile()`` runs while the key is derived; ``defer_key``: the raw key is
    derived from ``db.derive_key()`` on (see ``Database.open``).

    Wrong passphrases are counted per file (``attempts``, by default in the per-user
    settings): a try before the wait they cost is over raises ``UnlockTooSoonError``
    without trying, and a wrong one raises ``WrongPassphraseError`` carrying the wait
    before the next (``retry_after``). The window shows it; the CLI sleeps it first."""
    attempts = attempts if attempts is not None else UnlockAttempts()
    db = attempts.counted(
        path,
        lambda: Database.open(
            path, passphrase, prepare=migrate_on_open, meanwhile=meanwhile, defer_key=defer_key
        ),
    )
    # Copies a killed backup or restore left beside the file (docs/reliability.md).
    remove_stale_partials(db.path.parent)
    return db


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
