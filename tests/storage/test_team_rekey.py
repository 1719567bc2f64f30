"""A rekey cut short at each of its phases leaves a file that opens with the old slots
or the new ones, and the next open finishes or rolls back the switch (app/storage/
rekey.py). The process-level version, with real kills, is tests/reliability/
test_rekey_kills.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services import team
from app.services.people import add_child, list_children
from app.storage import rekey, team_changes
from app.storage.datafile import check_data_file
from app.storage.keyfile import KeyFileError, key_file_path
from app.team.member import Member, Role
from tests.storage.team_helpers import (
    DEPUTY,
    DEPUTY_PASS,
    DSL,
    DSL_PASS,
    attempts,
    read_json,
    team_file,
)


class Killed(Exception):
    pass


@pytest.mark.parametrize("phase", rekey.PHASES)
def test_a_removal_cut_short_leaves_old_or_new_slots(tmp_path: Path, phase: str) -> None:
    from datetime import date

    path, _ = team_file(tmp_path)

    def kill(at: str) -> None:
        if at == phase:
            raise Killed(at)

    with team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path)).db as db:
        add_child(db, name="Kept Child", date_of_birth=date(2015, 2, 3), actor="t")
        with pytest.raises(Killed):
            team_changes.remove_member(db, DEPUTY, after=kill)
    switched = phase != rekey.PHASES[0]
    # Whatever the phase, the DSL opens it and every record is there.
    with team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path)).db as db:
        assert [c.name for c in list_children(db)] == ["Kept Child"]
        assert check_data_file(db) == []
    assert "next" not in read_json(path)  # finished or rolled back at that open
    names = [m.name for m in team.members(path)]
    assert names == ([DSL] if switched else [DSL, DEPUTY])
    if switched:
        with pytest.raises(KeyFileError, match="no member called"):
            team.unlock(path, DEPUTY, DEPUTY_PASS, attempts=attempts(tmp_path))
    else:
        with team.unlock(path, DEPUTY, DEPUTY_PASS, attempts=attempts(tmp_path)).db as db:
            assert db.member == Member(DEPUTY, Role.DEPUTY)


def test_the_removed_member_cannot_open_a_half_switched_file(tmp_path: Path) -> None:
    path, _ = team_file(tmp_path)

    def kill(at: str) -> None:
        if at == rekey.PHASES[1]:
            raise Killed(at)

    db = team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path)).db
    with db, pytest.raises(Killed):
        team_changes.remove_member(db, DEPUTY, after=kill)
    assert read_json(path).get("next") is not None
    # Their slot is still in the standing table, but its key no longer opens the data.
    from app.storage.errors import WrongPassphraseError

    with pytest.raises(WrongPassphraseError):
        team.unlock(path, DEPUTY, DEPUTY_PASS, attempts=attempts(tmp_path))
    assert key_file_path(path).exists()
    team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path)).db.close()
    assert [m.name for m in team.members(path)] == [DSL]
