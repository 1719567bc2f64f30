"""A child's date of birth may be recorded as not known (NULL).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27

The new-escalation form used to start the date of birth at ten years ago, and a DSL who
did not know it saved that guess as though typed; the retention review date was then
worked out from it. Now the field starts empty and "Date of birth not known" is an
explicit choice, stored as NULL: documents print "Not known" and the retention review
lists the child for review by hand (docs/architecture.md, "Typed dates").

SQLite cannot drop a NOT NULL constraint in place, so ``child`` is rebuilt. Batch mode
(copy to a new table, drop the old, rename) cannot be used here: ``escalation`` refers
to ``child``, and with foreign keys on, dropping ``child`` orphans every escalation
until commit. So the rows are kept aside, ``child`` is dropped and made again under its
own name, and the rows go back with their ids, all with the foreign-key check deferred
to the commit, by when every escalation's child is there again. Child rows are not
pinned by the audit trail (``audit.PINNED``) and no value changes, so no pin changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

# Frozen here, not imported: a migration must not change meaning when the app does.
_COLUMNS = (
    "id, name, date_of_birth, identifier, cp_plan, looked_after, child_in_need, "
    "retention_hold_until, created_at"
)


def _rebuild_child(date_of_birth_nullable: bool) -> None:
    op.execute("PRAGMA defer_foreign_keys = ON")  # until this migration's transaction commits
    # A temporary table: in memory (temp_store), so no copy of the rows lands elsewhere.
    op.execute(f"CREATE TEMP TABLE _child_before_0007 AS SELECT {_COLUMNS} FROM child")
    op.execute("DROP TABLE child")
    op.create_table(
        "child",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=date_of_birth_nullable),
        sa.Column("identifier", sa.Text(), nullable=False),
        sa.Column("cp_plan", sa.Boolean(), nullable=False),
        sa.Column("looked_after", sa.Boolean(), nullable=False),
        sa.Column("child_in_need", sa.Boolean(), nullable=False),
        sa.Column("retention_hold_until", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(f"INSERT INTO child ({_COLUMNS}) SELECT {_COLUMNS} FROM _child_before_0007")
    op.execute("DROP TABLE _child_before_0007")


def upgrade() -> None:
    _rebuild_child(date_of_birth_nullable=True)


def downgrade() -> None:
    # Refused by the constraint (and so rolled back whole) if any date of birth is
    # recorded as not known: an older app has no way to show one.
    _rebuild_child(date_of_birth_nullable=False)
