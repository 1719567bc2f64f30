"""Shared by the team key file's tests: a file with members, and its key file's JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.services import team
from app.storage.keyfile import key_file_path
from app.storage.unlock_attempts import UnlockAttempts
from app.team.member import Role

DSL = "Ann Lee"
DSL_PASS = "orchard lantern pebble violin"
DEPUTY = "Bob Hughes"
DEPUTY_PASS = "saucepan meadow thunder ribbon"
READER = "Cath Governor"
READER_PASS = "glacier teacup harbour willow"


def attempts(tmp_path: Path) -> UnlockAttempts:
    return UnlockAttempts(tmp_path / "settings.ini")


def team_file(tmp_path: Path, *, reader: bool = False) -> tuple[Path, str]:
    """A closed file with a DSL and a deputy (and a read-only member); its recovery key."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "team.etdb"
    made = team.create(path, DSL, DSL_PASS)
    with made.db as db:
        team.add_member(db, DEPUTY, Role.DEPUTY, DEPUTY_PASS, DEPUTY_PASS)
        if reader:
            team.add_member(db, READER, Role.READ_ONLY, READER_PASS, READER_PASS)
    assert made.recovery_key is not None
    return path, made.recovery_key


def read_json(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(key_file_path(path).read_text(encoding="utf-8"))
    return document


def write_json(path: Path, document: dict[str, Any]) -> None:
    key_file_path(path).write_text(json.dumps(document), encoding="utf-8")


def slot_of(document: dict[str, Any], name: str) -> dict[str, Any]:
    slot: dict[str, Any] = next(s for s in document["slots"] if s.get("name") == name)
    return slot
