"""Opening a transfer file with its own passphrase. Wrong transfer passphrases are
slowed exactly as the data file's are (``app.storage.unlock_attempts``: 0, 0, 1, 2, 4…
30 seconds, counted per file across runs), so a stolen transfer file cannot be guessed
at through the import any faster than a data file through the unlock."""

from __future__ import annotations

from pathlib import Path

from app.english_plurals import count
from app.services.provenance import NOT_IMPORTED
from app.storage.database import Database
from app.storage.errors import PassphraseRefusedError, UnlockTooSoonError, WrongPassphraseError
from app.storage.unlock_attempts import UnlockAttempts


class TransferPassphraseError(PassphraseRefusedError):
    """The transfer file was not opened because of its passphrase; ``retry_after`` is
    the seconds before the next try."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def open_transfer(path: Path, passphrase: str, attempts: UnlockAttempts | None = None) -> Database:
    """The transfer file, opened as it is (never migrated or written to)."""
    attempts = attempts if attempts is not None else UnlockAttempts()
    try:
        return attempts.counted(path, lambda: Database.open(path, passphrase))
    except UnlockTooSoonError as exc:
        raise TransferPassphraseError(
            "Wrong passphrases were tried on this transfer file a moment ago: wait "
            f"{count(exc.retry_after, 'second')}, then try again. {NOT_IMPORTED}",
            exc.retry_after,
        ) from None
    except WrongPassphraseError as exc:
        wait = (
            f" Wait {count(exc.retry_after, 'second')} before the next try."
            if exc.retry_after
            else ""
        )
        raise TransferPassphraseError(
            f"That passphrase does not open the transfer file.{wait} {NOT_IMPORTED}",
            exc.retry_after,
        ) from None
