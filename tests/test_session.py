"""The window's session without Qt: the policy library loads once, when first needed;
the file's details are forgotten when it closes; the rest of an unlock begins once."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.demo import create_demo
from app.errors import KnownError
from app.policy import PolicyLibrary, default_library
from app.services.settings import SettingDetails, save_settings
from app.session import Session
from app.storage.datafile import create_data_file, open_data_file

PASSPHRASE = "a session test passphrase"
LIBRARY = default_library()


class Loads:
    """A library source that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> PolicyLibrary:
        self.calls += 1
        return LIBRARY


def test_the_library_loads_once_and_only_when_first_needed() -> None:
    source = Loads()
    session = Session(source)
    heard: list[PolicyLibrary] = []
    session.when_library_loaded(heard.append)
    assert source.calls == 0 and not session.library_loaded
    assert session.short_names({"york": "remembered"}) == {"york": "remembered"}
    assert source.calls == 0  # the remembered names do not load it
    assert session.library is LIBRARY and session.library is LIBRARY
    assert source.calls == 1 and heard == [LIBRARY]
    assert session.short_names({"york": "remembered"}) == LIBRARY.short_names()
    late: list[PolicyLibrary] = []
    session.when_library_loaded(late.append)  # already loaded: told at once
    assert late == [LIBRARY] and source.calls == 1


def test_a_library_given_loaded_is_not_loaded_again() -> None:
    session = Session(LIBRARY)
    assert session.library_loaded and session.library is LIBRARY


def test_locked_there_is_no_file_and_no_default_policy() -> None:
    source = Loads()
    session = Session(source)
    assert not session.is_open and session.database is None
    assert session.default_policy() is None
    assert source.calls == 0  # nothing to look up without a file's details
    assert not session.begin_rest()
    with pytest.raises(KnownError, match="The screen was locked"):
        session.require_open("The screen was locked, so nothing was saved.")


def test_an_open_file_is_read_and_forgotten_on_close(tmp_path: Path) -> None:
    path = tmp_path / "session.etdb"
    with create_data_file(path, PASSPHRASE) as db:
        create_demo(db, LIBRARY)
        save_settings(
            db,
            SettingDetails(
                setting_name="Riverside Primary School",
                dsl_name="Ms Hannah Okafor",
                default_policy="york",
            ),
            LIBRARY,
        )
    session = Session(Loads())
    db = open_data_file(path, PASSPHRASE, defer_key=True)
    try:
        session.open(db)
        assert session.require_open("locked") is db
        first = session.read_dashboard({}, rows=3)
        whole = session.read_dashboard({})
        assert len(first.rows) == 3 and not first.complete
        assert whole.complete and whole.total == first.total > 3
        assert session.actor == "Ms Hannah Okafor (DSL)"
        policy = session.default_policy()
        assert policy is not None and policy.id == "york"
        assert session.contacts()
        assert session.begin_rest() and session.rest_loaded
        assert not session.begin_rest()  # once per unlock
        assert session.close() is db
        assert session.database is None and session.details == SettingDetails()
        session.open(db)
        assert not session.rest_loaded  # a new unlock loads the rest again
    finally:
        db.close()
