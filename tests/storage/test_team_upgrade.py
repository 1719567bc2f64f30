"""A single-passphrase file from before members upgrades in place at its next unlock
(issue 23, item 5): an encrypted copy first, then its passphrase becomes the DSL's slot
and a recovery key is made, handed to the caller once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.services import team
from app.services.people import list_children
from app.storage.database import Database
from app.storage.datafile import open_data_file
from app.storage.errors import WrongPassphraseError
from app.storage.keyfile import has_key_file, key_file_path
from app.storage.team_file import upgrade_copy_path
from app.team.member import Member, Role
from tests.fixtures.make_fixture import PASSPHRASE
from tests.storage.team_helpers import attempts, read_json

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / "school.etdb"
    shutil.copyfile(FIXTURES / name, target)
    return target


def test_the_pre_team_fixture_upgrades_once_naming_the_dsl_as_asked(tmp_path: Path) -> None:
    path = _copy("pre-team-0009.etdb", tmp_path)
    asked: list[Path] = []

    def ask(db: Database) -> str:
        asked.append(db.path)
        return "Priya Shah"

    first = team.unlock(path, None, PASSPHRASE, attempts=attempts(tmp_path), upgrade_name=ask)
    with first.db as db:
        assert asked == [path]  # the settings name no DSL: the caller was asked
        assert db.member == Member("Priya Shah", Role.DSL)
        assert [c.name for c in list_children(db)] == ["Fixture Child"]
    assert first.recovery_key is not None
    assert has_key_file(path)
    assert [s["kind"] for s in read_json(path)["slots"]] == ["member", "recovery"]
    # The copy taken first opens with the old passphrase, as the file did.
    with open_data_file(upgrade_copy_path(path), PASSPHRASE) as copy:
        assert [c.name for c in list_children(copy)] == ["Fixture Child"]
    # The data file itself no longer opens the old way.
    key_file_path(path).rename(tmp_path / "aside")
    with pytest.raises(WrongPassphraseError):
        open_data_file(path, PASSPHRASE)
    (tmp_path / "aside").rename(key_file_path(path))
    # Once: the next unlock is a member's, with nothing more to show.
    again = team.unlock(path, "priya shah", PASSPHRASE, attempts=attempts(tmp_path))
    with again.db as db:
        assert again.recovery_key is None
        assert db.member == Member("Priya Shah", Role.DSL)
    # And the recovery key opens the recovery slot.
    team.recover(path, first.recovery_key, "Priya Shah", "a brand new passphrase for priya")
    team.unlock(
        path, None, "a brand new passphrase for priya", attempts=attempts(tmp_path)
    ).db.close()


def test_a_file_whose_settings_name_the_dsl_takes_that_name(tmp_path: Path) -> None:
    path = _copy("schema-0009.etdb", tmp_path)
    upgraded = team.unlock(path, None, PASSPHRASE, attempts=attempts(tmp_path))
    with upgraded.db as db:
        assert db.member == Member("Ms Hannah Okafor", Role.DSL)
    assert team.members(path) == [Member("Ms Hannah Okafor", Role.DSL)]


def test_an_older_schema_migrates_and_upgrades(tmp_path: Path) -> None:
    path = _copy("schema-0001.etdb", tmp_path)
    upgraded = team.unlock(path, "Head of Year", PASSPHRASE, attempts=attempts(tmp_path))
    with upgraded.db as db:
        assert db.member is not None and db.member.role is Role.DSL
        from app.storage.datafile import check_data_file

        assert check_data_file(db) == []


@pytest.mark.parametrize("phase", ["key file with next", "data file switched"])
def test_an_upgrade_cut_short_opens_and_finishes_at_the_next_unlock(
    tmp_path: Path, phase: str
) -> None:
    from app.storage import team_file

    path = _copy("pre-team-0009.etdb", tmp_path)

    class Killed(Exception):
        pass

    def kill(at: str) -> None:
        if at == phase:
            raise Killed(at)

    db = open_data_file(path, PASSPHRASE)
    with pytest.raises(Killed):
        team_file.upgrade(db, PASSPHRASE, "Priya Shah", after=kill)
    db.close()
    assert read_json(path).get("next") is not None  # left half-done
    resumed = team.unlock(path, "Priya Shah", PASSPHRASE, attempts=attempts(tmp_path))
    with resumed.db as reopened:
        assert reopened.member == Member("Priya Shah", Role.DSL)
        assert [c.name for c in list_children(reopened)] == ["Fixture Child"]
    assert "next" not in read_json(path)
    # Cut short before the switch, it is done again (a new recovery key to show); after
    # it, only finished.
    assert (resumed.recovery_key is not None) == (phase == "key file with next")


def test_any_dsl_name_the_settings_accept_fits_a_members_slot(tmp_path: Path) -> None:
    """A person's name has one limit (app.team.member.NAME_LIMIT): a file whose settings
    name a DSL as long as they allow still upgrades, the name kept whole."""
    from dataclasses import replace

    from app.policy import default_library
    from app.services.setting_details import get_settings
    from app.services.settings import save_settings
    from app.team.member import NAME_LIMIT

    path = _copy("schema-0009.etdb", tmp_path)
    long_name = ("Ms Hannah Okafor-" + "Adeyemi-" * 30)[:NAME_LIMIT]
    with open_data_file(path, PASSPHRASE) as db:
        save_settings(db, replace(get_settings(db), dsl_name=long_name), default_library())
    upgraded = team.unlock(path, None, PASSPHRASE, attempts=attempts(tmp_path))
    with upgraded.db as db:
        assert db.member == Member(long_name, Role.DSL)


def test_a_wrong_passphrase_on_a_file_from_before_members_reads_as_a_check(
    tmp_path: Path,
) -> None:
    """A file with no key file cannot say whether it is from before members or has lost
    its key file; the message puts the likelier case first and never says "missing" as
    though something were lost."""
    path = _copy("pre-team-0009.etdb", tmp_path)
    with pytest.raises(WrongPassphraseError) as refused:
        team.unlock(path, None, PASSPHRASE + "x", attempts=attempts(tmp_path))
    message = str(refused.value)
    assert message.startswith("That passphrase does not open this file. Check it")
    assert "Only if this file has members" in message and "school.etdb.keys" in message
    assert "missing" not in message
