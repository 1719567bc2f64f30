"""Disk full and read-only, at the service level: a save fails with a plain message (a
KnownError), and nothing already saved is lost (the file is reopened and compared).

tests/storage/test_database.py already proves the storage layer's translation (a
``max_page_count`` SQLITE_FULL, a 0444 file, a read-only folder). These tests go through
the services a form calls, on:

* a genuinely full disk: a 2 MB tmpfs in a private mount namespace (``unshare``), filled
  with a filler file. The disk really returns ENOSPC, so every layer sees what a full
  laptop disk or USB stick gives. Skipped where user namespaces are not allowed;
* a SQLite page limit (``PRAGMA max_page_count``) in-process, which always runs: SQLite
  reports SQLITE_FULL exactly as for a full disk, through the same translation;
* a read-only drive (the tmpfs remounted read-only) and a read-only file.

Not used: ``RLIMIT_FSIZE``. A write past the limit fails with EFBIG, which SQLite reports
as a generic I/O error (or, for a write that straddles the limit, as SQLITE_FULL), so it
does not simulate a full disk honestly.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from app import clock
from app.domain.records import Discussion
from app.errors import KnownError
from app.policy import PolicyLibrary
from app.services import escalations as esc
from app.services import records as rec
from app.services.people import add_child, list_children
from app.storage.database import Database
from app.storage.datafile import check_data_file, create_data_file, open_data_file
from app.storage.errors import DiskFullError
from tests.page_limit import stop_growth
from tests.reliability import storage_child

ROOT = Path(__file__).resolve().parents[2]
CHILD = "tests.reliability.storage_child"
PASSPHRASE = "disk test passphrase"
DISK_FULL = "The disk is full, so the last change was not saved. Free some space and try again."
BACKUP_DISK_FULL = "The disk is full, so the backup was not made. Free some space and try again."
READ_ONLY_FILE = "The file or its folder is read-only, so the last change was not saved."
READ_ONLY_DRIVE = "The drive is read-only, so the file could not be opened."


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 1, 6, 9, 0))


def make_records(path: Path, library: PolicyLibrary) -> Path:
    """A file with a child, an escalation at stage 2, an approved discussion."""
    db = create_data_file(path, PASSPHRASE)
    try:
        child = add_child(
            db, name="Zoë Nguyễn", date_of_birth=date(2014, 5, 12), cp_plan=True, actor="DSL"
        )
        form = esc.NewEscalation(
            child_id=child.id,
            policy_id="gloucestershire",
            pathway_id="resolution",
            raised_at=datetime(2026, 12, 18, 10, 0),
            raised_by="Mr Ben Hughes",
            other_agency="Children's Social Care",
            category="threshold",
            disputed="Referral closed with no assessment.",
            change_wanted="An assessment of the child's needs.",
            impact="Child remains at home with escalating neglect.",
        )
        ref = esc.open_escalation(db, library, form, actor="DSL").ref
        assert ref == storage_child.REF
        talk = Discussion(
            held_at=datetime(2026, 12, 21, 11, 0),
            method="phone",
            participants=["Ms Grace Adeyemi"],
            summary="Duty social worker will not reopen.",
        )
        record_id = rec.record_discussion(db, ref, talk, actor="DSL")
        rec.approve_record(db, record_id, actor="Deputy DSL")
        esc.move_to_next_stage(db, ref, result="Not resolved", actor="DSL")
    finally:
        db.close()
    return path


def snapshot(db: Database) -> tuple[Any, ...]:
    """Everything a DSL can see, through the services."""
    refs = [row.ref for row in esc.list_escalations(db)]
    return (list_children(db), [esc.escalation_detail(db, ref) for ref in refs])


def saved(path: Path) -> tuple[Any, ...]:
    with open_data_file(path, PASSPHRASE) as db:
        assert check_data_file(db) == []
        return snapshot(db)


def assert_plain(message: str) -> None:
    assert message and "\n" not in message and len(message) < 300
    for noise in ("Traceback", "Error(", "sqlite", "SQL", "0x", "errno", "[Errno"):
        assert noise not in message, message


# --- Page limit, in-process (always runs) ---------------------------------------------------


@pytest.fixture
def limited(tmp_path: Path, library: PolicyLibrary) -> Iterator[tuple[Database, tuple[Any, ...]]]:
    path = make_records(tmp_path / "data.etdb", library)
    before = saved(path)
    db = open_data_file(path, PASSPHRASE)
    free_space = stop_growth(db)
    try:
        yield db, before
    finally:
        free_space()
        db.close()


def test_a_save_on_a_full_file_fails_plainly_and_loses_nothing(
    limited: tuple[Database, tuple[Any, ...]], library: PolicyLibrary
) -> None:
    db, before = limited
    big = Discussion(
        held_at=datetime(2026, 12, 22, 9, 0),
        method="meeting",
        participants=["Ms Grace Adeyemi"],
        summary="🌧" * 10_000,
    )
    with pytest.raises(DiskFullError) as caught:
        rec.record_discussion(db, storage_child.REF, big, actor="DSL")
    assert isinstance(caught.value, KnownError)
    assert str(caught.value) == DISK_FULL
    assert_plain(str(caught.value))

    assert snapshot(db) == before  # the open file still shows exactly what was saved
    assert check_data_file(db) == []
    path = db.path
    db.close()
    assert saved(path) == before  # and so does the file, reopened


# --- A real full disk, a read-only drive (tmpfs in a private mount namespace) -----------


def _namespaces_work() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "true"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


needs_namespaces = pytest.mark.skipif(
    not _namespaces_work(), reason="cannot mount a private tmpfs here (no user namespaces)"
)


def _run_on_tmpfs(
    mode: str, source: Path, mount: Path, out: Path, size: str = "2m"
) -> list[list[Any]]:
    mount.mkdir()
    data_file = mount / "data.etdb"
    script = (
        f'mount -t tmpfs -o size={size} tmpfs "$1" && cp "$2" "$1/data.etdb" && '
        'shift 2 && exec "$@"'
    )
    command = [
        *("unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh"),
        *(str(mount), str(source), sys.executable, "-m", CHILD),
        *(mode, str(data_file), str(out)),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT), storage_child.PASSPHRASE_ENV: PASSPHRASE}
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    outcomes: list[list[Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return outcomes


@needs_namespaces
@pytest.mark.parametrize("slack", [0, 8192], ids=["no-space-at-all", "two-pages-free"])
def test_saving_on_a_full_disk(tmp_path: Path, library: PolicyLibrary, slack: int) -> None:
    source = make_records(tmp_path / "source.etdb", library)
    before = saved(source)
    outcomes = _run_on_tmpfs(f"full:{slack}", source, tmp_path / "mnt", tmp_path)
    results = {o[0]: o[1:] for o in outcomes}

    expected = {
        "record_discussion": ["DiskFullError", DISK_FULL],
        "open_escalation": ["DiskFullError", DISK_FULL],
        "back_up": ["DiskFullError", BACKUP_DISK_FULL],
    }
    if slack == 0:
        expected["add_child"] = ["DiskFullError", DISK_FULL]
        expected["record_discussion (short)"] = ["DiskFullError", DISK_FULL]
    assert {k: results[k] for k in expected} == expected
    # No partial backup, no stray temporary file, no journal left on the full disk.
    assert results["files left"] == [["data.etdb", "data.etdb.lock", "filler.bin"]]
    assert results["hot journal"] == [False]
    assert saved(tmp_path / "after-full.etdb") == before

    # Once space is freed, the same file takes the save: the app carries on.
    assert results["retry"] == ["ok"]
    children, details = saved(tmp_path / "after-retry.etdb")
    assert children == before[0]
    assert [r.versions[0].content["summary"] for r in details[0].records][-1] == (
        "After freeing space"
    )


@needs_namespaces
def test_opening_on_a_read_only_drive_says_so(tmp_path: Path, library: PolicyLibrary) -> None:
    """A write-protected stick: the file cannot even be opened (its lock file cannot be
    made), and the message says why."""
    source = make_records(tmp_path / "source.etdb", library)
    outcomes = _run_on_tmpfs("read-only-drive", source, tmp_path / "mnt", tmp_path)
    assert outcomes == [["open", "ReadOnlyError", READ_ONLY_DRIVE]]


def test_saving_to_a_read_only_file(tmp_path: Path, library: PolicyLibrary) -> None:
    path = make_records(tmp_path / "data.etdb", library)
    before = saved(path)
    prefix: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # root ignores file modes
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        caps = "-dac_override,-dac_read_search"
        prefix = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]
    path.chmod(0o444)
    try:
        done = subprocess.run(
            [*prefix, sys.executable, "-m", CHILD, "read-only-file", str(path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), storage_child.PASSPHRASE_ENV: PASSPHRASE},
            timeout=120,
            check=False,
        )
    finally:
        path.chmod(0o644)
    assert done.returncode == 0, done.stderr
    outcomes = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcomes == [
        ["list_escalations", "ok"],  # the records can still be read
        ["record_discussion", "ReadOnlyError", READ_ONLY_FILE],
        ["withdraw", "ReadOnlyError", READ_ONLY_FILE],
    ]
    assert_plain(READ_ONLY_FILE)
    assert saved(path) == before
