"""A process that changes a team's key file and rekeys its data file for ever, for the
rekey kill loop (``test_rekey_kills.py``).

``python -m tests.reliability.rekey_writer DATA_FILE FIRST`` (the DSL's passphrase in
``WRITER_PASSPHRASE``) opens the file as its DSL and repeats: add a member "Temp N"
(the key file only), remove them (a rekey: the data file moves to a new key), rotate the
key (another rekey). After each call returns it prints one line and flushes:

    READY
    ADDED 3
    REMOVED 3
    ROTATED 3

The test kills it with SIGKILL at a random moment, mid-rekey included.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

from app.services import team
from app.team.member import Role

PASSPHRASE_ENV = "WRITER_PASSPHRASE"
DSL = "Kill Loop DSL"
TEMP_PASSPHRASE = "temporary member passphrase 42"


def say(line: str) -> None:
    print(line, flush=True)


def main(path: Path, passphrase: str, number: int) -> None:
    """``number``: where this writer's members' numbers start (each writer its own, so
    a name reported removed is never given to a new member)."""
    db = team.unlock(path, DSL, passphrase).db
    say("READY")
    while True:
        number += 1
        name = f"Temp {number}"
        team.add_member(db, name, Role.DEPUTY, TEMP_PASSPHRASE, TEMP_PASSPHRASE)
        say(f"ADDED {number}")
        team.remove_member(db, name)
        say(f"REMOVED {number}")
        team.rotate_key(db)
        say(f"ROTATED {number}")


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]), os.environ[PASSPHRASE_ENV], int(sys.argv[2]))
    except BaseException:
        say("ERROR " + traceback.format_exc().replace("\n", " | "))
        os._exit(3)
