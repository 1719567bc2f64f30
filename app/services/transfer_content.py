"""A child's records as a transfer carries them, read value by value and checked as a
form checks what is typed.

A transfer file comes from outside: whoever wrote it may have put anything in any
column. So nothing here loads it through the ORM's types (a bad date would raise deep
inside SQLAlchemy); each stored value is read as it is stored, converted by hand, and
every value that is wrong, of the wrong type, or refused by the domain's own checks
(``app/domain/record_problems.py``, the services' ``problems()``) becomes one plain
sentence naming where it is. Export reads the sender's own file the same way, so a
damaged escalation is refused before it leaves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.deadlines.moments import parse_moment
from app.domain.records import CATEGORIES, CONTENT_TYPES, RecordKind
from app.domain.typed_dates import EVENT_DATES, range_problem
from app.domain.validation import MAX_TEXT, FieldError
from app.domain.validation import text as check_text
from app.english_plurals import noun
from app.nation import Nation
from app.policy import Pathway
from app.services.escalation_rows import stored_pathway
from app.services.escalations import NewEscalation, new_escalation_problems
from app.services.people import NewChild, new_child_problems
from app.services.records import content_problems
from app.storage.models import Escalation, PathwaySnapshot

STATUSES = frozenset({"open", "resolved", "withdrawn"})
EVENT_KINDS = frozenset({"started", "completed", "skipped"})
SHOWN = 3  # problems named in a refusal; the rest are counted


@dataclass(frozen=True)
class ApprovalIn:
    approved_at: datetime
    approved_by: str


@dataclass(frozen=True)
class VersionIn:
    version: int
    content: str
    recorded_at: datetime
    recorded_by: str
    reason: str
    approvals: list[ApprovalIn]


@dataclass(frozen=True)
class RecordIn:
    kind: str
    created_at: datetime
    versions: list[VersionIn]


@dataclass(frozen=True)
class EventIn:
    number: int
    kind: str
    at: datetime
    due: str | None
    rule: str
    note: str
    recorded_by: str


@dataclass(frozen=True)
class EscalationIn:
    ref: str
    columns: dict[str, Any]  # the form's columns, typed (see ESCALATION_COLUMNS)
    snapshot: tuple[str, str, str, str]  # policy id, its version, pathway id, content
    events: list[EventIn]
    records: list[RecordIn]


@dataclass(frozen=True)
class ChildIn:
    columns: dict[str, Any]  # see CHILD_COLUMNS
    escalations: list[EscalationIn] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.columns["name"])


# Each column a transfer carries, and how it is read. "text?" may be NULL.
CHILD_COLUMNS = {
    "name": "text",
    "date_of_birth": "date",
    "identifier": "text",
    "cp_plan": "bool",
    "looked_after": "bool",
    "child_in_need": "bool",
    "retention_hold_until": "date?",
    "created_at": "datetime",
}
ESCALATION_COLUMNS = {
    "policy_id": "text",
    "policy_version": "text",
    "pathway_id": "text",
    "nation": "text",
    "raised_at": "datetime",
    "raised_by": "text",
    "other_agency": "text",
    "other_practitioner": "text",
    "category": "text",
    "disputed": "text",
    "change_wanted": "text",
    "impact": "text",
    "immediate_risk": "bool",
    "protect_by": "date?",
    "decided_on": "date?",
    "status": "text",
    "transferred_from": "text?",
    "closed_at": "datetime?",
    "created_at": "datetime",
    "created_by": "text",
}


class Problems(list[str]):
    """Plain sentences, each naming where the value is."""

    def refusal(self) -> str:
        shown = " ".join(self[:SHOWN])
        more = len(self) - SHOWN
        return shown + (f" (and {more} more {noun(more, 'problem')})" if more > 0 else "")


def _convert(value: object, kind: str) -> object:
    """``value`` as stored, as ``kind``; raises ValueError or TypeError if it is not."""
    if kind.endswith("?"):
        if value is None:
            return None
        kind = kind[:-1]
    if kind == "text":
        if not isinstance(value, str):
            raise TypeError("is not text")
        check_text(value, "it", required=False, limit=MAX_TEXT)
        return value
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError("is not a whole number")
        return value
    if kind == "bool":
        if value not in (0, 1) or not isinstance(value, int):
            raise TypeError("is not yes or no")
        return bool(value)
    if not isinstance(value, str):
        raise TypeError("is not a date")
    if kind == "date":
        return date.fromisoformat(value)
    return datetime.fromisoformat(value)


def _read(
    row: dict[str, Any], columns: dict[str, str], where: str, problems: Problems
) -> dict[str, Any]:
    typed: dict[str, Any] = {}
    for column, kind in columns.items():
        if column not in row:
            problems.append(f"{where}: '{column}' is missing.")
            continue
        try:
            typed[column] = _convert(row[column], kind)
        except (TypeError, ValueError, FieldError) as exc:
            reason = exc.reason if isinstance(exc, FieldError) else str(exc)
            shown = str(row[column])[:40]
            problems.append(f"{where}: '{column}' ({shown!r}) {reason.rstrip('.')}.")
    return typed


def _rows(session: Session, sql: str, **params: object) -> list[dict[str, Any]]:
    return [dict(r) for r in session.execute(text(sql), params).mappings()]


def read_child(session: Session, child_id: int, problems: Problems) -> ChildIn | None:
    """The child ``child_id`` and everything about them, each value read and checked;
    None (and ``problems``) if the child is not there."""
    found = _rows(session, "SELECT * FROM child WHERE id = :id", id=child_id)
    if not found:
        problems.append("The child's records are not in the file.")
        return None
    columns = _read(found[0], CHILD_COLUMNS, "The child", problems)
    escalations = [
        _read_escalation(session, row, problems)
        for row in _rows(
            session, "SELECT * FROM escalation WHERE child_id = :id ORDER BY id", id=child_id
        )
    ]
    child = ChildIn(columns, [e for e in escalations if e is not None])
    if len(problems) == 0:
        problems.extend(child_problems(child))
    return child


def _read_escalation(
    session: Session, row: dict[str, Any], problems: Problems
) -> EscalationIn | None:
    ref = row.get("ref")
    where = f"Escalation {ref}" if isinstance(ref, str) else "An escalation"
    try:
        ref = _convert(ref, "text")
    except (TypeError, ValueError, FieldError):
        problems.append(f"{where}: its reference cannot be read.")
        return None
    columns = _read(row, ESCALATION_COLUMNS, where, problems)
    snapshots = _rows(
        session, "SELECT * FROM pathway_snapshot WHERE id = :id", id=row.get("snapshot_id")
    )
    if not snapshots:
        problems.append(f"{where}: its pathway is missing.")
        return None
    snap = _read(
        snapshots[0],
        {"policy_id": "text", "policy_version": "text", "pathway_id": "text", "content": "text"},
        f"{where}'s pathway",
        problems,
    )
    events = [
        EventIn(**typed)
        for e in _rows(
            session, "SELECT * FROM stage_event WHERE escalation_id = :id ORDER BY id", id=row["id"]
        )
        if len(typed := _read(e, _EVENT_COLUMNS, f"{where}, stage event {e.get('id')}", problems))
        == len(_EVENT_COLUMNS)
    ]
    records = [
        _read_record(session, r, f"{where}, record {r.get('id')}", problems)
        for r in _rows(
            session, "SELECT * FROM record WHERE escalation_id = :id ORDER BY id", id=row["id"]
        )
    ]
    if len(snap) < 4:
        return None
    snapshot = (snap["policy_id"], snap["policy_version"], snap["pathway_id"], snap["content"])
    return EscalationIn(str(ref), columns, snapshot, events, records)


_EVENT_COLUMNS = {
    "number": "int",
    "kind": "text",
    "at": "datetime",
    "due": "text?",
    "rule": "text",
    "note": "text",
    "recorded_by": "text",
}


def _read_record(session: Session, row: dict[str, Any], where: str, problems: Problems) -> RecordIn:
    head = _read(row, {"kind": "text", "created_at": "datetime"}, where, problems)
    versions = []
    for v in _rows(
        session, "SELECT * FROM record_version WHERE record_id = :id ORDER BY version", id=row["id"]
    ):
        at = f"{where}, version {v.get('version')}"
        typed = _read(
            v,
            {
                "version": "int",
                "content": "text",
                "recorded_at": "datetime",
                "recorded_by": "text",
                "reason": "text",
            },
            at,
            problems,
        )
        approvals = [
            ApprovalIn(**read)
            for a in _rows(
                session, "SELECT * FROM approval WHERE version_id = :id ORDER BY id", id=v["id"]
            )
            if len(
                read := _read(a, {"approved_at": "datetime", "approved_by": "text"}, at, problems)
            )
            == 2
        ]
        if len(typed) == 5:
            versions.append(VersionIn(**typed, approvals=approvals))
    return RecordIn(head.get("kind", ""), head.get("created_at", datetime.min), versions)


def child_problems(child: ChildIn) -> Problems:
    """Every value refused by the checks the app's own forms make, each named."""
    problems = Problems()
    c = child.columns
    found = new_child_problems(NewChild(c["name"], c["date_of_birth"], c["identifier"]))
    problems.extend(f"The child: {p}" for p in found)
    for escalation in child.escalations:
        problems.extend(escalation_problems(escalation))
    return problems


