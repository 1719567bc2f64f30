"""Wrong passphrases, counted per data file across runs, and the wait before the next try.

The window, the CLI and every caller of ``open_data_file`` share one count per data
file, so restarting the app or scripting the CLI does not reset it. It lives in the
per-user settings file (``settings.ini``, section ``[unlock_failures]``), beside what the
window remembers: a count and a time, not secret. It is keyed by the file's identity,
not its name: SQLCipher's salt, the file's first 16 bytes (random per file, stored in the
clear, unchanged by a change of passphrase), so a renamed, moved or linked file keeps its
count. The wait is ``unlock_delay(count)`` from the last failure (0, 0, 1, 2, 4… 30 s):
it slows guessing and never locks the DSL out. The real protection against someone who
has copied the file is the key derivation (docs/reliability.md, "Passphrase").

The settings file is the window's QSettings INI file, read and written here with
``configparser`` (no Qt in ``app/``). QSettings keeps groups it does not know and re-reads
a file another process changed, so the two share it; a file this module cannot parse is
never rewritten. Two processes failing at the same instant may lose one count.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

if TYPE_CHECKING:
    from configparser import ConfigParser

T = TypeVar("T")

SECTION: Final = "unlock_failures"
MAX_UNLOCK_DELAY_SECONDS: Final = 30
# The window's button and the clock here run on different timers: a try this close to
# the end of the wait counts as on time.
_SLACK_SECONDS: Final = 0.5


def unlock_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong passphrases in a row: 0, 0, 1, 2, 4, 8…
    capped at 30. It slows guessing without ever locking the DSL out."""
    if failures <= 1:
        return 0
    # The exponent is bounded too: 2 ** (failures - 2) for a huge count would build an
    # enormous integer (seconds of CPU at 10**8 failures) only to be capped.
    exponent = min(failures - 2, MAX_UNLOCK_DELAY_SECONDS.bit_length())
    return min(MAX_UNLOCK_DELAY_SECONDS, 1 << exponent)


def wall_clock() -> float:
    """Seconds since the epoch: a wait must survive a restart. Tests replace it."""
    return time.time()


def sleep_for(seconds: float) -> None:
    """How the CLI waits. Tests replace it."""
    time.sleep(seconds)


def file_identity(data_path: Path, who: str = "") -> str | None:
    """The data file's salt in hex, or None when it cannot be read (opening it will
    then say why: missing, a folder, not a data file). ``who``: a team's member (or
    "recovery"), counted apart, so one member's mistakes never delay another; their
    name is kept as a digest, not in the clear."""
    from app.storage.keys import SALT_BYTES

    try:
        with data_path.open("rb") as file:
            salt = file.read(SALT_BYTES)
    except OSError:
        return None
    if len(salt) != SALT_BYTES:
        return None
    if not who:
        return salt.hex()
    import hashlib

    name = " ".join(who.split()).casefold().encode("utf-8")
    return f"{salt.hex()}.{hashlib.sha256(salt + name).hexdigest()[:16]}"


class UnlockAttempts:
    """The failure counts in one settings file (by default the per-user one)."""

    def __init__(self, settings: Path | None = None) -> None:
        if settings is None:
            from app.paths import settings_file

            settings = settings_file()
        self.settings = settings

    def failures(self, data_path: Path, who: str = "") -> tuple[int, float]:
        """(wrong passphrases in a row, when the last was tried) for this file."""
        identity = file_identity(data_path, who)
        parser = self._read()
        if identity is None or parser is None or not parser.has_option(SECTION, identity):
            return 0, 0.0
        count, _, when = parser.get(SECTION, identity).partition(" ")
        try:
            return max(0, int(count)), float(when)
        except ValueError:
            return 0, 0.0

    def retry_after(self, data_path: Path, who: str = "") -> int:
        """Whole seconds until this file may be tried again (0: now)."""
        count, last = self.failures(data_path, who)
        delay = unlock_delay(count)
        # A clock set back must not make the wait longer than the delay itself.
        remaining = min(float(delay), last + delay - wall_clock())
        return max(0, math.ceil(remaining - _SLACK_SECONDS))

    def wait(
        self, data_path: Path, announce: Callable[[int], None] | None = None, who: str = ""
    ) -> None:
        """Sleep until this file may be tried again (the CLI, where a person waits)."""
        seconds = self.retry_after(data_path, who)
        if seconds > 0:
            if announce is not None:
                announce(seconds)
            sleep_for(seconds)

    def counted(self, data_path: Path, open_file: Callable[[], T], who: str = "") -> T:
        """``open_file()``, unless this file's wait is not over (``UnlockTooSoonError``,
        not tried); a wrong passphrase is counted and carries the wait before the next.
        Every file opened with a typed passphrase goes through here: the data file and
        a transfer file alike, so neither can be guessed at faster than the other."""
        from app.storage.errors import UnlockTooSoonError, WrongPassphraseError

        wait = self.retry_after(data_path, who)
        if wait > 0:
            raise UnlockTooSoonError(wait)
        try:
            opened = open_file()
        except WrongPassphraseError as exc:
            exc.retry_after = self.failed(data_path, who)
            raise
        self.succeeded(data_path, who)
        return opened

    def failed(self, data_path: Path, who: str = "") -> int:
        """Count one more wrong passphrase; the seconds to wait before the next try."""
        count, _ = self.failures(data_path, who)
        count += 1
        self._store(data_path, f"{count} {wall_clock():.3f}", who)
        return unlock_delay(count)

    def succeeded(self, data_path: Path, who: str = "") -> None:
        """The right passphrase: the count starts again."""
        if self.failures(data_path, who)[0]:
            self._store(data_path, None, who)

    def _read(self) -> ConfigParser | None:
        """The settings as they are on disk; None if they cannot be read or parsed."""
        from configparser import ConfigParser, Error

        parser = ConfigParser(interpolation=None, delimiters=("=",), strict=False)
        parser.optionxform = str  # type: ignore[assignment,method-assign]  # QSettings keeps case
        try:
            parser.read(self.settings, encoding="utf-8")
        except (OSError, Error, UnicodeDecodeError):
            return None
        return parser

    def _store(self, data_path: Path, value: str | None, who: str = "") -> None:
        """Best effort: a settings folder that cannot be written never stops an unlock."""
        identity = file_identity(data_path, who)
        parser = self._read()
        if identity is None or parser is None:
            return
        if value is None:
            if parser.has_section(SECTION):
                parser.remove_option(SECTION, identity)
        else:
            if not parser.has_section(SECTION):
                parser.add_section(SECTION)
            parser.set(SECTION, identity, value)
        temporary = self.settings.with_name(f".{self.settings.name}.{os.getpid()}.tmp")
        try:
            self.settings.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("w", encoding="utf-8") as file:
                parser.write(file, space_around_delimiters=False)
            os.replace(temporary, self.settings)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
