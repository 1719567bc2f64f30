"""The safeguarding team on one file: what the window and the command line both call
(issue 23; docs/reliability.md, "The team's key file"). No Qt.

* ``create``: a new file with its first member (a DSL) and a recovery slot.
* ``unlock``: open with a member's name and passphrase; a single-passphrase file from
  before teams is upgraded in place at this unlock (its passphrase becomes the DSL's),
  and ``Unlocked.recovery_key`` is then the new recovery key, to show once.
* ``members``, ``add_member``, ``remove_member``, ``rotate_key``, ``new_recovery_key``,
  ``change_passphrase``: the key file's changes, each recorded in the audit trail under
  the signed-in member; only a DSL manages members (``app.team.member``).
* ``recover``: the recovery key sets a new passphrase for a named member.

A recovery key is returned to the caller, which shows it once (and offers to print
it); it is never written to a file or logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import clock
from app.errors import InputError
from app.storage import team_changes as changes
from app.storage.database import Database
from app.storage.datafile import migrate_on_open
from app.storage.errors import WrongPassphraseError
from app.storage.keyfile import KeyFile, has_key_file, key_file_path
from app.storage.team_file import (
    Secret,
    UpgradeUnfinished,
    abandon_upgrade,
    create_team_file,
    members_of,
    open_team_file,
    recovery_secret,
    upgrade,
)
from app.storage.unlock_attempts import UnlockAttempts
from app.team.member import Member, Role, require_manage_members

__all__ = [
    "DEFAULT_UPGRADE_NAME",
    "Member",
    "Role",
    "Unlocked",
    "add_member",
    "change_passphrase",
    "create",
    "is_team_file",
    "member_names",
    "members",
    "new_recovery_key",
    "recover",
    "remove_member",
    "rotate_key",
    "single_member",
    "unlock",
]

# The DSL's name for an upgraded file whose settings name no DSL and whose caller did
# not ask (the command line); the window asks.
DEFAULT_UPGRADE_NAME = "DSL"
RECOVERY_ACTOR = "Recovery key"


@dataclass(frozen=True)
class Unlocked:
    db: Database
    # Not None once: a new file, or a file upgraded at this unlock. Show it, then drop it.
    recovery_key: str | None = None


def is_team_file(path: Path) -> bool:
    """True if the file has a key file (members); False for a single-passphrase file."""
    return has_key_file(Path(path).absolute())


def members(path: Path) -> list[Member]:
    """The members and their roles, read from the key file without any passphrase
    (names and roles are kept in the clear; docs/reliability.md)."""
    return members_of(Path(path)).members


def key_file(path: Path) -> KeyFile:
    """The key file as it stands (its damaged slots too, for the window to name)."""
    return members_of(Path(path))


def member_names(path: Path) -> list[str]:
    """The names the unlock page offers: each member's, and a damaged slot's too, so
    that choosing it names the damage plainly (the other slots still open the file)."""
    found = key_file(path)
    return [m.name for m in found.members] + [d.name for d in found.damaged if d.name]


def single_member(path: Path) -> str | None:
    """The only member's name, when there is one member (so it need not be typed)."""
    found = members(path)
    return found[0].name if len(found) == 1 else None


def create(path: Path, name: str, passphrase: str, repeat: str | None = None) -> Unlocked:
    """A new file with ``name`` as its DSL and a recovery slot (``recovery_key``)."""
    from app.services.security import check_new_passphrase

    check_new_passphrase(passphrase, passphrase if repeat is None else repeat)
    db, recovery = create_team_file(Path(path), name, passphrase)
    assert db.member is not None
    _record(db, f"create the file with {db.member.actor} as its first member")
    return Unlocked(db, recovery)


def unlock(
    path: Path,
    member: str | None,
    passphrase: str,
    *,
    meanwhile: Callable[[], None] | None = None,
    attempts: UnlockAttempts | None = None,
    upgrade_name: Callable[[Database], str] | None = None,
) -> Unlocked:
    """Open the file as ``member`` (None: the only member). A file without a key file
    opens with its passphrase and is upgraded: its DSL slot is named from the setting's
    DSL name, else ``upgrade_name(db)`` (the window asks), else ``member``, else
    "DSL"."""
    path = Path(path).absolute()
    if is_team_file(path):
        name = member if member is not None else single_member(path)
        if name is None:
            raise InputError("Choose which member you are: this file has several.")
        try:
            opened = open_team_file(
                path,
                Secret(name, passphrase),
                prepare=migrate_on_open,
                meanwhile=meanwhile,
                attempts=attempts,
            )
            return Unlocked(opened)
        except UpgradeUnfinished:
            pass  # the data file still opens with its passphrase: upgrade it again
        db = _open_single(path, passphrase, attempts)
        abandon_upgrade(path)
    else:
        db = _open_single(path, passphrase, attempts, meanwhile)
    try:
        name = _upgrade_name(db, member, upgrade_name)
        recovery = upgrade(db, passphrase, name)
        _record(db, f"upgrade the file to members: {name} is its DSL, with a recovery key")
    except BaseException:
        db.close()
        raise
    return Unlocked(db, recovery)


