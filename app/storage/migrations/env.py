"""Alembic environment: migrations always run on the connection the app passes in
(``config.attributes["connection"]``), already keyed for the encrypted file."""

from __future__ import annotations

from alembic import context

from app.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
