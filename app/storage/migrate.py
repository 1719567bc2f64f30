"""Schema migrations: Alembic revisions in order, one transaction, after an encrypted
copy of the file is taken. A file from a newer app is refused, not touched."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from app.errors import KnownError
from app.paths import resource_path

WRITTEN_BY_KEY = "written_by_app"


class NewerFileError(KnownError):
    """The file was written by a newer version of the app."""


def app_version() -> str:
    try:
        return version("escalation-tracker")
    except PackageNotFoundError:  # frozen builds without metadata
        return "unknown"


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resource_path("app", "storage", "migrations")))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(resource_path("app", "storage", "migrations")))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _stamp_writer(connection: Connection) -> None:
    connection.execute(
        text("INSERT OR REPLACE INTO file_info(key, value) VALUES (:k, :v)"),
        {"k": WRITTEN_BY_KEY, "v": app_version()},
    )


def create_schema(connection: Connection) -> None:
    """Build a new file's schema by running every migration."""
    command.upgrade(_config(connection), "head")
    _stamp_writer(connection)


def needs_migration(connection: Connection) -> bool:
    """True when the file is older than this app; raises when it is newer."""
    current = current_revision(connection)
    config = _config(connection)
    known = {r.revision for r in ScriptDirectory.from_config(config).walk_revisions()}
    if current is not None and current not in known:
        writer = connection.execute(
            text("SELECT value FROM file_info WHERE key = :k"), {"k": WRITTEN_BY_KEY}
        ).scalar()
        raise NewerFileError(
            f"This file was written by a newer version of Escalation Tracker "
            f"(version {writer or 'unknown'}, schema {current}); this is version "
            f"{app_version()}. Install the newer version to open it. The file has not "
            "been changed."
        )
    return current != head_revision()


def upgrade(connection: Connection) -> None:
    command.upgrade(_config(connection), "head")
    _stamp_writer(connection)


def pre_migration_copy_path(path: Path, revision: str | None) -> Path:
    return path.with_name(f"{path.stem}.before-schema-{revision or 'none'}{path.suffix}")
