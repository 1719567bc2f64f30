"""The team's key file: members open the file with their own passphrases, a damaged or
edited slot opens nothing but stops no one else, and the key file's own failures are
named plainly (issue 23; docs/reliability.md, "The team's key file")."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app.services import team
from app.storage import keyfile
from app.storage.errors import UnlockTooSoonError, WrongPassphraseError
from app.storage.files import read_salt
from app.storage.keyfile import KeyFileError, key_file_path
from app.storage.recovery_key import normalise
from app.team.member import Member, Role
from tests.storage.team_helpers import (
    DEPUTY,
    DEPUTY_PASS,
    DSL,
    DSL_PASS,
    attempts,
    read_json,
    slot_of,
    team_file,
    write_json,
)


def test_a_new_file_has_its_dsl_and_a_recovery_slot_and_the_key_is_not_on_disk(
    tmp_path: Path,
) -> None:
    path = tmp_path / "new.etdb"
    made = team.create(path, "  Ann   Lee ", DSL_PASS)
    made.db.close()
    document = read_json(path)
    assert document["file_id"] == read_salt(path).hex()
    assert [(s["kind"], s["name"], s["role"]) for s in document["slots"]] == [
        ("member", "Ann Lee", "dsl"),
        ("recovery", "", None),
    ]
    assert made.recovery_key is not None
    text = key_file_path(path).read_text(encoding="utf-8")
    assert made.recovery_key not in text and made.recovery_key.replace("-", "") not in text
    if os.name == "posix":
        assert stat.S_IMODE(key_file_path(path).stat().st_mode) == 0o600
    assert team.members(path) == [Member("Ann Lee", Role.DSL)]


def test_each_member_opens_with_their_own_passphrase_and_is_the_member_signed_in(
    tmp_path: Path,
) -> None:
    path, _ = team_file(tmp_path)
    with team.unlock(path, "bob HUGHES ", DEPUTY_PASS, attempts=attempts(tmp_path)).db as db:
        assert db.member == Member(DEPUTY, Role.DEPUTY)
    with team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path)).db as db:
        assert db.member == Member(DSL, Role.DSL)
    with pytest.raises(WrongPassphraseError):
        team.unlock(path, DSL, DEPUTY_PASS, attempts=attempts(tmp_path))


def test_wrong_passphrases_are_counted_per_member(tmp_path: Path) -> None:
    path, _ = team_file(tmp_path)
    counts = attempts(tmp_path)
    for _ in range(2):  # the second costs a wait
        with pytest.raises(WrongPassphraseError) as wrong:
            team.unlock(path, DEPUTY, "not the passphrase", attempts=counts)
    assert wrong.value.retry_after > 0
    assert str(wrong.value) == "That passphrase does not open this file."
    with pytest.raises(UnlockTooSoonError):
        team.unlock(path, DEPUTY, DEPUTY_PASS, attempts=counts)
    # The DSL is not made to wait for the deputy's mistakes.
    team.unlock(path, DSL, DSL_PASS, attempts=counts).db.close()


def test_only_member_need_not_be_named(tmp_path: Path) -> None:
    path = tmp_path / "one.etdb"
    team.create(path, DSL, DSL_PASS).db.close()
    with team.unlock(path, None, DSL_PASS, attempts=attempts(tmp_path)).db as db:
        assert db.member == Member(DSL, Role.DSL)
    team_two, _ = team_file(tmp_path / "two")
    with pytest.raises(Exception, match="several"):
        team.unlock(team_two, None, DSL_PASS, attempts=attempts(tmp_path))


def test_an_edited_role_makes_that_slot_damaged_not_a_dsl(tmp_path: Path) -> None:
    path, _ = team_file(tmp_path)
    document = read_json(path)
    slot_of(document, DEPUTY)["role"] = "dsl"
    write_json(path, document)
    with pytest.raises(KeyFileError, match=f"The slot for {DEPUTY} .* is damaged"):
        team.unlock(path, DEPUTY, DEPUTY_PASS, attempts=attempts(tmp_path))
    # A wrong passphrase on the edited slot is still just a wrong passphrase.
    with pytest.raises(WrongPassphraseError):
        team.unlock(path, DEPUTY, "not the passphrase", attempts=attempts(tmp_path))
    with team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path)).db as db:
        assert db.member == Member(DSL, Role.DSL)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("wrapped_private_key", "AAAA", "wrapped private key has the wrong length"),
        ("public_key", None, "public key is missing"),
        ("kdf", {"algorithm": "argon2id", "salt": "AAAAAAAAAAAAAAAAAAAAAA==",
                 "time_cost": 3, "memory_kib": 10**9, "lanes": 4}, "memory kib"),
        ("role", "head", "role 'head'"),
    ],
)  # fmt: skip
def test_a_slot_missing_fields_is_named_damaged_and_the_others_still_open(
    tmp_path: Path, field: str, value: object, reason: str
) -> None:
    path, _ = team_file(tmp_path)
    document = read_json(path)
    slot_of(document, DEPUTY)[field] = value
    write_json(path, document)
    with pytest.raises(KeyFileError) as damaged:
        team.unlock(path, DEPUTY, DEPUTY_PASS, attempts=attempts(tmp_path))
    assert f"The slot for {DEPUTY} in the key file is damaged" in str(damaged.value)
    assert reason in str(damaged.value)
    with team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path)).db as db:
        assert db.member == Member(DSL, Role.DSL)
    # The damaged slot is kept as it was when the key file is next written.
    assert slot_of(read_json(path), DEPUTY)[field] == value


def test_a_missing_key_file_is_named(tmp_path: Path) -> None:
    path, _ = team_file(tmp_path)
    moved = tmp_path / "elsewhere.keys"
    key_file_path(path).rename(moved)
    # Without its key file the data file cannot be told from a single-passphrase file
    # (both keys are random to whoever has neither): the message names both.
    with pytest.raises(
        WrongPassphraseError, match=r"the file team\.etdb\.keys must be in the same folder"
    ):
        team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path))
    moved.rename(key_file_path(path))
    os.chmod(key_file_path(path), 0)
    if os.name == "posix" and os.geteuid() != 0:
        with pytest.raises(KeyFileError, match="could not be read"):
            team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path))


def test_key_file_errors_are_plain(tmp_path: Path) -> None:
    path, _ = team_file(tmp_path)
    salt = read_salt(path).hex()
    with pytest.raises(KeyFileError, match="missing"):
        keyfile.read_key_file(tmp_path / "other.etdb", salt)
    with pytest.raises(KeyFileError, match="belongs to another data file"):
        keyfile.read_key_file(path, "00" * 16)
    key_file_path(path).write_text("{not json", encoding="utf-8")
    with pytest.raises(KeyFileError, match="is damaged: it cannot be read as a key file"):
        team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path))
    key_file_path(path).write_text(
        '{"format": "escalation-tracker key file", "version": 99}', encoding="utf-8"
    )
    with pytest.raises(KeyFileError, match="newer version"):
        team.unlock(path, DSL, DSL_PASS, attempts=attempts(tmp_path))


def test_another_files_key_file_is_named(tmp_path: Path) -> None:
    first, _ = team_file(tmp_path / "a")
    second, _ = team_file(tmp_path / "b")
    key_file_path(second).write_bytes(key_file_path(first).read_bytes())
    with pytest.raises(KeyFileError, match="belongs to another data file"):
        team.unlock(second, DSL, DSL_PASS, attempts=attempts(tmp_path))


def test_an_unknown_member_is_named_with_the_members(tmp_path: Path) -> None:
    path, _ = team_file(tmp_path)
    with pytest.raises(KeyFileError, match=f"no member called Zoe.*{DSL}, {DEPUTY}"):
        team.unlock(path, "Zoe", DSL_PASS, attempts=attempts(tmp_path))


def test_recovery_keys_are_forgiving_to_type_and_catch_a_slip() -> None:
    from app.storage.recovery_key import new_recovery_key

    key = new_recovery_key()
    assert len(key.split("-")) == 8 and all(len(g) == 5 for g in key.split("-"))
    typed = key.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert normalise(typed) == key
    slipped = ("Z" if key[0] != "Z" else "Y") + key[1:]
    with pytest.raises(Exception, match="mistake"):
        normalise(slipped)
    with pytest.raises(Exception, match="8 groups of 5"):
        normalise(key[:-1])
