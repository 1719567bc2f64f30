"""The latest seal of each data file, remembered in the per-user settings folder, so the
app can say at every unlock when a file's history no longer contains it.

A seal is not personal data (an entry number and a hash), so it may live outside the
encrypted file; that is the point: someone who can rewrite the file cannot rewrite what
this computer remembers. ``seals.json`` sits beside the window's ``settings.ini`` (Qt
writes that one; this is the app's own, readable without Qt), keyed by the file's own
identifier (``app.storage.seals.file_id``), with the path it was last opened from, so a
file replaced whole by another at the same path is noticed too.

Remembered: at every unlock whose check passes (the chain as it then stands), at every
lock (if the remembered entry is still as it was), and after a restore through the app
(a legitimate restore records its own seal). A check that fails leaves the old seal in
place, so the warning repeats at every unlock.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.seal import Seal
from app.errors import KnownError
from app.services.store import Sessions
from app.storage.seals import current_seal, file_id, history_problem

FILE_NAME = "seals.json"


@dataclass(frozen=True)
class Remembered:
    file_id: str
    path: str
    seal: Seal


class SealMemory:
    """``path``: the JSON file (``beside(settings_file)`` in the app)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def beside(cls, settings_file: Path) -> SealMemory:
        return cls(settings_file.with_name(FILE_NAME))

    def _load(self) -> dict[str, Any]:
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        files = loaded.get("files") if isinstance(loaded, dict) else None
        return files if isinstance(files, dict) else {}

    def all(self) -> list[Remembered]:
        found = []
        for key, value in self._load().items():
            try:
                found.append(
                    Remembered(
                        str(key), str(value["path"]), Seal(int(value["entry"]), str(value["hash"]))
                    )
                )
            except (KeyError, TypeError, ValueError):
                continue  # a damaged entry is forgotten, never fatal
        return found

    def recall(self, key: str) -> Remembered | None:
        return next((r for r in self.all() if r.file_id == key), None)

    def recall_path(self, data_path: Path) -> Remembered | None:
        where = str(data_path.absolute())
        return next((r for r in self.all() if r.path == where), None)

    def remember(self, key: str, data_path: Path, seal: Seal) -> None:
        """Kept atomically (a temporary file renamed over the old one). A computer that
        cannot save it loses an extra safeguard, not the DSL's work: never an error."""
        files = self._load()
        where = str(data_path.absolute())
        # One file per path: the file now here replaces whatever was remembered here.
        files = {
            k: v for k, v in files.items() if not (isinstance(v, dict) and v.get("path") == where)
        }
        files[key] = {"path": where, "entry": seal.entry, "hash": seal.digits}
        temporary = self.path.with_name(self.path.name + ".tmp")
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps({"files": files}, indent=1), encoding="utf-8")
            os.replace(temporary, self.path)


def _identity(store: Sessions) -> tuple[str, Seal]:
    """The file's identifier (made now if it has none) and its current seal."""
    with store.session() as session:
        return file_id(session), current_seal(session)


def check_at_unlock(store: Sessions, memory: SealMemory, data_path: Path) -> str | None:
    """What to tell the DSL at unlock, if anything: the file's history no longer holds
    the seal this computer remembers for it, or it is not the file last opened from
    this path. When all is well, the file's current seal is remembered."""
    try:
        key, head = _identity(store)
    except KnownError:
        return None  # a read-only file cannot take an identifier: nothing to compare
    remembered = memory.recall(key)
    if remembered is not None:
        with store.session() as session:
            problem = history_problem(session, remembered.seal)
        if problem is not None:
            return (
                "This file's history no longer contains the record seal this computer "
                f"remembers from the last time it was open: {problem} Run the integrity "
                "check, and keep your printed documents: their seals show what the record "
                "said."
            )
        memory.remember(key, data_path, head)
        return None
    previous = memory.recall_path(data_path)
    memory.remember(key, data_path, head)
    if previous is not None:
        return (
            f"This is not the file that was last opened from {data_path} on this computer "
            "(its identifier differs): it was replaced by another file. If you did not "
            "replace it yourself, run the integrity check and compare it with your "
            "printed documents."
        )
    return None


def remember_at_lock(store: Sessions, memory: SealMemory, data_path: Path) -> None:
    """Remember the file's seal as it is locked, unless the remembered entry is no
    longer as it was (then the next unlock says so)."""
    try:
        key, head = _identity(store)
        remembered = memory.recall(key)
        if remembered is not None:
            with store.session() as session:
                if history_problem(session, remembered.seal) is not None:
                    return
    except KnownError:
        return
    memory.remember(key, data_path, head)


def remember_restored(memory: SealMemory, key: str, data_path: Path, seal: Seal) -> None:
    """A restore through the app records its own seal: no warning at the next unlock."""
    memory.remember(key, data_path, seal)
