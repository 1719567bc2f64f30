"""Moving a team's data file to a new random key, so that a kill at any moment leaves a
file that opens with the old slots or the new ones, never neither.

Two phases (docs/reliability.md, "Rekeying the team's file"):

1. The key file is rewritten (whole, synced) with the new slot table as ``next`` beside
   the table that stands: each member who stays, and the recovery slot, now hold the
   new key too (sealed to their public keys; no one's passphrase is needed).
2. The data file is exported under the new key with the same salt into a temporary file
   beside it, reopened and checked, synced, and renamed over the data file (one atomic
   rename, then the folder synced): the data is under the old key or the new one.
3. The key file is rewritten without ``next``: the new table stands.

A kill between 1 and 3 leaves ``next`` in the key file. The next open
(``team_file.open_key``) tries the member's key from each table on the data file: if the
new one opens it, step 3 is finished; if the old one does, the rekey is rolled back (the
key file without ``next``; the temporary file, named as every partial file is, is
removed as stale). A removed member has no slot in ``next``: once the data file is
renamed, their passphrase opens nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import sqlcipher3

from app.storage.backup import write_backup
from app.storage.connections import raw_connect
from app.storage.database import Database
from app.storage.errors import is_wrong_key
from app.storage.keyfile import KeyFile, write_key_file
from app.storage.keys import KEY_BYTES, raw_key_literal, sql_string
from app.storage.keyslots import Slot

# Tests kill the process at these points (tests/reliability/rekey_writer.py).
PHASES = ("key file with next", "data file switched", "key file final")


def new_data_key() -> bytearray:
    return bytearray(os.urandom(KEY_BYTES))


def key_opens(path: Path, key: bytearray) -> bool:
    """True if ``key`` opens the data file (reads page 1; writes nothing, but SQLite
    rolls back a crash's journal, which needs the right key)."""
    try:
        raw_connect(path, sql_string(raw_key_literal(key))).close()
    except sqlcipher3.DatabaseError as exc:
        if is_wrong_key(exc):
            return False
        raise
    return True


def switch(
    db: Database,
    key_file: KeyFile,
    new_slots: tuple[Slot, ...],
    new_key: bytearray,
    *,
    upgrading: bool = False,
    after: Callable[[str], None] | None = None,
) -> KeyFile:
    """Rekey the open file under ``new_key`` with ``new_slots`` (which hold it) as the
    key file's only table; returns the key file as it now stands. ``after(phase)``,
    if given, is called after each phase (the kill loop's hook)."""
    from dataclasses import replace

    pending = replace(key_file, next=new_slots, upgrading=upgrading)
    write_key_file(db.path, pending)
    _after(after, PHASES[0])
    old_key = db.data_key()
    write_backup(db.path, old_key, _salt(db.path), db.path, new_key=new_key)
    db.adopt_key(new_key)
    _after(after, PHASES[1])
    # A damaged slot could not be resealed: it would stand beside the new key opening
    # nothing, so the rekey drops it (the caller has said so).
    final = replace(key_file.with_slots(new_slots), damaged=())
    write_key_file(db.path, final)
    _after(after, PHASES[2])
    return final


def _salt(path: Path) -> bytes:
    from app.storage.files import read_salt

    return read_salt(path)


def _after(hook: Callable[[str], None] | None, phase: str) -> None:
    if hook is not None:
        hook(phase)