def _pathway(escalation: EscalationIn, where: str, problems: Problems) -> Pathway | None:
    _policy, _version, pathway_id, content = escalation.snapshot
    try:
        pathway = Pathway.model_validate_json(content)
        stored_pathway(content)  # what the list reads of it, without the schema
    except (ValidationError, ValueError, KeyError, TypeError, IndexError):
        problems.append(f"{where}: the pathway it follows cannot be read as a pathway.")
        return None
    if pathway.id != pathway_id or pathway.id != escalation.columns["pathway_id"]:
        problems.append(f"{where}: the pathway it follows is not the one it names.")
    return pathway


def escalation_problems(escalation: EscalationIn) -> Problems:
    problems = Problems()
    where = f"Escalation {escalation.ref}"
    c = escalation.columns
    if c["nation"] not in {n.value for n in Nation}:
        problems.append(f"{where}: '{c['nation'][:40]}' is not a UK nation the app knows.")
    if c["category"] not in CATEGORIES:
        problems.append(f"{where}: '{c['category'][:40]}' is not a category of disagreement.")
    if c["status"] not in STATUSES or (c["status"] == "open") != (c["closed_at"] is None):
        problems.append(f"{where}: its status and closing date do not agree.")
    form = NewEscalation(
        child_id=1,  # the child is checked on their own
        policy_id=c["policy_id"],
        pathway_id=c["pathway_id"],
        raised_at=c["raised_at"],
        raised_by=c["raised_by"],
        other_agency=c["other_agency"],
        category=c["category"] if c["category"] in CATEGORIES else "other",
        disputed=c["disputed"],
        change_wanted=c["change_wanted"],
        impact=c["impact"],
        other_practitioner=c["other_practitioner"],
        immediate_risk=c["immediate_risk"],
        protect_by=c["protect_by"],
        decided_on=c["decided_on"],
    )
    problems.extend(f"{where}: {p}" for p in new_escalation_problems(form))
    for column in ("policy_id", "policy_version", "pathway_id", "created_by"):
        if not c[column].strip() or len(c[column]) > 200:
            problems.append(f"{where}: '{column}' is empty or too long.")
    pathway = _pathway(escalation, where, problems)
    if pathway is not None:
        problems.extend(_event_problems(escalation, len(pathway.stages), where))
        problems.extend(_record_problems(escalation, where))
    return problems


