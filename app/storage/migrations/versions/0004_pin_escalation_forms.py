"""Pin every escalation's form in the audit trail.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

The escalation row changes lawfully when it closes (status, closed date), so the audit
chain did not pin it and ``check`` could not see its text (what is disputed, the change
wanted, the impact, the date raised) altered with the passphrase and SQL. From 0004 the
app pins what was recorded when an escalation opens in an entry of its own,
``escalation-form:<ref>`` (see ``app.storage.audit.form_content``). This migration
appends that entry for every escalation already in the file, so an older file is
protected from the moment it is migrated: an alteration made before then cannot be seen,
since the form as it stood at migration is what is pinned. No table changes.

An escalation whose form is pinned already (a file downgraded past 0004 and brought up
again) keeps its pin: pinning it again would put whatever the row now holds in place of
what was recorded. The file is verified before any migration runs.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

from app.storage.audit import GENESIS, HEAD_KEY, canonical, entry_hash, sha256

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

ACTOR = "Escalation Tracker (schema update 0004)"
ACTION = "pin escalation form"

# Frozen here rather than read from the models: the escalation's columns as of 0004,
# typed so that values read back exactly as the ORM reads them (datetimes, dates, bools),
# since the digest must equal the one ``audit.verify`` computes from the ORM row. Every
# column is pinned except status, closed_at (set when it closes) and snapshot_id (where
# the shared pathway copy is kept; the pathway's content is pinned instead).
FORM_COLUMNS: tuple[sa.ColumnClause[object], ...] = (
    sa.column("id", sa.Integer()),
    sa.column("ref", sa.String()),
    sa.column("child_id", sa.Integer()),
    sa.column("policy_id", sa.String()),
    sa.column("policy_version", sa.Text()),
    sa.column("pathway_id", sa.String()),
    sa.column("nation", sa.String()),
    sa.column("raised_at", sa.DateTime()),
    sa.column("raised_by", sa.Text()),
    sa.column("other_agency", sa.Text()),
    sa.column("other_practitioner", sa.Text()),
    sa.column("category", sa.String()),
    sa.column("disputed", sa.Text()),
    sa.column("change_wanted", sa.Text()),
    sa.column("impact", sa.Text()),
    sa.column("immediate_risk", sa.Boolean()),
    sa.column("protect_by", sa.Date()),
    sa.column("transferred_from", sa.Text()),
    sa.column("created_at", sa.DateTime()),
    sa.column("created_by", sa.Text()),
)
escalation = sa.table("escalation", *FORM_COLUMNS, sa.column("snapshot_id", sa.Integer()))
pathway_snapshot = sa.table(
    "pathway_snapshot", sa.column("id", sa.Integer()), sa.column("content", sa.Text())
)
audit_entry = sa.table(
    "audit_entry",
    sa.column("id", sa.Integer()),
    sa.column("at", sa.DateTime()),
    sa.column("actor", sa.Text()),
    sa.column("action", sa.String()),
    sa.column("target", sa.Text()),
    sa.column("digest", sa.String()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)
file_info = sa.table("file_info", sa.column("key", sa.String()), sa.column("value", sa.Text()))


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(*escalation.c, pathway_snapshot.c.content.label("pathway"))
        .select_from(
            escalation.outerjoin(
                pathway_snapshot, pathway_snapshot.c.id == escalation.c.snapshot_id
            )
        )
        .order_by(escalation.c.id)
    ).all()
    pinned = set(
        connection.execute(
            sa.select(audit_entry.c.target).where(audit_entry.c.target.like("escalation-form:%"))
        ).scalars()
    )
    rows = [row for row in rows if f"escalation-form:{row._mapping['ref']}" not in pinned]
    if not rows:
        return
    head = connection.execute(
        sa.select(file_info.c.value).where(file_info.c.key == HEAD_KEY)
    ).scalar_one_or_none()
    last_id, prev_hash = 0, GENESIS
    if head is not None:
        last, _, prev_hash = head.partition(":")
        last_id = int(last)
    at = datetime.now().replace(microsecond=0)
    for row in rows:
        values = row._mapping
        content = {column.name: values[column.name] for column in FORM_COLUMNS}
        pathway = values["pathway"]
        content["pathway_sha256"] = sha256(pathway) if pathway is not None else None
        entry_id = last_id + 1
        target = f"escalation-form:{values['ref']}"
        digest = sha256(canonical(content))
        link = entry_hash(
            prev_hash, id=entry_id, at=at, actor=ACTOR, action=ACTION, target=target, digest=digest
        )
        connection.execute(
            audit_entry.insert().values(
                id=entry_id,
                at=at,
                actor=ACTOR,
                action=ACTION,
                target=target,
                digest=digest,
                prev_hash=prev_hash,
                hash=link,
            )
        )
        last_id, prev_hash = entry_id, link
    new_head = f"{last_id}:{prev_hash}"
    if head is None:
        connection.execute(file_info.insert().values(key=HEAD_KEY, value=new_head))
    else:
        connection.execute(
            file_info.update().where(file_info.c.key == HEAD_KEY).values(value=new_head)
        )


def downgrade() -> None:
    # The entries stay: the audit trail is append-only, and removing them would break
    # the chain. An older app ignores them (it pins no escalation forms).
    pass
