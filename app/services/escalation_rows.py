"""The escalation list's rows, read with plain SQL on a ``read()`` connection.

This runs at every unlock and refresh over thousands of escalations, before SQLAlchemy
and the policy schema are loaded (issue 9: the dashboard is painted first). In
two queries; each shared pathway snapshot is parsed once, not once per escalation.
"""

from __future__ import annotations

import json
from datetime import datetime

from app.deadlines.moments import parse_moment
from app.services.store import ReadStore
from app.services.views import EscalationRow

# Each escalation with its current stage (its latest start), soonest deadline first:
# stored deadlines are ISO text, so they sort as text; closed ones and those with no
# fixed timescale last, as "9999". Sorted here rather than in Python: it is C, and the
# list is re-sorted only when the DSL chooses another order.
_ESCALATIONS = """
    SELECT e.ref, c.name, e.other_agency, e.policy_id, e.snapshot_id, e.pathway_id,
           e.status, e.raised_at, e.closed_at, e.nation, s.number, s.due
    FROM escalation AS e
    JOIN child AS c ON c.id = e.child_id
    JOIN stage_event AS s ON s.id = (
        SELECT max(id) FROM stage_event WHERE escalation_id = e.id AND kind = 'started'
    )
    ORDER BY e.status != 'open',
             CASE WHEN e.status = 'open' THEN coalesce(s.due, '9999') ELSE '9999' END,
             e.ref
"""
_SNAPSHOTS = "SELECT id, content FROM pathway_snapshot"


def _stored_datetime(value: str | datetime | None) -> datetime | None:
    """SQLAlchemy stores DateTime columns as ISO text; a plain connection returns it."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def pathway_titles(snapshot: str) -> tuple[str, list[str]]:
    """A stored pathway's title and its stages' titles, in order."""
    pathway = json.loads(snapshot)
    return str(pathway["title"]), [str(stage["title"]) for stage in pathway["stages"]]


def list_escalations(store: ReadStore) -> list[EscalationRow]:
    """Every escalation as a list row, soonest deadline first."""
    with store.read() as connection:
        base = connection.execute(_ESCALATIONS).fetchall()
        titles = {
            snapshot_id: pathway_titles(content)
            for snapshot_id, content in connection.execute(_SNAPSHOTS)
        }
    rows = []
    for (
        ref,
        child,
        agency,
        policy,
        snapshot,
        pathway,
        status,
        raised,
        closed,
        nation,
        *stage,
    ) in base:
        number, due = stage
        pathway_title, stage_titles = titles[snapshot]
        raised_at = _stored_datetime(raised)
        assert raised_at is not None  # NOT NULL in the schema
        rows.append(
            EscalationRow(
                ref=ref,
                child_name=child,
                other_agency=agency,
                policy_id=policy,
                pathway_id=pathway,
                stage_number=number,
                stage_count=len(stage_titles),
                stage_title=stage_titles[number - 1],
                next_due=parse_moment(due) if status == "open" else None,
                status=status,
                raised_at=raised_at,
                closed_at=_stored_datetime(closed),
                nation=nation,
                pathway_title=pathway_title,
            )
        )
    return rows