def _event_problems(escalation: EscalationIn, stages: int, where: str) -> Problems:
    problems = Problems()
    if not escalation.events or escalation.events[0].kind != "started":
        problems.append(f"{where}: it has no stage start before its other stage events.")
    for event in escalation.events:
        at = f"{where}, stage {event.number} {event.kind}"
        if event.kind not in EVENT_KINDS:
            problems.append(f"{where}: '{event.kind[:40]}' is not a kind of stage event.")
        if not 1 <= event.number <= stages:
            problems.append(f"{where}: stage {event.number} is not a stage of its pathway.")
        try:
            parse_moment(event.due)
        except (TypeError, ValueError):
            problems.append(f"{at}: the deadline {str(event.due)[:40]!r} is not a date.")
        if event.due is not None and event.kind != "started":
            problems.append(f"{at}: only a stage start has a deadline.")
        if range_problem(event.at.date(), EVENT_DATES):
            problems.append(f"{at}: {event.at:%d/%m/%Y} is not a plausible date.")
        if not event.recorded_by.strip():
            problems.append(f"{at}: who recorded it is missing.")
    return problems


def _record_problems(escalation: EscalationIn, where: str) -> Problems:
    """Each version's content read as its kind's record and checked as its form is."""
    problems = Problems()
    # The checks that need the escalation read its raised date and its pathway only.
    stub = Escalation(
        raised_at=escalation.columns["raised_at"],
        snapshot=PathwaySnapshot(content=escalation.snapshot[3]),
    )
    for record in escalation.records:
        if record.kind not in {k.value for k in RecordKind}:
            problems.append(f"{where}: '{record.kind[:40]}' is not a kind of record.")
            continue
        model = CONTENT_TYPES[RecordKind(record.kind)]
        numbers = [v.version for v in record.versions]
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"{where}: a {record.kind} record's versions are not 1, 2, 3…")
        for version in record.versions:
            at = f"{where}, {record.kind} record version {version.version}"
            try:
                content = model.model_validate_json(version.content)
            except ValidationError:
                problems.append(f"{at}: its content cannot be read as a {record.kind} record.")
                continue
            problems.extend(f"{at}: {p}" for p in content_problems(stub, content))
            if not version.recorded_by.strip():
                problems.append(f"{at}: who recorded it is missing.")
    return problems


