"""The wait after wrong passphrases. Its own module: the unlock screen needs it before
the services that read and write records are loaded."""

from __future__ import annotations

MAX_UNLOCK_DELAY_SECONDS = 30


def unlock_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong passphrases in a row: 0, 1, 2, 4, 8…
    capped at 30. It slows guessing without ever locking the DSL out."""
    if failures <= 1:
        return 0
    # The exponent is bounded too: 2 ** (failures - 2) for a huge count would build an
    # enormous integer (seconds of CPU at 10**8 failures) only to be capped.
    exponent = min(failures - 2, MAX_UNLOCK_DELAY_SECONDS.bit_length())
    return min(MAX_UNLOCK_DELAY_SECONDS, 1 << exponent)
