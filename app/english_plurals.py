"""A number and its noun, in the right form: "1 minute", "2 minutes", "0 escalations".

Written once so that no message says "1 minutes" or hedges with "escalation(s)";
``tests/test_plurals.py`` scans the code for the forms this replaces.
"""

from __future__ import annotations

# The nouns the app counts whose plural is not the singular plus "s".
_IRREGULAR = {
    "entry": "entries",
    "policy": "policies",
    "child": "children",
    "try": "tries",
    "copy": "copies",
}


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The noun alone, as it goes with ``n`` ("working day" for 1, "working days" else).

    A noun of several words is made plural by its last word ("working day")."""
    if n == 1:
        return singular
    if plural is not None:
        return plural
    head, _, last = singular.rpartition(" ")
    last = _IRREGULAR.get(last, last + "s")
    return f"{head} {last}" if head else last


def count(n: int, singular: str, plural: str | None = None) -> str:
    """ "1 working day", "3 working days", "1,250 escalations"."""
    return f"{n:,} {noun(n, singular, plural)}"
