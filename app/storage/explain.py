"""What changed in a row that no longer matches its pin, in plain words.

A pin is one digest of the whole row, so it cannot say which value changed; but it can
confirm a guess. For each altered row this tries the values it could have held before,
one column at a time (the other ids of a referenced table, a flipped yes/no, a blank,
nearby numbers, dates within 30 years nearest first, the few values a column takes
elsewhere), and two altered rows with some values exchanged. A guess whose digest equals
the pin is what was recorded: "Record 17 was moved from ESC-2026-0003 to ESC-2026-0004",
"Child 3's date of birth was changed from 12/05/2014 to 12/05/2015". Otherwise the row
is named as changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from itertools import combinations, product
from typing import Any

from app.nation import Nation
from app.storage.chain import canonical, sha256
from app.storage.pins import namespace

# Columns that refer to another table's rows: an altered one is a move.
REFERS = {
    "escalation_id": "escalation",
    "record_id": "record",
    "version_id": "record_version",
    "child_id": "child",
}
LABELS = {
    "date_of_birth": "date of birth",
    "retention_hold_until": "retention hold",
    "cp_plan": "child protection plan flag",
    "looked_after": "looked-after flag",
    "child_in_need": "child in need flag",
    "created_at": "date added",
    "closed_at": "closed date",
    "raised_at": "date raised",
    "protect_by": "child-safety date",
    "decided_on": "date of the disputed decision",
    "recorded_at": "date recorded",
    "approved_at": "date approved",
    "decided_at": "date decided",
    "next_review": "next review date",
    "destroyed_targets": "list of destroyed rows",
    "at": "date",
    "due": "deadline",
    "number": "stage number",
    "pathway_sha256": "pathway",
    "escalation_id": "escalation",
    "record_id": "record",
    "version_id": "record version",
    "child_id": "child",
    "disputed": "dispute",
    "change_wanted": "change wanted",
    "impact": "impact on the child",
    "immediate_risk": "immediate risk flag",
    "transferred_from": "reference before its transfer",
    "setting_name": "name",
    "dsl_name": "DSL name",
    "default_policy": "default policy",
    "nation": "nation",
}
# The values some columns take, beyond those found in other rows.
DOMAINS: dict[str, tuple[Any, ...]] = {
    "status": ("open", "resolved", "withdrawn"),
    "nation": tuple(n.value for n in Nation),
    "decision": ("retain", "destroy"),
}
_MARK = "\x01was\x01"
_DISTINCT_LIMIT = 64
_SWAP_LIMIT = 12  # altered rows of one kind tried in pairs
_GUESS_LIMIT = 20  # altered rows of one kind whose change is guessed


def label(column: str) -> str:
    return LABELS.get(column, column.replace("_", " "))


def _matches(content: dict[str, Any], column: str, candidates: Iterable[Any], digest: str) -> Any:
    """The first candidate for ``column`` that makes ``content`` match ``digest``, or the
    mark when none does (a candidate may itself be None)."""
    template = canonical({**content, column: _MARK})
    mark = canonical(_MARK)
    current = content[column]
    for candidate in candidates:
        if candidate != current and sha256(template.replace(mark, canonical(candidate))) == digest:
            return candidate
    return _MARK


class Context:
    """What the guesses draw on: every pinned row's content, by target."""

    def __init__(self, found: dict[str, dict[str, Any]]) -> None:
        self.found = found
        self._by_namespace: dict[str, list[dict[str, Any]]] = {}
        for target, content in found.items():
            self._by_namespace.setdefault(namespace(target), []).append(content)
        self.refs = {c.get("id"): c.get("ref") for c in self.rows("escalation-form")}
        self._ids = {ref: id for id, ref in self.refs.items()}
        self._few: dict[tuple[str, str], tuple[Any, ...]] = {}
        self._events: dict[Any, list[Any]] = {}
        for event in self.rows("stage_event"):
            self._events.setdefault(event.get("escalation_id"), []).append(event.get("at"))

    def rows(self, space: str) -> list[dict[str, Any]]:
        return self._by_namespace.get(space, [])

    def ids(self, table: str) -> list[Any]:
        space = "escalation-form" if table == "escalation" else table
        return [c.get("id") for c in self.rows(space)]

    def show(self, column: str, value: Any) -> str:
        """A value as a person reads it."""
        if value is None or value == "":
            return "blank"
        if column == "escalation_id" and value in self.refs:
            return str(self.refs[value])
        if column in REFERS:
            return f"{label(column)} {value}"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, datetime):
            return f"{value:%d/%m/%Y %H:%M}"
        if isinstance(value, date):
            return f"{value:%d/%m/%Y}"
        if isinstance(value, int):
            return str(value)
        text = str(value)
        return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"

    def candidates(self, target: str, column: str) -> Iterator[Any]:
        """Values ``column`` of ``target`` might have held when it was pinned."""
        space, content = namespace(target), self.found[target]
        value = content[column]
        if column in REFERS:
            yield from self.ids(REFERS[column])
        if value is not None:
            yield None
        if isinstance(value, bool):
            yield not value
        elif isinstance(value, int):
            yield from range(max(value - 100, 0), value + 101)
        elif isinstance(value, date) and not isinstance(value, datetime):
            # Nearest first: most edits move a date a little.
            for n in range(1, 11000):
                yield from (value - timedelta(days=n), value + timedelta(days=n))
        if isinstance(value, datetime) or column == "closed_at":
            yield from self._times(target)
        yield from self._distinct(space, column)
        yield from DOMAINS.get(column, ())

    def _distinct(self, space: str, column: str) -> tuple[Any, ...]:
        """The values ``column`` takes in rows of this kind, if they are few."""
        if (space, column) not in self._few:
            found: dict[str, Any] = {}
            for content in self.rows(space):
                found.setdefault(canonical(content.get(column)), content.get(column))
                if len(found) > _DISTINCT_LIMIT:
                    found = {}
                    break
            self._few[(space, column)] = tuple(found.values())
        return self._few[(space, column)]

    def _times(self, target: str) -> Iterator[Any]:
        """Times a row was likely given: its own other times, and those of the rows
        written with it."""
        space, key = target.split(":", 1)
        content = self.found[target]
        yield from (v for v in content.values() if isinstance(v, datetime))
        if space == "escalation-status":  # closing completes the stage at that moment
            yield from self._events.get(self._ids.get(key), [])
        if space == "record":  # a record is dated as its first version
            yield from (
                v.get("recorded_at")
                for v in self.rows("record_version")
                if v.get("record_id") == content.get("id") and v.get("version") == 1
            )


