"""The wait after wrong passphrases, for the unlock screen (it needs it before the
services that read and write records are loaded). The rule and the count it applies to
live in ``app.storage.unlock_attempts``."""

from __future__ import annotations

from app.storage.unlock_attempts import MAX_UNLOCK_DELAY_SECONDS as MAX_UNLOCK_DELAY_SECONDS
from app.storage.unlock_attempts import unlock_delay as unlock_delay
