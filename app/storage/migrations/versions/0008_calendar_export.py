"""What the last calendar file of deadlines said of each event.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

"Add deadlines to my calendar" (and ``python -m app calendar``) writes an iCalendar
file. A calendar that opens a newer file replaces an event only when it has the same
UID and a higher SEQUENCE, so the app keeps, per event, the deadline and sequence it
last wrote and whether it was cancelled (``app.domain.calendar_events``).

The rows are derived from the stage events and hold references and stage numbers only,
so they are not pinned by the audit trail: a changed row would only change the sequence
numbers of the next calendar file, never a record. No triggers. No rows change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_export",
        sa.Column("uid", sa.String(length=80), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("due", sa.String(length=16), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("uid"),
    )


def downgrade() -> None:
    op.drop_table("calendar_export")
