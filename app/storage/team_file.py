"""A team's data file: created with its first member and a recovery slot, opened by a
member's name and passphrase (or the recovery key), upgraded from a single-passphrase
file, and its key file's slots changed (docs/reliability.md, "The team's key file").

The data file is keyed with a random 32-byte raw key; the key file beside it
(``app.storage.keyfile``) holds the slots that reach it (``app.storage.keyslots``).
Argon2id runs on a worker thread while the window is built (``keys.InBackground``), as
SQLCipher's own derivation does for a single-passphrase file. Changing which slots hold
the key without changing the key (adding a member, a new passphrase) rewrites the key
file only; removing a member or rotating the key rekeys the data file
(``app.storage.rekey``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from app.storage import keyslots, migrate, rekey
from app.storage.database import Database
from app.storage.errors import StorageError, WrongPassphraseError, storage_errors
from app.storage.files import (
    acquire_lock,
    check_is_data_file,
    journal_path,
    read_salt,
    remove_quietly,
)
from app.storage.keyfile import (
    KeyFile,
    KeyFileError,
    clean_name,
    key_file_path,
    read_key_file,
    write_key_file,
)
from app.storage.keys import InBackground, check_passphrase, zero_key
from app.storage.keyslots import Slot, SlotDamaged, WrongSecret
from app.storage.network_share import refuse_network_share
from app.storage.private_files import remove_stale_partials
from app.storage.recovery_key import new_recovery_key, normalise
from app.storage.unlock_attempts import UnlockAttempts
from app.team.member import Member, Role

if TYPE_CHECKING:
    import sqlalchemy

_NOT_OPENED: Final = "the file could not be opened"
_NOT_CREATED: Final = "the file was not created"


class UpgradeUnfinished(Exception):
    """The key file is from an upgrade that did not finish: the data file still opens
    with its single passphrase (``team.unlock`` upgrades it again)."""


@dataclass(frozen=True)
class Secret:
    """What was typed: a member's name and passphrase, or the recovery key (name '')."""

    member: str
    text: str

    @property
    def is_recovery(self) -> bool:
        return not self.member


def recovery_secret(typed_key: str) -> Secret:
    return Secret("", normalise(typed_key))


# Create ------------------------------------------------------------------------------


def create_team_file(
    path: Path,
    name: str,
    passphrase: str,
    *,
    schema: Callable[[sqlalchemy.Connection], None] | None = migrate.create_schema,
) -> tuple[Database, str]:
    """A new file with one member, ``name`` (a DSL), and a recovery slot; the open file
    and the recovery key, which is returned here once and kept nowhere."""
    from app.storage.passphrase_strength import check_new

    name = clean_name(name)
    check_passphrase(passphrase)
    check_new(passphrase)
    path = Path(path).absolute()
    refuse_network_share(path, _NOT_CREATED)
    data_key = rekey.new_data_key()
    recovery = new_recovery_key()

    def key_file_then_schema(connection: sqlalchemy.Connection) -> None:
        # The header (and so the salt) is written; the key file before any record.
        file_id = read_salt(path).hex()
        slots = (
            keyslots.new_slot("member", name, Role.DSL, passphrase, data_key, file_id),
            keyslots.new_slot("recovery", "", None, recovery, data_key, file_id),
        )
        write_key_file(path, KeyFile(file_id, slots))
        if schema is not None:
            schema(connection)

    try:
        db = Database.create(path, "", schema=key_file_then_schema, raw_key=data_key)
    except BaseException:
        if not path.exists():
            remove_quietly(key_file_path(path))
        raise
    finally:
        zero_key(data_key)
    db.member = Member(name, Role.DSL)
    return db, recovery


# Open --------------------------------------------------------------------------------


