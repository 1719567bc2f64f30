"""Record seals: every document carries the chain's position and hash; ``verify`` says
which document was produced under a seal; ``check --against`` names a history that no
longer holds a document's seal (rewritten by an insider who recomputed every digest,
cut short, or another file); backups and restores record theirs; the per-user settings
remember each file's latest seal and the unlock says when the history lost it."""

from __future__ import annotations

import hashlib
import io
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from app import clock
from app.domain.seal import Seal, parse_seal, seal_in_keywords
from app.errors import InputError, KnownError
from app.policy import PolicyLibrary
from app.services import sealing
from app.services.documents import (
    DocumentKind,
    child_chronology,
    generate_document,
    statistics_document,
)
from app.services.escalations import list_escalations
from app.services.people import list_children
from app.services.seal_memory import SealMemory, check_at_unlock, remember_at_lock
from app.services.seals import check_against, read_pdf_seal, verify_seal
from app.services.statistics import statistics
from app.services.subject_access import subject_access_pdf
from app.storage import audit
from app.storage.seals import current_seal
from tests.insider import as_insider
from tests.plain_store import PlainStore
from tests.seal_files import ACTOR, SETTING, copy_store, document, make_demo


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary) -> Path:
    path = tmp_path_factory.mktemp("seals") / "demo.db"
    make_demo(path, library)
    return path


@pytest.fixture
def store(template: Path, tmp_path: Path) -> PlainStore:
    return copy_store(template, tmp_path / "demo.db")


def _text(pdf: bytes) -> str:
    return " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


def _entry(store: PlainStore, entry: int) -> tuple[str, str, str]:
    with store.session() as session:
        row = session.execute(
            text("SELECT action, target, digest FROM audit_entry WHERE id = :id"), {"id": entry}
        ).one()
    return str(row[0]), str(row[1]), str(row[2])


@pytest.mark.parametrize(
    "typed",
    [
        "184 3f9c2a71b0de4c15",
        "184 3F9C 2A71 B0DE 4C15",
        "Record seal 184 · 3f9c 2a71 b0de 4c15",
        "  184 · 3f9c-2a71-b0de-4c15 ",
    ],
)
def test_a_seal_is_typed_back_as_printed(typed: str) -> None:
    assert parse_seal(typed) == Seal(184, "3f9c2a71b0de4c15")


