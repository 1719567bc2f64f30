"""What the audit trail says each pinned row should hold now.

Each target's pins are read in order: its first pin, then only re-pins that name the
pin they replace and a lawful reason for that kind of pin (``pins.RepinReason``). A
retention decision to destroy ends its targets' pins where it was recorded, so an id
SQLite hands out again after a destruction starts afresh. Before the pin baseline
(``app.storage.baseline``), files kept the rule older versions followed for the
setting's details: a later pin replaced an earlier one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from app.storage.chain import Entry, digest_of
from app.storage.pins import (
    REPINS,
    RepinReason,
    is_pin,
    matches,
    namespace,
    parse_repin,
    status_target,
)
from app.storage.rows import read, table_exists

if TYPE_CHECKING:
    from sqlalchemy import Connection

BASELINE_TARGET = "file"
BASELINE_ACTION = "pin every record (schema update)"
OPEN = digest_of({"status": "open", "closed_at": None})


# Before the baseline, closing an escalation recorded its status and closed date in an
# event entry of this digest; those entries pin its status as a re-pin now does.
LEGACY_CLOSES = frozenset({"resolved escalation", "withdrawn escalation"})


@dataclass
class Expected:
    pins: dict[str, Entry] = field(default_factory=dict)  # target -> its current pin
    problems: list[str] = field(default_factory=list)  # pins replaced unlawfully
    baseline: Entry | None = None
    # Status pins implied, before the baseline, by an escalation opened here and never
    # closed: open. The baseline pins these for real.
    implied: set[str] = field(default_factory=set)


def describe(target: str) -> str:
    """A pinned target as a person reads it, to start a sentence."""
    space, _, key = target.partition(":")
    if space == "escalation-form":
        return f"Escalation {key}'s form"
    if space == "escalation-status":
        return f"Escalation {key}'s status"
    if target == "file_info:settings":
        return "The setting's details"
    return f"{space.replace('_', ' ').capitalize()} {key}"


def short(target: str) -> str:
    """A pinned target as the subject of a sentence saying which of its values changed."""
    space, _, key = target.partition(":")
    if space.startswith("escalation-"):
        return f"Escalation {key}"
    if target == "file_info:settings":
        return "The setting"
    return describe(target)


def find_baseline(entries: list[Entry]) -> Entry | None:
    return next(
        (e for e in entries if e.target == BASELINE_TARGET and e.action == BASELINE_ACTION),
        None,
    )


def _destructions(connection: Connection, pins: dict[str, list[Entry]]) -> dict[str, list[int]]:
    """Where each target was lawfully destroyed: at the audit entry of a destroy
    decision that still matches its pin (a forged or widened one destroys nothing)."""
    found: dict[str, list[int]] = {}
    if not table_exists(connection, "retention_decision"):
        return found
    for row in read(connection, "retention_decision", "decision = 'destroy'"):
        pinned = pins.get(f"retention_decision:{row['id']}")
        if not pinned or not matches(row, pinned[0].digest):
            continue
        try:
            targets = list(json.loads(row["destroyed_targets"] or "[]"))
        except ValueError:
            continue
        # Decisions made before every row was pinned did not list the child itself.
        for target in [*targets, f"child:{row['child_id']}"]:
            found.setdefault(str(target), []).append(pinned[0].id)
            if str(target).startswith("escalation-form:"):
                ref = str(target).removeprefix("escalation-form:")
                found.setdefault(status_target(ref), []).append(pinned[0].id)
    return found


def _replaces(current: Entry | None, entry: Entry, legacy: bool) -> str | None:
    """Why ``entry`` may not replace ``current`` as its target's pin; None if it may."""
    repin = parse_repin(entry.action)
    name = describe(entry.target)
    if repin is None:
        if current is None or legacy:
            return None
        return (
            f"Audit entry {entry.id} pins {name[0].lower()}{name[1:]} again without naming "
            "the pin it replaces and a lawful reason (a newer digest was appended outside "
            "the app)."
        )
    if current is None or (repin.replaces_id, repin.replaces_hash) != (current.id, current.hash):
        return (
            f"Audit entry {entry.id} replaces a pin of {name[0].lower()}{name[1:]} that is "
            "not its latest pin (it was appended outside the app)."
        )
    lawful = repin.reason in set(RepinReason) and REPINS[RepinReason(repin.reason)] == namespace(
        entry.target
    )
    closing = repin.reason == RepinReason.ESCALATION_CLOSED
    if not lawful or (closing and (current.digest != OPEN or entry.digest == OPEN)):
        return (
            f"Audit entry {entry.id} replaces the pin of {name[0].lower()}{name[1:]} "
            "without a lawful reason (only the app closing an open escalation, adopting a "
            "newer version of its policy or saving the settings may; it was appended "
            "outside the app)."
        )
    return None


def _legacy_status(entries: list[Entry], cutoff: int | None) -> dict[str, list[Entry]]:
    """Before the baseline: each escalation's status as its close event recorded it, or
    else as opened here (an ``open escalation`` entry's row was open); one brought in by a
    transfer recorded its status inside a whole row, so only the baseline pins it."""
    closes: dict[str, list[Entry]] = {}
    opened: dict[str, Entry] = {}
    transferred: set[str] = set()
    for entry in entries:
        if cutoff is not None and entry.id > cutoff:
            break
        space, _, ref = entry.target.partition(":")
        if space != "escalation":
            continue
        if entry.action in LEGACY_CLOSES:
            closes.setdefault(status_target(ref), []).append(entry)
        elif entry.action == "open escalation":
            opened[status_target(ref)] = replace(entry, digest=OPEN)
        else:
            transferred.add(status_target(ref))
    if cutoff is None:
        for target, entry in opened.items():
            if target not in closes and target not in transferred:
                closes[target] = [entry]
    return closes


def expected(connection: Connection, entries: list[Entry]) -> Expected:
    """Each target's current pin, from the chain (evidence only while it is intact)."""
    result = Expected(baseline=find_baseline(entries))
    cutoff = result.baseline.id if result.baseline is not None else None
    by_target = _legacy_status(entries, cutoff)
    if cutoff is None:
        result.implied = {t for t, pins in by_target.items() if pins[0].digest == OPEN}
    for entry in entries:
        if is_pin(entry.target, entry.action):
            by_target.setdefault(entry.target, []).append(entry)
    destroyed = _destructions(connection, by_target)
    for target, pins in by_target.items():
        ends = sorted(destroyed.get(target, []))
        current: Entry | None = None
        for entry in pins:
            if ends and ends[0] < entry.id:  # destroyed before this pin
                current = None
                ends = [end for end in ends if end > entry.id]
            legacy = target == "file_info:settings" and (cutoff is None or entry.id < cutoff)
            problem = _replaces(current, entry, legacy)
            if problem is None:
                current = entry
            else:
                result.problems.append(problem)
        if current is not None and not (ends and ends[-1] > current.id):
            result.pins[target] = current
    return result
