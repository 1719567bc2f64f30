"""What the audit trail pins, and how a pin is made or lawfully replaced.

Every row that makes up the record is pinned by an audit entry whose digest is the
SHA-256 of the row's content as read back from the file (``app.storage.rows``); the
entry's target names the row (``child:3``, ``record:17``, ``escalation-form:ESC-2026-0001``).
``check`` compares each row with its pin, and the set of pinned targets with the set of
rows, so a single-row change, insertion, deletion or move is named
(docs/architecture.md: the audit chain; docs/reliability.md: tampering).

A pin is replaced only by the app's own amendment: a re-pin entry names the pin it
replaces (its entry id and hash) and the lawful reason, one of ``RepinReason``, each
allowed for one kind of pin only. Appending a newer digest any other way is reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from itertools import combinations
from typing import TYPE_CHECKING, Any

from app.storage.chain import Entry, append_entry, digest_of, sha256
from app.storage.rows import Row, columns, read, table_exists

if TYPE_CHECKING:
    from sqlalchemy import Connection

# The escalation's columns its form pin leaves out: status and closed_at change when it
# closes (pinned on their own, ``escalation-status``); snapshot_id only says which row
# holds the shared pathway, whose content is pinned instead; current_due is derived from
# the stage events (migration 0006); pathway_snapshot is where schemas before 0003 kept
# the pathway itself. A migration that adds a column to a pinned table must re-pin.
FORM_MUTABLE = frozenset({"status", "closed_at", "snapshot_id", "current_due"})
_FORM_SKIP = FORM_MUTABLE | {"pathway_snapshot"}
SETTINGS_TARGET = "file_info:settings"
SETTINGS_PREFIX = "setting."
SETTINGS_KEYS = ("setting_name", "dsl_name", "deputies", "default_policy", "nation")
# Entries that share a pinned target but record an event, not the row's content.
EVENTS = frozenset({"generate subject access disclosure", "transfer records out"})


class RepinReason(StrEnum):
    """The app's services that may replace a pin, each for one kind of pin only."""

    ESCALATION_CLOSED = "escalation closed"  # escalations: resolved or withdrawn
    SETTINGS_SAVED = "settings saved"  # settings.save_settings
    # policy_adoption.adopt_version: the escalation follows a newer version of its
    # policy, so its form's version and pathway digest change, and nothing else.
    POLICY_VERSION_ADOPTED = "policy version adopted"


REPINS: dict[RepinReason, str] = {
    RepinReason.ESCALATION_CLOSED: "escalation-status",
    RepinReason.SETTINGS_SAVED: "file_info",
    RepinReason.POLICY_VERSION_ADOPTED: "escalation-form",
}
_REPIN = re.compile(r"^re-pin \((?P<reason>[^)]*)\): replaces entry (?P<id>\d+) (?P<hash>\S+)$")


@dataclass(frozen=True)
class Repin:
    reason: str  # as written; lawful only if a RepinReason
    replaces_id: int
    replaces_hash: str


def parse_repin(action: str) -> Repin | None:
    """The re-pin an action records, or None for a first pin. An action that starts
    like a re-pin but does not parse is a re-pin with no lawful reason."""
    if not action.startswith("re-pin"):
        return None
    found = _REPIN.match(action)
    if found is None:
        return Repin("", 0, "")
    return Repin(found["reason"], int(found["id"]), found["hash"])


def repin_action(reason: RepinReason, replaces: Entry) -> str:
    return f"re-pin ({reason.value}): replaces entry {replaces.id} {replaces.hash}"


Pathways = dict[Any, Any]  # snapshot id -> the pathway's content


def _whole(row: Row, _pathways: Pathways) -> dict[str, Any]:
    return dict(row)


def _form(row: Row, pathways: Pathways) -> dict[str, Any]:
    content = {k: v for k, v in row.items() if k not in _FORM_SKIP}
    pathway = row.get("pathway_snapshot")  # schemas before 0003 kept it in the row
    if "snapshot_id" in row:
        pathway = pathways.get(row["snapshot_id"])
    content["pathway_sha256"] = sha256(pathway) if isinstance(pathway, str) else None
    return content


def _status(row: Row, _pathways: Pathways) -> dict[str, Any]:
    return {"status": row.get("status"), "closed_at": row.get("closed_at")}


@dataclass(frozen=True)
class Kind:
    """One kind of pin: the rows of ``table``, each named ``namespace:<key>``."""

    namespace: str
    table: str
    noun: str
    content: Callable[[Row, Pathways], dict[str, Any]] = _whole
    key: str = "id"
    # The schema revision from which the app pinned every such row as it was written;
    # None: only from the pin baseline (``app.storage.baseline``).
    since: str | None = "0001"
    # False when another kind's pin speaks for the row being there (the status of an
    # escalation whose form is pinned).
    presence: bool = True

    def target(self, key: object) -> str:
        return f"{self.namespace}:{key}"


KINDS: tuple[Kind, ...] = (
    Kind("escalation-form", "escalation", "Escalation", _form, key="ref", since="0004"),
    Kind("escalation-status", "escalation", "Escalation", _status, "ref", None, False),
    Kind("child", "child", "Child"),
    Kind("record", "record", "Record", since=None),
    Kind("record_version", "record_version", "Record version"),
    Kind("stage_event", "stage_event", "Stage event"),
    Kind("approval", "approval", "Approval"),
    Kind("retention_decision", "retention_decision", "Retention decision", since="0002"),
    Kind("contact", "contact", "Contact"),
    Kind("pathway_snapshot", "pathway_snapshot", "Pathway snapshot", since=None),
)
BY_NAMESPACE = {kind.namespace: kind for kind in KINDS}


