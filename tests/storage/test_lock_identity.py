"""The single-copy lock is keyed on the file, not the name it is opened by: a symbolic
link or a hard link to an open file is refused with the plain "in use" message, and
SQLite's own "database is locked", from a program that ignores the app's lock, becomes a
plain message too instead of an OperationalError (docs/reliability.md)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import text

from app import cli
from app.storage import connections
from app.storage.datafile import create_data_file, open_data_file
from app.storage.errors import FileBusyError, FileInUseError
from app.storage.keys import sql_string

PASSPHRASE = "correct horse battery staple"
IN_USE = "This file is already open in another window."


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "files" / "data.etdb"
    path.parent.mkdir()
    create_data_file(path, PASSPHRASE).close()
    return path


def _other_names(data_file: Path, tmp_path: Path) -> dict[str, Path]:
    """Every other way to name the same file."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    names = {
        "symlink": tmp_path / "link.etdb",
        "hard link beside it": data_file.with_name("hard.etdb"),
        "hard link in another folder": elsewhere / "hard.etdb",
        "link to its folder": tmp_path / "folder-link" / data_file.name,
    }
    names["symlink"].symlink_to(data_file)
    os.link(data_file, names["hard link beside it"])
    os.link(data_file, names["hard link in another folder"])
    (tmp_path / "folder-link").symlink_to(data_file.parent, target_is_directory=True)
    return names


def test_every_other_name_of_an_open_file_is_refused(data_file: Path, tmp_path: Path) -> None:
    names = _other_names(data_file, tmp_path)
    with open_data_file(data_file, PASSPHRASE):
        for how, other in names.items():
            with pytest.raises(FileInUseError) as caught:
                open_data_file(other, PASSPHRASE)
            assert str(caught.value) == IN_USE, how
    for other in names.values():  # once closed, any name opens it
        with open_data_file(other, PASSPHRASE):
            pass


def test_the_real_name_is_refused_while_a_link_holds_it(data_file: Path, tmp_path: Path) -> None:
    for other in _other_names(data_file, tmp_path).values():
        with open_data_file(other, PASSPHRASE), pytest.raises(FileInUseError):
            open_data_file(data_file, PASSPHRASE)


def test_a_new_file_is_held_by_its_identity_from_the_start(tmp_path: Path) -> None:
    path = tmp_path / "new.etdb"
    with create_data_file(path, PASSPHRASE):
        os.link(path, tmp_path / "made-while-open.etdb")
        with pytest.raises(FileInUseError):
            open_data_file(tmp_path / "made-while-open.etdb", PASSPHRASE)


def test_the_cli_through_a_link_says_in_use(
    data_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(cli.PASSPHRASE_ENV, PASSPHRASE)
    link = _other_names(data_file, tmp_path)["hard link in another folder"]
    with open_data_file(data_file, PASSPHRASE):
        assert cli.main(["list", "--data-file", str(link)]) == 2
    assert capsys.readouterr().err == f"error: {IN_USE}\n"


@contextlib.contextmanager
def _another_program(data_file: Path) -> Iterator[None]:
    """A program that ignores the app's lock and holds SQLite's own, exclusively."""
    other = sqlcipher3.connect(str(data_file), isolation_level=None)
    try:
        other.execute(f"PRAGMA key = {sql_string(PASSPHRASE)}")
        other.execute("BEGIN EXCLUSIVE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_sqlites_own_lock_is_a_plain_message(
    data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_data_file(data_file, PASSPHRASE) as db:
        with db.read() as connection:
            assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        monkeypatch.setattr(connections, "BUSY_TIMEOUT_MS", 50)  # fail fast
        with _another_program(data_file):
            with pytest.raises(FileBusyError) as caught, db.session() as session:
                session.execute(text("INSERT INTO file_info(key, value) VALUES ('k', 'v')"))
            assert str(caught.value).startswith("Another program is using the file, so ")
            with pytest.raises(FileBusyError), db.read() as connection:
                connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        with db.session() as session:  # once it lets go, the app carries on
            session.execute(text("INSERT INTO file_info(key, value) VALUES ('k', 'v')"))
