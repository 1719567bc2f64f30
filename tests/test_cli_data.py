"""demo, list, check, backup and confirmation end to end, as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = 'Zoë\'s "school" \\ pass: @ 1'
DEMO_DSL = "Ms Hannah Okafor"


def run(
    *args: str, passphrase: str | None = PASSPHRASE, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ESCALATION_TRACKER_PASSPHRASE"}
    if passphrase is not None:
        env["ESCALATION_TRACKER_PASSPHRASE"] = passphrase
    env["ESCALATION_TRACKER_MEMBER"] = DEMO_DSL  # the demo file has two members
    # This checkout's app, also when run from another folder (not an installed copy's).
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.etdb"
    result = run("demo", "--data-file", str(path))
    assert result.returncode == 0, result.stderr
    assert "fictional escalations" in result.stdout
    return path


def test_demo_file_is_encrypted(demo_file: Path) -> None:
    data = demo_file.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    for name in ("Zoë Nguyễn", "Łucja Wiśniewska", "Siobhán Ó Briain", "Okafor"):
        assert name.encode("utf-8") not in data


def test_list_json_covers_every_policy_and_pathway(demo_file: Path) -> None:
    result = run("list", "--data-file", str(demo_file), "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert set(rows[0]) >= {"ref", "child", "policy", "pathway", "stage", "next_due", "status"}
    pairs = {(r["policy"], r["pathway"]) for r in rows}
    for policy, pathway in [
        ("york", "resolution"),
        ("gloucestershire", "resolution"),
        ("north-yorkshire", "resolution"),
        ("buckinghamshire", "resolution"),
        ("suffolk", "resolution"),
        ("york", "conference-dissent"),
        ("buckinghamshire", "conference-dissent"),
        ("suffolk", "conference-dissent"),
        ("york", "plan-dissent"),
        ("suffolk", "plan-dissent"),
        ("suffolk", "stop-and-review"),
        ("suffolk", "stop-and-review-cic"),
        ("buckinghamshire", "allegations-direct"),
    ]:
        assert (policy, pathway) in pairs
    statuses = {r["status"] for r in rows}
    assert statuses == {"open", "resolved", "withdrawn"}
    assert any(r["child"] == "Zoë Nguyễn" for r in rows)


def test_list_text_and_check(demo_file: Path) -> None:
    listing = run("list", "--data-file", str(demo_file))
    assert listing.returncode == 0 and "Αλέξανδρος Παπαδόπουλος" in listing.stdout
    check = run("check", "--data-file", str(demo_file))
    assert check.returncode == 0 and "OK" in check.stdout


def test_wrong_or_missing_passphrase_is_one_plain_line(demo_file: Path) -> None:
    wrong = run("list", "--data-file", str(demo_file), passphrase="not it")
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == "error: That passphrase does not open this file."
    missing = run("list", "--data-file", str(demo_file), passphrase=None)
    assert missing.returncode == 2 and "ESCALATION_TRACKER_PASSPHRASE" in missing.stderr
    nofile = run("list", "--data-file", str(demo_file.with_name("nope.etdb")))
    assert nofile.returncode == 2 and "Traceback" not in nofile.stderr


def test_backup_is_verified_and_opens(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "backup.etdb"
    result = run("backup", "--data-file", str(demo_file), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.exists() and b"Okafor" not in out.read_bytes()
    again = run("check", "--data-file", str(out))
    assert again.returncode == 0, again.stderr
    refused = run("backup", "--data-file", str(demo_file), "--out", str(out))
    assert refused.returncode == 2 and "already exists" in refused.stderr


def test_confirmation_writes_only_the_requested_file(demo_file: Path, tmp_path: Path) -> None:
    refs = json.loads(run("list", "--data-file", str(demo_file), "--json").stdout)
    resolved = next(
        r["ref"] for r in refs if r["status"] == "resolved" and r["policy"] == "suffolk"
    )
    workdir = tmp_path / "work"
    temp = tmp_path / "tmp"
    workdir.mkdir()
    temp.mkdir()
    out = workdir / "confirmation.pdf"
    env_tmp = {"TMPDIR": str(temp)}
    os.environ.update(env_tmp)
    try:
        result = run(
            "confirmation", resolved, "--data-file", str(demo_file), "--out", str(out), cwd=workdir
        )
    finally:
        del os.environ["TMPDIR"]
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in workdir.iterdir()) == ["confirmation.pdf"]
    assert list(temp.iterdir()) == []  # no temporary files
    text = " ".join((PdfReader(out).pages[0].extract_text() or "").split())
    assert "Written confirmation of agreed outcome" in text and resolved in text
    assert "not encrypted" in result.stdout
