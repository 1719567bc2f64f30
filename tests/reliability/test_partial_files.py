"""Nothing partial is left behind, and what is written is its owner's alone:

* a document saved onto a full disk leaves no partial PDF (a real full disk: a tmpfs in a
  private mount namespace) and one plain line;
* a backup killed half-way leaves a ``.partial`` copy of every record, which the next
  open of the data file, or the next backup into that folder, removes (one still being
  written by a live process is left alone);
* data files, backups, transfer files, the copy kept before a restore, and saved
  documents and exports are created 0600 (0644 before).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app import cli
from app.demo import create_demo
from app.policy import default_library
from app.services import team
from app.services.escalations import list_escalations
from app.services.people import add_child
from app.services.transfer import export_child
from app.storage.backup import restore_backup
from app.storage.datafile import create_data_file
from app.storage.files import before_restore_path, temp_sibling
from app.storage.private_files import remove_stale_partials, write_private_file
from tests.team_keys import copy_with_key_file, open_as

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.etdb"
    with team.create(path, "Ann Lee", PASSPHRASE).db as db:
        create_demo(db, default_library())
    return path


@pytest.fixture
def owner_only_umask() -> Iterator[None]:
    """The usual umask, under which files were created 0644."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


def _namespaces_work() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    probe = ["unshare", "--user", "--map-root-user", "--mount", "true"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _namespaces_work(), reason="cannot mount a private tmpfs here")
@pytest.mark.parametrize("command", ["document", "stats"])
def test_a_document_onto_a_full_disk_leaves_nothing(
    demo_file: Path, tmp_path: Path, command: str
) -> None:
    with open_as(demo_file, PASSPHRASE) as db:
        ref = list_escalations(db)[0].ref
    mount = tmp_path / "full"
    mount.mkdir()
    out = mount / "out.pdf"
    args = {
        "document": ["document", "chronology", ref, "--out", str(out)],
        "stats": ["stats", "--pdf", str(out)],
    }[command]
    # 16 KB of disk: the PDF (tens of KB) starts to be written, then the disk is full.
    # What is left on it is listed from inside the namespace, before the mount goes.
    script = (
        'mount -t tmpfs -o size=16k tmpfs "$1" && disk="$1" && shift && "$@"; code=$?; '
        'echo "left on the disk: $(ls -A "$disk")"; exit $code'
    )
    done = subprocess.run(
        [
            *("unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh"),
            *(str(mount), sys.executable, "-m", "app", *args, "--data-file", str(demo_file)),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "ESCALATION_TRACKER_PASSPHRASE": PASSPHRASE},
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        "error: The disk is full, so out.pdf was not written. Free some space and try again.\n"
    )
    assert done.stdout.splitlines()[-1] == "left on the disk: "  # no PDF, whole or partial


# A backup whose process is killed half-way: after the copy is written, before it is
# checked and renamed (the moment that leaves the most behind).
KILLED_BACKUP = """
import os, signal, sys
from pathlib import Path
from app.storage import backup
from app.services import team

def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

backup._verify_copy = killed
db = team.unlock(Path(sys.argv[1]), None, sys.argv[3]).db
db.backup_to(Path(sys.argv[2]))
"""


def _kill_a_backup(data_file: Path, destination: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLED_BACKUP, str(data_file), str(destination), PASSPHRASE],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )
    assert done.returncode == -9, done.stderr


def test_a_killed_backup_leaves_nothing_once_the_file_is_opened_again(
    demo_file: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    data_file = folder / "escalations.etdb"
    copy_with_key_file(demo_file, data_file)
    _kill_a_backup(data_file, folder / "backup.etdb")
    left = _partials(folder)
    assert len(left) == 1 and left[0].startswith(".backup.etdb.")  # every record, encrypted
    assert (folder / left[0]).stat().st_size > 100_000
    with open_as(data_file, PASSPHRASE):  # the next start
        assert _partials(folder) == []
    assert not (folder / "backup.etdb").exists()


def test_a_killed_backup_elsewhere_is_removed_by_the_next_backup_there(
    demo_file: Path, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    _kill_a_backup(demo_file, stick / "monday.etdb")
    assert len(_partials(stick)) == 1
    # One being written right now by a live process (this one) is left alone.
    live = temp_sibling(stick / "tuesday.etdb")
    live.write_bytes(b"still being written")
    with open_as(demo_file, PASSPHRASE) as db:
        db.backup_to(stick / "wednesday.etdb")
    assert _partials(stick) == [live.name]
    assert sorted(p.name for p in stick.iterdir() if not p.name.startswith(".")) == [
        "wednesday.etdb",
        "wednesday.etdb.keys",
    ]
    assert remove_stale_partials(stick) == []  # still ours


def test_a_failed_save_leaves_no_temporary_file_and_the_old_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "saved.pdf"
    out.write_bytes(b"%PDF earlier copy")

    def full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        write_private_file(out, b"%PDF new copy " * 1000)
    assert out.read_bytes() == b"%PDF earlier copy"
    assert [p.name for p in tmp_path.iterdir()] == ["saved.pdf"]


def _mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def test_everything_holding_records_is_its_owners_alone(
    demo_file: Path,
    tmp_path: Path,
    owner_only_umask: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_file = tmp_path / "new.etdb"
    with create_data_file(data_file, PASSPHRASE) as db:
        child = add_child(db, name="Kept Child", date_of_birth=date(2015, 1, 1), actor="test")
        db.backup_to(tmp_path / "backup.etdb")
        export_child(db, child.id, tmp_path / "transfer.etdb", PASSPHRASE, actor="test")
    restore_backup(tmp_path / "backup.etdb", PASSPHRASE, data_file)
    with open_as(demo_file, PASSPHRASE) as db:
        ref = list_escalations(db)[0].ref
    monkeypatch.setenv(cli.PASSPHRASE_ENV, PASSPHRASE)
    for argv in (
        ["document", "chronology", ref, "--out", str(tmp_path / "chronology.pdf")],
        ["stats", "--csv", str(tmp_path / "figures.csv"), "--pdf", str(tmp_path / "f.pdf")],
    ):
        assert cli.main([*argv, "--data-file", str(demo_file)]) == 0
    capsys.readouterr()
    made = [
        data_file,
        tmp_path / "backup.etdb",
        tmp_path / "transfer.etdb",
        before_restore_path(data_file),
        tmp_path / "chronology.pdf",
        tmp_path / "figures.csv",
        tmp_path / "f.pdf",
    ]
    assert {p.name: _mode(p) for p in made} == {p.name: "0o600" for p in made}
