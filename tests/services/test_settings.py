"""The setting's details live in the encrypted file, validated and audited; passphrase
rules, the unlock delay, first-run set-up and passphrase change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.validation import FieldError
from app.errors import InputError
from app.policy import Nation, PolicyLibrary
from app.services import security
from app.services.settings import SettingDetails, get_settings, save_settings
from app.storage import audit
from app.storage.datafile import open_data_file
from app.storage.models import AuditEntry
from app.storage.unlock_attempts import unlock_delay
from tests.plain_store import PlainStore

PASSPHRASE = "purple kettle river"
DETAILS = SettingDetails(
    setting_name="Riverside Primary School",
    dsl_name="Ms Hannah Okafor",
    deputies=("Mr Ben Hughes", "Ms Ada Obi"),
    default_policy="suffolk",
    nation=Nation.NORTHERN_IRELAND,
)


@pytest.fixture
def store(tmp_path: Path) -> PlainStore:
    return PlainStore(tmp_path / "plain.db")


def _audit_actions(store: PlainStore) -> list[str]:
    """The entries after the one a new file starts with (every row pinned)."""
    with store.session() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))[1:]


def test_a_new_file_has_empty_details(store: PlainStore) -> None:
    assert get_settings(store) == SettingDetails()


def test_save_and_read_back_with_an_audit_entry(store: PlainStore, library: PolicyLibrary) -> None:
    save_settings(store, DETAILS, library)
    assert get_settings(store) == DETAILS
    assert _audit_actions(store) == ["change settings"]

    changed = SettingDetails(
        setting_name="Riverside Primary",
        dsl_name="Mr Ben Hughes",
        deputies=(),
        default_policy=None,
        nation=Nation.ENGLAND,
    )
    save_settings(store, changed, library, actor="Mr Ben Hughes (Deputy DSL)")
    assert get_settings(store) == changed
    # The second save replaces the first pin, naming it and why.
    first, second = _audit_actions(store)
    assert first == "change settings"
    assert re.fullmatch(r"re-pin \(settings saved\): replaces entry 2 [0-9a-f]{64}", second)
    with store.session() as session:
        assert audit.verify(session) == []


def test_names_are_tidied(store: PlainStore, library: PolicyLibrary) -> None:
    messy = SettingDetails(
        setting_name="  Riverside  ",
        dsl_name=" Ms Okafor ",
        deputies=(" Mr Hughes ", "", "   "),
    )
    saved = save_settings(store, messy, library)
    assert saved.setting_name == "Riverside" and saved.dsl_name == "Ms Okafor"
    assert saved.deputies == ("Mr Hughes",)
    assert get_settings(store) == saved


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (SettingDetails(setting_name="", dsl_name="Ms Okafor"), "Setting's name"),
        (SettingDetails(setting_name="Riverside", dsl_name="  "), "DSL's name"),
        (SettingDetails("Riverside", "Ms Okafor", default_policy="atlantis"), "Default policy"),
        (SettingDetails("Riverside", "Ms Okafor", deputies=("x" * 201,)), "Deputies"),
        (SettingDetails("Riverside", "Ms\x07Okafor"), "DSL's name"),
    ],
)
def test_invalid_details_are_refused_and_nothing_is_saved(
    store: PlainStore, library: PolicyLibrary, details: SettingDetails, field: str
) -> None:
    with pytest.raises(FieldError) as caught:
        save_settings(store, details, library)
    assert caught.value.field == field
    assert get_settings(store) == SettingDetails()
    assert _audit_actions(store) == []


# Passphrases and the unlock delay -------------------------------------------------


def test_unlock_delay_grows_and_is_capped() -> None:
    assert [unlock_delay(n) for n in range(10)] == [0, 0, 1, 2, 4, 8, 16, 30, 30, 30]


@pytest.mark.parametrize(
    ("passphrase", "level"),
    [
        ("", 0),
        ("short", 0),
        ("password123", 0),
        ("kettle42x", 0),
        ("Password2024!", 1),
        ("school safeguarding", 1),
        ("aaaaaaaaaaaa", 1),
        ("purple kettle", 1),
        ("password password", 1),
        ("purple kettle river", 2),
        ("a-very-long-passphrase-indeed", 3),
    ],
)
def test_passphrase_strength(passphrase: str, level: int) -> None:
    assert security.passphrase_strength(passphrase).level == level


def test_new_passphrase_rules() -> None:
    with pytest.raises(InputError, match="at least 12"):
        security.check_new_passphrase("short", "short")
    with pytest.raises(InputError, match="not the same"):
        security.check_new_passphrase(PASSPHRASE, PASSPHRASE + "s")
    security.check_new_passphrase(PASSPHRASE, PASSPHRASE)


def test_set_up_creates_the_file_with_its_details(tmp_path: Path, library: PolicyLibrary) -> None:
    path = tmp_path / "folder" / "new.etdb"
    db = security.set_up_data_file(path, PASSPHRASE, PASSPHRASE, DETAILS, library)
    db.close()
    db = open_data_file(path, PASSPHRASE)
    try:
        assert get_settings(db) == DETAILS
    finally:
        db.close()


def test_set_up_leaves_no_file_when_the_details_are_wrong(
    tmp_path: Path, library: PolicyLibrary
) -> None:
    path = tmp_path / "new.etdb"
    with pytest.raises(FieldError):
        security.set_up_data_file(
            path, PASSPHRASE, PASSPHRASE, SettingDetails("", "Ms Okafor"), library
        )
    assert not path.exists()


def test_change_passphrase_needs_the_current_one(tmp_path: Path, library: PolicyLibrary) -> None:
    path = tmp_path / "file.etdb"
    db = security.set_up_data_file(path, PASSPHRASE, PASSPHRASE, DETAILS, library)
    try:
        with pytest.raises(InputError, match="current passphrase is not right"):
            security.change_passphrase(db, "wrong", "seven green lanterns", "seven green lanterns",
                                       actor="test")  # fmt: skip
        with pytest.raises(InputError, match="same as the current"):
            security.change_passphrase(db, PASSPHRASE, PASSPHRASE, PASSPHRASE,
                                       actor="test")  # fmt: skip
        security.change_passphrase(
            db, PASSPHRASE, "seven green lanterns", "seven green lanterns", actor="test"
        )
        assert get_settings(db) == DETAILS  # still readable after re-keying
    finally:
        db.close()
    db = open_data_file(path, "seven green lanterns")
    db.close()


def test_set_up_a_team_file_makes_the_dsl_its_first_member(
    tmp_path: Path, library: PolicyLibrary
) -> None:
    from app.services import team
    from app.storage.keyfile import key_file_path
    from app.team.member import Member, Role

    path = tmp_path / "team.etdb"
    made = security.set_up_team_file(path, PASSPHRASE, PASSPHRASE, DETAILS, library)
    with made.db as db:
        assert db.member == Member(DETAILS.dsl_name, Role.DSL)
        assert get_settings(db) == DETAILS
        with db.session() as session:
            actors = set(session.scalars(select(AuditEntry.actor)))
    # The member, as the audit names them (and the schema's own first entry).
    assert actors == {f"{DETAILS.dsl_name} (DSL)", "Escalation Tracker (schema update)"}
    assert made.recovery_key is not None
    assert team.members(path) == [Member(DETAILS.dsl_name, Role.DSL)]
    # Wrong details: neither the data file nor its key file is left behind.
    other = tmp_path / "other.etdb"
    with pytest.raises(FieldError):
        security.set_up_team_file(
            other, PASSPHRASE, PASSPHRASE, SettingDetails("", "Ms Okafor"), library
        )
    assert not other.exists() and not key_file_path(other).exists()
