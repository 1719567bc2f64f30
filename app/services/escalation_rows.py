"""The escalation list's rows, read with plain SQL on a ``read()`` connection.

This runs at every unlock and refresh over thousands of escalations, before SQLAlchemy
and the policy schema are loaded (the dashboard is painted first: docs/performance.md). The rows
come in the list's order, all of them or the first screenful; each shared pathway
snapshot is parsed once, not once per escalation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.deadlines.moments import parse_moment
from app.domain.views import EscalationRow
from app.nation import Nation
from app.policy.pathway_kind import PathwayKind
from app.services.store import ReadStore

# Each escalation's current stage: its latest start.
_CURRENT_STAGE = """
    JOIN stage_event AS s ON s.id = (
        SELECT max(id) FROM stage_event WHERE escalation_id = e.id AND kind = 'started'
    )
"""


def _order(table: str = "") -> str:
    """The list's order, exactly as ``dashboard.sort_key`` (a test holds the two equal):
    open first, soonest deadline first, then those with no fixed timescale; closed ones
    last, most recently closed first. ``current_due`` is the current stage's deadline
    (see ``models.Escalation``): ISO text (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``), so
    deadlines sort as text; a date-only one means the end of its day, hence "T99" after
    any time on that day; '' is no fixed timescale.

    Written exactly as the index ``ix_escalation_order`` (migration 0006), so SQLite
    reads the list in order from it instead of sorting, and the first screenful is the
    index's first entries (a test checks the plan)."""
    status, due, closed, ref = (
        f"{table}{c}" for c in ("status", "current_due", "closed_at", "ref")
    )
    return f"""
    ORDER BY {status} != 'open',
        CASE WHEN {status} = 'open' THEN
            CASE WHEN {due} = '' THEN '9999'
                 WHEN instr({due}, 'T') THEN {due}
                 ELSE {due} || 'T99' END
        END,
        CASE WHEN {status} != 'open' THEN coalesce({closed}, '') END DESC,
        {ref}
    """


# An escalation with no start at all has no current_due (NULL): a damaged transfer file
# could bring one, and the list leaves it out, as the join on its current stage does.
_LISTED = "current_due IS NOT NULL"
_ROWS = (
    """
    SELECT e.ref, c.name, e.other_agency, e.policy_id, e.snapshot_id, e.pathway_id,
           e.status, e.raised_at, e.closed_at, e.nation, s.number, s.due, s.at
    FROM {escalations}
    JOIN child AS c ON c.id = e.child_id
    """
    + _CURRENT_STAGE
)
_ESCALATIONS = _ROWS.format(escalations="escalation AS e") + f"WHERE e.{_LISTED}" + _order("e.")
# The first ``?`` rows: the first entries of ``ix_escalation_order``, then only those
# rows read from the tables, which hold every form's text.
_FIRST_ROWS = _ROWS.format(
    escalations=f"""(
        SELECT id FROM escalation WHERE {_LISTED} {_order()} LIMIT ?
    ) AS o
    JOIN escalation AS e ON e.id = o.id"""
) + _order("e.")
# The dashboard's counts, from ``ix_escalation_counts`` alone: escalations that share a
# status, nation and deadline are counted together (5,000 escalations make about 600
# groups), with how many of them were resolved in the term (the closing time is ISO
# text, so it compares as text with the term's first day and the day after its last).
_COUNTS = f"""
    SELECT status, nation, nullif(current_due, ''), count(*),
           sum(status = 'resolved' AND closed_at IS NOT NULL
               AND closed_at >= :start AND closed_at < :after)
    FROM escalation WHERE {_LISTED}
    GROUP BY status, nation, current_due
"""
# Open escalations at a stage with no fixed timescale ('' in current_due), and when
# that stage started: the dashboard's figure for them, read with the counts at unlock
# (a few rows, found over ``ix_escalation_counts``).
_WAITING = (
    "SELECT e.ref, e.nation, s.at FROM escalation AS e"
    + _CURRENT_STAGE
    + "WHERE e.status = 'open' AND e.current_due = ''"
)
_SNAPSHOTS = "SELECT id, content FROM pathway_snapshot"
_NATIONS = frozenset(n.value for n in Nation)
# A damaged row's nation: unread (it has no deadline to count working days to).
_NO_NATION = Nation.ENGLAND.value
_PATHWAY_KINDS = frozenset(k.value for k in PathwayKind)


def stored_datetime(value: str | datetime | None) -> datetime | None:
    """SQLAlchemy stores DateTime columns as ISO text; a plain connection returns it."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


@dataclass(frozen=True)
class StoredPathway:
    """What the list needs of a stored pathway, read from its JSON without the schema."""

    kind: PathwayKind
    title: str
    stage_titles: list[str]


def stored_pathway(snapshot: str) -> StoredPathway:
    """A stored pathway's kind, title and stages' titles, in order. A pathway stored
    before kinds were separate has no kind: its id names it."""
    pathway = json.loads(snapshot)
    return StoredPathway(
        kind=PathwayKind(pathway.get("kind") or pathway["id"]),
        title=str(pathway["title"]),
        stage_titles=[str(stage["title"]) for stage in pathway["stages"]],
    )


# Escalations that share a status, nation and current deadline (stored text, or None for
# no fixed timescale): how many, and how many of them were resolved in the term asked.
Counted = tuple[str, str, str | None, int, int]


def list_escalations(store: ReadStore) -> list[EscalationRow]:
    """Every escalation as a list row, in the list's order (see ``_order``)."""
    with store.read() as connection:
        return read_rows(connection)


