"""Schema migrations: Alembic revisions in order, one transaction, after an encrypted
copy of the file is taken. A file from a newer app is refused, not touched."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import KnownError
from app.paths import resource_path

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection

# Alembic is imported inside the functions below: it costs a tenth of a second, and the
# app needs it only when a file is created or its schema is older than the app.

WRITTEN_BY_KEY = "written_by_app"


class NewerFileError(KnownError):
    """The file was written by a newer version of the app."""


def app_version() -> str:
    # Imported here: importlib.metadata costs 10 ms, and opening a current file needs it
    # only to name the version that wrote a newer one.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("escalation-tracker")
    except PackageNotFoundError:  # frozen builds without metadata
        return "unknown"


def _config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resource_path("app", "storage", "migrations")))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(resource_path("app", "storage", "migrations")))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _stamp_writer(connection: Connection) -> None:
    from sqlalchemy import text

    connection.execute(
        text("INSERT OR REPLACE INTO file_info(key, value) VALUES (:k, :v)"),
        {"k": WRITTEN_BY_KEY, "v": app_version()},
    )


def create_schema(connection: Connection) -> None:
    """Build a new file's schema by running every migration."""
    from alembic import command

    command.upgrade(_config(connection), "head")
    _stamp_writer(connection)


# The newest schema revision this app writes. Checked against Alembic's own view of the
# scripts by a test; kept as a constant so that opening an up-to-date file (every
# unlock) does not have to load Alembic at all.
SCHEMA_HEAD = "0007"


def known_revisions() -> set[str]:
    """Revision ids of the scripts shipped (each file is named after its revision)."""
    versions = resource_path("app", "storage", "migrations", "versions")
    return {p.name.split("_", 1)[0] for p in versions.glob("[0-9]*_*.py")}


def needs_migration(connection: Any) -> bool:
    """True when the file is older than this app; raises when it is newer.

    ``connection`` is a plain driver connection (``Database.read()``): this runs at
    every unlock, before SQLAlchemy is loaded."""
    found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    current = found[0] if found else None
    if current == SCHEMA_HEAD:
        return False
    if current is not None and current not in known_revisions():
        stamp = connection.execute(
            "SELECT value FROM file_info WHERE key = ?", (WRITTEN_BY_KEY,)
        ).fetchone()
        writer = stamp[0] if stamp else None
        raise NewerFileError(
            f"This file was written by a newer version of Escalation Tracker "
            f"(version {writer or 'unknown'}, schema {current}); this is version "
            f"{app_version()}. Install the newer version to open it. The file has not "
            "been changed."
        )
    return True


def upgrade(connection: Connection) -> None:
    from alembic import command

    command.upgrade(_config(connection), "head")
    _stamp_writer(connection)


def pre_migration_copy_path(path: Path, revision: str | None) -> Path:
    return path.with_name(f"{path.stem}.before-schema-{revision or 'none'}{path.suffix}")
