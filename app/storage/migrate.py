"""Schema migrations: Alembic revisions in order, one transaction, after the file's
audit trail has been verified and an encrypted copy of the file taken. A file from a
newer app is refused, not touched; so is a file whose records do not match its audit
trail, so that an update can never pin a forgery as if the app had written it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from app.about import app_version
from app.english_plurals import noun
from app.errors import KnownError
from app.paths import resource_path
from app.storage.errors import DamagedFileError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection

# Alembic is imported inside the functions below: it costs a tenth of a second, and the
# app needs it only when a file is created or its schema is older than the app.

WRITTEN_BY_KEY = "written_by_app"
# Set when every row of the file has been pinned (app.storage.baseline); a file without
# it is updated, like one with an older schema.
PINS_BASELINE_KEY = "pins_baseline"


class NewerFileError(KnownError):
    """The file was written by a newer version of the app."""


class SchemaRecordError(DamagedFileError):
    """The file's record of its schema version (Alembic's ``alembic_version``) is missing
    or does not match its tables: changed outside the app. Nothing is changed."""

    def __init__(self, revision: str | None) -> None:
        found = f"says schema '{revision}'" if revision else "is missing"
        super().__init__(
            f"This file's record of its own version (alembic_version) {found}, which does "
            "not match its tables: it was changed outside the app, so it could not be "
            "opened. The file has not been changed; restore it from a backup."
        )


def is_schema_mismatch(exc: BaseException) -> bool:
    """True for what a migration raises when the tables are not those of the revision
    the file claims (a table or column that exists already or is missing): the
    database's or Alembic's own errors, not an environment failure (those are already
    ``StorageError``s) nor a bug in the app."""
    if isinstance(exc, KnownError):
        return False
    import sys

    known: list[type[BaseException]] = [sqlcipher3.Error]
    for module, name in (("sqlalchemy.exc", "SQLAlchemyError"), ("alembic.util", "CommandError")):
        loaded = sys.modules.get(module)
        if loaded is not None:
            known.append(getattr(loaded, name))
    return isinstance(exc, tuple(known))


class TamperedFileError(KnownError):
    """The file's records do not match its audit trail, so it is not updated."""


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

    from app.storage import baseline

    command.upgrade(_config(connection), "head")
    baseline.ensure(connection, head_revision())
    _stamp_writer(connection)


# The newest schema revision this app writes. Checked against Alembic's own view of the
# scripts by a test; kept as a constant so that opening an up-to-date file (every
# unlock) does not have to load Alembic at all.
SCHEMA_HEAD = "0009"


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
        pinned = connection.execute(
            "SELECT 1 FROM file_info WHERE key = ?", (PINS_BASELINE_KEY,)
        ).fetchone()
        return pinned is None
    if current is not None and current not in known_revisions():
        if not _is_later_revision(current):
            raise SchemaRecordError(str(current))
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


def _is_later_revision(revision: object) -> bool:
    """A revision a later app could have written: numbered like ours, after ours."""
    text = str(revision)
    return text.isdigit() and len(text) == len(SCHEMA_HEAD) and text > SCHEMA_HEAD


def refuse_if_schema_record_wrong(connection: Connection, revision: str | None) -> None:
    """The file's record of its schema (``alembic_version``) must be there and match its
    tables: a record that names an older revision than the tables were made by (the
    triggers are exactly another revision's) was changed outside the app. Said as that,
    before the audit check would report the same file as triggers out of place."""
    from app.storage import triggers

    if revision is None:
        raise SchemaRecordError(None)
    if triggers.problems(connection, revision) and any(
        not triggers.problems(connection, other) for other in known_revisions() - {revision}
    ):
        raise SchemaRecordError(revision)


def refuse_if_tampered(connection: Connection) -> None:
    """Before an update: the audit trail, the triggers and every pinned row are checked
    at the file's own schema revision. A migration that pins rows (0004, the baseline)
    would otherwise pin an altered row as if the app had written it. A value the app
    cannot read is not a failure here: it is compared with its pin like any other."""
    from app.storage import audit

    problems = audit.verify_connection(connection)
    if problems:
        others = len(problems) - 1
        more = f" ({others} more {noun(others, 'problem')} besides.)" if others else ""
        raise TamperedFileError(
            "This file was not updated for this version of Escalation Tracker, because its "
            f"records do not match its audit trail: {problems[0]}{more} The file has not "
            "been changed."
        )


def upgrade(connection: Connection) -> None:
    """Every migration due, then the pin baseline; after ``refuse_if_tampered``."""
    from alembic import command

    from app.storage import baseline

    command.upgrade(_config(connection), "head")
    baseline.ensure(connection, head_revision())
    _stamp_writer(connection)


def pre_migration_copy_path(path: Path, revision: str | None) -> Path:
    return path.with_name(f"{path.stem}.before-schema-{revision or 'none'}{path.suffix}")
