"""Record transfer when a child moves setting: the child's records go into a new
encrypted transfer file with its own passphrase (shared with the receiving DSL by a
different route), and a covering page with the transfer's seal goes beside it; another
copy of the app imports the file once the receiving DSL has confirmed that seal.

Import trusts nothing in the file (docs/reliability.md, "Transfers"): its chain, seal
and manifest are checked before anything else is read; every value is checked as the
app's own forms check it (``app.services.transfer_content``); it is written in one
transaction; the same transfer is never imported twice; and every imported record keeps
where it was recorded (``app.services.provenance``).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app import clock
from app.domain.seal import Seal, parse_seal
from app.errors import InputError
from app.services.common import Sessions, Store
from app.services.escalations import next_ref
from app.services.provenance import NOT_IMPORTED, Provenance, already_imported, record_import
from app.services.sealing import produce_sealed
from app.services.transfer_content import ChildIn, Problems, read_child, unreachable_rows
from app.services.transfer_open import open_transfer
from app.services.transfer_seal import (
    MADE_BY_OLDER_VERSION,
    TransferDetails,
    made_before_seals,
    seal_transfer,
    verify_transfer,
)
from app.services.transfer_write import Written, write_child
from app.storage import audit
from app.storage.datafile import create_data_file
from app.storage.files import remove_quietly
from app.storage.migrate import SCHEMA_HEAD
from app.storage.models import Base, Child, Escalation
from app.storage.seals import file_id
from app.storage.unlock_attempts import UnlockAttempts


@dataclass(frozen=True)
class TransferResult:
    child_name: str
    refs: list[str]  # in the file written to
    sha256: str | None = None  # of the transfer file, when one was written
    seal: Seal | None = None  # the transfer's seal, when one was written
    cover: Path | None = None  # the covering page, when one was written
    from_setting: str = ""  # when imported: where the records were made


def cover_path(destination: Path) -> Path:
    """The covering page beside a transfer file: ``transfer.etdb`` → ``transfer.cover.pdf``."""
    return destination.with_suffix(".cover.pdf")


def find_child(store: Store, identifier: str) -> int:
    """The child as the app identifies one on the command line: the reference of any
    escalation about them (ESC-2026-0014), their record number in this file, or their
    name exactly as the list shows it (when no other child has it)."""
    wanted = identifier.strip()
    with store.session() as session:
        by_ref = session.scalar(select(Escalation.child_id).where(Escalation.ref == wanted))
        if by_ref is not None:
            return by_ref
        if wanted.isdigit() and session.get(Child, int(wanted)) is not None:
            return int(wanted)
        named = list(session.scalars(select(Child.id).where(Child.name == wanted)))
    if len(named) == 1:
        return named[0]
    if named:
        raise InputError(
            "More than one child has that name: give the reference of one of their "
            "escalations instead (python -m app list shows them)."
        )
    raise InputError(
        f"No child in this file matches '{wanted}': give the reference of one of their "
        "escalations (python -m app list shows them), or their record number."
    )


def export_child(
    store: Store,
    child_id: int,
    destination: Path,
    passphrase: str,
    *,
    actor: str,
    setting: str = "",
) -> TransferResult:
    """Write the child's records to a new encrypted transfer file, sealed, and its
    covering page beside it; the sender's own file records both."""
    from app.documents.transfer_cover import cover_pdf

    cover = cover_path(destination)
    for path in (destination, cover):
        if path.exists():
            raise InputError(f"{path} already exists; choose a new name for the transfer file.")
    problems = Problems()
    with store.session() as source:
        child = read_child(source, child_id, problems)
        sender = file_id(source)
    if child is None or problems:
        raise InputError(
            f"The child's records cannot be transferred: {problems.refusal()} "
            "Run the integrity check."
        )
    details = TransferDetails(uuid.uuid4().hex, setting, sender, clock.now().replace(microsecond=0))
    transfer = create_data_file(destination, passphrase)
    try:
        with transfer.session() as target:
            written, seal = fill_transfer(target, child, details, actor=actor)
    except BaseException:
        transfer.close()
        remove_quietly(destination)
        raise
    transfer.close()
    destination.with_name(destination.name + ".lock").unlink(missing_ok=True)
    digest = hashlib.sha256(destination.read_bytes()).hexdigest()
    try:
        page = produce_sealed(
            store,
            lambda now: cover_pdf(
                seal,
                setting=setting,
                escalations=len(written.refs),
                transfer_id=details.id,
                generated_at=now,
            ),
            action="generate transfer covering page",
            target=f"transfer:{details.id}",
            actor=actor,
        )
        _write_new(cover, page.pdf)
    except BaseException:
        remove_quietly(destination, cover)
        raise
    with store.session() as session:
        audit.append(
            session,
            actor=actor,
            action="transfer records out",
            target=f"child:{child_id}",
            content=None,
            digest=digest,
            at=clock.now(),
        )
    return TransferResult(child.name, list(written.refs), digest, seal, cover)


