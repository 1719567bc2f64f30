"""Right-to-left text inside left-to-right documents: the Unicode bidirectional
algorithm (UAX #9) from python-bidi, a maintained implementation, rather than our own.

Every paragraph of a document is left to right (English labels, English sentences), so
the base level is 0: an Arabic or Hebrew name is a right-to-left run inside it, and the
digits inside that name run left to right again. ``levels`` resolves the level of each
character; ``visual_order`` puts one line's runs in the order they are drawn (rule L2).
Inside a run, HarfBuzz puts the glyphs of a right-to-left run in visual order when it
shapes it; a right-to-left run that is not shaped (a lone bracket) is reversed and
mirrored here."""

from __future__ import annotations

import unicodedata

from bidi.algorithm import (
    explicit_embed_and_overrides,
    get_embedding_levels,
    get_empty_storage,
    resolve_implicit_levels,
    resolve_neutral_types,
    resolve_weak_types,
)
from bidi.mirror import MIRRORED

from app.documents.script_runs import Run


def levels(text: str) -> list[int]:
    """The embedding level of each character of a left-to-right paragraph."""
    storage = get_empty_storage()
    storage["base_level"], storage["base_dir"] = 0, "L"
    get_embedding_levels("".join(map(_stand_in, text)), storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    explicit_embed_and_overrides(storage)
    resolve_weak_types(storage)
    resolve_neutral_types(storage, False)
    resolve_implicit_levels(storage, False)
    resolved = [-1] * len(text)
    for char in storage["chars"]:
        resolved[char["index"]] = char["level"]
    # Rule X9 set joiners and directional marks aside: they take the level before them.
    for index, level in enumerate(resolved):
        if level < 0:
            resolved[index] = resolved[index - 1] if index else 0
    return resolved


# python-bidi's algorithm module predates isolates (Unicode 6.3) and stops at a
# character with no bidirectional class (one newer than Python's Unicode tables), so
# each goes in as a character it knows: isolate controls as a zero-width space (set
# aside, like other invisible controls), unassigned characters as a letter of the
# direction UAX #9 gives unassigned code points there (right to left in the Hebrew,
# Arabic and other right-to-left blocks, else left to right).
_ISOLATES = ("LRI", "RLI", "FSI", "PDI")
_RTL_BLOCKS = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF), (0x10800, 0x10FFF))


def _stand_in(char: str) -> str:
    kind = unicodedata.bidirectional(char)
    if kind in _ISOLATES:
        return "\u200b"
    if not kind:
        code = ord(char)
        return "\u05d0" if any(a <= code <= b for a, b in _RTL_BLOCKS) else "a"
    return char


def visual_order(line: list[Run]) -> list[Run]:
    """One line's runs, left to right as drawn. Trailing spaces go back to the base
    level first (rule L1), so a line never ends with a space inside an Arabic name."""
    runs = list(line)
    end = len(runs)
    while end and runs[end - 1].space:
        end -= 1
        runs[end] = Run(runs[end].font, runs[end].text, 0)
    highest = max((r.level for r in runs), default=0)
    for level in range(highest, 0, -1):
        i = 0
        while i < len(runs):
            if runs[i].level < level:
                i += 1
                continue
            j = i
            while j < len(runs) and runs[j].level >= level:
                j += 1
            runs[i:j] = runs[i:j][::-1]
            i = j
    return runs


def has_strong_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def mirrored(text: str) -> str:
    """A right-to-left run drawn as it is read: characters reversed, brackets turned."""
    return "".join(MIRRORED.get(c, c) for c in reversed(text))
