"""Demo files for the seal and transfer tests: a plain (unencrypted) store filled with
the demo records, made once and copied per test, and its documents."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from app.demo import create_demo
from app.domain.seal import Seal
from app.policy import PolicyLibrary
from app.services.documents import DocumentKind, GeneratedDocument, generate_document
from app.services.escalations import list_escalations
from tests.plain_store import PlainStore

ACTOR = "Ms Hannah Okafor (DSL)"
SETTING = "St Aidan's Primary School (demonstration)"


def make_demo(path: Path, library: PolicyLibrary) -> PlainStore:
    store = PlainStore(path)
    create_demo(store, library)
    return store


def copy_store(template: Path, path: Path) -> PlainStore:
    shutil.copyfile(template, path)
    return PlainStore(path)


def resolved_ref(store: PlainStore) -> str:
    return next(r.ref for r in list_escalations(store) if r.status == "resolved")


def document(
    store: PlainStore,
    library: PolicyLibrary,
    ref: str | None = None,
    kind: DocumentKind = DocumentKind.CHRONOLOGY,
) -> GeneratedDocument:
    return generate_document(
        store,
        library,
        kind,
        ref or resolved_ref(store),
        setting=SETTING,
        dsl="Ms Hannah Okafor",
        actor=ACTOR,
    )


def make_transfer(sender: PlainStore, child_id: int, path: Path, *, actor: str = ACTOR) -> Seal:
    """A transfer file as the export writes it, but unencrypted (for speed): the child's
    records, the transfer's details and its manifest; returns the transfer's seal."""
    from app import clock
    from app.services.transfer import fill_transfer
    from app.services.transfer_content import Problems, read_child
    from app.services.transfer_seal import TransferDetails
    from app.storage.seals import file_id

    problems = Problems()
    with sender.session() as source:
        child = read_child(source, child_id, problems)
        sender_id = file_id(source)
    assert child is not None and not problems, problems
    details = TransferDetails(
        uuid.uuid4().hex, SETTING, sender_id, clock.now().replace(microsecond=0)
    )
    target = PlainStore(path)
    with target.session() as session:
        _written, seal = fill_transfer(session, child, details, actor=actor)
    target.engine.dispose()
    return seal
