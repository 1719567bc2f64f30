"""Changes to a team's key file while the file is open: a member added, removed, a new
passphrase, a new recovery key, the key rotated (docs/reliability.md, "The team's key
file"). The key file's own rules are kept here: names are unique (trimmed, without
regard to case) and there is always a DSL. Who may make a change is the service's
question (``app.services.team``, ``app.team.member``).

Adding a member or changing a passphrase rewrites the key file only: the data key is
the same. Removing a member, a new recovery key and rotating move the data file to a
new key (``app.storage.rekey``), so the old slots open nothing that is written after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from app.errors import InputError
from app.storage import keyslots, rekey
from app.storage.database import Database
from app.storage.errors import storage_errors
from app.storage.files import read_salt
from app.storage.keyfile import KeyFile, clean_name, read_key_file, same_name, write_key_file
from app.storage.keys import check_passphrase, zero_key
from app.storage.keyslots import Slot, WrongSecret
from app.storage.passphrase_strength import check_new
from app.storage.recovery_key import new_recovery_key
from app.team.member import Member, Role, removal_refusal

Hook = Callable[[str], None] | None


def current_key_file(db: Database) -> KeyFile:
    with storage_errors("the key file could not be read"):
        file_id = read_salt(db.path).hex()
    return read_key_file(db.path, file_id)


def refuse_duplicate(key_file: KeyFile, name: str) -> None:
    taken = [s.name for s in key_file.slots if s.kind == "member"]
    taken += [d.name for d in key_file.damaged if d.name]
    clash = next((t for t in taken if same_name(t, name)), None)
    if clash is not None:
        raise InputError(
            f"There is already a member called {clash}. Two members cannot have the same "
            "name: add a surname or an initial."
        )


def add_member(db: Database, name: str, role: Role, passphrase: str) -> Member:
    name = clean_name(name)
    check_passphrase(passphrase)
    check_new(passphrase)
    key_file = current_key_file(db)
    refuse_duplicate(key_file, name)
    slot = keyslots.new_slot("member", name, role, passphrase, db.data_key(), key_file.file_id)
    write_key_file(db.path, replace(key_file, slots=(*key_file.slots, slot)))
    return Member(name, role)


def member_slot(key_file: KeyFile, name: str) -> Slot:
    slot = key_file.member_slot(name)
    if slot is None:
        names = ", ".join(m.name for m in key_file.members)
        raise InputError(f"There is no member called {name.strip()}. The members: {names}.")
    return slot


def remove_member(db: Database, name: str, *, after: Hook = None) -> Member:
    """Remove ``name``'s slot and rekey, so their passphrase opens nothing from now on."""
    key_file = current_key_file(db)
    slot = member_slot(key_file, name)
    refusal = removal_refusal(list(key_file.members), slot.name)
    if refusal:
        raise InputError(refusal)
    remaining = tuple(s for s in key_file.slots if s is not slot)
    _rekey(db, key_file, remaining, after)
    assert slot.member is not None
    return slot.member


def rotate(db: Database, *, after: Hook = None) -> None:
    """A new data key for the same slots (after a suspected leak of the key itself)."""
    key_file = current_key_file(db)
    _rekey(db, key_file, key_file.slots, after)


def new_recovery(db: Database, *, after: Hook = None) -> str:
    """A new recovery key replaces the old one, which opens nothing from now on (the
    file is rekeyed: the old one might have opened an old copy of the key file)."""
    key_file = current_key_file(db)
    recovery = new_recovery_key()
    members = tuple(s for s in key_file.slots if s.kind == "member")
    new_key = rekey.new_data_key()
    slots = (
        *(keyslots.reseal(s, new_key, key_file.file_id) for s in members),
        keyslots.new_slot("recovery", "", None, recovery, new_key, key_file.file_id),
    )
    rekey.switch(db, key_file, slots, new_key, after=after)
    return recovery


def _rekey(db: Database, key_file: KeyFile, slots: tuple[Slot, ...], after: Hook) -> None:
    new_key = rekey.new_data_key()
    resealed = tuple(keyslots.reseal(s, new_key, key_file.file_id) for s in slots)
    rekey.switch(db, key_file, resealed, new_key, after=after)


def change_passphrase(db: Database, name: str, current: str, new: str) -> None:
    """A member's own new passphrase, after proving the current one."""
    key_file = current_key_file(db)
    slot = member_slot(key_file, name)
    try:
        private = keyslots.unwrap_private(slot, current, key_file.file_id)
    except WrongSecret:
        raise InputError("The current passphrase is not right, so nothing was changed.") from None
    try:
        check_passphrase(new)
        check_new(new)
        if new == current:
            raise InputError("The new passphrase is the same as the current one.")
        renewed = keyslots.rewrap(slot, private, new, key_file.file_id)
    finally:
        zero_key(private)
    _replace_slot(db, key_file, slot, renewed)


def set_passphrase(db: Database, name: str, new: str) -> Member:
    """``name``'s slot replaced by one for ``new`` (the recovery key opened the file, so
    their private key is not known: a new pair, holding the same data key)."""
    check_passphrase(new)
    check_new(new)
    key_file = current_key_file(db)
    slot = member_slot(key_file, name)
    assert slot.role is not None
    renewed = keyslots.new_slot(
        "member", slot.name, slot.role, new, db.data_key(), key_file.file_id
    )
    _replace_slot(db, key_file, slot, renewed)
    return Member(slot.name, slot.role)


def _replace_slot(db: Database, key_file: KeyFile, old: Slot, new: Slot) -> None:
    slots = tuple(new if s is old else s for s in key_file.slots)
    write_key_file(db.path, replace(key_file, slots=slots))
