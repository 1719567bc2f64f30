"""For tests of files made the way the app makes them now, with members (issue 23):
open one as a member, copy one with its key file, and the insider's raw key (what a
member with an SQLCipher tool could reach)."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.storage.database import Database
from app.storage.files import read_salt
from app.storage.keyfile import key_file_path, read_key_file

# The demo data's DSL: the CLI's demo file's first member (app/cli_team.py).
DEMO_DSL = "Ms Hannah Okafor"


def open_as(path: Path, passphrase: str, member: str | None = None) -> Database:
    from app.services import team

    return team.unlock(path, member, passphrase).db


def copy_with_key_file(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    if key_file_path(source).exists():
        shutil.copyfile(key_file_path(source), key_file_path(target))
    return target


def insider_key(path: Path, passphrase: str, member: str = DEMO_DSL) -> bytearray:
    """The data file's raw key, as a member could unwrap it from the key file."""
    from app.storage.team_file import Secret, open_key

    key_file = read_key_file(path, read_salt(path).hex())
    key, _slot = open_key(path, key_file, Secret(member, passphrase))
    return key