def read_counts(connection: Any, first_day: date, last_day: date) -> list[Counted]:
    """Every listed escalation, grouped as :data:`Counted`, with those resolved from
    ``first_day`` to ``last_day`` (inclusive), on a ``read()`` connection."""
    after = last_day + timedelta(days=1)
    counted: list[Counted] = connection.execute(
        _COUNTS, {"start": first_day.isoformat(), "after": after.isoformat()}
    ).fetchall()
    return counted


def read_waiting(connection: Any) -> list[tuple[str, str, datetime]]:
    """Each open escalation at a stage with no fixed timescale: its reference, nation
    and when its stage started, on a ``read()`` connection."""
    out = []
    for ref, nation, started in connection.execute(_WAITING):
        try:
            at = stored_datetime(started)
        except (ValueError, TypeError):  # damaged: the list says so, not the figure
            continue
        if at is not None:
            out.append((str(ref), str(nation), at))
    return out


def read_rows(connection: Any, limit: int | None = None) -> list[EscalationRow]:
    """The list's rows in its order, the first ``limit`` only if given, on a
    ``read()`` connection."""
    pathways = _parsed_pathways(connection)
    # Iterated, not fetched: a list of 10,000 result tuples added 1 MB to the peak of
    # memory, all thrown away.
    if limit is None:
        base = connection.execute(_ESCALATIONS)
    else:
        base = connection.execute(_FIRST_ROWS, (limit,))
    return [_row(values, pathways) for values in base]


def _row(values: tuple[Any, ...], pathways: dict[int, StoredPathway | None]) -> EscalationRow:
    """One list row; a value it cannot read makes it a damaged row, never an error."""
    ref, child, agency, policy, snapshot, pathway_id, status, raised, closed, nation, *stage = (
        values
    )
    number, due, started = stage
    try:
        stored = pathways.get(snapshot)
        if stored is None:
            raise ValueError("the pathway it follows cannot be read.")
        if not isinstance(number, int) or not 1 <= number <= len(stored.stage_titles):
            raise ValueError(f"stage {str(number)[:20]} is not a stage of its pathway.")
        if nation not in _NATIONS:
            raise ValueError(f"its nation {str(nation)[:40]!r} is not a UK nation the app knows.")
        raised_at = stored_datetime(raised)
        assert raised_at is not None  # NOT NULL in the schema
        try:
            next_due = parse_moment(due) if status == "open" else None
        except (ValueError, TypeError):
            raise ValueError(f"its deadline {str(due)[:40]!r} is not a date.") from None
        return EscalationRow(
            ref=ref,
            child_name=child,
            other_agency=agency,
            policy_id=policy,
            pathway_id=pathway_id,
            stage_number=number,
            stage_count=len(stored.stage_titles),
            stage_title=stored.stage_titles[number - 1],
            next_due=next_due,
            status=status,
            raised_at=raised_at,
            closed_at=stored_datetime(closed),
            nation=nation,
            pathway_title=stored.title,
            pathway_kind=stored.kind,
            stage_started_at=stored_datetime(started),
        )
    except (ValueError, TypeError, AssertionError) as exc:
        reason = str(exc) if str(exc).endswith(".") else "a value in it cannot be read."
        return damaged_row(values, reason)


def damaged_row(values: tuple[Any, ...], reason: str) -> EscalationRow:
    """What the list shows of an escalation holding a value it cannot read: its
    reference, child and agency, and why (app/services/damage.py)."""
    ref, child, agency, policy, _snapshot, pathway_id, status, raised, _closed, *_rest = values
    try:
        raised_at = stored_datetime(raised) or datetime.min
    except (ValueError, TypeError):
        raised_at = datetime.min
    return EscalationRow(
        ref=str(ref),
        child_name=str(child),
        other_agency=str(agency),
        policy_id=str(policy),
        pathway_id=str(pathway_id),
        stage_number=0,
        stage_count=0,
        stage_title="",
        next_due=None,
        status=str(status),
        raised_at=raised_at,
        closed_at=None,
        nation=_NO_NATION,
        pathway_kind=_kind(pathway_id),
        damaged=reason,
    )


def _kind(pathway_id: object) -> PathwayKind | None:
    return PathwayKind(pathway_id) if pathway_id in _PATHWAY_KINDS else None


def _parsed_pathways(connection: Any) -> dict[int, StoredPathway | None]:
    pathways: dict[int, StoredPathway | None] = {}
    for snapshot_id, content in connection.execute(_SNAPSHOTS):
        try:
            pathways[snapshot_id] = stored_pathway(content)
        except (ValueError, KeyError, TypeError, IndexError):
            pathways[snapshot_id] = None  # its escalations are listed as damaged
    return pathways
