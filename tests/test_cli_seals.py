"""check --against, verify, backup's seal and transfer export/import, as real processes:
exit 0 when all is well, 1 when a check finds a problem, 2 with one plain line for a
mistake; never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3

from app.storage.keys import raw_key_literal, sql_string
from tests.team_keys import copy_with_key_file, insider_key
from tests.test_cli_data import PASSPHRASE, ROOT

TRANSFER_PASSPHRASE = "Violet harbour 19, lantern quartz"
RECEIVING_PASSPHRASE = "Receiving school: owl kettle 7 meadow"


def run(
    *args: str, passphrase: str = PASSPHRASE, transfer: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ESCALATION_TRACKER_PASSPHRASE", "ESCALATION_TRACKER_TRANSFER_PASSPHRASE")
    }
    env["ESCALATION_TRACKER_PASSPHRASE"] = passphrase
    env["ESCALATION_TRACKER_MEMBER"] = "Ms Hannah Okafor"  # the demo file has two members
    if transfer is not None:
        env["ESCALATION_TRACKER_TRANSFER_PASSPHRASE"] = transfer
    result = subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode == 2:
        assert result.stderr.count("\n") == 1, result.stderr  # one plain line
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-seals") / "demo.etdb"
    assert run("demo", "--data-file", str(path)).returncode == 0
    return path


@pytest.fixture
def data(demo: Path, tmp_path: Path) -> Path:
    path = tmp_path / "data.etdb"
    copy_with_key_file(demo, path)
    return path


def _resolved(path: Path) -> str:
    rows = json.loads(run("list", "--data-file", str(path), "--json").stdout)
    return next(r["ref"] for r in rows if r["status"] == "resolved")


def _sql(path: Path, *statements: str) -> None:
    """As an insider with the passphrase and an SQLCipher tool."""
    key = insider_key(path, PASSPHRASE)
    connection = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        connection.execute(f"PRAGMA key = {sql_string(raw_key_literal(key))}")
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


def test_a_document_checks_against_its_file_then_not_once_another_replaces_it(
    data: Path, demo: Path, tmp_path: Path
) -> None:
    ref = _resolved(data)
    pdf = tmp_path / "letter.pdf"
    made = run("document", "confirmation", ref, "--data-file", str(data), "--out", str(pdf))
    assert made.returncode == 0 and "Record seal " in made.stdout
    ok = run("check", "--data-file", str(data), "--against", str(pdf), "--against", str(pdf))
    assert ok.returncode == 0 and "still holds the seal of 2 documents" in ok.stdout
    printed = made.stdout.split("Record seal ")[1].split(" (printed")[0]
    verified = run("verify", "--data-file", str(data), "--seal", printed)
    assert verified.returncode == 0 and ref in verified.stdout and "Genuine" in verified.stdout

    # The whole file replaced by another (its own demo, made the same way).
    other = tmp_path / "other.etdb"
    assert run("demo", "--data-file", str(other)).returncode == 0
    replaced = run("check", "--data-file", str(other), "--against", str(pdf))
    assert replaced.returncode == 1 and "letter.pdf" in replaced.stderr
    unknown = run("verify", "--data-file", str(other), "--seal", printed)
    assert unknown.returncode == 1 and "No document of this file carries" in unknown.stdout


def test_a_tail_cut_short_fails_check_against(data: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "letter.pdf"
    ref = _resolved(data)
    assert (
        run("document", "chronology", ref, "--data-file", str(data), "--out", str(pdf)).returncode
        == 0
    )
    _sql(
        data,
        "DROP TRIGGER audit_entry_no_delete",
        "DELETE FROM audit_entry WHERE id > (SELECT max(id) - 5 FROM audit_entry)",
        "UPDATE file_info SET value = (SELECT id || ':' || hash FROM audit_entry ORDER BY id "
        "DESC LIMIT 1) WHERE key = 'audit_head'",
    )
    cut = run("check", "--data-file", str(data), "--against", str(pdf))
    assert cut.returncode == 1 and "no longer reaches it" in cut.stderr


def test_mistakes_are_one_plain_line(data: Path, tmp_path: Path) -> None:
    missing = run("check", "--data-file", str(data), "--against", str(tmp_path / "nope.pdf"))
    assert missing.returncode == 2 and "Could not read" in missing.stderr
    notpdf = tmp_path / "notes.pdf"
    notpdf.write_text("not a pdf")
    assert "not a PDF" in run("check", "--data-file", str(data), "--against", str(notpdf)).stderr
    bad = run("verify", "--data-file", str(data), "--seal", "184 zz")
    assert bad.returncode == 2 and "seal" in bad.stderr


def test_backup_prints_and_records_its_seal(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "backup.etdb"
    made = run("backup", "--data-file", str(data), "--out", str(out))
    assert made.returncode == 0
    printed = made.stdout.split("Record seal ")[1].split(":")[0]
    verified = run("verify", "--data-file", str(data), "--seal", printed)
    assert verified.returncode == 0 and "A backup of this file" in verified.stdout


def test_transfer_export_and_import_with_the_seal(data: Path, tmp_path: Path) -> None:
    ref = _resolved(data)
    out = tmp_path / "sent" / "transfer.etdb"
    out.parent.mkdir()
    help_text = " ".join(run("transfer", "export", "--help").stdout.split())
    assert "CHILD" in help_text and "reference of any escalation" in help_text
    sent = run(
        "transfer",
        "export",
        ref,
        "--data-file",
        str(data),
        "--out",
        str(out),
        "--json",
        transfer=TRANSFER_PASSPHRASE,
    )
    assert sent.returncode == 0, sent.stderr
    got = json.loads(sent.stdout)
    assert set(got) >= {"seal", "file", "cover", "escalations"}
    assert Path(got["cover"]).is_file() and len(got["seal"].split()[1]) == 16

    receiving = tmp_path / "receiving.etdb"
    assert (
        run("demo", "--data-file", str(receiving), passphrase=RECEIVING_PASSPHRASE).returncode == 0
    )
    args = ("transfer", "import", str(out), "--data-file", str(receiving))
    wrong = run(
        *args,
        "--seal",
        "1 0123456789abcdef",
        passphrase=RECEIVING_PASSPHRASE,
        transfer=TRANSFER_PASSPHRASE,
    )
    assert wrong.returncode == 2 and "does not match the seal" in wrong.stderr
    asked = run(*args, passphrase=RECEIVING_PASSPHRASE, transfer=TRANSFER_PASSPHRASE)
    assert asked.returncode == 2 and "--seal" in asked.stderr  # no terminal to ask in
    taken = run(
        *args, "--seal", got["seal"], passphrase=RECEIVING_PASSPHRASE, transfer=TRANSFER_PASSPHRASE
    )
    assert taken.returncode == 0 and "recorded at St Aidan's" in taken.stdout
    again = run(
        *args, "--seal", got["seal"], passphrase=RECEIVING_PASSPHRASE, transfer=TRANSFER_PASSPHRASE
    )
    assert again.returncode == 2 and "already imported on" in again.stderr
    checked = run("check", "--data-file", str(receiving), passphrase=RECEIVING_PASSPHRASE)
    assert checked.returncode == 0, checked.stderr


def test_a_damaged_value_leaves_the_file_usable_from_the_command_line(
    data: Path, tmp_path: Path
) -> None:
    _sql(
        data,
        "DROP TRIGGER stage_event_no_update",
        "UPDATE stage_event SET due = 'not-a-date' WHERE id = (SELECT max(s.id) FROM "
        "stage_event AS s JOIN escalation AS e ON e.id = s.escalation_id "
        "WHERE s.kind = 'started' AND e.status = 'open')",
    )
    listing = run("list", "--data-file", str(data), "--json")
    assert listing.returncode == 0
    damaged = [r for r in json.loads(listing.stdout) if r["damaged"]]
    assert len(damaged) == 1 and "not a date" in damaged[0]["damaged"]
    assert run("stats", "--data-file", str(data), "--json").returncode == 0
    checked = run("check", "--data-file", str(data))
    assert checked.returncode == 1 and damaged[0]["ref"] in checked.stderr
    doc = run(
        "document",
        "chronology",
        damaged[0]["ref"],
        "--data-file",
        str(data),
        "--out",
        str(tmp_path / "x.pdf"),
    )
    assert doc.returncode == 2 and "is damaged" in doc.stderr
