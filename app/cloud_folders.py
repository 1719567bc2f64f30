"""Whether a folder is one a cloud service synchronises: a saved PDF is not encrypted,
so one saved there is uploaded, unencrypted, to the service and to every device signed
in to the same account.

Recognised by the folder names the services' desktop apps make (on Windows, macOS and
Linux): a folder named after the service, or starting with its name and then a space,
a hyphen or a bracket ("OneDrive - Riverside School", "Dropbox (Personal)",
"GoogleDrive-dsl@example.org" under macOS's CloudStorage). A folder that merely
contains the name ("Mailbox", "Xbox") is not one.
"""

from __future__ import annotations

import re
from pathlib import PurePath

# The name a folder starts with, and the service it belongs to, as people know it.
_SERVICES = (
    ("OneDrive", "OneDrive"),
    ("Dropbox", "Dropbox"),
    ("Google Drive", "Google Drive"),
    ("GoogleDrive", "Google Drive"),
    ("My Drive", "Google Drive"),  # Google Drive for desktop's drive letter, G:\My Drive
    ("iCloudDrive", "iCloud Drive"),  # iCloud for Windows
    ("iCloud Drive", "iCloud Drive"),
    ("com~apple~CloudDocs", "iCloud Drive"),  # where macOS keeps iCloud Drive
    ("Box", "Box"),
    ("Box Sync", "Box"),
)
_FOLDER = [
    (re.compile(rf"^{re.escape(name)}(?:$|[ \-(_])", re.IGNORECASE), service)
    for name, service in _SERVICES
]


def cloud_service(path: PurePath) -> str | None:
    """The service that synchronises ``path`` (a folder or a file in one), or None."""
    for part in path.parts:
        for pattern, service in _FOLDER:
            if pattern.match(part):
                return service
    return None
