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
# Its deadline alone, read from the index ``ix_stage_event_current`` without touching the
# table (issue 9: unlocking reads this for every escalation). Marked: '' for a start with
# no fixed timescale, NULL for no start at all. The app never makes an escalation without
# one; a damaged transfer file could bring one, and the whole list's join leaves it out,
# so the counts and the first screenful must too.
_MARKED_DUE = """(
    SELECT coalesce(due, '') FROM stage_event WHERE escalation_id = e.id AND kind = 'started'
    ORDER BY id DESC LIMIT 1
)"""


def _order(status: str, due: str, closed_at: str, ref: str) -> str:
    """The list's order, exactly as ``dashboard.sort_key`` (a test holds the two equal):
    open first, soonest deadline first, then those with no fixed timescale; closed ones
    last, most recently closed first. Stored deadlines are ISO text (``YYYY-MM-DD`` or
    ``YYYY-MM-DDTHH:MM``), so they sort as text; a date-only one means the end of its
    day, hence "T99" after any time on that day. Sorted here rather than in Python: it
    is C, and the first screenful can be read with LIMIT (``dashboard.first_page``)."""
    return f"""
    ORDER BY {status} != 'open',
             CASE WHEN {status} = 'open' THEN
                 CASE WHEN {due} IS NULL THEN '9999'
                      WHEN instr({due}, 'T') THEN {due}
                      ELSE {due} || 'T99' END
             END,
             CASE WHEN {status} != 'open' THEN coalesce({closed_at}, '') END DESC,
             {ref}
    """


_ROWS = (
    """
    SELECT e.ref, c.name, e.other_agency, e.policy_id, e.snapshot_id, e.pathway_id,
           e.status, e.raised_at, e.closed_at, e.nation, s.number, s.due
    FROM {escalations}
    JOIN child AS c ON c.id = e.child_id
    """
    + _CURRENT_STAGE
)
_ESCALATIONS = _ROWS.format(escalations="escalation AS e") + _order(
    "e.status", "s.due", "e.closed_at", "e.ref"
)
# The first ``?`` rows: ordered over the indexes alone (``ix_escalation_list`` and
# ``ix_stage_event_current``), then only those rows read from the tables, which hold
# every form's text (issue 9). Materialized, so each deadline is looked up once rather
# than once for each place the order uses it.
_FIRST_ROWS = (
    f"""
    WITH current AS MATERIALIZED (
        SELECT e.id, e.status, e.closed_at, e.ref, {_MARKED_DUE} AS marked
        FROM escalation AS e
    )"""
    + _ROWS.format(
        escalations=f"""(
        SELECT id, status, closed_at, ref, nullif(marked, '') AS due FROM current
        WHERE marked IS NOT NULL {_order("status", "due", "closed_at", "ref")} LIMIT ?
    ) AS o
    JOIN escalation AS e ON e.id = o.id"""
    )
    + _order("o.status", "o.due", "o.closed_at", "o.ref")
)
# What the dashboard's counts need of every escalation, and no more: from the indexes.
# The deadline is marked (see ``_MARKED_DUE``); ``read_facts`` unmarks it.
_FACTS = f"SELECT e.status, {_MARKED_DUE}, e.nation, e.closed_at FROM escalation AS e"
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
    """Every escalation as a list row, in the list's order (see ``_order``)."""
    with store.read() as connection:
        return read_rows(connection)


def read_facts(connection: Any) -> Iterator[Facts]:
    """Every escalation's :data:`Facts` (those with a current stage, as the whole list),
    unordered: 4 values a row, not 14. Iterate it before the next query on
    ``connection``."""
    for status, marked, nation, closed in connection.execute(_FACTS):
        if marked is not None:
            yield status, marked or None, nation, closed


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
        base = connection.execute(_FIRST_ROWS, (limit,))
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
