"""Indexes that hold what unlocking reads of every escalation.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

Unlocking counts every escalation by its status, nation, closing date and current
deadline, and orders them to show the first screenful (start-up: docs/performance.md). Those came
from the escalation and stage_event tables themselves, whose rows hold every form's and
every note's text, so each unlock read and decrypted both tables whole. Two indexes now
hold those values, and replace the narrower indexes they begin with:

- ``ix_escalation_list`` (status, closed_at, ref, nation) replaces ``ix_escalation_status``;
- ``ix_stage_event_current`` (escalation_id, kind, id, due) replaces
  ``ix_stage_event_escalation``: an escalation's latest start and its deadline.

No rows change.
"""

from __future__ import annotations

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.drop_index("ix_escalation_status", table_name="escalation")
    op.create_index("ix_escalation_list", "escalation", ["status", "closed_at", "ref", "nation"])
    op.drop_index("ix_stage_event_escalation", table_name="stage_event")
    op.create_index("ix_stage_event_current", "stage_event", ["escalation_id", "kind", "id", "due"])


def downgrade() -> None:
    op.drop_index("ix_stage_event_current", table_name="stage_event")
    op.create_index("ix_stage_event_escalation", "stage_event", ["escalation_id"])
    op.drop_index("ix_escalation_list", table_name="escalation")
    op.create_index("ix_escalation_status", "escalation", ["status"])
