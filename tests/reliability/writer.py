"""A writer process for the crash-safety test (``test_crash_safety.py``).

It opens a data file and writes through the services for ever: open an escalation,
record a discussion, move it to the next stage (and so on to the last stage), withdraw
it, start again. Right after each service call returns it prints one line and flushes:

    READY
    COMMITTED escalation ESC-2026-0001
    COMMITTED discussion 17 ESC-2026-0001
    COMMITTED stage ESC-2026-0001 2
    COMMITTED withdrawn ESC-2026-0001

so every write it reports has returned from its transaction (commit included). The test
kills it with SIGKILL at a random moment and then checks the file.

Two ways to start one:

* ``python -m tests.reliability.writer DATA_FILE`` (passphrase in ``WRITER_PASSPHRASE``):
  a cold start, a whole new interpreter;
* ``python -m tests.reliability.writer --serve``: a fork server. It imports the app and
  loads the policies once, never opens a data file itself, and for each ``RUN`` line on
  stdin forks a fresh writer process whose stdout goes to the file named. The
  test kills that process directly by its pid. This only saves the ~0.8 s of imports per
  kill (200 cold starts would take minutes); every writer is still a new process with its
  own SQLite connections and its own key derivation.

Protocol of the fork server (one line each way): ``RUN <data file> <out file> <seed>``
→ ``PID <pid>``; ``WAIT <pid>`` → ``DEAD <pid> <signal number, or -exit status>``.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import traceback
from datetime import date, timedelta
from pathlib import Path
from typing import NoReturn

from sqlalchemy import select

from app import clock
from app.domain.records import Discussion
from app.policy import PolicyLibrary, default_library
from app.services import escalations as esc
from app.services import records as rec
from app.services.people import add_child
from app.storage.datafile import create_data_file, open_data_file
from app.storage.models import Child

PASSPHRASE_ENV = "WRITER_PASSPHRASE"
ACTOR = "Crash-test writer"
POLICY, PATHWAY = "gloucestershire", "resolution"


def say(line: str) -> None:
    print(line, flush=True)


def _form(child_id: int, rng: random.Random) -> esc.NewEscalation:
    return esc.NewEscalation(
        child_id=child_id,
        policy_id=POLICY,
        pathway_id=PATHWAY,
        raised_at=clock.now() - timedelta(days=1),
        raised_by="Writer",
        other_agency="Children's Social Care",
        category="threshold",
        disputed=f"Disputed decision {rng.randrange(10**9)}",
        change_wanted="An assessment",
        impact="x" * rng.randrange(1, 3000),  # vary the size of each transaction
    )


def _discussion(stage: int, rng: random.Random) -> Discussion:
    return Discussion(
        held_at=clock.now(),
        method="phone",
        participants=["Writer", "Social worker"],
        summary=f"Stage {stage} discussion " + "y" * rng.randrange(1, 2000),
    )


def write_forever(path: Path, passphrase: str, seed: int, library: PolicyLibrary) -> NoReturn:
    db = open_data_file(path, passphrase)
    say("READY")
    rng = random.Random(seed)
    with db.session() as session:
        child_id = session.scalars(select(Child.id).order_by(Child.id)).first()
    assert child_id is not None, "the test puts one child in the file"
    stage_count = len(library.get(POLICY).pathway(PATHWAY).stages)
    while True:
        ref = esc.open_escalation(db, library, _form(child_id, rng), actor=ACTOR).ref
        say(f"COMMITTED escalation {ref}")
        for stage in range(1, stage_count + 1):
            record_id = rec.record_discussion(db, ref, _discussion(stage, rng), actor=ACTOR)
            say(f"COMMITTED discussion {record_id} {ref}")
            if stage < stage_count:
                moved = esc.move_to_next_stage(db, ref, result="Not resolved", actor=ACTOR)
                say(f"COMMITTED stage {ref} {moved.number}")
        esc.withdraw(db, ref, "Crash test cycle complete", actor=ACTOR)
        say(f"COMMITTED withdrawn {ref}")


def run_writer(path: Path, passphrase: str, seed: int, library: PolicyLibrary) -> NoReturn:
    """Write until killed; any exception is reported (``ERROR``) and exits with 3."""
    try:
        write_forever(path, passphrase, seed, library)
    except BaseException:
        say("ERROR " + traceback.format_exc().replace("\n", " | "))
        os._exit(3)


def warm_up(library: PolicyLibrary) -> None:
    """One cycle on a throwaway file, so each forked writer starts with the ORM mappers
    configured and the bank holidays loaded, as a long-running app would be."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "warm-up.etdb"
        db = create_data_file(path, "warm-up passphrase")
        add_child(db, name="Warm-up", date_of_birth=date(2015, 1, 1), actor=ACTOR)
        ref = esc.open_escalation(db, library, _form(1, random.Random(0)), actor=ACTOR).ref
        rec.record_discussion(db, ref, _discussion(1, random.Random(0)), actor=ACTOR)
        esc.move_to_next_stage(db, ref, result="Not resolved", actor=ACTOR)
        esc.withdraw(db, ref, "Warm-up", actor=ACTOR)
        db.close()


def serve(passphrase: str) -> None:
    library = default_library()
    warm_up(library)
    say("SERVING")
    for line in sys.stdin:
        command, *args = line.split()
        if command == "RUN":
            data_file, out_file, seed = args
            out = os.open(out_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            pid = os.fork()
            if pid == 0:  # the writer: stdout to its own file, nothing from our stdin
                os.dup2(out, 1)
                null = os.open(os.devnull, os.O_RDONLY)
                os.dup2(null, 0)
                sys.stdout = os.fdopen(1, "w", buffering=1, encoding="utf-8")
                run_writer(Path(data_file), passphrase, int(seed), library)
            os.close(out)
            say(f"PID {pid}")
        elif command == "WAIT":
            pid = int(args[0])
            _, status = os.waitpid(pid, 0)
            code = os.WTERMSIG(status) if os.WIFSIGNALED(status) else -os.WEXITSTATUS(status)
            say(f"DEAD {pid} {code}")
        else:
            say(f"UNKNOWN {command}")


def main(argv: list[str]) -> None:
    passphrase = os.environ[PASSPHRASE_ENV]
    if argv == ["--serve"]:
        serve(passphrase)
        return
    (data_file,) = argv
    run_writer(Path(data_file), passphrase, int.from_bytes(os.urandom(4)), default_library())


if __name__ == "__main__":
    main(sys.argv[1:])
