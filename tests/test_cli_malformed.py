"""Malformed input and odd destinations end in one plain line (exit 2), never a
traceback, and lose nothing: a policy file nested 100,000 deep, a CSV into a missing
folder or onto a full disk, a backup onto the data file's own companions, output piped
into ``head``, a data file whose schema record was changed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3

from app import cli
from app.paths import shipped_policies_dir
from app.policy import PolicyLibrary
from app.services import team
from app.storage.files import before_restore_path
from app.storage.keys import raw_key_literal, sql_string
from tests.team_keys import insider_key

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "correct horse battery staple"
NESTED = "a = " + "[" * 100_000 + "]" * 100_000 + "\n"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "ESCALATION_TRACKER_PASSPHRASE": PASSPHRASE, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def one_plain_line(stderr: str) -> str:
    assert "Traceback" not in stderr and stderr.count("\n") == 1, stderr
    return stderr


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.etdb"
    team.create(path, "Ann Lee", PASSPHRASE).db.close()
    return path


# --- A policy file nested 100,000 deep ----------------------------------------------


def test_a_deeply_nested_policy_file_does_not_stop_the_others(tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "deep.toml").write_text(NESTED, encoding="utf-8")
    library = PolicyLibrary.load(shipped_policies_dir(), extra)
    assert len(library.ids()) == len(list(shipped_policies_dir().glob("*.toml")))
    assert library.problems == [
        f"{extra / 'deep.toml'}: this file is nested too deeply to be a policy."
    ]


def test_the_cli_lists_and_projects_past_a_deeply_nested_policy(tmp_path: Path) -> None:
    # The partnership's own policies folder: <per-user data>/EscalationTracker/policies.
    policies = tmp_path / "data" / "EscalationTracker" / "policies"
    policies.mkdir(parents=True)
    (policies / "deep.toml").write_text(NESTED, encoding="utf-8")
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    listing = run("policies", env=env)
    assert listing.returncode == 0, listing.stderr
    assert one_plain_line(listing.stderr).startswith("warning: ")
    assert "nested too deeply" in listing.stderr
    assert "north-yorkshire" in listing.stdout
    projected = run("deadlines", "york", "resolution", "--raised", "2026-12-18", env=env)
    assert projected.returncode == 0 and "Traceback" not in projected.stderr
    checked = run("policies", "check", str(policies / "deep.toml"))
    assert checked.returncode == 2
    assert "nested too deeply" in one_plain_line(checked.stderr)


# --- stats --csv where it cannot be written ---------------------------------------------


def test_stats_csv_into_a_missing_folder(data_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "no such folder" / "figures.csv"
    result = run("stats", "--data-file", str(data_file), "--csv", str(out))
    assert result.returncode == 2
    assert "is not a folder that exists" in one_plain_line(result.stderr)


def test_stats_csv_onto_a_full_disk(
    data_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setenv(cli.PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.setattr(os, "fsync", full)  # the disk fills as the file is made durable
    out = tmp_path / "figures.csv"
    assert cli.main(["stats", "--data-file", str(data_file), "--csv", str(out)]) == 2
    assert capsys.readouterr().err == (
        "error: The disk is full, so figures.csv was not written. Free some space and try again.\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "data.etdb",
        "data.etdb.keys",
        "data.etdb.lock",
    ]


# --- backup onto the data file's own companions -----------------------------------------


@pytest.mark.parametrize(
    "companion",
    ["{}", "{}-journal", "{}-wal", "{}-shm", "{}.lock", "before-restore", "link"],
)
def test_backup_onto_the_files_own_companions_is_refused(
    data_file: Path, tmp_path: Path, companion: str
) -> None:
    if companion == "before-restore":
        out = before_restore_path(data_file)
    elif companion == "link":
        out = tmp_path / "link.etdb"
        out.symlink_to(data_file)
    else:
        out = Path(companion.format(data_file))
    existed = out.exists()
    result = run("backup", "--data-file", str(data_file), "--out", str(out))
    assert result.returncode == 2
    message = one_plain_line(result.stderr)
    assert "verified" not in result.stdout
    if existed:  # the data file, its lock file, a link to it: refused as existing files
        assert "already exists" in message
    else:  # -journal and the rest: before, "verified", then deleted at the next open
        assert "Choose a different place for the backup" in message
        assert not out.exists()
    with team.unlock(data_file, None, PASSPHRASE).db as db:  # and the file still opens
        assert db.is_open


# --- --json into a pipe that was closed ------------------------------------------------


@pytest.mark.parametrize("args", [["policies", "--json"], ["list", "--json"]])
def test_json_into_a_closed_pipe_ends_quietly(data_file: Path, args: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `head` that has already read what it wanted
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "app",
                *args,
                *(["--data-file", str(data_file)] * (args[0] == "list")),
            ],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "ESCALATION_TRACKER_PASSPHRASE": PASSPHRASE},
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 141  # as a program stopped by SIGPIPE


# --- a changed schema record ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ("UPDATE alembic_version SET version_num = '0003'", "says schema '0003'"),
        ("UPDATE alembic_version SET version_num = 'bogus'", "says schema 'bogus'"),
        ("DELETE FROM alembic_version", "is missing"),
        ("DROP TABLE alembic_version", "is missing"),
    ],
)
def test_a_changed_schema_record_is_named_plainly(data_file: Path, change: str, named: str) -> None:
    editor = sqlcipher3.connect(str(data_file), isolation_level=None)
    try:
        key = insider_key(data_file, PASSPHRASE, "Ann Lee")
        editor.execute(f"PRAGMA key = {sql_string(raw_key_literal(key))}")
        editor.execute(change)
    finally:
        editor.close()
    before = hashlib.sha256(data_file.read_bytes()).hexdigest()
    result = run("list", "--data-file", str(data_file))
    assert result.returncode == 2
    message = one_plain_line(result.stderr)
    assert "alembic_version" in message and named in message
    assert "restore it from a backup" in message
    assert hashlib.sha256(data_file.read_bytes()).hexdigest() == before  # not changed
    assert sorted(p.name for p in data_file.parent.iterdir()) == [
        "data.etdb",
        "data.etdb.keys",
        "data.etdb.lock",
    ]
