"""A data file on a network share is refused at create, open and restore (issue 23):
the detection, with injected mount tables and Windows' drive types, and the refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services import team
from app.storage import network_share
from app.storage.backup import restore_backup
from app.storage.network_share import NetworkShareError, linux_fs_type

MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
30 22 0:26 / /home rw,relatime shared:2 - ext4 /dev/sda2 rw
40 30 0:50 / /home/dsl/School\\040Share rw,relatime shared:9 - cifs //server/safeguarding rw
41 22 0:51 / /mnt/nfs rw,relatime shared:10 - nfs4 server:/export rw
42 22 0:52 / /mnt/laptop rw,relatime shared:11 - fuse.sshfs dsl@laptop: rw
43 41 0:53 / /mnt/nfs/local rw,relatime shared:12 - tmpfs tmpfs rw
"""


@pytest.mark.parametrize(
    ("path", "fs_type"),
    [
        ("/home/dsl/Documents/school.etdb", "ext4"),
        ("/home/dsl/School Share/records/school.etdb", "cifs"),
        ("/home/dsl/School Shared/school.etdb", "ext4"),  # not inside the share
        ("/mnt/nfs/school.etdb", "nfs4"),
        ("/mnt/nfs/local/school.etdb", "tmpfs"),  # the deeper mount wins
        ("/mnt/laptop/school.etdb", "fuse.sshfs"),
        ("/school.etdb", "ext4"),
    ],
)
def test_the_mount_holding_a_path_is_found(path: str, fs_type: str) -> None:
    assert linux_fs_type(path, MOUNTINFO) == fs_type


def test_network_types_are_the_ones_refused() -> None:
    for fs_type in ("cifs", "smb3", "nfs", "nfs4", "9p", "fuse.sshfs", "smbfs", "afpfs"):
        assert fs_type in network_share.NETWORK_TYPES
    for fs_type in ("ext4", "btrfs", "xfs", "tmpfs", "vfat", "exfat", "ntfs3", "apfs"):
        assert fs_type not in network_share.NETWORK_TYPES


def test_a_linux_path_on_a_share_is_found_from_mountinfo(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    table = f"22 1 8:1 / / rw - ext4 /dev/sda1 rw\n50 22 0:60 / {tmp_path} rw - cifs //s/x rw\n"
    real_open = open

    def fake_open(file: object, *args: object, **kwargs: object) -> object:
        if file == "/proc/self/mountinfo":
            import io

            return io.StringIO(table)
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setattr("builtins.open", fake_open)
    assert network_share.is_on_network_share(tmp_path / "new.etdb")  # not made yet
    assert not network_share.is_on_network_share(Path("/usr/new.etdb"))


@pytest.mark.parametrize(
    ("path", "remote"),
    [
        (r"\\server\safeguarding\school.etdb", True),
        (r"\\?\UNC\server\safeguarding\school.etdb", True),
        (r"\\?\C:\Users\dsl\school.etdb", False),
        (r"C:\Users\dsl\school.etdb", False),
        (r"Z:\records\school.etdb", True),  # a mapped network drive
        ("relative.etdb", False),
    ],
)
def test_windows_unc_paths_and_mapped_drives(path: str, remote: bool) -> None:
    def drive_type(root: str) -> int:
        return network_share.DRIVE_REMOTE if root.upper() == "Z:\\" else 3  # DRIVE_FIXED

    assert network_share._windows_remote(path, drive_type) is remote


def test_create_open_and_restore_refuse_a_share(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "school.etdb"
    made = team.create(path, "Ann Lee", "orchard lantern pebble violin")
    with made.db as db:
        db.backup_to(tmp_path / "copy.etdb")
    monkeypatch.setattr(network_share, "is_on_network_share", lambda _path: True)
    for attempt in (
        lambda: team.create(tmp_path / "new.etdb", "Ann Lee", "orchard lantern pebble violin"),
        lambda: team.unlock(path, None, "orchard lantern pebble violin"),
        lambda: restore_backup(tmp_path / "copy.etdb", "orchard lantern pebble violin", path),
    ):
        with pytest.raises(NetworkShareError) as refused:
            attempt()
        assert "SQLite's locking is not reliable over network shares" in str(refused.value)
    assert not (tmp_path / "new.etdb").exists()
