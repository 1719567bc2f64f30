"""Backing up the data file and restoring a backup, each proven sound before it is kept.

A backup is a complete encrypted copy that opens with the same passphrase; a restore
replaces the data file with one, keeping the file it replaced. Both write to a temporary
name beside the final one, check the copy there, fsync it, and only then rename it into
place, so a crash or a full disk never leaves a half-written file where a good one was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import sqlcipher3

from app.errors import InputError
from app.storage.connections import raw_connect
from app.storage.errors import (
    DamagedFileError,
    WrongPassphraseError,
    is_wrong_key,
    storage_errors,
)
from app.storage.files import (
    acquire_lock,
    before_restore_path,
    check_is_data_file,
    fsync_dir,
    fsync_file,
    journal_path,
    read_salt,
    remove_quietly,
    same_file,
    temp_sibling,
)
from app.storage.integrity import integrity_problems
from app.storage.keys import (
    check_passphrase,
    derive_raw_key,
    execute_secret,
    raw_key_literal,
    sql_string,
    zero_key,
)
from app.storage.private_files import create_private, remove_stale_partials

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPICursor

# What the user is told did not happen.
_NOT_BACKED_UP: Final = "the backup was not made"
_NOT_RESTORED: Final = "the backup was not restored"


def write_backup(
    source: Path,
    key: bytearray,
    salt: bytes,
    destination: Path,
    *,
    new_key: bytearray | None = None,
) -> None:
    """A complete encrypted copy of ``source`` (open with ``key``, whose file has ``salt``)
    at ``destination``, an absolute path that is not ``source``; with ``new_key``, the
    copy is encrypted under that key instead (the same salt): a rekey's new file
    (``app.storage.rekey``), whose destination is the data file itself.

    ``sqlcipher_export`` into an ATTACHed database keyed with this file's key *and
    salt*: SQLCipher encrypts each page as it writes it, so no plaintext reaches disk
    and the passphrase need not be kept in memory. (The SQLite backup API copies
    pages as they are and is not supported between differently keyed databases.)
    The copy goes to a temporary name beside ``destination``, is reopened and
    checked, fsynced, and only then renamed over ``destination``.
    """
    remove_stale_partials(destination.parent)
    temporary = temp_sibling(destination)
    try:
        with storage_errors(_NOT_BACKED_UP):
            create_private(temporary)  # SQLite writes into it: owner only from the start
            copy_key = key if new_key is None else new_key
            source_version, source_schema = _export(source, temporary, key, salt, copy_key)
            try:
                problems, version, schema = _verify_copy(
                    temporary, sql_string(raw_key_literal(copy_key))
                )
            except WrongPassphraseError:
                problems, version, schema = ["The copy does not open with the key."], -1, []
            if (
                problems
                or version != source_version
                or schema != source_schema
                or read_salt(temporary) != salt
            ):
                raise DamagedFileError(
                    "The backup copy did not pass its check, so it was not kept. "
                    "Check the data file with the integrity check, then try again."
                )
            fsync_file(temporary)
            # A stale journal beside the old backup would be applied to the new one.
            journal_path(destination).unlink(missing_ok=True)
            os.replace(temporary, destination)
            fsync_dir(destination.parent)
    except BaseException:
        remove_quietly(temporary, journal_path(temporary))
        raise


def _export(
    source: Path, temporary: Path, key: bytearray, salt: bytes, copy_key: bytearray
) -> tuple[int, list[tuple[Any, ...]]]:
    """Write the encrypted copy; return the source's user_version and schema rows."""
    with storage_errors(_NOT_BACKED_UP):
        connection = raw_connect(source, sql_string(raw_key_literal(key)))
    try:
        cursor = connection.cursor()
        # ATTACH cannot run inside a transaction; this connection has none open.
        execute_secret(
            cursor,
            "ATTACH DATABASE ? AS backup KEY ?",
            (str(temporary), raw_key_literal(copy_key, salt)),
        )
        try:
            cursor.execute("SELECT sqlcipher_export('backup')")
            version = int(cursor.execute("PRAGMA main.user_version").fetchone()[0])
            # sqlcipher_export copies schema and rows, not the header's user_version
            # (the schema version the migrations rely on).
            cursor.execute(f"PRAGMA backup.user_version = {version}")
            schema = _schema_rows(cursor)
        finally:
            cursor.execute("DETACH DATABASE backup")
    finally:
        connection.close()
    return version, schema


