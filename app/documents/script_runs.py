"""User text cut into runs, each set in one font at one bidirectional level.

A run ends where the font changes (a Chinese name inside an English sentence), where the
direction changes (an Arabic name, or the digits inside it), and at each space (so that
a line can break there and right-to-left words can be put in visual order). Punctuation,
digits and spaces stay in the font of the letters before them when it has them, and
combining marks always do, so that a mark is never drawn apart from its letter."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from app.documents.fonts import REGULAR, covers, font_for, is_joiner

_STRONG = ("L", "R", "AL")


@dataclass(frozen=True)
class Run:
    font: str
    text: str
    level: int = 0  # bidirectional embedding level: odd is right to left

    @property
    def space(self) -> bool:
        return self.text == " "

    @property
    def rtl(self) -> bool:
        return self.level % 2 == 1


def plain(text: str) -> bool:
    """Whether the text needs nothing beyond the style's own font: no other script, no
    right-to-left letter. Most text is, and is laid out exactly as before."""
    return text.isascii() or all(
        font_for(c) == REGULAR and unicodedata.bidirectional(c) not in ("R", "AL") for c in text
    )


def char_fonts(text: str) -> list[str]:
    """The font of each character: its own (``font_for``) if it is a letter, else that
    of the character before it when that font has it."""
    fonts: list[str] = []
    for char in text:
        before = fonts[-1] if fonts else None
        if before is not None and (
            is_joiner(char)
            or (unicodedata.bidirectional(char) not in _STRONG and covers(before, char))
        ):
            fonts.append(before)
        else:
            fonts.append(font_for(char))
    return fonts


def runs(text: str, levels: list[int] | None = None) -> list[Run]:
    """The text (one line, no line breaks) as runs in logical order; ``levels``, one a
    character, from ``bidi_order.levels`` (all 0 when the text is left to right)."""
    fonts = char_fonts(text)
    out: list[Run] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or _boundary(text, fonts, levels, i):
            out.append(Run(fonts[start], text[start:i], levels[start] if levels else 0))
            start = i
    return out


def _boundary(text: str, fonts: list[str], levels: list[int] | None, i: int) -> bool:
    return (
        text[i] == " "
        or text[i - 1] == " "
        or fonts[i] != fonts[i - 1]
        or (levels is not None and levels[i] != levels[i - 1])
    )