def open_team_file(
    path: Path,
    secret: Secret,
    *,
    prepare: Callable[[Database], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
    attempts: UnlockAttempts | None = None,
) -> Database:
    """Open with a member's passphrase (or the recovery key). Wrong passphrases are
    counted per file and member, with the same wait as a single-passphrase file."""
    check_passphrase(secret.text)
    path = Path(path).absolute()
    with storage_errors(_NOT_OPENED):
        check_is_data_file(path)
    refuse_network_share(path, _NOT_OPENED)
    attempts = attempts if attempts is not None else UnlockAttempts()
    db = attempts.counted(
        path, lambda: _open(path, secret, prepare, meanwhile), who=secret.member or "recovery"
    )
    remove_stale_partials(db.path.parent)
    return db


def _open(
    path: Path,
    secret: Secret,
    prepare: Callable[[Database], None] | None,
    meanwhile: Callable[[], None] | None,
) -> Database:
    lock = acquire_lock(path, _NOT_OPENED)
    try:
        with storage_errors(_NOT_OPENED):
            salt = read_salt(path)
        key_file = read_key_file(path, salt.hex())
        working = InBackground(lambda: open_key(path, key_file, secret), "unwrap-key")
        if meanwhile is not None:
            meanwhile()
        keyslots.load_ciphers()  # while Argon2id runs on the worker
        key, slot = working.result()
    except BaseException:
        lock.release()
        raise
    try:
        db = Database.with_key(path, lock, key, salt)
    except WrongPassphraseError:
        # The passphrase opened its slot, but the slot's key is not the data file's.
        raise KeyFileError(
            f"The key file beside {path.name} does not fit the data file as it is now "
            "(an older copy of it?), so its key does not open the file. Put back the key "
            "file that was beside it, or restore a backup with its key file."
        ) from None
    db.member = slot.member
    try:
        if prepare is not None:
            prepare(db)
    except BaseException:
        db.close()
        raise
    return db


def open_key(path: Path, key_file: KeyFile, secret: Secret) -> tuple[bytearray, Slot]:
    """The data key ``secret`` reaches, from the slot table whose key opens the data
    file; a rekey left half-done is finished or rolled back here (``app.storage.rekey``)."""
    found = [(index, *_unlocked) for index, _unlocked in _unlock_tables(key_file, secret)]
    if key_file.next is None:
        _, key, slot = found[0]
        return key, slot
    for index, key, slot in found:
        if rekey.key_opens(path, key):
            settled = key_file.with_slots(key_file.next if index == 1 else key_file.slots)
            write_key_file(path, settled)
            for _, other, _ in found:
                if other is not key:
                    zero_key(other)
            return key, slot
    if key_file.upgrading:
        raise UpgradeUnfinished()
    if all(index == 0 for index, _, _ in found):
        raise WrongPassphraseError()  # a removed member, after the data file switched
    raise StorageError(
        "Neither the key file's slots nor the new ones open the data file. Restore a backup."
    )


def _unlock_tables(key_file: KeyFile, secret: Secret) -> list[tuple[int, tuple[bytearray, Slot]]]:
    tables = [key_file.slots] + ([key_file.next] if key_file.next is not None else [])
    found: list[tuple[int, tuple[bytearray, Slot]]] = []
    wrong = False
    damage: str | None = None
    privates: dict[bytes, bytearray] = {}  # a rekey keeps each slot's pair: unwrap once
    for index, table in enumerate(tables):
        slot = (
            key_file.recovery_slot(table)
            if secret.is_recovery
            else key_file.member_slot(secret.member, table)
        )
        if slot is None:
            continue
        try:
            private = privates.get(slot.public_key)
            if private is None:
                private = keyslots.unwrap_private(slot, secret.text, key_file.file_id)
                privates[slot.public_key] = private
            found.append((index, (keyslots.unseal(slot, private, key_file.file_id), slot)))
        except WrongSecret:
            wrong = True
        except SlotDamaged as exc:
            damage = exc.reason
    for private in privates.values():
        zero_key(private)
    if found:
        return found
    if damage is not None:
        raise KeyFileError(_damaged_words(secret, damage))
    if wrong:
        raise WrongPassphraseError()
    raise _not_a_member(key_file, secret)


def _damaged_words(secret: Secret, reason: str) -> str:
    who = "The recovery slot" if secret.is_recovery else f"The slot for {secret.member}"
    return (
        f"{who} in the key file is damaged ({reason}), so it opens nothing. Another "
        "member's passphrase, or the recovery key, still opens the file."
    )


def _not_a_member(key_file: KeyFile, secret: Secret) -> KeyFileError:
    if secret.is_recovery:
        return KeyFileError("This file's key file has no recovery slot.")
    damaged = next((d for d in key_file.damaged if d.name and d.name == secret.member), None)
    if damaged is not None:
        return KeyFileError(damaged.words())
    names = ", ".join(m.name for m in key_file.members) or "none"
    return KeyFileError(
        f"There is no member called {secret.member} in this file. Its members: {names}."
    )


def members_of(path: Path) -> KeyFile:
    """The key file as it stands, without opening the data file (names and roles are
    in the clear: docs/reliability.md)."""
    path = Path(path).absolute()
    with storage_errors(_NOT_OPENED):
        check_is_data_file(path)
        salt = read_salt(path)
    return read_key_file(path, salt.hex())


# Upgrade -----------------------------------------------------------------------------


def upgrade_copy_path(path: Path) -> Path:
    """Where the single-passphrase file is kept, encrypted, before its upgrade."""
    return path.with_name(f"{path.stem}.before-team{path.suffix}")


def upgrade(
    db: Database, passphrase: str, name: str, after: Callable[[str], None] | None = None
) -> str:
    """Move a single-passphrase file (open with ``passphrase``) to a random key held by
    ``name``'s slot (a DSL, the same passphrase) and a recovery slot; an encrypted copy
    of the file as it was is kept first (``upgrade_copy_path``). Returns the new
    recovery key, to be shown once."""
    name = clean_name(name)
    db.backup_to(upgrade_copy_path(db.path))
    with storage_errors("the file was not upgraded"):
        file_id = read_salt(db.path).hex()
    data_key = rekey.new_data_key()
    recovery = new_recovery_key()
    slots = (
        keyslots.new_slot("member", name, Role.DSL, passphrase, data_key, file_id),
        keyslots.new_slot("recovery", "", None, recovery, data_key, file_id),
    )
    rekey.switch(db, KeyFile(file_id, ()), slots, data_key, upgrading=True, after=after)
    db.member = Member(name, Role.DSL)
    return recovery


def abandon_upgrade(path: Path) -> None:
    """Remove the key file of an upgrade that did not finish (the data file still opens
    with its passphrase, checked by the caller first)."""
    with storage_errors("the unfinished upgrade was not undone"):
        remove_quietly(journal_path(key_file_path(path)))
        key_file_path(path).unlink(missing_ok=True)
