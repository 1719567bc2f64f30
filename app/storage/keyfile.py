"""The key file beside a team's data file: ``<name>.etdb.keys``, the slots that open it.

Like LUKS's detached header: small JSON, versioned, owner-only, replaced whole (temporary
file, fsync, rename, fsync of the folder; ``private_files.write_private_file``). It
holds no secret in the clear: each slot's private key is wrapped under its passphrase,
and the data key is sealed to each slot's public key (``app.storage.keyslots``). Member
names and roles are in the clear (staff names, not child data: docs/reliability.md).

``file_id`` binds it to its data file: SQLCipher's salt, the data file's first 16
bytes, which stay the same through a rekey, a backup and a restore (a backup is the
same file). ``next`` is the slot table of a rekey under way (``app.storage.rekey``):
whichever table's key opens the data file is the one that stands.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

from app.errors import InputError
from app.storage import keyslots
from app.storage.errors import StorageError
from app.storage.keyslots import Slot, SlotDamaged
from app.team.member import NAME_LIMIT, Member, Role

FORMAT: Final = "escalation-tracker key file"
VERSION: Final = 1
SUFFIX: Final = ".keys"
_MAX_BYTES: Final = 1024 * 1024  # a key file is a few KB: anything larger is not one


class KeyFileError(StorageError):
    """The key file is missing, unreadable, damaged as a whole, or another file's."""


def key_file_path(data_path: Path) -> Path:
    return data_path.with_name(data_path.name + SUFFIX)


def has_key_file(data_path: Path) -> bool:
    return key_file_path(data_path).exists()


def clean_name(name: str) -> str:
    """A member's name as kept: trimmed, inner spaces single; refused if empty."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InputError("Enter the member's name.")
    if len(cleaned) > NAME_LIMIT:
        raise InputError(f"A member's name can be at most {NAME_LIMIT} characters.")
    if any(not c.isprintable() for c in cleaned):
        raise InputError("A member's name cannot contain control characters.")
    return cleaned


def same_name(a: str, b: str) -> bool:
    """Names are compared trimmed and without regard to case: "Ann Lee" is "ann  lee"."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@dataclass(frozen=True)
class DamagedSlot:
    """A slot that cannot be read; kept in the file as it was (never silently dropped
    except by a rekey, which could not reseal it anyway)."""

    name: str  # as far as it can be read; "" if not
    reason: str
    raw: Any = field(repr=False)

    def words(self) -> str:
        who = f"The slot for {self.name}" if self.name else "A slot"
        return f"{who} in the key file is damaged ({self.reason}), so it opens nothing."


@dataclass(frozen=True)
class KeyFile:
    file_id: str
    slots: tuple[Slot, ...]
    damaged: tuple[DamagedSlot, ...] = ()
    next: tuple[Slot, ...] | None = None  # a rekey under way
    upgrading: bool = False  # ``next`` is the first table of a file being upgraded

    @property
    def members(self) -> list[Member]:
        return [s.member for s in self.slots if s.member is not None]

    @property
    def recovery(self) -> Slot | None:
        return next((s for s in self.slots if s.kind == "recovery"), None)

    def member_slot(self, name: str, table: tuple[Slot, ...] | None = None) -> Slot | None:
        return next(
            (
                s
                for s in (self.slots if table is None else table)
                if s.kind == "member" and same_name(s.name, name)
            ),
            None,
        )

    def recovery_slot(self, table: tuple[Slot, ...] | None = None) -> Slot | None:
        return next(
            (s for s in (self.slots if table is None else table) if s.kind == "recovery"), None
        )

    def dsl_count(self) -> int:
        return sum(1 for s in self.slots if s.role is Role.DSL)

    def with_slots(self, slots: tuple[Slot, ...]) -> KeyFile:
        return replace(self, slots=slots, next=None, upgrading=False)


def to_bytes(key_file: KeyFile) -> bytes:
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "file_id": key_file.file_id,
        "slots": [keyslots.to_json(s) for s in key_file.slots] + [d.raw for d in key_file.damaged],
    }
    if key_file.next is not None:
        document["next"] = {
            "upgrading": key_file.upgrading,
            "slots": [keyslots.to_json(s) for s in key_file.next],
        }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_key_file(data_path: Path, key_file: KeyFile) -> None:
    """Replace the key file whole and durably (owner only)."""
    from app.storage.errors import storage_errors
    from app.storage.private_files import write_private_file

    with storage_errors("the key file was not saved"):
        write_private_file(key_file_path(data_path), to_bytes(key_file))


def read_key_file(data_path: Path, file_id: str) -> KeyFile:
    """The key file beside ``data_path``, which must belong to the file ``file_id``."""
    path = key_file_path(data_path)
    try:
        with path.open("rb") as file:
            data = file.read(_MAX_BYTES + 1)
    except FileNotFoundError:
        raise KeyFileError(
            f"The key file {path.name} is missing. It must stay beside {data_path.name}: "
            "without it no member's passphrase opens the file. Put it back from where the "
            "file was copied, or restore a backup (a backup carries its key file)."
        ) from None
    except OSError:
        raise KeyFileError(f"The key file {path.name} could not be read.") from None
    return parse(data, file_id, path.name, data_path.name)


def parse(data: bytes, file_id: str, name: str = "the key file", data_name: str = "") -> KeyFile:
    try:
        if len(data) > _MAX_BYTES:
            raise ValueError("too large")
        document = json.loads(data.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError("not a key file")
    except (ValueError, UnicodeDecodeError):
        raise KeyFileError(
            f"The key file {name} is damaged: it cannot be read as a key file, so no "
            "passphrase can open the data file with it. Restore a backup (its key file "
            "comes with it)."
        ) from None
    if document.get("version") != VERSION:
        raise KeyFileError(
            f"The key file {name} was written by a newer version of Escalation Tracker. "
            "Update the app on this computer, then open the file again."
        )
    if document.get("file_id") != file_id:
        raise KeyFileError(
            f"The key file {name} belongs to another data file, not to "
            f"{data_name or 'this one'}. Put the right key file beside it."
        )
    slots, damaged = _slots(document.get("slots"))
    next_value = document.get("next")
    pending: tuple[Slot, ...] | None = None
    upgrading = False
    if isinstance(next_value, dict):
        pending, _ = _slots(next_value.get("slots"))
        upgrading = next_value.get("upgrading") is True
    return KeyFile(file_id, slots, damaged, pending, upgrading)


def _slots(values: object) -> tuple[tuple[Slot, ...], tuple[DamagedSlot, ...]]:
    if not isinstance(values, list):
        return (), ()
    slots: list[Slot] = []
    damaged: list[DamagedSlot] = []
    for value in values:
        try:
            slots.append(keyslots.from_json(value))
        except SlotDamaged as exc:
            name = value.get("name") if isinstance(value, dict) else None
            damaged.append(DamagedSlot(name if isinstance(name, str) else "", exc.reason, value))
    return tuple(slots), tuple(damaged)


def carry_key_file(data_path: Path, copy_path: Path) -> None:
    """Put ``data_path``'s key file beside its copy (a backup, a restored file), so the
    copy opens with the passphrases that open the file now; a file without one leaves
    none (an earlier copy's would otherwise stand beside it and not open it)."""
    from app.storage.errors import storage_errors
    from app.storage.private_files import write_private_file

    with storage_errors("the key file was not copied"):
        try:
            data = key_file_path(data_path).read_bytes()
        except FileNotFoundError:
            key_file_path(copy_path).unlink(missing_ok=True)
            return
        write_private_file(key_file_path(copy_path), data)
