"""The one rule for a NEW passphrase: rated by zxcvbn, refused when weak, with a suggestion.

Every place a passphrase is born asks ``check_new``: a new data file (first run, the
CLI's ``demo``), a change of passphrase, a transfer file (``Database.create`` and
``Database.rekey`` call it, so no path can skip it; the forms call it first through
``app.services.security`` to show the reason beside the field). Opening an existing
file never rates its passphrase: a file made before this rule still opens.

Why zxcvbn: a length rule alone accepted ``password``, ``12345678`` and ``aaaaaaaa``.
zxcvbn estimates guesses the way an attacker with a dictionary would (common passwords,
words, names, keyboard patterns, repeats, dates, l33t), offline, in pure Python. Its
score runs 0 to 4; 3 means more than 10^8 guesses, which against SQLCipher's 256,000
PBKDF2 rounds per guess is years on one machine (docs/reliability.md, "Passphrases").

zxcvbn (and the word list) load only when a new passphrase is rated, never at start-up
(``tests/ui/test_startup_lean.py``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Final

from app.errors import InputError
from app.paths import resource_path

MIN_LENGTH: Final = 12
MIN_SCORE: Final = 3  # zxcvbn's "safely unguessable": over 10^8 guesses
SUGGESTED_WORDS: Final = 4
_MAX_DRAWS: Final = 50
# zxcvbn refuses longer input; a longer passphrase is rated on its first 72 characters,
# which can only under-rate it.
_ZXCVBN_MAX_LENGTH: Final = 72
# Words anyone guessing at a school's file would try first.
_SETTING_WORDS: Final = (
    "escalation",
    "tracker",
    "safeguarding",
    "school",
    "academy",
    "child",
    "children",
    "dsl",
    "designated",
    "partnership",
)


class WeakPassphraseError(InputError):
    """A new passphrase that is too short or too easy to guess; the message says why and
    suggests one."""


@dataclass(frozen=True)
class Rating:
    score: int  # zxcvbn's 0-4; 0 when too short to be worth rating
    too_short: bool
    warning: str  # zxcvbn's reason, e.g. "This is a top-10 common password.", or ""

    @property
    def acceptable(self) -> bool:
        return not self.too_short and self.score >= MIN_SCORE


def rate(passphrase: str) -> Rating:
    """zxcvbn's score for ``passphrase``, and the length rule."""
    if len(passphrase) < MIN_LENGTH:
        return Rating(0, True, "")
    import re

    from zxcvbn import zxcvbn  # here: see the module's docstring

    # zxcvbn counts each space or symbol between words as a guess of its own, and a
    # sequence of three parts as at least 10^8 guesses: "password password" and "i love
    # you" score 3 as typed. An attacker tries the words with and without separators, so
    # the passphrase is rated both ways and the weaker rating counts.
    joined = re.sub(r"[\W_]+", "", passphrase)
    results = [
        zxcvbn(text[:_ZXCVBN_MAX_LENGTH], user_inputs=list(_SETTING_WORDS))
        for text in dict.fromkeys((passphrase, joined))
        if text
    ]
    weakest = min(results, key=lambda result: int(result["score"]))
    warning = str(weakest["feedback"]["warning"] or "")
    return Rating(int(weakest["score"]), False, warning)


def check_new(passphrase: str) -> None:
    """Refuse a new passphrase that is shorter than ``MIN_LENGTH`` or that zxcvbn scores
    below ``MIN_SCORE``, with the reason and a suggestion in one plain message."""
    rating = rate(passphrase)
    if rating.acceptable:
        return
    if rating.too_short:
        reason = f"A new passphrase must be at least {MIN_LENGTH} characters long."
    else:
        why = rating.warning.rstrip(".") if rating.warning else "it follows a common pattern"
        reason = f"That passphrase would be easy to guess ({why[0].lower()}{why[1:]})."
    raise WeakPassphraseError(
        f'{reason} Four random words are strong and easy to remember, for example "{suggest()}".'
    )


@functools.cache
def _words() -> tuple[str, ...]:
    """The shipped word list (resources/wordlist/README.txt says where it comes from)."""
    text = resource_path("resources", "wordlist", "eff_large_wordlist.txt").read_text("utf-8")
    return tuple(word for word in text.split() if word.isalpha())


def suggest() -> str:
    """Four words picked with ``secrets`` (never ``random``), checked against the rule
    itself: with 7,669 words a weak draw is very rare, and is simply drawn again."""
    import secrets

    words = _words()
    for _ in range(_MAX_DRAWS):
        candidate = " ".join(secrets.choice(words) for _ in range(SUGGESTED_WORDS))
        if rate(candidate).acceptable:
            return candidate
    raise RuntimeError("the word list gives no acceptable passphrase")  # a broken list
