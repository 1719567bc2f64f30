"""The escalation list's rows, read with plain SQL on a ``read()`` connection.

This runs at every unlock and refresh over thousands of escalations, before SQLAlchemy
and the policy schema are loaded (issue 9: the dashboard is painted first). The rows
come in the list's order, all of them or the first screenful; each shared pathway
snapshot is parsed once, not once per escalation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from app.deadlines.moments import parse_moment
from app.services.store import ReadStore
from app.services.views import EscalationRow

# Each escalation's current stage: its latest start.
_CURRENT_STAGE = """
    JOIN stage_event AS s ON s.id = (
        SELECT max(id) FROM stage_event WHERE escalation_id = e.id AND kind = 'started'
    )
"""
# The list's order, exactly as ``dashboard.sort_key`` (a test holds the two equal): open
# first, soonest deadline first, then those with no fixed timescale; closed ones last,
# most recently closed first. Stored deadlines are ISO text (``YYYY-MM-DD`` or
# ``YYYY-MM-DDTHH:MM``), so they sort as text; a date-only one means the end of its day,
# hence "T99" after any time on that day. Sorted here rather than in Python: it is C, and
# the first screenful can be read with LIMIT (``dashboard.first_page``).
_ORDER = """
    ORDER BY e.status != 'open',
             CASE WHEN e.status = 'open' THEN
                 CASE WHEN s.due IS NULL THEN '9999'
                      WHEN instr(s.due, 'T') THEN s.due
                      ELSE s.due || 'T99' END
             END,
             CASE WHEN e.status != 'open' THEN coalesce(e.closed_at, '') END DESC,
             e.ref
"""
_ESCALATIONS = (
    """
    SELECT e.ref, c.name, e.other_agency, e.policy_id, e.snapshot_id, e.pathway_id,
           e.status, e.raised_at, e.closed_at, e.nation, s.number, s.due
    FROM escalation AS e
    JOIN child AS c ON c.id = e.child_id
    """
    + _CURRENT_STAGE
    + _ORDER
)
# What the dashboard's counts need of every escalation, and no more.
_FACTS = "SELECT e.status, s.due, e.nation, e.closed_at FROM escalation AS e" + _CURRENT_STAGE
_SNAPSHOTS = "SELECT id, content FROM pathway_snapshot"


def stored_datetime(value: str | datetime | None) -> datetime | None:
    """SQLAlchemy stores DateTime columns as ISO text; a plain connection returns it."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def pathway_titles(snapshot: str) -> tuple[str, list[str]]:
    """A stored pathway's title and its stages' titles, in order."""
    pathway = json.loads(snapshot)
    return str(pathway["title"]), [str(stage["title"]) for stage in pathway["stages"]]


# An escalation's status, current deadline (stored text), nation and closing time
# (stored text): see ``read_facts``.
Facts = tuple[str, str | None, str, str | None]


def list_escalations(store: ReadStore) -> list[EscalationRow]:
    """Every escalation as a list row, in the list's order (see ``_ORDER``)."""
    with store.read() as connection:
        return read_rows(connection)


def read_facts(connection: Any) -> Iterator[Facts]:
    """Every escalation's :data:`Facts`, unordered: 4 values a row, not 14. Iterate it
    before the next query on ``connection``."""
    return connection.execute(_FACTS)  # type: ignore[no-any-return]


def read_rows(connection: Any, limit: int | None = None) -> list[EscalationRow]:
    """The list's rows in its order, the first ``limit`` only if given, on a
    ``read()`` connection."""
    titles = {
        snapshot_id: pathway_titles(content)
        for snapshot_id, content in connection.execute(_SNAPSHOTS)
    }
    # Iterated, not fetched: a list of 10,000 result tuples added 1 MB to the peak of
    # memory (issue 9), all thrown away.
    if limit is None:
        base = connection.execute(_ESCALATIONS)
    else:
        base = connection.execute(_ESCALATIONS + " LIMIT ?", (limit,))
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
        raised_at = stored_datetime(raised)
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
                closed_at=stored_datetime(closed),
                nation=nation,
                pathway_title=pathway_title,
            )
        )
    return rows
