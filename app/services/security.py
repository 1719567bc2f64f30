"""Passphrases, the unlock delay, backup and restore: the data-file actions the desktop
app offers, with the rules a DSL sees (strength hint and rule, growing delay)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app import clock
from app.domain.seal import Seal
from app.errors import InputError, KnownError
from app.policy import PolicyLibrary
from app.services.seal_memory import SealMemory, remember_restored
from app.services.seals import seal_restore, sealed_backup
from app.services.settings import DEFAULT_ACTOR, SettingDetails, save_settings, validate
from app.storage import audit
from app.storage import passphrase_strength as passphrase_strength_rule
from app.storage.backup import restore_backup
from app.storage.database import Database
from app.storage.datafile import create_data_file, passphrase_opens

if TYPE_CHECKING:
    from app.services.team import Unlocked

MIN_PASSPHRASE_LENGTH = passphrase_strength_rule.MIN_LENGTH


@dataclass(frozen=True)
class Strength:
    level: int  # 0 too short, 1 weak (refused), 2 good, 3 strong
    label: str
    hint: str


def passphrase_strength(passphrase: str) -> Strength:
    """The hint shown while a new passphrase is typed: the same rating that
    ``check_new_passphrase`` refuses by (``app.storage.passphrase_strength``)."""
    rating = passphrase_strength_rule.rate(passphrase)
    if rating.too_short:
        return Strength(
            0,
            "Too short",
            f"Use at least {MIN_PASSPHRASE_LENGTH} characters. Three or four unrelated "
            "words are easy to remember and hard to guess.",
        )
    if not rating.acceptable:
        reason = rating.warning or "It follows a common pattern."
        return Strength(1, "Easy to guess", f"{reason} Try three or four unrelated words.")
    if rating.score < 4:
        return Strength(2, "Good", "One more word would make it strong.")
    return Strength(3, "Strong", "Write it down and keep it somewhere locked.")


def check_new_passphrase(passphrase: str, repeat: str) -> None:
    """Every new passphrase typed in a form: the rule (a plain reason and a suggestion
    when it is weak), then the repeat."""
    passphrase_strength_rule.check_new(passphrase)
    if passphrase != repeat:
        raise InputError("The two passphrases are not the same. Type them again.")


def set_up_data_file(
    path: Path,
    passphrase: str,
    repeat: str,
    details: SettingDetails,
    library: PolicyLibrary,
) -> Database:
    """First run: check everything typed, then create the encrypted file with the
    setting's details in it. Returns the open file; nothing is left behind on failure."""
    check_new_passphrase(passphrase, repeat)
    clean = validate(details, library)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise KnownError(
            f"The folder {path.parent} could not be created. Choose another place."
        ) from None
    db = create_data_file(path, passphrase)
    try:
        save_settings(db, clean, library)
    except BaseException:
        db.close()
        path.unlink(missing_ok=True)
        raise
    return db


def set_up_team_file(
    path: Path,
    passphrase: str,
    repeat: str,
    details: SettingDetails,
    library: PolicyLibrary,
) -> Unlocked:
    """First run for a team (issue 23): check everything typed, then create the file
    with the setting's DSL as its first member (role DSL, this passphrase) and a
    recovery slot, and the setting's details in it. Returns the open file and the
    recovery key, to be shown once; nothing is left behind on failure."""
    from app.services import team
    from app.storage.keyfile import key_file_path

    check_new_passphrase(passphrase, repeat)
    clean = validate(details, library)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise KnownError(
            f"The folder {path.parent} could not be created. Choose another place."
        ) from None
    made = team.create(path, clean.dsl_name, passphrase, repeat)
    try:
        assert made.db.member is not None
        save_settings(made.db, clean, library, actor=made.db.member.actor)
    except BaseException:
        made.db.close()
        path.unlink(missing_ok=True)
        key_file_path(path).unlink(missing_ok=True)
        raise
    return made


def change_passphrase(db: Database, current: str, new: str, repeat: str, *, actor: str) -> None:
    """Re-encrypt the file under a new passphrase, after proving the current one. For a
    team's file, the signed-in member's own passphrase: their slot is rewrapped and the
    data key stays (``app.services.team.change_passphrase``)."""
    if db.member is not None:
        from app.services.team import change_passphrase as change_own

        change_own(db, current, new, repeat)
        return
    if not passphrase_opens(db, current):
        raise InputError("The current passphrase is not right, so nothing was changed.")
    check_new_passphrase(new, repeat)
    if new == current:
        raise InputError("The new passphrase is the same as the current one.")
    db.rekey(new)
    with db.session() as session:
        audit.append(
            session,
            actor=actor,
            action="change passphrase",
            target="file",
            content={"at": clock.now()},
            at=clock.now(),
        )


def default_backup_name(today: date | None = None) -> str:
    return f"escalations-backup-{(today or clock.today()).isoformat()}.etdb"


@dataclass(frozen=True)
class BackupMade:
    path: Path
    seal: Seal  # the backup's own last entry; the file records the backup right after it


def back_up_sealed(db: Database, destination: Path, *, actor: str) -> BackupMade:
    """A verified encrypted copy (same passphrase); the file's audit trail records it,
    under the seal the copy carries (``app.services.seals.sealed_backup``)."""
    destination = Path(destination)
    if destination.suffix.lower() != ".etdb":
        destination = destination.with_name(destination.name + ".etdb")
    return BackupMade(destination, sealed_backup(db, destination, actor=actor))


def back_up(db: Database, destination: Path, *, actor: str) -> Path:
    """``back_up_sealed``, for callers that need only where the copy went."""
    return back_up_sealed(db, destination, actor=actor).path


def restore(
    backup: Path,
    passphrase: str,
    target: Path,
    *,
    actor: str = DEFAULT_ACTOR,
    memory: SealMemory | None = None,
    member: str | None = None,
) -> Path:
    """Replace the (closed) data file with a checked backup; returns where the replaced
    file was kept. The data file then opens with the backup's passphrase. The restored
    file records the restore, and ``memory`` remembers its seal from then on (a
    legitimate restore is not reported at the next unlock as a history cut short).
    A team's backup comes with its key file and opens with ``member``'s passphrase
    (None: its only member); the restore is recorded under that member."""
    from app.services.team import is_team_file, unlock
    from app.storage.datafile import open_data_file
    from app.storage.files import before_restore_path
    from app.storage.seals import file_id

    restore_backup(backup, passphrase, target, member=member)
    if is_team_file(target):
        opened = unlock(target, member, passphrase).db
    else:  # a backup from before members: upgraded at its next unlock, as any such file
        opened = open_data_file(target, passphrase)
    with opened as db:
        seal = seal_restore(db, actor=db.member.actor if db.member is not None else actor)
        if memory is not None:
            with db.session() as session:
                key = file_id(session)
            remember_restored(memory, key, target, seal)
    return before_restore_path(target)
