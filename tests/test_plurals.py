"""Numbers meet nouns in the right form: "1 minute", "2 minutes", never "1 minutes" or
"escalation(s)". ``app.english_plurals`` is the one helper; the scan below finds the
forms it replaced, anywhere in the code a DSL's words come from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.english_plurals import count, noun

ROOT = Path(__file__).resolve().parent.parent

NOUNS = (
    r"(?:minute|second|hour|day|working day|calendar day|week|month|year|stage|escalation"
    r"|record|try|tries|page|problem|document|file|pathway|policy|policies|entry|entries"
    r"|row|thing|character|letter|digit|time)s?"
)
# A count in an f-string placeholder straight before a noun: "{n} minutes", "{more}
# more problems", "{n} more {x} rows". Not a constant in capitals (its form is fixed),
# nor what names a thing rather than counts it ("{kind} record", "{ref} escalation").
_COUNTED = re.compile(r"\{([^{}]*)\} (?:more (?:\{[^{}]*\} )?)?" + NOUNS + r"\b")
_NOT_A_COUNT = re.compile(
    r"^[A-Z_][A-Z0-9_]*(?:[:!].*)?$|\[\d\]|kind|status|table|where|\.id|ref|name|what|title|summary|['\"]"
)


class _CountBeforeNoun:
    def search(self, line: str) -> bool:
        return any(not _NOT_A_COUNT.search(m.group(1)) for m in _COUNTED.finditer(line))


OLD_FORMS = {
    "a hedged plural, 'escalation(s)'": re.compile(r"(?<![\w.])[a-z]+\(s\)"),
    "an 's' added by hand": re.compile(r"""(?:['"]s['"] if|else ['"]s['"])"""),
    "a word chosen by hand": re.compile(r"""['"](\w[\w ]*)['"] if [^'"]+ == 1 else ['"]\1s['"]"""),
    "a fixed plural suffix on a spin box": re.compile(r"""setSuffix\(\s*['"] ?\w+s['"]"""),
    "a count before a noun, written by hand": _CountBeforeNoun(),
}


def old_forms() -> list[str]:
    found = []
    for folder in ("app", "ui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name == "english_plurals.py" or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for what, pattern in OLD_FORMS.items():
                    if pattern.search(line):
                        where = path.relative_to(ROOT)
                        found.append(f"{where}:{number}: {what}: {line.strip()}")
    return found


def test_no_count_is_written_by_hand() -> None:
    assert old_forms() == []


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        ('f"{len(refs)} escalation(s) written"', True),
        ("f\"{n} page{'s' if n != 1 else ''}\"", True),
        ('unit = "second" if seconds == 1 else "seconds"', True),
        ('box.setSuffix(" minutes")', True),
        ('f"waiting {seconds} seconds"', True),
        ('f"…and {len(found) - 5} more {noun} rows like these."', True),
        ('f"{overdue} escalations are overdue"', True),
        ('f"Use at least {MIN_LENGTH} characters"', False),  # a constant
        ('f"Stage {n}: met"', False),
        ("f\"waiting {count(seconds, 'second')}\"", False),
    ],
)
def test_the_scan_catches_each_old_form(line: str, caught: bool) -> None:
    assert any(p.search(line) for p in OLD_FORMS.values()) == caught


@pytest.mark.parametrize(
    ("n", "singular", "expected"),
    [
        (0, "escalation", "0 escalations"),
        (1, "minute", "1 minute"),
        (2, "minute", "2 minutes"),
        (1, "working day", "1 working day"),
        (3, "working day", "3 working days"),
        (2, "entry", "2 entries"),
        (2, "local policy file", "2 local policy files"),
        (1_250, "escalation", "1,250 escalations"),
    ],
)
def test_count(n: int, singular: str, expected: str) -> None:
    assert count(n, singular) == expected


def test_noun_with_its_own_plural() -> None:
    assert noun(1, "is", "are") == "is"
    assert noun(4, "is", "are") == "are"
