"""Rekeying a team's file, killed at random points (issue 23, item 4): after every kill
the file opens with the DSL's passphrase (with the old slots or the new ones, never
neither), passes ``check``, and a member reported removed opens nothing.

A writer process (``rekey_writer.py``) adds a member, removes them (a rekey) and rotates
the key (another), for ever; each is killed with SIGKILL once it has reported a random
number of changes, after a short random pause, so kills land in every phase of the
two-phase switch (app/storage/rekey.py). ``RELIABILITY_REKEY_KILLS`` (default 40) sets
the number of kills; the figures are in docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.services import team
from app.storage.datafile import check_data_file
from app.storage.errors import WrongPassphraseError
from app.storage.keyfile import KeyFileError, key_file_path
from app.storage.unlock_attempts import UnlockAttempts
from tests.reliability.rekey_writer import DSL, TEMP_PASSPHRASE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "rekey kill loop passphrase"
KILLS = int(os.environ.get("RELIABILITY_REKEY_KILLS", "40"))
MAX_REPORTS_BEFORE_KILL = 5
MAX_PAUSE = 0.200  # spreads the kill over the next change: Argon2id, export, renames
EVENT_TIMEOUT = 120.0


def _start(path: Path, out: Path, first: int) -> subprocess.Popen[bytes]:
    with out.open("wb") as stdout:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.rekey_writer", str(path), str(first)],
            stdout=stdout,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "WRITER_PASSPHRASE": PASSPHRASE},
        )


def _reports(out: Path) -> list[str]:
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    assert "ERROR" not in text, text
    return text[: text.rfind("\n") + 1].splitlines()


def _wait_for(out: Path, count: int) -> list[str]:
    deadline = time.monotonic() + EVENT_TIMEOUT
    while time.monotonic() < deadline:
        lines = _reports(out)
        if lines[:1] == ["READY"] and len(lines) > count:
            return lines
        time.sleep(0.002)  # polling for the event; the timeout is the only clock
    raise AssertionError(f"the writer did not report {count} changes in time")


def test_kills_during_rekey_leave_a_file_that_opens(tmp_path: Path) -> None:
    path = tmp_path / "team.etdb"
    team.create(path, DSL, PASSPHRASE).db.close()
    rng = random.Random(int.from_bytes(os.urandom(4)))
    removed: set[int] = set()
    figures = {"kills": 0, "pending": 0, "finished": 0, "rolled back": 0, "removed tried": 0}
    for run in range(KILLS):
        out = tmp_path / f"writer-{run}.out"
        writer = _start(path, out, run * 1000)
        try:
            _wait_for(out, rng.randint(1, MAX_REPORTS_BEFORE_KILL))
            time.sleep(rng.uniform(0, MAX_PAUSE))  # where in the next change to kill
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=30)
        figures["kills"] += 1
        lines = _reports(out)
        removed |= {int(line.split()[1]) for line in lines if line.startswith("REMOVED ")}
        pending = json.loads(key_file_path(path).read_text(encoding="utf-8")).get("next")
        before = len(pending) if pending is not None else None
        # The DSL opens it, whichever table stands, and the file is sound.
        attempts = UnlockAttempts(tmp_path / "settings.ini")
        with team.unlock(path, DSL, PASSPHRASE, attempts=attempts).db as db:
            assert check_data_file(db) == [], f"run {run}"
        after = json.loads(key_file_path(path).read_text(encoding="utf-8"))
        assert "next" not in after
        if before is not None:
            figures["pending"] += 1
            finished = len(after["slots"]) == before
            figures["finished" if finished else "rolled back"] += 1
        # Every member reported removed opens nothing.
        for number in sorted(removed)[-3:]:
            figures["removed tried"] += 1
            with pytest.raises((KeyFileError, WrongPassphraseError)):
                team.unlock(path, f"Temp {number}", TEMP_PASSPHRASE, attempts=attempts).db.close()
    print(f"rekey kill loop: {figures}")
    assert figures["kills"] == KILLS
