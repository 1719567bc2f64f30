"""Retention decisions and record transfer.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Adds the retention review decisions (append-only, like the other history tables) and
the reference an imported escalation had in the setting it came from.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "retention_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("next_review", sa.Date(), nullable=True),
        sa.Column("destroyed_targets", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.add_column("escalation", sa.Column("transferred_from", sa.Text(), nullable=True))
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER retention_decision_no_{verb.lower()} BEFORE {verb} "
            "ON retention_decision "
            "BEGIN SELECT RAISE(ABORT, 'records are amended, never overwritten'); END"
        )


def downgrade() -> None:
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS retention_decision_no_{verb}")
    op.drop_column("escalation", "transferred_from")
    op.drop_table("retention_decision")