def matches(content: dict[str, Any], digest: str) -> bool:
    """True when ``content`` is what ``digest`` pinned. A pin covers the columns its row
    had: a column a later migration added reads as blank in the rows pinned before it,
    so blank columns may be left out (a value made blank, or set where the pin had a
    blank, still differs)."""
    if digest_of(content) == digest:
        return True
    blank = [column for column, value in content.items() if value is None]
    for size in range(1, min(len(blank), 6) + 1):
        for left_out in combinations(blank, size):
            if digest_of({k: v for k, v in content.items() if k not in left_out}) == digest:
                return True
    return False


def namespace(target: str) -> str:
    return target.partition(":")[0]


def is_pin(target: str, action: str) -> bool:
    """True when an entry pins its target's content (not an event about it)."""
    if target == SETTINGS_TARGET:
        return True
    return namespace(target) in BY_NAMESPACE and action not in EVENTS


def form_target(ref: str) -> str:
    return BY_NAMESPACE["escalation-form"].target(ref)


def status_target(ref: str) -> str:
    return BY_NAMESPACE["escalation-status"].target(ref)


def pathways(connection: Connection) -> Pathways:
    if not table_exists(connection, "pathway_snapshot"):
        return {}
    return dict(connection.exec_driver_sql("SELECT id, content FROM pathway_snapshot").all())


def settings_content(values: dict[str, str]) -> dict[str, Any] | None:
    """The setting's details as ``save_settings`` pins them, from the ``setting.*`` rows
    (without the prefix); None when there are none."""
    if not values:
        return None
    try:
        deputies: Any = json.loads(values.get("deputies", "[]"))
    except ValueError:
        deputies = values.get("deputies")
    return {
        "setting_name": values.get("setting_name", ""),
        "dsl_name": values.get("dsl_name", ""),
        "deputies": deputies,
        "default_policy": values.get("default_policy") or None,
        "nation": values.get("nation", "england"),
    }


def settings_values(connection: Connection) -> dict[str, str]:
    rows = connection.exec_driver_sql(
        "SELECT key, value FROM file_info WHERE substr(key, 1, ?) = ?",
        (len(SETTINGS_PREFIX), SETTINGS_PREFIX),
    )
    return {str(key).removeprefix(SETTINGS_PREFIX): value for key, value in rows}


def contents(connection: Connection, kinds: Iterable[Kind] = KINDS) -> dict[str, dict[str, Any]]:
    """Every pinned row's content by its target, for the kinds whose table the file has
    (each table read once); the setting's details under ``SETTINGS_TARGET``."""
    found: dict[str, dict[str, Any]] = {}
    by_table: dict[str, list[Kind]] = {}
    for kind in kinds:
        by_table.setdefault(kind.table, []).append(kind)
    shared = pathways(connection)
    for table, table_kinds in by_table.items():
        if not table_exists(connection, table):
            continue
        for row in read(connection, table):
            for kind in table_kinds:
                found[kind.target(row.get(kind.key))] = kind.content(row, shared)
    settings = settings_content(settings_values(connection))
    if settings is not None:
        found[SETTINGS_TARGET] = settings
    return found


def content_of(connection: Connection, target: str) -> dict[str, Any] | None:
    """One target's content as the file holds it now; None if there is no such row."""
    if target == SETTINGS_TARGET:
        return settings_content(settings_values(connection))
    kind = BY_NAMESPACE[namespace(target)]
    key = target.partition(":")[2]
    if kind.key not in columns(connection, kind.table):
        return None
    value: object = int(key) if kind.key == "id" else key
    row = next(read(connection, kind.table, f'"{kind.key}" = ?', (value,)), None)
    if row is None:
        return None
    shared: Pathways = {}
    if kind is BY_NAMESPACE["escalation-form"] and "snapshot_id" in row:
        found = connection.exec_driver_sql(
            "SELECT content FROM pathway_snapshot WHERE id = ?", (row["snapshot_id"],)
        ).first()
        shared = {row["snapshot_id"]: found[0]} if found is not None else {}
    return kind.content(row, shared)


def pin(
    connection: Connection, *, actor: str, action: str, target: str, at: datetime | None = None
) -> Entry:
    """A row's first pin (or its first after a lawful destruction of the same id)."""
    content = content_of(connection, target)
    if content is None:
        raise LookupError(f"nothing to pin: {target}")
    return append_entry(
        connection, actor=actor, action=action, target=target, digest=digest_of(content), at=at
    )


def latest_pin(connection: Connection, target: str) -> Entry | None:
    for values in connection.exec_driver_sql(
        "SELECT id, at, actor, action, target, digest, prev_hash, hash FROM audit_entry "
        "WHERE target = ? ORDER BY id DESC",
        (target,),
    ):
        entry = Entry(*values)
        if is_pin(entry.target, entry.action):
            return entry
    return None


def repin(
    connection: Connection,
    *,
    actor: str,
    target: str,
    reason: RepinReason,
    first_action: str,
    at: datetime | None = None,
) -> Entry:
    """Pin a lawfully changed row again, naming the pin replaced and why; a row with no
    pin yet gets its first pin, as ``first_action``."""
    if REPINS[reason] != namespace(target):
        raise ValueError(f"{reason.value} does not re-pin {target}")
    previous = latest_pin(connection, target)
    action = first_action if previous is None else repin_action(reason, previous)
    return pin(connection, actor=actor, action=action, target=target, at=at)
