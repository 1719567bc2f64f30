"""A record seal: a position in a file's audit chain and the hash of the entry there.

Printed on every document in a form a person can read out and type back
(``Record seal 184 · 3f9c 2a71 b0de 4c15``: the entry's id and the first 16 hex digits
of its hash), with the full hash in the PDF's metadata. Documents that were printed or
sent are held by other people, so the seals on them anchor the file's history outside
the file (docs/reliability.md, "Record seals"). This module is only the value: reading,
writing and checking it against a file is ``app.storage.seals``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.english_plurals import count
from app.errors import InputError

# 16 hex digits (64 bits) are what a person types back; 64 are the whole SHA-256.
SHORT_DIGITS = 16
FULL_DIGITS = 64
# In the PDF's Keywords: the entry id and the full hash, for ``check --against``.
KEYWORD = "record-seal"
_KEYWORD_PATTERN = re.compile(rf"{KEYWORD}:(\d+):([0-9a-f]{{{FULL_DIGITS}}})")
_SEPARATORS = re.compile(r"[\s·.:\-]+")


@dataclass(frozen=True)
class Seal:
    """``entry``: the audit entry's id (0 before the first entry); ``digits``: its hash,
    or the first 16 or more hex digits of it as typed (lower case)."""

    entry: int
    digits: str

    @property
    def full(self) -> bool:
        return len(self.digits) == FULL_DIGITS

    @property
    def short_digits(self) -> str:
        return self.digits[:SHORT_DIGITS]

    @property
    def grouped(self) -> str:
        """``3f9c 2a71 b0de 4c15``: the short hash in fours, easy to read out."""
        short = self.short_digits
        return " ".join(short[i : i + 4] for i in range(0, len(short), 4))

    @property
    def printed(self) -> str:
        """What a document's footer says: ``Record seal 184 · 3f9c 2a71 b0de 4c15``."""
        return f"Record seal {self.entry} · {self.grouped}"

    @property
    def typed(self) -> str:
        """What ``--seal`` and ``--json`` take and give: ``184 3f9c2a71b0de4c15``."""
        return f"{self.entry} {self.short_digits}"

    @property
    def keyword(self) -> str:
        """The PDF metadata form, with the full hash."""
        return f"{KEYWORD}:{self.entry}:{self.digits}"

    def matches(self, entry: int, hash_hex: str) -> bool:
        """True if the entry ``entry`` with ``hash_hex`` is the one this seal names."""
        return entry == self.entry and hash_hex.lower().startswith(self.digits)


def parse_seal(text: str, what: str = "The seal") -> Seal:
    """A seal as a person types it: ``184 3f9c2a71b0de4c15``, with or without the words
    ``Record seal`` / ``Transfer seal``, spaces or a dot between groups, any case."""
    words = text.strip()
    for prefix in ("record seal", "transfer seal", "seal"):
        if words.lower().startswith(prefix):
            words = words[len(prefix) :]
            break
    parts = [p for p in _SEPARATORS.split(words) if p]
    example = "for example 184 3f9c2a71b0de4c15"
    if not parts or not parts[0].isdigit() or not parts[0].isascii():
        raise InputError(
            f"{what} '{text.strip()}' should be a number and then 16 letters and digits "
            f"({example})."
        )
    digits = "".join(parts[1:]).lower()
    if not re.fullmatch(r"[0-9a-f]*", digits) or not digits.isascii():
        raise InputError(
            f"{what} '{text.strip()}' has characters that are not in a seal: after the number "
            f"only the digits 0-9 and the letters a-f ({example})."
        )
    if not SHORT_DIGITS <= len(digits) <= FULL_DIGITS:
        raise InputError(
            f"{what} '{text.strip()}' has "
            f"{count(len(digits), 'letter or digit', 'letters and digits')} after the number; "
            f"a seal has {SHORT_DIGITS} ({example})."
        )
    return Seal(int(parts[0]), digits)


def seal_in_keywords(keywords: str) -> Seal | None:
    """The full seal a generated PDF carries in its Keywords, if any."""
    found = _KEYWORD_PATTERN.search(keywords or "")
    return Seal(int(found.group(1)), found.group(2)) if found else None