def restore_backup(
    backup: Path, passphrase: str, target: Path, *, member: str | None = None
) -> None:
    """Replace ``target`` with ``backup`` once the backup is proven to open and be sound.

    ``target`` must not be open (close the Database first): its lock is taken for the
    duration. The file being replaced is kept, still encrypted, at
    ``before_restore_path(target)`` (an earlier one there is overwritten). ``target``
    then takes the backup's passphrase, or a team's backup its key file, which must
    open with ``member``'s passphrase (``member`` None: its only member). The data file
    is renamed into place, then the key file: a crash between the two leaves the
    backup and the replaced file, each with its key file, to restore again.
    """
    from app.storage.keyfile import carry_key_file, has_key_file
    from app.storage.network_share import refuse_network_share

    check_passphrase(passphrase)
    backup, target = Path(backup).absolute(), Path(target).absolute()
    with storage_errors(_NOT_RESTORED):
        check_is_data_file(backup)
    refuse_network_share(target, _NOT_RESTORED)
    if same_file(backup, target):
        raise InputError("That backup is the data file itself: choose a different backup.")
    lock = acquire_lock(target, _NOT_RESTORED)
    temporary = temp_sibling(target)
    key: bytearray | None = None
    try:
        with storage_errors(_NOT_RESTORED):
            # Check the copy that will become the target, not only the original: the
            # copy onto this drive is what the user will rely on. Owner only.
            create_private(temporary)
            shutil.copyfile(backup, temporary)
            if has_key_file(backup):
                key = _member_key(backup, member, passphrase)
            else:
                key = derive_raw_key(passphrase, read_salt(temporary))
            problems, _version, _schema = _verify_copy(temporary, sql_string(raw_key_literal(key)))
            if problems:
                raise DamagedFileError(
                    "The backup is damaged, so it was not restored: " + " ".join(problems)
                )
            fsync_file(temporary)
            if target.exists():
                _keep_replaced_file(target)
                carry_key_file(target, before_restore_path(target))
            os.replace(temporary, target)
            fsync_dir(target.parent)
            carry_key_file(backup, target)
    except BaseException:
        remove_quietly(temporary, journal_path(temporary))
        raise
    finally:
        if key is not None:
            zero_key(key)
        lock.release()


def _member_key(backup: Path, member: str | None, passphrase: str) -> bytearray:
    """The data key a team's backup's key file gives this member's passphrase."""
    from app.storage.keyfile import read_key_file
    from app.storage.team_file import Secret, open_key

    key_file = read_key_file(backup, read_salt(backup).hex())
    if member is None:
        names = [m.name for m in key_file.members]
        if len(names) != 1:
            raise InputError("Choose which member you are: the backup has several.")
        member = names[0]
    key, _slot = open_key(backup, key_file, Secret(member, passphrase))
    return key


def _keep_replaced_file(target: Path) -> None:
    """Copy the file a restore is about to replace to ``before_restore_path(target)``."""
    before = before_restore_path(target)
    # Encrypted bytes, copied as they are: no plaintext on the way. A new file, owner only.
    before.unlink(missing_ok=True)
    create_private(before)
    shutil.copyfile(target, before)
    fsync_file(before)
    # A journal belongs to the file it sits beside: a stale one would be
    # rolled back into the wrong file. Keep a crash journal with its file.
    journal_path(before).unlink(missing_ok=True)
    if journal_path(target).exists():
        os.replace(journal_path(target), journal_path(before))


def _verify_copy(path: Path, key_sql: str) -> tuple[list[str], int, list[tuple[Any, ...]]]:
    """Open a copy with its key and check it: (problems, user_version, schema rows).

    Raises WrongPassphraseError if the key does not open it.
    """
    try:
        connection = raw_connect(path, key_sql)
    except sqlcipher3.DatabaseError as exc:
        if is_wrong_key(exc):
            raise WrongPassphraseError() from None
        raise
    try:
        cursor = connection.cursor()
        problems = integrity_problems(cursor)
        version = int(cursor.execute("PRAGMA user_version").fetchone()[0])
        schema = _schema_rows(cursor)
    finally:
        connection.close()
    return problems, version, schema


def _schema_rows(cursor: DBAPICursor) -> list[tuple[Any, ...]]:
    cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
    return [tuple(row) for row in cursor.fetchall()]
