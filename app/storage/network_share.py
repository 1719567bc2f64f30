"""Refusing a data file on a network share (SMB, NFS, SSHFS…).

SQLite's locking is not reliable over network file systems (sqlite.org, "How To Corrupt
An SQLite Database File", section 2.1), and a team sharing one file from several
laptops over a share is exactly the case where two writers meet. So create, open and
restore refuse such a path with a plain explanation; a team across several laptops is a
later server mode. Detection, per platform:

* Linux: the mount the path lives on, from ``/proc/self/mountinfo`` (the longest mount
  point that is a prefix of the resolved path), and its file system type;
* Windows: a UNC path (``\\\\server\\share``), or a drive letter that
  ``GetDriveTypeW`` reports as ``DRIVE_REMOTE`` (a mapped network drive);
* macOS: ``statfs``'s ``f_fstypename``, read through the C library.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Final

from app.storage.errors import StorageError

NETWORK_TYPES: Final = frozenset(
    {
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "nfs",
        "nfs4",
        "9p",
        "afs",
        "afpfs",
        "ncpfs",
        "coda",
        "ceph",
        "glusterfs",
        "lustre",
        "davfs",
        "webdav",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.davfs2",
        "fuse.s3fs",
        "fuse.gvfsd-fuse",
    }
)
DRIVE_REMOTE: Final = 4


class NetworkShareError(StorageError):
    pass


def refuse_network_share(path: Path, outcome: str) -> None:
    if is_on_network_share(path):
        raise NetworkShareError(
            f"{path.name} is on a network share, so {outcome}. SQLite's locking is not "
            "reliable over network shares (SMB or NFS), and two people writing to it at "
            "once could damage the records. Keep the data file on this computer's own "
            "drive (or a USB drive plugged into it)."
        )


def is_on_network_share(path: Path) -> bool:
    if sys.platform == "win32":
        return _windows_remote(str(path))
    if sys.platform == "darwin":
        return _mac_fs_type(path) in NETWORK_TYPES
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as file:
            table = file.read()
    except OSError:
        return False
    return linux_fs_type(_existing(path), table) in NETWORK_TYPES


def _existing(path: Path) -> str:
    """The resolved path, or its nearest folder that exists (a file being created)."""
    path = Path(os.path.abspath(path))
    for candidate in (path, *path.parents):
        if candidate.exists():
            return str(candidate.resolve())
    return str(path)


def _unescape(field: str) -> str:
    # mountinfo escapes space, tab, newline and backslash as octal (\040…).
    import re

    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def linux_fs_type(path: str, mountinfo: str) -> str | None:
    """The file system type of the mount holding ``path``, from a mountinfo table."""
    best: tuple[int, str] | None = None
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        fields = left.split()
        if not sep or len(fields) < 5 or not right.split():
            continue
        point = _unescape(fields[4])
        inside = path == point or path.startswith(point.rstrip("/") + "/") or point == "/"
        if inside and (best is None or len(point) >= best[0]):
            best = (len(point), right.split()[0])
    return best[1] if best is not None else None


def _windows_remote(path: str, drive_type: object = None) -> bool:
    """UNC paths and mapped network drives. ``drive_type`` (tests): a function of the
    root, in place of ``GetDriveTypeW``."""
    normal = path.replace("/", "\\")
    if normal.startswith("\\\\"):
        # \\?\C:\… is a local path in long form; \\?\UNC\server\share is not.
        if normal.startswith("\\\\?\\") or normal.startswith("\\\\.\\"):
            rest = normal[4:]
            if not rest.upper().startswith("UNC\\"):
                return _windows_remote(rest, drive_type)
        return True
    if len(normal) < 2 or normal[1] != ":":
        return False
    root = normal[:2] + "\\"
    if drive_type is None:
        import ctypes

        windll: object = getattr(ctypes, "windll")  # noqa: B009  (Windows only)
        get_type = windll.kernel32.GetDriveTypeW  # type: ignore[attr-defined]
        return bool(get_type(root) == DRIVE_REMOTE)
    return bool(drive_type(root) == DRIVE_REMOTE)  # type: ignore[operator]


def _mac_fs_type(path: Path) -> str | None:
    """``statfs(2)``'s ``f_fstypename`` on macOS (64-bit layout)."""
    import ctypes
    import ctypes.util

    class StatFs(ctypes.Structure):
        _fields_ = [
            ("f_bsize", ctypes.c_uint32),
            ("f_iosize", ctypes.c_int32),
            ("f_blocks", ctypes.c_uint64),
            ("f_bfree", ctypes.c_uint64),
            ("f_bavail", ctypes.c_uint64),
            ("f_files", ctypes.c_uint64),
            ("f_ffree", ctypes.c_uint64),
            ("f_fsid", ctypes.c_int32 * 2),
            ("f_owner", ctypes.c_uint32),
            ("f_type", ctypes.c_uint32),
            ("f_flags", ctypes.c_uint32),
            ("f_fssubtype", ctypes.c_uint32),
            ("f_fstypename", ctypes.c_char * 16),
            ("f_mntonname", ctypes.c_char * 1024),
            ("f_mntfromname", ctypes.c_char * 1024),
            ("f_reserved", ctypes.c_uint32 * 8),
        ]

    library = ctypes.util.find_library("c")
    if library is None:
        return None
    libc = ctypes.CDLL(library, use_errno=True)
    statfs = libc.statfs64 if hasattr(libc, "statfs64") else libc.statfs
    result = StatFs()
    if statfs(_existing(path).encode(), ctypes.byref(result)) != 0:
        return None
    return bytes(result.f_fstypename).decode(errors="replace").lower() or None