def fill_transfer(
    target: Session, child: ChildIn, details: TransferDetails, *, actor: str
) -> tuple[Written, Seal]:
    """A new transfer file's content: the child's records under the sender's references,
    then the transfer's details and its manifest, whose entry is the transfer's seal."""
    written = write_child(
        target,
        child,
        actor=actor,
        action="transfer copy",
        new_ref=lambda _session, e: e.ref,
        transferred_from=lambda e: e.columns["transferred_from"],
    )
    return written, seal_transfer(target, details, actor=actor)


def _write_new(path: Path, data: bytes) -> None:
    """Written under a temporary name and renamed: never a half-written page."""
    temporary = path.with_name(path.name + ".partial")
    try:
        with open(temporary, "xb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        remove_quietly(temporary)
        raise InputError(f"Could not write {path}: {exc.strerror}.") from None


def _schema_problem(source: Session) -> str | None:
    """A transfer is read as this version writes files: one written by another version
    (or whose schema was changed) is refused, never migrated (that would write to it)."""
    try:
        found = source.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError:
        found = []
    if found != [SCHEMA_HEAD] or not _tables_as_written(source):
        return (
            "This transfer file was written by a different version of Escalation Tracker "
            "(or changed since): ask the sending setting to export it again with this "
            f"version. {NOT_IMPORTED}"
        )
    return None


def _tables_as_written(source: Session) -> bool:
    """Every table this version writes is there with exactly its columns (a file whose
    tables were changed is refused before a single row is read)."""
    for table in Base.metadata.sorted_tables:
        rows = source.execute(text(f'PRAGMA table_info("{table.name}")')).all()
        if sorted(str(r[1]) for r in rows) != sorted(c.name for c in table.columns):
            return False
    return True


def import_transfer(
    store: Store,
    source_path: Path,
    passphrase: str,
    *,
    seal: Seal | str,
    actor: str,
    attempts: UnlockAttempts | None = None,
) -> TransferResult:
    """Bring a transfer file's records into this file under new references, once its
    seal (as the sender gave it) is confirmed; each escalation keeps the reference it
    had before in ``transferred_from``, and every record where it was recorded. The
    transfer file is opened as it is and never written to; wrong passphrases for it
    are counted in ``attempts`` (by default the per-user count the unlock uses)."""
    typed = seal if isinstance(seal, Seal) else parse_seal(seal, "The transfer seal")
    transfer = open_transfer(source_path, passphrase, attempts)
    try:
        return import_from(store, transfer, typed, actor=actor)
    finally:
        transfer.close()


def _read_transfer(transfer: Sessions, seal: Seal) -> tuple[TransferDetails, ChildIn]:
    """The transfer's details and its child's records, once the file is proven to be the
    sealed one and every value has passed the forms' checks; else a plain refusal."""
    problems = Problems()
    try:
        with transfer.session() as source:
            if made_before_seals(source):
                raise InputError(MADE_BY_OLDER_VERSION)
            refused = _schema_problem(source)
            if refused is not None:
                raise InputError(refused)
            details, pins = verify_transfer(source, seal)
            children = [int(i) for i in source.scalars(text("SELECT id FROM child"))]
            if len(children) != 1:
                raise InputError(
                    "This is not a transfer file: it should hold one child's records. "
                    f"{NOT_IMPORTED}"
                )
            child = read_child(source, children[0], problems)
            problems.extend(unreachable_rows(source, children[0]))
    except SQLAlchemyError:  # whatever else a file made by hand can hold
        raise InputError(f"The transfer file cannot be read. {NOT_IMPORTED}") from None
    if not problems:  # the values named first: they say more than a broken pin does
        problems.extend(pins)
    if child is None or problems:
        raise InputError(
            f"The transfer file holds values the app cannot accept: {problems.refusal()} "
            f"{NOT_IMPORTED}"
        )
    return details, child


def import_from(store: Store, transfer: Sessions, seal: Seal, *, actor: str) -> TransferResult:
    """``import_transfer`` once the transfer file is open."""
    details, child = _read_transfer(transfer, seal)
    now = clock.now().replace(microsecond=0)
    with store.session() as target:
        already_imported(target, details, [e.ref for e in child.escalations])
        written = write_child(
            target,
            child,
            actor=actor,
            action="transfer received",
            new_ref=lambda session, e: next_ref(session, e.columns["raised_at"].year),
            transferred_from=lambda e: e.columns["transferred_from"] or e.ref,
        )
        record_import(target, Provenance.of(details, written, seal, now), actor=actor)
    return TransferResult(child.name, list(written.refs), from_setting=details.from_setting)
