"""Every pinned row compared with its pin, and the set of pinned targets with the set of
rows: what ``check`` says about the rows that make up the record (docs/reliability.md:
tampering). A row that differs from its pin was changed, a row with no pin was added,
and a pin with no row (not lawfully destroyed) was deleted, each outside the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.english_plurals import noun as plural
from app.storage.explain import Context, explain
from app.storage.pins import (
    KINDS,
    SETTINGS_KEYS,
    SETTINGS_TARGET,
    Kind,
    contents,
    matches,
    namespace,
    settings_values,
)
from app.storage.trail import Expected, describe, short

if TYPE_CHECKING:
    from sqlalchemy import Connection

_SHOWN = 10  # findings of one sort and kind before the rest are counted


def _form_said(ref: str, what: str) -> str:
    return {
        "altered": f"Escalation {ref}: the form as recorded when it was opened (its text, "
        "dates, child, policy or pathway) has been altered since it was saved.",
        "inserted": f"Escalation {ref} has no audit entry for its form (it was inserted, or "
        "its reference was changed).",
        "missing": f"Escalation {ref} is recorded in the audit trail but missing.",
    }[what]


def said(target: str, what: str) -> str:
    """One finding about one target: ``altered``, ``inserted`` or ``missing``."""
    if namespace(target) == "escalation-form":
        return _form_said(target.partition(":")[2], what)
    name = describe(target)
    has, was, it = ("have", "were", "they") if target == SETTINGS_TARGET else ("has", "was", "it")
    return {
        "altered": f"{name} {has} been changed since {it} {was} recorded (the file was "
        "changed outside the app).",
        "inserted": f"{name} {has} no audit entry: {it} {was} added outside the app.",
        "missing": f"{name} {'are' if it == 'they' else 'is'} recorded in the audit trail "
        f"but missing: {it} {was} deleted outside the app.",
    }[what]


def _capped(found: list[str], noun: str) -> list[str]:
    if len(found) <= _SHOWN:
        return found
    more = len(found) - _SHOWN
    return [*found[:_SHOWN], f"…and {more} more {noun} {plural(more, 'row')} like these."]


def _settings_keys(connection: Connection) -> list[str]:
    """The setting's details are saved whole: a key missing or added is a change even
    when the value read in its place would be the same."""
    keys = set(settings_values(connection))
    if not keys:
        return []
    odd = sorted(keys ^ set(SETTINGS_KEYS))
    if not odd:
        return []
    return [
        "The setting's details have been changed outside the app (a value was added or "
        f"removed: {', '.join(odd)})."
    ]


def row_problems(
    connection: Connection, expected: Expected, revision: str
) -> tuple[list[str], list[str]]:
    """(rows changed or added, rows deleted), each kind's first findings first."""
    found = contents(connection)
    ctx = Context(found)
    mine: dict[str, dict[str, dict[str, Any]]] = {}
    for target, content in found.items():
        mine.setdefault(namespace(target), {})[target] = content
    pinned: dict[str, list[str]] = {}
    for target in expected.pins:
        pinned.setdefault(namespace(target), []).append(target)
    changed: list[str] = []
    missing: list[str] = []
    settings = Kind("file_info", "file_info", "Setting's details")
    for kind in (*KINDS, settings):
        rows = mine.get(kind.namespace, {})
        strict = expected.baseline is not None or (
            kind.since is not None and revision >= kind.since
        )
        altered = [
            (t, expected.pins[t].digest)
            for t, content in rows.items()
            if t in expected.pins and not matches(content, expected.pins[t].digest)
        ]
        guessed = explain(ctx, {t: short(t) for t, _ in altered}, altered)
        # dict.fromkeys: a swap names both rows in one sentence.
        found_here = list(dict.fromkeys(guessed.get(t) or said(t, "altered") for t, _ in altered))
        if kind.presence and strict:
            found_here += [said(t, "inserted") for t in rows if t not in expected.pins]
        changed += _capped(found_here, kind.noun.lower())
        if kind.presence:
            gone = [said(t, "missing") for t in pinned.get(kind.namespace, []) if t not in rows]
            missing += _capped(gone, kind.noun.lower())
    if SETTINGS_TARGET in found:
        changed += _settings_keys(connection)
    return changed, missing
