"""No network: the full scenario runs with AF_INET/AF_INET6 socket creation, connections
and name look-ups made to fail loudly (``sandbox.install_guards``), finishes, and made no
attempt. A probe run under the same guards shows every way of trying is caught."""

from __future__ import annotations

import json
from pathlib import Path

from tests.reliability.conftest import ScenarioRun
from tests.reliability.sandbox import Sandbox, run_in_sandbox


def test_the_full_scenario_makes_no_network_attempt(scenario_run: ScenarioRun) -> None:
    assert scenario_run.counts["demo escalations"] > 10  # it ran to the end
    assert scenario_run.counts["pdfs generated in memory"] > 20
    assert scenario_run.counts["pdfs previewed"] == 5  # the preview window, every kind
    assert scenario_run.network_attempts == []


def test_the_guard_catches_every_way_of_trying(tmp_path: Path) -> None:
    sandbox = Sandbox(tmp_path / "sandbox")
    report = tmp_path / "report.json"
    done = run_in_sandbox(sandbox, report, "tests.reliability.network_probe", timeout=60)
    assert done.returncode == 0, done.stderr
    blocked = json.loads(done.stdout.strip().splitlines()[-1])
    assert blocked == dict.fromkeys(blocked, True) and len(blocked) == 6
    attempts = json.loads(report.read_text(encoding="utf-8"))["network_attempts"]
    assert len(attempts) >= 6, attempts