@pytest.mark.parametrize(
    "typed", ["", "184", "abc 3f9c2a71b0de4c15", "184 3f9c2a71b0de4c1", "184 3f9c2a71b0de4c1z"]
)
def test_a_mistyped_seal_is_one_plain_sentence(typed: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_seal(typed)
    assert "\n" not in str(caught.value) and "seal" in str(caught.value)


def test_every_document_carries_its_seal_and_its_entry_follows_it(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = next(r.ref for r in list_escalations(store) if r.status == "resolved")
    child = list_children(store)[0].id
    made: list[tuple[str, bytes, str]] = []  # (what, pdf, ref or "")
    for kind in (DocumentKind.CONFIRMATION, DocumentKind.MONITORING_FORM, DocumentKind.CHRONOLOGY):
        doc = generate_document(store, library, kind, ref, setting=SETTING, dsl="D", actor=ACTOR)
        made.append((doc.title, doc.pdf, ref))
    chronology = child_chronology(store, child, setting=SETTING, dsl="D", actor=ACTOR)
    made.append((chronology.title, chronology.pdf, chronology.ref))
    disclosure = subject_access_pdf(
        store, child, setting=SETTING, dsl="D", actor=ACTOR, redact_third_parties=True
    )
    made.append(("subject access disclosure", disclosure.pdf, ""))
    figures = statistics_document(store, statistics(store), setting=SETTING, actor=ACTOR)
    made.append(("statistics", figures, ""))
    for what, pdf, doc_ref in made:
        seal = read_pdf_seal(pdf, what)
        assert seal.full, what
        assert seal.printed in " ".join(_text(pdf).split()), what  # the footer, every page
        action, _target, digest = _entry(store, seal.entry + 1)
        assert action.startswith("generate ") and digest == hashlib.sha256(pdf).hexdigest(), what
        answer = verify_seal(store, seal.typed)
        assert answer.genuine, what
        assert doc_ref in answer.lines[1] and ACTOR in answer.lines[1], what
    assert check_against(store, [(w, p) for w, p, _ in made]) == []


def test_a_document_is_rendered_again_when_the_file_changed_meanwhile(
    store: PlainStore,
) -> None:
    calls: list[Seal] = []

    def render(_now: datetime) -> bytes:
        with store.session() as session:
            calls.append(current_seal(session))
            if len(calls) == 1:  # another write lands while the first is rendered
                audit.append(session, actor="X", action="other", target="file", content=1)
        return f"pdf {len(calls)}".encode()

    made = sealing.produce_sealed(store, render, action="generate test", target="file", actor="Y")
    assert len(calls) == 2 and made.seal == calls[1] != calls[0]
    assert _entry(store, made.seal.entry + 1)[0] == "generate test"


def test_verify_says_plainly_when_no_document_carries_a_seal(
    store: PlainStore, library: PolicyLibrary
) -> None:
    doc = document(store, library)
    wrong = Seal(doc.seal.entry, ("0" if doc.seal.digits[0] != "0" else "1") * 16)
    answer = verify_seal(store, wrong.typed)
    assert not answer.genuine and "No document of this file carries" in answer.lines[0]
    # A point in the history under which nothing was produced.
    before = Seal(doc.seal.entry - 1, "")
    with store.session() as session:
        digits = session.execute(
            text("SELECT hash FROM audit_entry WHERE id = :id"), {"id": before.entry}
        ).scalar_one()
    answer = verify_seal(store, f"{before.entry} {digits[:16]}")
    assert not answer.genuine and "nothing was produced" in answer.lines[1]


def _rewrite_a_discussion(session: object) -> None:
    assert hasattr(session, "execute")
    session.execute(
        text("UPDATE record_version SET content = replace(content, 'a', 'e') WHERE id = 1")
    )


def test_check_against_names_a_rewritten_history(store: PlainStore, library: PolicyLibrary) -> None:
    doc = document(store, library)
    with store.session() as session:
        as_insider(session, _rewrite_a_discussion)
    with store.session() as session:
        assert audit.verify(session) == []  # the forgery checks out on its own
    problems = check_against(store, [("confirmation.pdf", doc.pdf)])
    assert len(problems) == 1
    assert "confirmation.pdf" in problems[0] and "rewritten" in problems[0]


def test_check_against_names_a_tail_cut_short(store: PlainStore, library: PolicyLibrary) -> None:
    doc = document(store, library)

    def cut(session: object) -> None:
        assert hasattr(session, "execute")
        session.execute(text("DELETE FROM audit_entry WHERE id > :n"), {"n": doc.seal.entry - 3})

    with store.session() as session:
        as_insider(session, cut)
    problems = check_against(store, [("letter.pdf", doc.pdf)])
    assert len(problems) == 1 and "no longer reaches it" in problems[0]


def test_check_against_names_the_documents_own_entry_removed(
    store: PlainStore, library: PolicyLibrary
) -> None:
    doc = document(store, library)

    def cut(session: object) -> None:
        assert hasattr(session, "execute")
        session.execute(text("DELETE FROM audit_entry WHERE id > :n"), {"n": doc.seal.entry})

    with store.session() as session:
        as_insider(session, cut)
    problems = check_against(store, [("letter.pdf", doc.pdf)])
    assert len(problems) == 1 and "no longer in the file" in problems[0]


def test_check_against_names_another_file(
    store: PlainStore, library: PolicyLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = document(store, library)
    # The same records made again, a minute later: the audit trail keeps whole seconds,
    # so two files made within one second would have the very same history.
    later = clock.now().replace(microsecond=0) + timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    other = make_demo(tmp_path / "other.db", library)
    problems = check_against(other, [("letter.pdf", doc.pdf)])
    assert len(problems) == 1 and "does not match the file's history" in problems[0]


def test_check_against_names_an_altered_pdf_and_refuses_an_unsealed_one(
    store: PlainStore, library: PolicyLibrary
) -> None:
    doc = document(store, library)
    problems = check_against(store, [("letter.pdf", doc.pdf + b"\n% edited\n")])
    assert len(problems) == 1 and "is not the document the file recorded" in problems[0]
    with pytest.raises(InputError, match="carries no record seal"):
        check_against(store, [("plain.pdf", doc.pdf.replace(b"record-seal:", b"record-xxxx:"))])
    with pytest.raises(InputError, match="not a PDF"):
        check_against(store, [("notes.pdf", b"not a pdf")])


def test_the_seal_in_the_keywords_is_found_among_others() -> None:
    assert seal_in_keywords("a, record-seal:12:" + "ab" * 32 + ", b") == Seal(12, "ab" * 32)
    assert seal_in_keywords("record-seal:12:abc") is None


def test_the_unlock_says_when_the_history_lost_the_remembered_seal(
    store: PlainStore, library: PolicyLibrary, tmp_path: Path
) -> None:
    memory = SealMemory(tmp_path / "settings" / "seals.json")
    path = tmp_path / "demo.db"
    assert check_at_unlock(store, memory, path) is None  # first time: remembered
    document(store, library)
    remember_at_lock(store, memory, path)
    assert check_at_unlock(store, memory, path) is None
    with store.session() as session:
        as_insider(session, _rewrite_a_discussion)
    problem = check_at_unlock(store, memory, path)
    assert problem is not None and "no longer contains the record seal" in problem
    remember_at_lock(store, memory, path)  # a rewritten file is not remembered over
    assert check_at_unlock(store, memory, path) is not None  # said at every unlock


def test_the_unlock_says_when_another_file_was_put_in_its_place(
    store: PlainStore, library: PolicyLibrary, tmp_path: Path, template: Path
) -> None:
    memory = SealMemory(tmp_path / "seals.json")
    path = tmp_path / "demo.db"
    assert check_at_unlock(store, memory, path) is None
    replacement = tmp_path / "replacement.db"
    shutil.copyfile(template, replacement)
    other = PlainStore(replacement)  # the same records, but not the same file
    problem = check_at_unlock(other, memory, path)
    assert problem is not None and "not the file that was last opened" in problem
    assert check_at_unlock(other, memory, path) is None  # said once, then remembered


def test_a_damaged_memory_is_forgotten_not_fatal(store: PlainStore, tmp_path: Path) -> None:
    memory = SealMemory(tmp_path / "seals.json")
    memory.path.write_text('{"files": {"x": {"entry": "no"}}, "other": 1', encoding="utf-8")
    assert check_at_unlock(store, memory, tmp_path / "demo.db") is None
    assert len(memory.all()) == 1


def test_a_file_that_cannot_take_an_identifier_is_not_checked(tmp_path: Path) -> None:
    class ReadOnly:
        def session(self) -> object:
            raise KnownError("The file is read-only.")

    memory = SealMemory(tmp_path / "seals.json")
    assert check_at_unlock(ReadOnly(), memory, tmp_path / "x.db") is None  # type: ignore[arg-type]
