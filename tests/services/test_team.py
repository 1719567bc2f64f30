"""The team's service (app/services/team.py): only a DSL manages members, names are
unique, the last DSL stays, a removed member's passphrase opens neither the file nor any
backup made after, the recovery key sets a member's passphrase, and the audit trail
names who did each (issue 23)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import InputError
from app.services import team
from app.services.backups import automatic_backup, prune
from app.services.security import back_up, restore
from app.storage.errors import WrongPassphraseError
from app.storage.keyfile import KeyFileError, has_key_file, key_file_path
from app.storage.models import AuditEntry
from app.team.member import Member, NotAllowedError, Role
from tests.storage.team_helpers import (
    DEPUTY,
    DEPUTY_PASS,
    DSL,
    DSL_PASS,
    READER,
    READER_PASS,
    attempts,
    team_file,
)


def _actions(path: Path, tmp_path: Path) -> list[tuple[str, str]]:
    db = team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path)).db
    with db, db.session() as session:
        rows = session.execute(select(AuditEntry.actor, AuditEntry.action)).all()
    return [(actor, action) for actor, action in rows]


def test_only_a_dsl_manages_members(tmp_path: Path) -> None:
    path, _ = team_file(tmp_path, reader=True)
    for name, passphrase in ((DEPUTY, DEPUTY_PASS), (READER, READER_PASS)):
        with team.unlock(path, name, passphrase, attempts=attempts(tmp_path)).db as db:
            with pytest.raises(NotAllowedError, match="Only a DSL"):
                team.add_member(db, "Dee", Role.DEPUTY, DEPUTY_PASS, DEPUTY_PASS)
            with pytest.raises(NotAllowedError):
                team.remove_member(db, DSL)
            with pytest.raises(NotAllowedError):
                team.new_recovery_key(db)
    assert [m.name for m in team.members(path)] == [DSL, DEPUTY, READER]


def test_names_are_unique_and_the_last_dsl_stays(tmp_path: Path) -> None:
    path, _ = team_file(tmp_path)
    with team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path)).db as db:
        with pytest.raises(InputError, match="already a member called Bob Hughes"):
            team.add_member(db, "  bob   hughes", Role.READ_ONLY, READER_PASS, READER_PASS)
        with pytest.raises(InputError, match="only DSL"):
            team.remove_member(db, DSL)
        with pytest.raises(InputError, match="not the same"):
            team.add_member(db, "Dee", Role.DEPUTY, READER_PASS, DEPUTY_PASS)
    assert [m.name for m in team.members(path)] == [DSL, DEPUTY]


def test_a_removed_member_opens_neither_the_file_nor_later_backups(tmp_path: Path) -> None:
    path, _ = team_file(tmp_path)
    before = tmp_path / "before.etdb"
    after = tmp_path / "after.etdb"
    with team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path)).db as db:
        back_up(db, before, actor="t")
        assert team.remove_member(db, "bob hughes") == Member(DEPUTY, Role.DEPUTY)
        back_up(db, after, actor="t")
    assert team.members(path) == [Member(DSL, Role.DSL)]
    for gone in (path, after):
        with pytest.raises(KeyFileError, match="no member called Bob Hughes"):
            team.unlock(gone, DEPUTY, DEPUTY_PASS, attempts=attempts(tmp_path))
        # Their old key file put back beside it changes nothing: the data key is new.
        key_file_path(gone).write_bytes(key_file_path(before).read_bytes())
        with pytest.raises(KeyFileError, match="does not fit the data file"):
            team.unlock(gone, DEPUTY, DEPUTY_PASS, attempts=attempts(tmp_path))
    # A backup made before the removal still opens with their passphrase: they could
    # have read it then (docs/reliability.md, the threat model).
    team.unlock(before, DEPUTY, DEPUTY_PASS, attempts=attempts(tmp_path)).db.close()


def test_backups_carry_the_key_file_and_are_pruned_with_it(tmp_path: Path) -> None:
    path, _ = team_file(tmp_path)
    folder = tmp_path / "backups"
    folder.mkdir()
    from datetime import datetime, timedelta

    with team.unlock(path, DEPUTY, DEPUTY_PASS, attempts=attempts(tmp_path)).db as db:
        made = [
            automatic_backup(db, folder, 3, actor="t", now=datetime(2026, 1, 5) + timedelta(h))
            for h in range(4)
        ]
    copies = [m.made.path for m in made]
    assert all(has_key_file(c) for c in copies[1:])
    assert not copies[0].exists() and not key_file_path(copies[0]).exists()
    # Any member's passphrase opens a backup.
    team.unlock(copies[-1], DSL, DSL_PASS, attempts=attempts(tmp_path)).db.close()
    assert prune(folder, 3) == []


def test_restore_puts_back_the_backup_with_its_key_file(tmp_path: Path) -> None:
    path, _ = team_file(tmp_path)
    backup = tmp_path / "copy.etdb"
    with team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path)).db as db:
        back_up(db, backup, actor="t")
        team.remove_member(db, DEPUTY)
    kept = restore(backup, DEPUTY_PASS, path, member=DEPUTY)
    assert kept.exists() and has_key_file(kept)
    with team.unlock(path, DEPUTY, DEPUTY_PASS, attempts=attempts(tmp_path)).db as db:
        assert db.member == Member(DEPUTY, Role.DEPUTY)


def test_the_recovery_key_sets_a_passphrase_and_a_new_one_retires_it(tmp_path: Path) -> None:
    path, recovery = team_file(tmp_path)
    with pytest.raises(WrongPassphraseError):
        team.recover(path, _other_key(recovery), DSL, "a brand new passphrase for ann")
    renewed = team.recover(path, recovery.lower(), DSL, "a brand new passphrase for ann")
    assert renewed == Member(DSL, Role.DSL)
    with pytest.raises(WrongPassphraseError):
        team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path))
    new_pass = "a brand new passphrase for ann"
    with team.unlock(path, DSL, new_pass, attempts=attempts(tmp_path)).db as db:
        fresh = team.new_recovery_key(db)
    assert fresh != recovery
    with pytest.raises(WrongPassphraseError):
        team.recover(path, recovery, DEPUTY, "another brand new passphrase")
    team.recover(path, fresh, DEPUTY, "another brand new passphrase")
    db = team.unlock(path, DSL, new_pass, attempts=attempts(tmp_path)).db
    with db, db.session() as session:
        rows = session.execute(select(AuditEntry.actor, AuditEntry.action)).all()
    actions = [(actor, action) for actor, action in rows]
    assert ("Recovery key", f"recovery key used to set a new passphrase for {DSL}") in actions
    assert ("Recovery key", f"recovery key used to set a new passphrase for {DEPUTY}") in actions
    assert (
        f"{DSL} (DSL)",
        "make a new recovery key (the old one no longer opens the file)",
    ) in actions


def test_the_audit_names_the_member_who_changed_the_team(tmp_path: Path) -> None:
    path, _ = team_file(tmp_path)
    with team.unlock(path, DEPUTY, DEPUTY_PASS, attempts=attempts(tmp_path)).db as db:
        team.change_passphrase(
            db, DEPUTY_PASS, "deputy's own new passphrase", "deputy's own new passphrase"
        )
    with team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path)).db as db:
        team.rotate_key(db)
    actions = _actions(path, tmp_path)
    assert (f"{DSL} (DSL)", f"create the file with {DSL} (DSL) as its first member") in actions
    assert (f"{DSL} (DSL)", f"add member {DEPUTY} (Deputy DSL)") in actions
    assert (f"{DEPUTY} (Deputy DSL)", "change passphrase") in actions
    assert (f"{DSL} (DSL)", "move the file to a new key") in actions
    team.unlock(path, DEPUTY, "deputy's own new passphrase", attempts=attempts(tmp_path)).db.close()


def _other_key(key: str) -> str:
    from app.storage.recovery_key import new_recovery_key

    other = new_recovery_key()
    return other if other != key else new_recovery_key()


def test_the_team_service_loads_nothing_heavy_until_used() -> None:
    """The unlock page imports it before the first paint (tests/ui/test_startup_lean.py):
    Argon2id, cryptography and SQLAlchemy load when a key is unwrapped or a change
    recorded, on the worker thread or after the paint."""
    import json
    import subprocess
    import sys

    probe = (
        "import json, sys, app.services.team, app.cli_open; "
        "print(json.dumps([m for m in ('argon2', 'cryptography', 'sqlalchemy', 'alembic',"
        " 'pydantic') if m in sys.modules]))"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=root, check=True
    )
    assert json.loads(done.stdout) == []


def test_the_settings_change_passphrase_changes_only_the_members_own(tmp_path: Path) -> None:
    from app.services.security import change_passphrase

    path, _ = team_file(tmp_path)
    new = "deputy picks a fresh long passphrase"
    with team.unlock(path, DEPUTY, DEPUTY_PASS, attempts=attempts(tmp_path)).db as db:
        with pytest.raises(InputError, match="current passphrase is not right"):
            change_passphrase(db, DSL_PASS, new, new, actor="ignored")
        change_passphrase(db, DEPUTY_PASS, new, new, actor="ignored")
    team.unlock(path, DEPUTY, new, attempts=attempts(tmp_path)).db.close()
    team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path)).db.close()  # unchanged
