"""Crash safety: real writer processes killed with SIGKILL at random points.

After every kill the file must open, pass ``check`` (cipher integrity, SQLite integrity,
audit chain) and hold every write the writer reported as committed, including those
reported by every earlier writer on the same file. Two lanes (two data files) run side
by side, one per core; each kill is followed by its own verification before the next
writer starts on that file.

Each kill waits for an event, not a clock: the writer's Nth reported commit (N random,
1 to ``MAX_COMMITS_BEFORE_KILL``), then a short random pause so that the kill lands at a
random point of the transactions that follow, mid-transaction included (the hot journals
counted below). A slow machine makes each writer take longer to reach its Nth commit, but
it can never make a kill land before any commit, so the test holds on any machine.

``RELIABILITY_KILLS`` (default 210, at least 200 in CI) sets the total number of kills.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.records import RecordKind
from app.services.people import add_child
from app.storage.datafile import check_data_file, create_data_file, open_data_file
from app.storage.files import journal_path
from app.storage.models import Escalation, Record, StageEvent

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="SIGKILL and fork are POSIX (CI runs Linux)"
)

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "crash test passphrase"
LANES = 2
TOTAL_KILLS = int(os.environ.get("RELIABILITY_KILLS", "210"))
MAX_COMMITS_BEFORE_KILL = 4
# The pause after the Nth commit only spreads the kill over the next transactions; no
# assertion depends on how much the writer does in it.
MAX_PAUSE_AFTER_COMMIT = 0.050
COLD_START_EVERY = 15  # every 15th writer is a whole new interpreter, not a fork
# Generous: under load a cold start (a new interpreter) can take several seconds.
EVENT_TIMEOUT = 120.0


@dataclass
class Reported:
    """Everything writers have reported as committed on one file, ever."""

    escalations: set[str] = field(default_factory=set)
    discussions: set[tuple[int, str]] = field(default_factory=set)
    stages: set[tuple[str, int]] = field(default_factory=set)
    withdrawn: set[str] = field(default_factory=set)

    def add(self, line: str) -> None:
        kind, *args = line.split()[1:]
        if kind == "escalation":
            self.escalations.add(args[0])
        elif kind == "discussion":
            self.discussions.add((int(args[0]), args[1]))
        elif kind == "stage":
            self.stages.add((args[0], int(args[1])))
        elif kind == "withdrawn":
            self.withdrawn.add(args[0])
        else:
            raise AssertionError(f"unknown report {line!r}")

    @property
    def total(self) -> int:
        return (
            len(self.escalations) + len(self.discussions) + len(self.stages) + len(self.withdrawn)
        )


@dataclass
class LaneResult:
    kills: int = 0
    committed: int = 0
    lost: int = 0
    hot_journals: int = 0
    cold_starts: int = 0
    seconds_to_ready: float = 0.0
    seconds_verifying: float = 0.0
    problems: list[str] = field(default_factory=list)


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "WRITER_PASSPHRASE": PASSPHRASE,
    }


class ForkServer:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.writer", "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=_env(),
        )
        assert self._read() == "SERVING"

    def _read(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def _ask(self, line: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self._read()

    def run(self, data_file: Path, out_file: Path, seed: int) -> int:
        answer = self._ask(f"RUN {data_file} {out_file} {seed}")
        assert answer.startswith("PID "), answer
        return int(answer.split()[1])

    def wait(self, pid: int) -> int:
        answer = self._ask(f"WAIT {pid}")
        assert answer.startswith(f"DEAD {pid} "), answer
        return int(answer.split()[2])

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()


def _wait_for(out_file: Path, commits: int) -> None:
    """Wait until the writer has opened the file (``READY``) and reported ``commits``
    complete commits; fail on a reported error or after ``EVENT_TIMEOUT``."""
    deadline = time.monotonic() + EVENT_TIMEOUT
    while time.monotonic() < deadline:
        text = out_file.read_text(encoding="utf-8") if out_file.exists() else ""
        assert "ERROR" not in text, text
        if text.startswith("READY\n") and len(_reports(text)) >= commits:
            return
        time.sleep(0.002)  # polling for the event; the timeout is the only clock
    raise AssertionError(f"the writer did not report {commits} commits in time")


def _reports(text: str) -> list[str]:
    """The COMMITTED lines; a line cut off by the kill (no newline) reports nothing."""
    assert "ERROR" not in text, text
    complete = text[: text.rfind("\n") + 1]
    return [line for line in complete.splitlines() if line.startswith("COMMITTED ")]


def _missing(path: Path, reported: Reported) -> list[str]:
    """Open the file as the app does, check it, and list reported writes not in it."""
    db = open_data_file(path, PASSPHRASE)
    try:
        problems = check_data_file(db)
        with db.session() as session:
            status = {r: s for r, s in session.execute(select(Escalation.ref, Escalation.status))}
            discussions = {
                (i, r)
                for i, r in session.execute(
                    select(Record.id, Escalation.ref)
                    .join(Escalation, Record.escalation_id == Escalation.id)
                    .where(Record.kind == RecordKind.DISCUSSION.value)
                )
            }
            started = {
                (r, n)
                for r, n in session.execute(
                    select(Escalation.ref, StageEvent.number)
                    .join(Escalation, StageEvent.escalation_id == Escalation.id)
                    .where(StageEvent.kind == "started")
                )
            }
    finally:
        db.close()
    # Each service call is one transaction: an escalation never exists without stage 1.
    problems += [f"{ref} has no stage 1" for ref in status if (ref, 1) not in started]
    problems += [f"lost escalation {r}" for r in reported.escalations - status.keys()]
    problems += [f"lost discussion {d}" for d in reported.discussions - discussions]
    problems += [f"lost stage move {s}" for s in reported.stages - started]
    problems += [f"lost withdrawal {r}" for r in reported.withdrawn if status.get(r) != "withdrawn"]
    return problems


def _new_file(path: Path) -> None:
    # Made one at a time: Alembic's ``op`` is process-global, so two schema creations
    # must not run in two threads at once.
    db = create_data_file(path, PASSPHRASE)
    add_child(db, name="Crash Test Child", date_of_birth=date(2015, 1, 1), actor="test")
    db.close()


def _lane(number: int, folder: Path, kills: int, seed: int) -> LaneResult:
    rng = random.Random(seed)
    path = folder / f"lane-{number}.etdb"
    out_file = folder / f"lane-{number}.out"
    server = ForkServer()
    reported, result = Reported(), LaneResult()
    running: int | None = None  # a writer not yet killed, to clean up after a failure
    try:
        for run in range(kills):
            cold = run % COLD_START_EVERY == COLD_START_EVERY - 1
            started = time.monotonic()
            if cold:
                with out_file.open("w", encoding="utf-8") as out:
                    writer = subprocess.Popen(
                        [sys.executable, "-m", "tests.reliability.writer", str(path)],
                        stdout=out,
                        cwd=ROOT,
                        env=_env(),
                    )
                running = writer.pid
            else:
                running = server.run(path, out_file, rng.randrange(2**31))
            _wait_for(out_file, commits=0)
            result.seconds_to_ready += time.monotonic() - started
            _wait_for(out_file, commits=rng.randint(1, MAX_COMMITS_BEFORE_KILL))
            time.sleep(rng.uniform(0, MAX_PAUSE_AFTER_COMMIT))
            os.kill(running, signal.SIGKILL)
            died_of = -writer.wait(timeout=30) if cold else server.wait(running)
            running = None
            assert died_of == signal.SIGKILL, f"the writer ended on its own ({died_of})"
            result.kills += 1
            result.cold_starts += cold
            result.hot_journals += journal_path(path).exists()
            for line in _reports(out_file.read_text(encoding="utf-8")):
                reported.add(line)
            started = time.monotonic()
            problems = _missing(path, reported)
            result.seconds_verifying += time.monotonic() - started
            if problems:
                result.lost = sum(p.startswith("lost ") for p in problems)
                result.problems = [f"after kill {run + 1} of lane {number}: {p}" for p in problems]
                break
    finally:
        if running is not None:  # a failed check must not leave a writer running
            with contextlib.suppress(ProcessLookupError):
                os.kill(running, signal.SIGKILL)
        server.close()
    result.committed = reported.total
    return result


@pytest.mark.slow
@pytest.mark.timeout(1200)  # about a minute alone; several under load from other tests
def test_writers_killed_at_random_lose_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert TOTAL_KILLS >= 200 or "RELIABILITY_KILLS" in os.environ
    seed = int.from_bytes(os.urandom(4))
    per_lane = [TOTAL_KILLS // LANES + (i < TOTAL_KILLS % LANES) for i in range(LANES)]
    for lane in range(LANES):
        _new_file(tmp_path / f"lane-{lane}.etdb")
    started = time.monotonic()
    with ThreadPoolExecutor(LANES) as pool:
        futures = [
            pool.submit(_lane, i, tmp_path, kills, seed + i) for i, kills in enumerate(per_lane)
        ]
        results = [f.result() for f in futures]
    elapsed = time.monotonic() - started

    kills = sum(r.kills for r in results)
    committed = sum(r.committed for r in results)
    lost = sum(r.lost for r in results)
    hot = sum(r.hot_journals for r in results)
    cold = sum(r.cold_starts for r in results)
    ready = sum(r.seconds_to_ready for r in results)
    verifying = sum(r.seconds_verifying for r in results)
    with capsys.disabled():
        print(
            f"\ncrash safety (seed {seed}): {kills} kills ({cold} cold starts), "
            f"{committed} committed writes reported, {lost} lost, {hot} kills left a hot "
            f"journal; {elapsed:.0f} s (per kill: {ready / kills:.2f} s to open, "
            f"{verifying / kills:.2f} s to verify)"
        )
    assert [p for r in results for p in r.problems] == []
    assert kills == TOTAL_KILLS
    # Every writer reported at least one commit before it was killed.
    assert committed >= kills
    # Kills must land inside transactions, or the test proves nothing about recovery.
    assert hot > 0


def test_a_report_after_the_commit_is_the_only_kind_counted() -> None:
    """The parser ignores a line the kill cut short (no newline), so a write is only
    counted once the writer finished reporting it."""
    reported = Reported()
    text = "READY\nCOMMITTED escalation ESC-2026-0001\nCOMMITTED discussion 1 ESC-2026-00"
    for line in _reports(text):
        reported.add(line)
    assert reported.escalations == {"ESC-2026-0001"} and not reported.discussions


def test_a_lost_write_is_found(tmp_path: Path) -> None:
    """Positive control: a reported write that is not in the file is reported lost."""
    path = tmp_path / "data.etdb"
    db = create_data_file(path, PASSPHRASE)
    db.close()
    reported = Reported(escalations={"ESC-2026-0042"}, stages={("ESC-2026-0042", 2)})
    assert _missing(path, reported) == [
        "lost escalation ESC-2026-0042",
        "lost stage move ('ESC-2026-0042', 2)",
    ]


def test_a_kill_waits_for_the_writers_reported_commits(tmp_path: Path) -> None:
    """The kill's trigger is the Nth complete COMMITTED line; a writer's ERROR fails the
    wait at once rather than at the timeout."""
    out = tmp_path / "writer.out"
    out.write_text("READY\nCOMMITTED escalation ESC-2026-0001\nCOMMITTED discussion 1 E")
    _wait_for(out, commits=1)  # returns: one complete report
    out.write_text("READY\nERROR boom\n")
    with pytest.raises(AssertionError, match="ERROR boom"):
        _wait_for(out, commits=1)
