"""Each escalation's current deadline on its own row, and the list's order as an index.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

Unlocking counts every escalation by its current deadline and shows the first screenful
in deadline order (start-up: docs/performance.md). The deadline is on the escalation's latest
"started" stage event, so both looked it up once per escalation in ``stage_event``'s
index, and the order was then sorted: most of the time unlocking spent reading a large
file. Now:

- ``escalation.current_due`` holds the latest start's deadline, marked as the list reads
  it: NULL for no start at all (a damaged transfer file could bring one; the list leaves
  it out), '' for a stage with no fixed timescale, otherwise the stored ISO text. The
  app never writes it: triggers on ``stage_event`` (append-only) set it from the latest
  start whenever a start is added or, by retention's destruction, deleted. So it cannot
  disagree with the stage events, whichever code writes them.
- ``ix_escalation_order`` is the list's order (``app.services.escalation_rows``), so the
  first screenful is the index's first entries and nothing is sorted. SQLite uses an
  index on expressions only for an ORDER BY written the same way, so the queries use
  these terms exactly; a test checks the plan.
- ``ix_escalation_counts`` (status, nation, current_due, closed_at) replaces
  ``ix_escalation_list``: the counts group escalations that share a deadline and nation
  over it, without the tables.

The column is derived, like an index: it is not part of the escalation's pinned form
(``audit.FORM_MUTABLE``), so no pin changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

# Frozen here, not imported: a migration must not change meaning when the app does.
_LATEST_START = """(
    SELECT coalesce(due, '') FROM stage_event
    WHERE escalation_id = {escalation} AND kind = 'started' ORDER BY id DESC LIMIT 1
)"""
_ORDER = """
    status != 'open',
    CASE WHEN status = 'open' THEN
        CASE WHEN current_due = '' THEN '9999'
             WHEN instr(current_due, 'T') THEN current_due
             ELSE current_due || 'T99' END
    END,
    CASE WHEN status != 'open' THEN coalesce(closed_at, '') END DESC,
    ref
"""


def upgrade() -> None:
    op.add_column("escalation", sa.Column("current_due", sa.String(16), nullable=True))
    op.execute(
        "UPDATE escalation SET current_due = " + _LATEST_START.format(escalation="escalation.id")
    )
    for event, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
        op.execute(
            f"CREATE TRIGGER stage_event_{event.lower()}_current_due "
            f"AFTER {event} ON stage_event WHEN {row}.kind = 'started' BEGIN "
            "UPDATE escalation SET current_due = "
            + _LATEST_START.format(escalation=f"{row}.escalation_id")
            + f" WHERE id = {row}.escalation_id; END"
        )
    op.execute(
        f"CREATE INDEX ix_escalation_order ON escalation ({_ORDER}) WHERE current_due IS NOT NULL"
    )
    op.drop_index("ix_escalation_list", table_name="escalation")
    op.create_index(
        "ix_escalation_counts", "escalation", ["status", "nation", "current_due", "closed_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_escalation_counts", table_name="escalation")
    op.create_index("ix_escalation_list", "escalation", ["status", "closed_at", "ref", "nation"])
    op.execute("DROP INDEX ix_escalation_order")
    for event in ("insert", "delete"):
        op.execute(f"DROP TRIGGER stage_event_{event}_current_due")
    # Not batch mode: rebuilding escalation would break the foreign keys that point at it.
    op.execute("ALTER TABLE escalation DROP COLUMN current_due")