def _one(ctx: Context, target: str, column: str, digest: str) -> dict[str, Any] | None:
    content = ctx.found[target]
    was = _matches(content, column, ctx.candidates(target, column), digest)
    return None if was is _MARK else {column: was}


def _two(ctx: Context, target: str, digest: str) -> dict[str, Any] | None:
    """Both columns of a two-column pin (an escalation's status and closed date)."""
    content = ctx.found[target]
    first, second = list(content)
    firsts = {canonical(v): v for v in ctx.candidates(target, first)}
    seconds = {canonical(v): v for v in ctx.candidates(target, second)}
    for a, b in product(firsts.values(), seconds.values()):
        if sha256(canonical({**content, first: a, second: b})) == digest:
            return {first: a, second: b}
    return None


def _change(ctx: Context, name: str, target: str, digest: str) -> str | None:
    content = ctx.found[target]
    was: dict[str, Any] | None = None
    for column in content:
        was = _one(ctx, target, column, digest)
        if was is not None:
            break
    if was is None and len(content) == 2:
        was = _two(ctx, target, digest)
    if was is None:
        return None
    shown = [(c, ctx.show(c, old), ctx.show(c, content[c])) for c, old in was.items()]
    column, old, now = shown[0]
    if len(shown) == 1 and column in REFERS and None not in (was[column], content[column]):
        return f"{name} was moved from {old} to {now}."
    more = "".join(f", and its {label(c)} from {o} to {n}" for c, o, n in shown[1:])
    return f"{name}'s {label(column)} was changed from {old} to {now}{more}."


def _swap(
    a: dict[str, Any], b: dict[str, Any], digest_a: str, digest_b: str
) -> tuple[str, ...] | None:
    differing = [c for c in a if c in b and c != "id" and a[c] != b[c]]
    for size in (1, 2, 3):
        for columns in combinations(differing, size):
            a_was = {**a, **{c: b[c] for c in columns}}
            b_was = {**b, **{c: a[c] for c in columns}}
            if sha256(canonical(a_was)) == digest_a and sha256(canonical(b_was)) == digest_b:
                return columns
    return None


def _lower(name: str) -> str:
    return name if name.startswith("Escalation") else name[:1].lower() + name[1:]


def explain(ctx: Context, names: dict[str, str], altered: list[tuple[str, str]]) -> dict[str, str]:
    """For altered rows of one kind (``(target, pinned digest)``, named by ``names``),
    what changed, by target, where a guess confirms it."""
    said: dict[str, str] = {}
    pairs = altered[:_SWAP_LIMIT]
    for (a, digest_a), (b, digest_b) in combinations(pairs, 2):
        if a in said or b in said:
            continue
        swapped = _swap(ctx.found[a], ctx.found[b], digest_a, digest_b)
        if swapped:
            what = " and ".join(label(c) for c in swapped)
            said[a] = said[b] = f"{names[a]} and {_lower(names[b])} have had their {what} swapped."
    for target, digest in altered[:_GUESS_LIMIT]:
        if target not in said:
            found = _change(ctx, names[target], target, digest)
            if found is not None:
                said[target] = found
    return said
