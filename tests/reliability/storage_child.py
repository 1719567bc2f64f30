"""A child process for ``test_disk_full_read_only.py``: service calls on a full disk, a
read-only drive or a read-only file, each outcome printed as one JSON list.

``python -m tests.reliability.storage_child MODE DATA_FILE [OUT_FOLDER]``, passphrase in
``STORAGE_PASSPHRASE``. MODE:

* ``full:<slack bytes>``: DATA_FILE is on a small tmpfs of its own (the test mounts it in
  a private mount namespace). Fill the disk, leaving ``slack`` bytes, then try to save;
  copy the file out to OUT_FOLDER/after-full.etdb; free the space, save again and copy
  the file to OUT_FOLDER/after-retry.etdb.
* ``read-only-drive``: remount DATA_FILE's tmpfs read-only, then try to open the file.
* ``read-only-file``: DATA_FILE is mode 0444 (and the process cannot override that):
  read, then try to save.

Each outcome is ``[call, "ok"]``, ``[call, error class, message]`` for a KnownError, or
``[call, "BUG", exception class]`` for anything else.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from app import clock
from app.domain.records import Discussion
from app.errors import KnownError
from app.policy import default_library
from app.services import escalations as esc
from app.services import records as rec
from app.services.people import add_child
from app.services.security import back_up
from app.storage.database import Database
from app.storage.datafile import open_data_file
from app.storage.files import journal_path

PASSPHRASE_ENV = "STORAGE_PASSPHRASE"
ACTOR = "Disk test"
REF = "ESC-2026-0001"  # the test's file holds this escalation
BIG_TEXT = "🌧" * 10_000  # 40 KB of UTF-8: more than any slack the test leaves


def attempt(outcomes: list[list[object]], name: str, call: Callable[[], object]) -> None:
    try:
        call()
    except KnownError as exc:
        outcomes.append([name, type(exc).__name__, str(exc)])
    except Exception as exc:
        outcomes.append([name, "BUG", type(exc).__name__])
    else:
        outcomes.append([name, "ok"])


def discussion(summary: str) -> Discussion:
    return Discussion(
        held_at=clock.now() - timedelta(days=1),
        method="phone",
        participants=["Ms Grace Adeyemi"],
        summary=summary,
    )


def fill(folder: Path, slack: int) -> Path:
    """Write a filler file until the disk is full, then give ``slack`` bytes back."""
    filler = folder / "filler.bin"
    with filler.open("wb", buffering=0) as out:
        for chunk in (1 << 16, 1 << 12, 1):
            try:
                while True:
                    out.write(b"\xff" * chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
    if slack:
        os.truncate(filler, filler.stat().st_size - slack)
    return filler


def saves(db: Database, folder: Path, small_too: bool) -> list[tuple[str, Callable[[], object]]]:
    library = default_library()
    form = esc.NewEscalation(
        child_id=1,
        policy_id="gloucestershire",
        pathway_id="resolution",
        raised_at=clock.now() - timedelta(days=1),
        raised_by="Mr Ben Hughes",
        other_agency="Children's Social Care",
        category="threshold",
        disputed=BIG_TEXT,
        change_wanted="An assessment",
        impact="Unassessed risk",
    )
    calls: list[tuple[str, Callable[[], object]]] = [
        (
            "record_discussion",
            lambda: rec.record_discussion(db, REF, discussion(BIG_TEXT), actor=ACTOR),
        ),
        ("open_escalation", lambda: esc.open_escalation(db, library, form, actor=ACTOR)),
        ("back_up", lambda: back_up(db, folder / "backup.etdb", actor=ACTOR)),
    ]
    if small_too:
        calls.append(
            (
                "add_child",
                lambda: add_child(
                    db, name="Small Write", date_of_birth=date(2015, 1, 1), actor=ACTOR
                ),
            )
        )
        calls.append(
            (
                "record_discussion (short)",
                lambda: rec.record_discussion(db, REF, discussion("Short"), actor=ACTOR),
            )
        )
    return calls


def full(data_file: Path, out: Path, slack: int) -> list[list[object]]:
    passphrase = os.environ[PASSPHRASE_ENV]
    outcomes: list[list[object]] = []
    db = open_data_file(data_file, passphrase)
    filler = fill(data_file.parent, slack)
    for name, call in saves(db, data_file.parent, small_too=slack == 0):
        attempt(outcomes, name, call)
    db.close()
    left = sorted(p.name for p in data_file.parent.iterdir())
    outcomes.append(["files left", left])
    outcomes.append(["hot journal", journal_path(data_file).exists()])
    shutil.copyfile(data_file, out / "after-full.etdb")
    filler.unlink()  # the user frees some space and tries again
    db = open_data_file(data_file, passphrase)
    attempt(
        outcomes,
        "retry",
        lambda: rec.record_discussion(db, REF, discussion("After freeing space"), actor=ACTOR),
    )
    db.close()
    shutil.copyfile(data_file, out / "after-retry.etdb")
    return outcomes


def read_only_drive(data_file: Path) -> list[list[object]]:
    subprocess.run(["mount", "-o", "remount,ro", str(data_file.parent)], check=True)
    outcomes: list[list[object]] = []
    attempt(outcomes, "open", lambda: open_data_file(data_file, os.environ[PASSPHRASE_ENV]).close())
    return outcomes


def read_only_file(data_file: Path) -> list[list[object]]:
    outcomes: list[list[object]] = []
    db = open_data_file(data_file, os.environ[PASSPHRASE_ENV])
    attempt(outcomes, "list_escalations", lambda: esc.list_escalations(db))
    attempt(
        outcomes,
        "record_discussion",
        lambda: rec.record_discussion(db, REF, discussion("Short"), actor=ACTOR),
    )
    attempt(outcomes, "withdraw", lambda: esc.withdraw(db, REF, "No longer needed", actor=ACTOR))
    db.close()
    return outcomes


def main(argv: list[str]) -> None:
    mode, data_file = argv[0], Path(argv[1])
    if mode.startswith("full:"):
        outcomes = full(data_file, Path(argv[2]), int(mode.removeprefix("full:")))
    elif mode == "read-only-drive":
        outcomes = read_only_drive(data_file)
    elif mode == "read-only-file":
        outcomes = read_only_file(data_file)
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(outcomes))


if __name__ == "__main__":
    main(sys.argv[1:])
