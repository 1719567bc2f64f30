"""The full scenario, run once per session in a sandboxed child process and shared by the
no-plaintext, no-network and passphrase tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.reliability import scenario
from tests.reliability.sandbox import Sandbox, run_in_sandbox, strace_works, traced_writes

PASSPHRASE = "Scenario passphrase: owl Kettle 7 lantern"
NEW_PASSPHRASE = "Second passphrase – Meadow Quartz 42 ferry"
TRANSFER_PASSPHRASE = "Transfer passphrase, Violet Harbour 19"


@dataclass(frozen=True)
class ScenarioRun:
    sandbox: Sandbox
    counts: dict[str, int]
    network_attempts: list[str]
    python_writes: list[str]  # paths the child opened for writing, from its audit hook
    traced_writes: list[str] | None  # the same from strace, when it can run here
    stderr: str


@pytest.fixture(scope="session")
def scenario_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScenarioRun]:
    folder = tmp_path_factory.mktemp("scenario")
    sandbox = Sandbox(folder / "sandbox")
    report, trace = folder / "report.json", folder / "strace.txt"
    env = sandbox.env(
        **{
            scenario.PASSPHRASE_ENV: PASSPHRASE,
            scenario.NEW_PASSPHRASE_ENV: NEW_PASSPHRASE,
            scenario.TRANSFER_PASSPHRASE_ENV: TRANSFER_PASSPHRASE,
        }
    )
    traced = strace_works()
    done = run_in_sandbox(
        sandbox,
        report,
        "tests.reliability.scenario",
        env=env,
        trace=trace if traced else None,
    )
    assert done.returncode == 0, done.stderr[-5000:]
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    yield ScenarioRun(
        sandbox=sandbox,
        counts=json.loads(done.stdout.strip().splitlines()[-1]),
        network_attempts=data["network_attempts"],
        python_writes=data["written"],
        traced_writes=traced_writes(trace) if traced else None,
        stderr=done.stderr,
    )