# Rows a transfer may hold only as part of its one child's records.
_BELONG = {
    "escalation": "SELECT count(*) FROM escalation WHERE child_id != :child",
    "stage_event": (
        "SELECT count(*) FROM stage_event WHERE escalation_id NOT IN "
        "(SELECT id FROM escalation WHERE child_id = :child)"
    ),
    "record": (
        "SELECT count(*) FROM record WHERE escalation_id NOT IN "
        "(SELECT id FROM escalation WHERE child_id = :child)"
    ),
    "record_version": (
        "SELECT count(*) FROM record_version WHERE record_id NOT IN (SELECT r.id FROM record "
        "AS r JOIN escalation AS e ON e.id = r.escalation_id WHERE e.child_id = :child)"
    ),
    "approval": (
        "SELECT count(*) FROM approval WHERE version_id NOT IN (SELECT v.id FROM "
        "record_version AS v JOIN record AS r ON r.id = v.record_id JOIN escalation AS e "
        "ON e.id = r.escalation_id WHERE e.child_id = :child)"
    ),
}


def unreachable_rows(session: Session, child_id: int) -> Problems:
    """Records in a transfer that belong to no escalation of its child: the sender's
    app never writes them, so the file was made some other way."""
    problems = Problems()
    for table, sql in _BELONG.items():
        if session.execute(text(sql), {"child": child_id}).scalar_one():
            problems.append(
                f"The transfer file holds {table} rows that belong to no escalation of its child."
            )
    return problems
