"""Pathway snapshots in their own table, shared by the escalations that use them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

Each escalation carried its own copy of its pathway (a few KB of JSON) in the middle of
its row, so listing escalations read every copy through SQLite's overflow pages: 10,000
escalations made a 52 MB file and a 0.7 s list. The copies are identical per policy
version and pathway, so they move to one table and escalations point at them.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "pathway_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("policy_id", sa.String(length=64), nullable=False),
        sa.Column("policy_version", sa.Text(), nullable=False),
        sa.Column("pathway_id", sa.String(length=32), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("digest"),
    )
    # Added in place (SQLite allows a nullable column with a reference): rebuilding the
    # table would drop it from under the rows that refer to it, which SQLite's foreign
    # keys do not forgive even when deferred.
    op.execute(
        "ALTER TABLE escalation ADD COLUMN snapshot_id INTEGER REFERENCES pathway_snapshot (id)"
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT id, policy_id, policy_version, pathway_id, pathway_snapshot FROM escalation"
        )
    ).all()
    ids: dict[str, int] = {}
    for escalation_id, policy_id, version, pathway_id, content in rows:
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        if digest not in ids:
            ids[digest] = connection.execute(
                sa.text(
                    "INSERT INTO pathway_snapshot (digest, policy_id, policy_version, pathway_id, "
                    "content) VALUES (:d, :p, :v, :w, :c) RETURNING id"
                ),
                {"d": digest, "p": policy_id, "v": version, "w": pathway_id, "c": content},
            ).scalar_one()
        connection.execute(
            sa.text("UPDATE escalation SET snapshot_id = :s WHERE id = :e"),
            {"s": ids[digest], "e": escalation_id},
        )
    # SQLite 3.35+ drops a plain column in place.
    op.execute("ALTER TABLE escalation DROP COLUMN pathway_snapshot")


def downgrade() -> None:
    op.add_column("escalation", sa.Column("pathway_snapshot", sa.Text(), nullable=True))
    op.execute(
        "UPDATE escalation SET pathway_snapshot = (SELECT content FROM pathway_snapshot "
        "WHERE pathway_snapshot.id = escalation.snapshot_id)"
    )
    op.execute("ALTER TABLE escalation DROP COLUMN snapshot_id")
    op.drop_table("pathway_snapshot")
