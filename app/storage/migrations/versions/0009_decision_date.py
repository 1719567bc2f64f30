"""When the disputed decision was made, for timescales that run from it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

Some partnerships count from the disputed decision rather than from the day the
disagreement was raised (York: "raise the matter with the IRO Manager within two working
days" of the conference; North Yorkshire's stages 3 and 4: "from the date of referral or
the disputed decision or action"). The new-escalation form now records that date;
``decided_on`` is NULL when none was given, and such timescales then run from the date
raised, as before.

The column joins the escalation's form pin. Pins written before it have no such column,
and a blank column may be left out when a pin is compared (``pins.matches``), so no pin
changes. No rows change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("escalation", sa.Column("decided_on", sa.Date(), nullable=True))


def downgrade() -> None:
    # SQLite drops a plain column in place (3.35+); nothing refers to it.
    op.drop_column("escalation", "decided_on")
