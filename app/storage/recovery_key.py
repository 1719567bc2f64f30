"""The recovery key: a random key a person can read aloud, type and keep on paper.

Eight groups of five characters from Crockford's base32 alphabet (digits and capital
letters without I, L, O and U), e.g. ``7K2QD-M9XWA-…``: seven random groups (175 bits,
well over the 128 a key needs) and a check group (the first 25 bits of the SHA-256 of
the seven), so a mistyped key is told as mistyped rather than as "does not open".
Typing is forgiving: lower case, spaces or hyphens anywhere, and O for 0, I or L for 1
(Crockford's rule). It opens the key file's recovery slot (``app.storage.keyslots``)
and is never written to disk or logged: it is shown once, for the school safe.
"""

from __future__ import annotations

from typing import Final

from app.errors import InputError

ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUP: Final = 5
RANDOM_GROUPS: Final = 7
GROUPS: Final = RANDOM_GROUPS + 1
_CONFUSED: Final = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _check_group(body: str) -> str:
    import hashlib

    bits = int.from_bytes(hashlib.sha256(body.encode("ascii")).digest()[:4]) >> 7  # 25 bits
    return "".join(ALPHABET[(bits >> (5 * (GROUP - 1 - i))) & 31] for i in range(GROUP))


def new_recovery_key() -> str:
    """A fresh key, grouped with hyphens for reading."""
    import secrets

    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_GROUPS * GROUP))
    return grouped(body + _check_group(body))


def grouped(text: str) -> str:
    return "-".join(text[i : i + GROUP] for i in range(0, len(text), GROUP))


def normalise(typed: str) -> str:
    """The key as stored in the slot's derivation (grouped, capitals), from however it
    was typed; an ``InputError`` saying what is wrong if it cannot be one."""
    text = "".join(typed.split()).replace("-", "").upper().translate(_CONFUSED)
    wrong = sorted({c for c in text if c not in ALPHABET})
    if wrong:
        raise InputError(
            "A recovery key has only letters and digits (in groups of five); "
            f"it cannot contain {' '.join(wrong)}."
        )
    if len(text) != GROUPS * GROUP:
        raise InputError(
            f"A recovery key has {GROUPS} groups of {GROUP} characters "
            f"({GROUPS * GROUP} in all); this has {len(text)}. Check it against the sheet."
        )
    body, check = text[: RANDOM_GROUPS * GROUP], text[RANDOM_GROUPS * GROUP :]
    if _check_group(body) != check:
        raise InputError(
            "That recovery key has a mistake in it (its last group does not match the "
            "others). Check each group against the sheet."
        )
    return grouped(text)
