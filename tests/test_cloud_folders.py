"""Which folders a cloud service synchronises (app.cloud_folders): the Save as PDF
warning's rule."""

from __future__ import annotations

from pathlib import PurePath, PurePosixPath, PureWindowsPath

import pytest

from app.cloud_folders import cloud_service


@pytest.mark.parametrize(
    ("path", "service"),
    [
        (PureWindowsPath(r"C:\Users\hokafor\OneDrive\Safeguarding\ESC.pdf"), "OneDrive"),
        (PureWindowsPath(r"C:\Users\hokafor\OneDrive - Riverside School\Docs"), "OneDrive"),
        (PureWindowsPath(r"C:\Users\hokafor\Dropbox (Personal)\x.pdf"), "Dropbox"),
        (PureWindowsPath(r"G:\My Drive\Safeguarding"), "Google Drive"),
        (PureWindowsPath(r"C:\Users\hokafor\Google Drive\x.pdf"), "Google Drive"),
        (PureWindowsPath(r"C:\Users\hokafor\iCloudDrive\x.pdf"), "iCloud Drive"),
        (PureWindowsPath(r"C:\Users\hokafor\Box\Safeguarding"), "Box"),
        (PurePosixPath("/home/dsl/Dropbox/x.pdf"), "Dropbox"),
        (
            PurePosixPath("/Users/dsl/Library/CloudStorage/GoogleDrive-dsl@example.org/x"),
            "Google Drive",
        ),
        (PurePosixPath("/Users/dsl/Library/CloudStorage/OneDrive-Personal/x.pdf"), "OneDrive"),
        (
            PurePosixPath("/Users/dsl/Library/Mobile Documents/com~apple~CloudDocs/x"),
            "iCloud Drive",
        ),
        (PurePosixPath("/home/dsl/onedrive/x.pdf"), "OneDrive"),  # any case
    ],
)
def test_a_synchronised_folder_is_named(path: PurePath, service: str) -> None:
    assert cloud_service(path) == service


@pytest.mark.parametrize(
    "path",
    [
        PureWindowsPath(r"C:\Users\hokafor\Documents\Safeguarding\ESC.pdf"),
        PureWindowsPath(r"\\school-server\dsl$\Safeguarding"),
        PurePosixPath("/home/dsl/Mailbox/x.pdf"),
        PurePosixPath("/home/dsl/Xbox/x.pdf"),
        PurePosixPath("/home/dsl/Boxes of records/x.pdf"),
        PurePosixPath("/home/dsl/Dropboxes/x.pdf"),
    ],
)
def test_a_local_or_school_folder_is_not(path: PurePath) -> None:
    assert cloud_service(path) is None
