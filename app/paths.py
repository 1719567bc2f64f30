"""Every file location the app uses, resolved in one place.

Resources (policies, fonts, stylesheet, migration scripts) are found the same way whether
the app runs from a checkout or from a PyInstaller bundle (``sys._MEIPASS``). User data
goes to the per-user data folder, or next to the program in portable mode (a marker file
``portable.txt`` beside the executable), so a USB stick carries its own data.
"""

from __future__ import annotations

import sys
from pathlib import Path

from platformdirs import user_data_dir

from app.errors import KnownError

APP_NAME = "EscalationTracker"
PORTABLE_MARKER = "portable.txt"


def bundle_root() -> Path:
    """The folder holding ``policies/`` and ``resources/``, frozen or not."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return bundle_root().joinpath(*parts)


def shipped_policies_dir() -> Path:
    return resource_path("policies")


def program_dir() -> Path:
    """Where the executable (or the checkout) lives: the portable-mode location."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return bundle_root()


def is_portable() -> bool:
    return (program_dir() / PORTABLE_MARKER).exists()


def user_data_root() -> Path:
    if is_portable():
        return program_dir() / "data"
    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


def extra_policies_dir() -> Path:
    """A partnership's own policy files, loaded beside the shipped ones."""
    return user_data_root() / "policies"


DATA_FILE_NAME = "escalations.etdb"


def default_data_file() -> Path:
    return user_data_root() / DATA_FILE_NAME


def portable_data_file() -> Path:
    """The data file on a USB stick: in ``data`` beside the program."""
    return program_dir() / "data" / DATA_FILE_NAME


def enable_portable_mode() -> None:
    """Put the marker beside the program, so settings and data stay on the stick."""
    try:
        (program_dir() / PORTABLE_MARKER).touch()
    except OSError:
        raise KnownError(
            f"The app cannot write to {program_dir()}, so it cannot run in portable mode "
            "from there. Copy the program to a USB stick and run it from the stick."
        ) from None


def settings_file() -> Path:
    """What this computer remembers outside the encrypted file (never child data): the
    window's settings and the wrong-passphrase counts (``app.storage.unlock_attempts``)."""
    return user_data_root() / "settings.ini"


def log_dir() -> Path:
    """Error logs (never child data: see ui.errors)."""
    return user_data_root() / "logs"
