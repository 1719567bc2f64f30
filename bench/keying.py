"""How a bench baseline keys a raw sqlcipher3 connection, the way the app opens the file:
for a team's file (a key file beside it), the raw key its first member's slot unwraps to
(Argon2id, then the raw key: issue 23), so a baseline pays what the app pays; for a file
made the old way, the passphrase. Light to import: the start-up probe uses it."""

from __future__ import annotations

import json
from pathlib import Path


def key_sql(path: Path, passphrase: str) -> str:
    """The value for ``PRAGMA key = …``."""
    key_file = path.with_name(path.name + ".keys")
    if not key_file.exists():
        return "'{}'".format(passphrase.replace("'", "''"))
    from app.storage import keyslots

    document = json.loads(key_file.read_text(encoding="utf-8"))
    slot = keyslots.from_json(document["slots"][0])
    private = keyslots.unwrap_private(slot, passphrase, document["file_id"])
    return "\"x'" + keyslots.unseal(slot, private, document["file_id"]).hex() + "'\""
