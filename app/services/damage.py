"""Stored values the app cannot read, per escalation: a file holding one still opens,
that escalation shows as damaged (the list, the dashboard, statistics, documents, its
window) with what ``check`` says about it, and everything else works.

Such a value gets into a file only from outside the app: an edit with another SQLite
tool, or a transfer imported by an older version that did not check what it read
(docs/reliability.md, "Damaged values"). The scan reads every table once as stored
text, so it never raises on what it finds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from app.deadlines.moments import parse_moment
from app.domain.records import RecordKind
from app.errors import KnownError
from app.nation import Nation
from app.services.escalation_rows import stored_pathway
from app.services.store import ReadStore

STATUSES = frozenset({"open", "resolved", "withdrawn"})
EVENT_KINDS = frozenset({"started", "completed", "skipped"})
_NATIONS = frozenset(n.value for n in Nation)
_RECORD_KINDS = frozenset(k.value for k in RecordKind)


class DamagedEscalationError(KnownError):
    """An escalation holds a value the app cannot read: it is shown as damaged."""


def damaged_message(ref: str, problem: str) -> str:
    return (
        f"Escalation {ref} is damaged and cannot be shown: {problem} The rest of the file "
        "works; python -m app check lists every damaged value."
    )


def _readable(value: object, parse: Callable[[str], object]) -> bool:
    if value is None:
        return True
    if isinstance(value, datetime | date):
        return True
    try:
        parse(str(value))
    except (TypeError, ValueError):
        return False
    return True


def _pathways(connection: Any) -> dict[int, tuple[int, str] | str]:
    """Each snapshot: (number of stages, "") or a sentence saying why it cannot be read."""
    from pydantic import ValidationError

    from app.policy import Pathway

    found: dict[int, tuple[int, str] | str] = {}
    for snapshot_id, content in connection.execute("SELECT id, content FROM pathway_snapshot"):
        try:
            stages = len(stored_pathway(str(content)).stage_titles)
            Pathway.model_validate_json(str(content))
            found[snapshot_id] = (stages, "")
        except (ValidationError, ValueError, KeyError, TypeError, IndexError):
            found[snapshot_id] = "the pathway it follows cannot be read."
    return found


def _escalation_problems(connection: Any, found: dict[int, tuple[str, str]]) -> dict[int, int]:
    """Problems with the escalations' own columns, and each one's number of stages."""
    pathways = _pathways(connection)
    stages: dict[int, int] = {}
    rows = connection.execute(
        "SELECT id, ref, nation, status, raised_at, closed_at, created_at, protect_by, "
        "decided_on, snapshot_id FROM escalation"
    )
    for eid, ref, nation, status, raised, closed, created, protect_by, decided, snapshot in rows:
        pathway = pathways.get(snapshot, "the pathway it follows is missing.")
        problem = ""
        if nation not in _NATIONS:
            problem = f"its nation {str(nation)[:40]!r} is not a UK nation the app knows."
        elif status not in STATUSES:
            problem = f"its status {str(status)[:40]!r} is not one the app knows."
        elif not all(_readable(v, datetime.fromisoformat) for v in (raised, closed, created)):
            problem = "one of its dates and times is not a date."
        elif raised is None or not all(
            _readable(v, date.fromisoformat) for v in (protect_by, decided)
        ):
            problem = "one of its dates is not a date."
        elif isinstance(pathway, str):
            problem = pathway
        else:
            stages[eid] = pathway[0]
        if problem:
            found[eid] = (str(ref), problem)
    return stages


def _event_problems(
    connection: Any, refs: dict[int, str], stages: dict[int, int]
) -> dict[int, str]:
    problems: dict[int, str] = {}
    starts: set[int] = set()
    rows = connection.execute("SELECT escalation_id, number, kind, at, due FROM stage_event")
    for eid, number, kind, at, due in rows:
        if kind == "started":
            starts.add(eid)
        count = stages.get(eid)
        if eid in problems or count is None:
            continue
        if kind not in EVENT_KINDS:
            problems[eid] = f"a stage event's kind {str(kind)[:40]!r} is not one the app knows."
        elif not isinstance(number, int) or not 1 <= number <= count:
            problems[eid] = f"stage {str(number)[:20]} is not a stage of its pathway."
        elif at is None or not _readable(at, datetime.fromisoformat):
            problems[eid] = f"the time stage {number} was {kind} is not a date."
        elif not _readable(due, parse_moment):
            problems[eid] = f"the deadline of stage {number}, {str(due)[:40]!r}, is not a date."
    for eid in refs:
        if eid not in starts and eid in stages and eid not in problems:
            problems[eid] = "it has no stage start."
    return problems


def _record_problems(connection: Any) -> dict[int, str]:
    problems: dict[int, str] = {}
    rows = connection.execute(
        "SELECT r.escalation_id, r.kind, r.created_at, v.recorded_at, v.content, a.approved_at "
        "FROM record AS r LEFT JOIN record_version AS v ON v.record_id = r.id "
        "LEFT JOIN approval AS a ON a.version_id = v.id"
    )
    for eid, kind, created, recorded, content, approved in rows:
        if eid in problems:
            continue
        if kind not in _RECORD_KINDS:
            problems[eid] = f"a record's kind {str(kind)[:40]!r} is not one the app knows."
        elif not all(_readable(v, datetime.fromisoformat) for v in (created, recorded, approved)):
            problems[eid] = f"the time a {kind} record was made or approved is not a date."
        elif content is not None and not _is_object(content):
            problems[eid] = f"a {kind} record's content cannot be read."
    return problems


def _is_object(content: object) -> bool:
    try:
        return isinstance(json.loads(str(content)), dict)
    except ValueError:
        return False


def damaged_escalations(store: ReadStore) -> dict[str, str]:
    """Each damaged escalation's reference and the first thing about it that cannot be
    read, in one plain sentence."""
    found: dict[int, tuple[str, str]] = {}
    with store.read() as connection:
        refs = {eid: str(ref) for eid, ref in connection.execute("SELECT id, ref FROM escalation")}
        stages = _escalation_problems(connection, found)
        for eid, problem in _event_problems(connection, refs, stages).items():
            found.setdefault(eid, (refs[eid], problem))
        for eid, problem in _record_problems(connection).items():
            if eid in refs:
                found.setdefault(eid, (refs[eid], problem))
        children = connection.execute(
            "SELECT e.id, c.date_of_birth, c.created_at, c.retention_hold_until "
            "FROM escalation AS e JOIN child AS c ON c.id = e.child_id"
        )
        for eid, born, created, hold in children:
            dates = _readable(born, date.fromisoformat) and _readable(hold, date.fromisoformat)
            if born is None or not dates or not _readable(created, datetime.fromisoformat):
                found.setdefault(eid, (refs[eid], "the child's date of birth is not a date."))
    return dict(sorted(found.values()))


def check_problems(store: ReadStore) -> list[str]:
    """What ``check`` says about damaged values: one sentence per escalation."""
    return [
        f"Escalation {ref} holds a value the app cannot read: {problem} (It was changed "
        "outside the app, or brought in by a damaged transfer; the escalation is shown as "
        "damaged.)"
        for ref, problem in damaged_escalations(store).items()
    ]
