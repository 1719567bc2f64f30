"""Demo files for the seal and transfer tests: a plain (unencrypted) store filled with
the demo records, made once and copied per test, and its documents."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.demo import create_demo
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
