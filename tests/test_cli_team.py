"""The team's command line (issue 23, item 7): members list|add|remove, --member on the
data commands, recover, and the demo's two members, as real processes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DSL, DSL_PASS = "Ms Hannah Okafor", "orchard lantern pebble violin"
DEPUTY, DEPUTY_PASS = "Mr Ben Hughes", "saucepan meadow thunder ribbon"
NEW_PASS = "glacier teacup harbour willow"


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATION_TRACKER_")}
    given = {f"ESCALATION_TRACKER_{k}": v for k, v in env.items()}
    result = subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**clean, "PYTHONPATH": str(ROOT), **given},
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode == 2:
        assert result.stderr.count("\n") == 1, result.stderr  # one plain line
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-team") / "demo.etdb"
    made = run("demo", "--data-file", str(path), PASSPHRASE=DSL_PASS, NEW_PASSPHRASE=DEPUTY_PASS)
    assert made.returncode == 0, made.stderr
    assert "Recovery key: " in made.stdout and "school safe" in made.stdout
    return path


def test_demo_has_the_dsl_and_the_deputy_each_with_their_passphrase(demo: Path) -> None:
    listed = run("members", "list", "--data-file", str(demo), "--json")  # no passphrase
    assert json.loads(listed.stdout) == [
        {"name": DSL, "role": "dsl"},
        {"name": DEPUTY, "role": "deputy"},
    ]
    assert run("members", "list", "--data-file", str(demo)).stdout == (
        f"{DSL}\tDSL\n{DEPUTY}\tDeputy DSL\n"
    )
    as_deputy = run("list", "--data-file", str(demo), "--member", "mr ben hughes", "--json",
                    PASSPHRASE=DEPUTY_PASS)  # fmt: skip
    assert as_deputy.returncode == 0 and json.loads(as_deputy.stdout)
    checked = run("check", "--data-file", str(demo), MEMBER=DSL, PASSPHRASE=DSL_PASS)
    assert checked.returncode == 0, checked.stderr
    several = run("list", "--data-file", str(demo), PASSPHRASE=DSL_PASS)
    assert several.returncode == 2 and "--member NAME" in several.stderr
    wrong = run("list", "--data-file", str(demo), "--member", DSL, PASSPHRASE=DEPUTY_PASS)
    assert wrong.returncode == 2 and "does not open this file" in wrong.stderr


def test_the_demo_deputy_takes_the_dsls_passphrase_without_a_new_one(tmp_path: Path) -> None:
    path = tmp_path / "demo.etdb"
    assert run("demo", "--data-file", str(path), PASSPHRASE=DSL_PASS).returncode == 0
    ok = run("list", "--data-file", str(path), "--member", DEPUTY, PASSPHRASE=DSL_PASS)
    assert ok.returncode == 0, ok.stderr


def test_members_add_and_remove_as_a_dsl_only(tmp_path: Path) -> None:
    path = tmp_path / "team.etdb"
    made = run("demo", "--data-file", str(path), PASSPHRASE=DSL_PASS, NEW_PASSPHRASE=DEPUTY_PASS)
    recovery = made.stdout.split("Recovery key: ")[1].split()[0]
    add = ("members", "add", "--data-file", str(path), "--name", "Cath Governor")
    refused = run(*add, "--role", "read-only", "--member", DEPUTY, PASSPHRASE=DEPUTY_PASS,
                  NEW_PASSPHRASE=NEW_PASS)  # fmt: skip
    assert refused.returncode == 2 and "Only a DSL" in refused.stderr
    added = run(*add, "--role", "read-only", "--member", DSL, PASSPHRASE=DSL_PASS,
                NEW_PASSPHRASE=NEW_PASS)  # fmt: skip
    assert added.returncode == 0, added.stderr
    again = run(*add, "--role", "deputy", "--member", DSL, PASSPHRASE=DSL_PASS,
                NEW_PASSPHRASE=NEW_PASS)  # fmt: skip
    assert again.returncode == 2 and "already a member called Cath Governor" in again.stderr
    reader = run("list", "--data-file", str(path), "--member", "Cath Governor", "--json",
                 PASSPHRASE=NEW_PASS)  # list --json works for every role  # fmt: skip
    assert reader.returncode == 0 and json.loads(reader.stdout)
    last = run("members", "remove", "--data-file", str(path), "--name", DSL, "--member", DSL,
               PASSPHRASE=DSL_PASS)  # fmt: skip
    assert last.returncode == 2 and "only DSL" in last.stderr
    removed = run("members", "remove", "--data-file", str(path), "--name", DEPUTY,
                  "--member", DSL, PASSPHRASE=DSL_PASS)  # fmt: skip
    assert removed.returncode == 0 and "new key" in removed.stdout
    gone = run("list", "--data-file", str(path), "--member", DEPUTY, PASSPHRASE=DEPUTY_PASS)
    assert gone.returncode == 2 and "no member called" in gone.stderr
    # The recovery key sets the DSL's passphrase; the audit trail records it.
    recovered = run("recover", "--data-file", str(path), "--member", DSL,
                    RECOVERY_KEY=recovery.lower(), NEW_PASSPHRASE=NEW_PASS + " ann")  # fmt: skip
    assert recovered.returncode == 0, recovered.stderr
    old = run("list", "--data-file", str(path), "--member", DSL, PASSPHRASE=DSL_PASS)
    assert old.returncode == 2
    new = run("check", "--data-file", str(path), "--member", DSL, PASSPHRASE=NEW_PASS + " ann")
    assert new.returncode == 0, new.stderr


def test_an_old_file_upgrades_at_its_first_command_and_shows_its_key_once(
    tmp_path: Path,
) -> None:
    import shutil

    from tests.fixtures.make_fixture import PASSPHRASE

    path = tmp_path / "old.etdb"
    shutil.copyfile(ROOT / "tests" / "fixtures" / "pre-team-0009.etdb", path)
    listed = run("members", "list", "--data-file", str(path))
    assert listed.returncode == 2 and "no members yet" in listed.stderr
    first = run("list", "--data-file", str(path), PASSPHRASE=PASSPHRASE)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("Recovery key: ") == 1 and "school safe" in first.stdout
    assert run("members", "list", "--data-file", str(path)).stdout == "DSL\tDSL\n"
    second = run("list", "--data-file", str(path), PASSPHRASE=PASSPHRASE)
    assert second.returncode == 0 and "Recovery key" not in second.stdout


def test_help_names_the_member_option_and_the_team_commands() -> None:
    for command in ("list", "check", "backup", "stats", "document", "calendar"):
        assert "--member NAME" in run(command, "--help").stdout, command
    assert "--member NAME" in run("transfer", "export", "--help").stdout
    top = run("--help").stdout
    assert "members" in top and "recover" in top


def test_the_audit_command_says_who_changed_the_team(tmp_path: Path) -> None:
    """Seen in the real-window run: the trail held who added or removed a member, but no
    command could show it. ``audit`` reads it, for any role (a read-only member too)."""
    path = tmp_path / "team.etdb"
    assert run("demo", "--data-file", str(path), PASSPHRASE=DSL_PASS,
               NEW_PASSPHRASE=DEPUTY_PASS).returncode == 0  # fmt: skip
    added = run("members", "add", "--data-file", str(path), "--name", "Cath Governor",
                "--role", "read-only", "--member", DSL, PASSPHRASE=DSL_PASS,
                NEW_PASSPHRASE=NEW_PASS)  # fmt: skip
    assert added.returncode == 0, added.stderr
    read = run("audit", "--data-file", str(path), "--file-events", "--json",
               "--member", "Cath Governor", PASSPHRASE=NEW_PASS)  # fmt: skip
    assert read.returncode == 0, read.stderr
    events = [(e["actor"], e["action"]) for e in json.loads(read.stdout)]
    assert (f"{DSL} (DSL)", "add member Cath Governor (Read-only)") in events
    assert all(e["target"] == "file" for e in json.loads(read.stdout))
    whole = run("audit", "--data-file", str(path), "--member", DSL, PASSPHRASE=DSL_PASS)
    lines = whole.stdout.splitlines()
    assert len(lines) > len(events) and "add member Cath Governor (Read-only) (file)" in lines[-1]
    # Every time to the minute: entries stamped to the second among ones stamped to the
    # minute read as out of order. The number, first, is the order.
    assert all(re.match(r" *\d+  \d\d/\d\d/\d{4} \d\d:\d\d  \S", line) for line in lines), lines
    assert [int(line.split()[0]) for line in lines] == sorted(
        int(line.split()[0]) for line in lines
    )
