"""The copies of the data file the app keeps beside it on its own: one before each
schema update (``migrate.pre_migration_copy_path``) and one before a restore
(``files.before_restore_path``). Each is the whole file, encrypted, as it was then, so
each still holds every child the file held then; retention destruction must reach them
(``app.services.retention_copies``)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from app.storage.files import before_restore_path, journal_path, remove_quietly
from app.storage.migrate import pre_migration_copy_path

_CHUNK = 1 << 20


def kept_copies(data_path: Path) -> list[tuple[Path, datetime]]:
    """Every copy the app kept beside ``data_path`` that is still there, with when it
    was last written (when it was made: the app never writes to one again)."""
    # The name around the revision, from the one rule that makes it.
    prefix, _, suffix = pre_migration_copy_path(data_path, "\0").name.partition("\0")
    try:
        beside = list(data_path.parent.iterdir())
    except OSError:
        beside = []
    before_schema = [
        path
        for path in beside
        if path.name.startswith(prefix)
        and path.name.endswith(suffix)
        and len(path.name) > len(prefix) + len(suffix)
    ]
    found = []
    for path in sorted({*before_schema, before_restore_path(data_path)}):
        try:
            found.append((path, datetime.fromtimestamp(path.stat().st_mtime)))
        except OSError:
            continue
    return found


def destroy_copy(path: Path) -> bool:
    """Overwrite the copy with zeros, then delete it and its journal; False if it could
    not be deleted (open in another program, a read-only folder). Overwriting is best
    effort: a solid-state drive may keep the old blocks, which were encrypted anyway."""
    try:
        with path.open("r+b") as file:
            left = file.seek(0, os.SEEK_END)
            file.seek(0)
            while left > 0:
                left -= file.write(bytes(min(_CHUNK, left)))
            file.flush()
            os.fsync(file.fileno())
    except OSError:
        pass  # still try to delete it
    remove_quietly(path, journal_path(path))
    return not path.exists()
