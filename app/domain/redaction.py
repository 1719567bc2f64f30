"""Taking identifying details out of a document's texts: the one machinery behind the
monitoring form without the child's identifying details, the statistics and monitoring
return, and the subject access disclosure.

Matching is done on a folded copy of each text (NFKD with the accents dropped, case
folded, a few letters NFKD leaves alone spelt plainly), so "ZOE", "Zoe" and "Zoë" all
match "Zoë"; the replacement is made in the original text. Names and phrases match whole
words only ("Ann" does not touch "Annual"); each part of a name is taken out on its own
too, because free text says "Zoe" far more often than "Zoe Nguyen". A date of birth is
found in the ways people write dates (22/09/2014, 22.9.14, 22 Sept 2014, 2014-09-22,
September 22nd, 2014), an identifier with or without spaces inside it.

Over-matching is the safe side here: a name that is also a word ("Grace", "May") is
taken out wherever it stands, and the DSL sees every redaction before the document is
produced (see ``Terms.apply``'s list)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from app.english_dates import MONTHS, WEEKDAYS

CHILD = "[child]"
DATE_OF_BIRTH = "[date of birth]"
IDENTIFIER = "[identifier]"
BY_HAND = "[redacted]"
THIRD_PARTY = "[third party]"

CONTEXT = 40  # characters of context either side of a redaction in the review

# Letters NFKD does not decompose but people type without their mark ("Lucja" for
# "Łucja"), and the typographic forms of the apostrophe and hyphen.
_PLAIN = str.maketrans(
    {"ł": "l", "đ": "d", "ð": "d", "ø": "o", "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t"}
    | {"æ": "ae", "œ": "oe", "þ": "th", "’": "'", "‘": "'", "ʼ": "'", "‐": "-", "‑": "-"}
)
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "ds", "dc", "di", "pc", "prof", "sir", "dame"}
_WORD_SEP = r"[\s\-]+"


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    kept = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return kept.casefold().translate(_PLAIN)


def fold(text: str) -> str:
    """``text`` as it is matched: no accents, case folded."""
    return "".join(_fold_char(c) for c in text)


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index in ``text`` it came from."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


@dataclass(frozen=True)
class Term:
    """One thing to take out: a pattern on folded text, what replaces it, and what it
    is, in the words the review shows ("the child's name")."""

    pattern: re.Pattern[str]
    marker: str
    what: str


@dataclass(frozen=True)
class Redaction:
    """One occurrence taken out: where (the field's label), what, and its context."""

    field: str
    found: str
    marker: str
    what: str
    before: str  # up to CONTEXT characters of context, "…" first if there is more
    after: str

    @property
    def excerpt(self) -> str:
        """The context with the words taken out marked: '…a referral about «Zoe»'s mum'."""
        return f"{self.before}«{self.found}»{self.after}"


@dataclass(frozen=True)
class Redacted:
    texts: dict[str, str]
    redactions: list[Redaction]


@dataclass(frozen=True)
class Terms:
    """Everything to take out of a document; ``+`` joins two sets."""

    terms: tuple[Term, ...] = ()

    def __add__(self, other: Terms) -> Terms:
        return Terms(self.terms + other.terms)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def apply(self, texts: Mapping[str, str]) -> Redacted:
        """Each text with every occurrence replaced by its marker (the longest match
        wins where two overlap), and the list of what was taken out where."""
        out: dict[str, str] = {}
        found: list[Redaction] = []
        for field, text in texts.items():
            out[field], in_field = self._apply_one(field, text)
            found += in_field
        return Redacted(out, found)

    def redact(self, text: str) -> str:
        return self._apply_one("", text)[0]

    def _apply_one(self, field: str, text: str) -> tuple[str, list[Redaction]]:
        if not text or not self.terms:
            return text, []
        folded, origin = _folded_with_origin(text)
        spans: list[tuple[int, int, Term]] = []
        for term in self.terms:
            for match in term.pattern.finditer(folded):
                if match.end() > match.start():
                    start = origin[match.start()]
                    end = _past_marks(text, origin[match.end() - 1] + 1)
                    spans.append((start, end, term))
        spans.sort(key=lambda span: (span[0], span[0] - span[1]))
        pieces: list[str] = []
        redactions: list[Redaction] = []
        done = 0
        for start, end, term in spans:
            if start < done:
                continue  # inside a longer match already taken out
            pieces += [text[done:start], term.marker]
            redactions.append(
                Redaction(
                    field=field,
                    found=text[start:end],
                    marker=term.marker,
                    what=term.what,
                    before=_context(text[:start], before=True),
                    after=_context(text[end:], before=False),
                )
            )
            done = end
        pieces.append(text[done:])
        return "".join(pieces), redactions


def _context(text: str, *, before: bool) -> str:
    """Up to CONTEXT characters of ``text`` next to a redaction, cut at a space and
    marked "…" where there is more."""
    if len(text) <= CONTEXT:
        return text
    if before:
        cut = text[-CONTEXT:]
        return "…" + (cut.split(None, 1)[-1] if " " in cut.strip() else cut)
    cut = text[:CONTEXT]
    return (cut.rsplit(None, 1)[0] if " " in cut.strip() else cut) + "…"


def _past_marks(text: str, end: int) -> int:
    """``end`` moved past combining marks typed after the last letter ("e" + "¨")."""
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end


def _whole(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){pattern}(?!\w)")


def _one_term(patterns: Iterable[str], marker: str, what: str) -> Terms:
    """One pattern of alternatives, the longest first (so a full name is preferred to
    its first part): one pass over each text, however many names a file holds."""
    ordered = sorted(set(patterns), key=lambda p: (-len(p), p))
    if not ordered:
        return Terms()
    return Terms((Term(_whole("(?:" + "|".join(ordered) + ")"), marker, what),))


def _phrase_pattern(phrase: str) -> str | None:
    words = [re.escape(w) for w in re.split(_WORD_SEP, fold(phrase).strip()) if w]
    return _WORD_SEP.join(words) if words else None


def name_parts(name: str) -> set[str]:
    """The folded parts of a name that are taken out on their own: each given and
    family name, both halves of a hyphenated or apostrophed one; not titles or initials."""
    parts = set()
    for word in re.split(r"[\s\-'.,]+", fold(name)):
        if len(word) >= 2 and word not in _TITLES:
            parts.add(word)
    return parts


def names(full_names: Iterable[str], marker: str, what: str, *, keep: Iterable[str] = ()) -> Terms:
    """Each name whole, and each of its parts, except the parts of the names in ``keep``
    (a subject access disclosure keeps the child's own names)."""
    kept = {part for name in keep for part in name_parts(name)}
    patterns: set[str] = set()
    for name in full_names:
        # The name whole, and a hyphenated part whole ("Nguyen-Smith" becomes one
        # marker, not two), unless it is made only of names kept.
        for piece in [name] + [word for word in name.split() if "-" in word]:
            parts = name_parts(piece)
            if (not parts or not parts <= kept) and (pattern := _phrase_pattern(piece)):
                patterns.add(pattern)
        patterns |= {re.escape(part) for part in name_parts(name) - kept}
    return _one_term(patterns, marker, what)


def phrases(values: Iterable[str], marker: str = BY_HAND, what: str = "added by hand") -> Terms:
    """Words or phrases taken out as they are (whole words, any case or accents)."""
    patterns = {p for p in (_phrase_pattern(v) for v in values) if p}
    return _one_term(patterns, marker, what)


def identifiers(
    values: Iterable[str], marker: str = IDENTIFIER, what: str = "an identifier"
) -> Terms:
    """Identifiers such as a UPN or NHS number, written with or without spaces, hyphens
    or dots inside ('485 777 3456' for '4857773456'). A field may hold several,
    separated by commas or semicolons, each perhaps labelled ('UPN: A123…')."""
    patterns = set()
    for value in values:
        for piece in re.split(r"[,;\n]+", value):
            # Without its label ("UPN: ", "NHS "), which is no identifier of its own.
            piece = re.sub(r"^\s*[^\W\d_]+\.?(?:\s*[:#]\s*|\s+)(?=.*\d)", "", piece)
            chars = re.sub(r"[\W_]+", "", fold(piece))
            if len(chars) >= 4:  # shorter is a number that occurs anywhere
                patterns.add(r"[\s\-/.]?".join(re.escape(c) for c in chars))
            # "UPN-A1001" is written "A1001" too: a long enough part with a digit in it.
            patterns |= {
                re.escape(chunk)
                for chunk in re.findall(r"\w+", fold(piece))
                if len(chunk) >= 5 and any(c.isdigit() for c in chunk)
            }
    return _one_term(patterns, marker, what)


def _alternatives(words: Iterable[str]) -> str:
    return "(?:" + "|".join(sorted({fold(w) for w in words}, key=len, reverse=True)) + ")"


_MONTH_WORDS = [
    _alternatives([name, name[:3]] + (["sept"] if name == "September" else [])) + r"\.?"
    for name in MONTHS
]
_WEEKDAY = _alternatives([w for day in WEEKDAYS for w in (day, day[:3])]) + r"\.?,?\s+"


def dates(
    values: Iterable[date | None], marker: str = DATE_OF_BIRTH, what: str = "the date of birth"
) -> Terms:
    """Dates in every common written form, with an optional weekday before them."""
    known = sorted({v for v in values if v is not None})
    if not known:
        return Terms()
    nth = r"(?:st|nd|rd|th)?"
    weekday = rf"(?:{_WEEKDAY})?"
    sep = r"\s*[/.\-]\s*"
    forms: list[list[str]] = [[], [], [], [], []]
    for value in known:
        day, month = rf"0?{value.day}", rf"0?{value.month}"
        year = rf"(?:{value.year}|{value.year % 100:02d})"
        name = _MONTH_WORDS[value.month - 1]
        forms[0].append(rf"{day}{sep}{month}{sep}{year}")  # 22/09/2014, 22.9.14
        forms[1].append(rf"{day} {month} {year}")  # 22 09 2014
        forms[2].append(rf"{value.year}{sep}{month}{sep}{day}")  # 2014-09-22
        forms[3].append(rf"{day}{nth}\s+(?:of\s+)?{name},?\s+{year}")  # 22nd of Sept 2014
        forms[4].append(rf"{name}\s+{day}{nth},?\s+{year}")  # September 22nd, 2014
    terms = Terms()
    for number, form in enumerate(forms):
        written = "|".join(form)
        terms += Terms(
            (Term(_whole(f"{weekday if number >= 3 else ''}(?:{written})"), marker, what),)
        )
    return terms


def date_of_birth(
    value: date | None, marker: str = DATE_OF_BIRTH, what: str = "the date of birth"
) -> Terms:
    return dates([value], marker, what)


def child_details(name: str, born: date | None, identifier: str) -> Terms:
    """A child's names, date of birth and identifiers."""
    return (
        names([name], CHILD, "the child's name")
        + date_of_birth(born)
        + identifiers([identifier], IDENTIFIER, "the child's identifier")
    )


@dataclass(frozen=True)
class Review:
    """What a document would print and what comes out of it, for the DSL to check:
    ``run`` again with the words and phrases they add by hand."""

    texts: dict[str, str]
    terms: Terms

    def run(self, by_hand: Sequence[str] = ()) -> Redacted:
        return (self.terms + phrases(by_hand)).apply(self.texts)