def _open_single(
    path: Path,
    passphrase: str,
    attempts: UnlockAttempts | None,
    meanwhile: Callable[[], None] | None = None,
) -> Database:
    from app.storage.datafile import open_data_file
    from app.storage.network_share import refuse_network_share

    refuse_network_share(path, "the file could not be opened")
    try:
        return open_data_file(path, passphrase, attempts=attempts, meanwhile=meanwhile)
    except WrongPassphraseError as exc:
        failure = KeyFileMissingOrWrongPassphrase(path, exc.retry_after)
    raise failure


class KeyFileMissingOrWrongPassphrase(WrongPassphraseError):
    """A file without a key file did not open with the passphrase: either it is wrong,
    or the file has members and its key file is missing (the two cannot be told apart:
    both keys are random to whoever has neither)."""

    def __init__(self, path: Path, retry_after: int) -> None:
        super().__init__(retry_after)
        # The likelier case first: a file from before members, with a mistyped
        # passphrase. Worded as a check, not as a loss, for the DSL who has no team.
        self.args = (
            "That passphrase does not open this file. Check it and try again (is Caps "
            "Lock on?). Only if this file has members, each with a passphrase: the file "
            f"{key_file_path(path).name} must be in the same folder, and is not.",
        )


def _upgrade_name(db: Database, member: str | None, ask: Callable[[Database], str] | None) -> str:
    from app.services.setting_details import get_settings

    dsl_name = get_settings(db).dsl_name.strip()
    if dsl_name:
        return dsl_name
    if ask is not None:
        return ask(db)
    return member if member else DEFAULT_UPGRADE_NAME


def _actor(db: Database) -> str:
    from app.services.setting_details import get_settings
    from app.team.signed_in import signed_in

    return signed_in(db.member, get_settings(db).dsl_name if db.member is None else "").actor


def _record(db: Database, action: str, actor: str | None = None) -> None:
    from app.storage import audit  # with SQLAlchemy: not before the first paint

    with db.session() as session:
        audit.append(
            session,
            actor=actor or _actor(db),
            action=action,
            target="file",
            content={"at": clock.now()},
            at=clock.now(),
        )


def _manager(db: Database) -> Member:
    if db.member is None:
        raise InputError("This file has no members yet: open it again to upgrade it.")
    require_manage_members(db.member)
    return db.member


def add_member(db: Database, name: str, role: Role, passphrase: str, repeat: str) -> Member:
    """A DSL adds a member with their own passphrase."""
    from app.services.security import check_new_passphrase

    _manager(db)
    check_new_passphrase(passphrase, repeat)
    added = changes.add_member(db, name, role, passphrase)
    _record(db, f"add member {added.actor}")
    return added


def remove_member(db: Database, name: str) -> Member:
    """A DSL removes a member: the file moves to a new key, so the removed member's
    passphrase opens neither it nor any backup made from now on."""
    _manager(db)
    removed = changes.remove_member(db, name)
    _record(db, f"remove member {removed.actor} and move the file to a new key")
    return removed


def rotate_key(db: Database) -> None:
    """A DSL moves the file to a new key, the same members keeping their passphrases."""
    _manager(db)
    changes.rotate(db)
    _record(db, "move the file to a new key")


def new_recovery_key(db: Database) -> str:
    """A DSL makes a new recovery key; the old one opens nothing from now on."""
    _manager(db)
    recovery = changes.new_recovery(db)
    _record(db, "make a new recovery key (the old one no longer opens the file)")
    return recovery


def change_passphrase(db: Database, current: str, new: str, repeat: str) -> None:
    """The signed-in member's own new passphrase."""
    from app.services.security import check_new_passphrase

    if db.member is None:
        raise InputError("This file has no members yet: open it again to upgrade it.")
    check_new_passphrase(new, repeat)
    changes.change_passphrase(db, db.member.name, current, new)
    _record(db, "change passphrase")


def recover(
    path: Path,
    recovery_key: str,
    member: str,
    new_passphrase: str,
    repeat: str | None = None,
    *,
    attempts: UnlockAttempts | None = None,
) -> Member:
    """The recovery key sets ``member``'s new passphrase; recorded in the audit trail.
    The file is closed again afterwards (open it with the new passphrase)."""
    from app.services.security import check_new_passphrase

    check_new_passphrase(new_passphrase, new_passphrase if repeat is None else repeat)
    secret = recovery_secret(recovery_key)
    with open_team_file(Path(path), secret, prepare=migrate_on_open, attempts=attempts) as db:
        renewed = changes.set_passphrase(db, member, new_passphrase)
        _record(
            db,
            f"recovery key used to set a new passphrase for {renewed.name}",
            actor=RECOVERY_ACTOR,
        )
    return renewed
