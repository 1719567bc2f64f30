"""Transfer import verifies and cannot harm the receiving file: the sender's seal must
match (a record rewritten with a recomputed chain is refused), every value passes the
forms' checks even under a matching seal (a malicious sender), the import is one
transaction, the same transfer is never taken twice, and imported records always say
where they were recorded."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.chronology import entries
from app.errors import InputError, KnownError
from app.policy import PolicyLibrary
from app.services import provenance, transfer
from app.services.escalations import escalation_detail, list_escalations
from app.services.people import add_child, list_children
from app.services.transfer import export_child, import_from, import_transfer
from app.storage import audit
from app.storage.datafile import check_data_file, create_data_file
from tests.insider import as_insider, forge_transfer
from tests.plain_store import PlainStore
from tests.seal_files import ACTOR, SETTING, copy_store, make_demo, make_transfer

TRANSFER_PASSPHRASE = "Violet harbour 19, lantern quartz"
RECEIVER = "Mr New (DSL)"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary) -> Path:
    path = tmp_path_factory.mktemp("transfer") / "demo.db"
    make_demo(path, library)
    return path


@pytest.fixture
def sender(template: Path, tmp_path: Path) -> PlainStore:
    return copy_store(template, tmp_path / "sender.db")


def _child(store: PlainStore, name: str = "Zoë Nguyễn") -> int:
    return next(c.id for c in list_children(store) if c.name == name)


@pytest.fixture
def receiving(tmp_path: Path) -> PlainStore:
    store = PlainStore(tmp_path / "receiving.db")
    add_child(store, name="Someone Else", date_of_birth=date(2016, 1, 1), actor=RECEIVER)
    return store


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_transfer_round_trips_with_its_covering_page_and_seal(
    sender: PlainStore, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "zoe.etdb"
    out.parent.mkdir()
    sent = export_child(
        sender, _child(sender), out, TRANSFER_PASSPHRASE, actor=ACTOR, setting=SETTING
    )
    assert sent.seal is not None and sent.cover == out.parent / "zoe.cover.pdf"
    page = sent.cover.read_bytes()
    words = " ".join(
        " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(page)).pages).split()
    )
    assert f"{sent.seal.entry} · {sent.seal.grouped}" in words and SETTING in words
    assert "Zoë" not in words and "Nguy" not in words and "ESC-" not in words  # no child data
    assert sorted(p.name for p in out.parent.iterdir()) == ["zoe.cover.pdf", "zoe.etdb"]

    with create_data_file(tmp_path / "receiving.etdb", "Receiving setting, owl kettle 7") as db:
        with pytest.raises(InputError, match="does not match the seal"):
            import_transfer(db, out, TRANSFER_PASSPHRASE, seal="1 0123456789abcdef", actor=RECEIVER)
        before = _sha(out)
        got = import_transfer(db, out, TRANSFER_PASSPHRASE, seal=sent.seal.printed, actor=RECEIVER)
        assert _sha(out) == before  # the transfer file is read, never written
        assert got.child_name == "Zoë Nguyễn" and got.from_setting == SETTING
        assert len(got.refs) == len(sent.refs)
        with pytest.raises(InputError, match=r"already imported on \d\d/\d\d/\d{4}"):
            import_transfer(db, out, TRANSFER_PASSPHRASE, seal=sent.seal.typed, actor=RECEIVER)
        assert check_data_file(db) == []
        assert len(list_escalations(db)) == len(got.refs)


def test_imported_records_are_never_shown_as_first_hand(
    sender: PlainStore, receiving: PlainStore, tmp_path: Path
) -> None:
    seal = make_transfer(sender, _child(sender), tmp_path / "t.db")
    got = import_from(receiving, PlainStore(tmp_path / "t.db", create=False), seal, actor=RECEIVER)
    for ref in got.refs:
        detail = escalation_detail(receiving, ref)
        assert detail.provenance.startswith(f"Recorded at {SETTING}, imported ")
        assert "their reference ESC-" in detail.provenance
        for record in detail.records:
            for version in record.versions:
                assert f"recorded at {SETTING}, imported" in version.recorded_by
        raised = entries(detail)[0]
        assert f"recorded at {SETTING}".lower() in raised.by.lower()
        # So does each stage move: who moved it there, and where.
        moves = [e for e in entries(detail) if e.what.startswith("Stage ")]
        assert moves and all(f"recorded at {SETTING}, imported" in e.by for e in moves)
    with receiving.session() as session:
        assert audit.verify(session) == []


def _rewrite(sql: str, **params: object) -> Callable[[Session], Any]:
    return lambda session: session.execute(text(sql), params)


def test_a_record_rewritten_with_a_recomputed_chain_is_refused_by_the_seal(
    sender: PlainStore, receiving: PlainStore, tmp_path: Path
) -> None:
    path = tmp_path / "t.db"
    seal = make_transfer(sender, _child(sender), path)
    forged = PlainStore(path, create=False)
    with forged.session() as session:
        forge_transfer(
            session,
            _rewrite(
                "UPDATE record_version SET content = json_set(content, '$.summary', :s), "
                "recorded_by = 'Ms Grace Adeyemi (CSC)' WHERE id = (SELECT min(id) FROM "
                "record_version)",
                s="FORGED: CSC agreed no action needed",
            ),
        )
    with forged.session() as session:
        assert audit.verify(session) == []  # it checks out on its own
    before = _sha(receiving.path)
    with pytest.raises(InputError, match="does not match the seal"):
        import_from(receiving, forged, seal, actor=RECEIVER)
    assert _sha(receiving.path) == before


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ("UPDATE stage_event SET due = 'not-a-date' WHERE kind = 'started'", "not a date"),
        ("UPDATE stage_event SET number = 99", "stage 99 is not a stage"),
        ("UPDATE pathway_snapshot SET content = '{}'", "cannot be read as a pathway"),
        ("UPDATE escalation SET nation = 'atlantis'", "not a UK nation"),
        ("UPDATE escalation SET raised_at = 'yesterday'", "'raised_at'"),
        ("UPDATE record SET kind = 'gossip'", "not a kind of record"),
        ("UPDATE record_version SET content = '{\"held_at\": 1}'", "cannot be read as a"),
        ("UPDATE child SET name = ''", "is required"),
        ("UPDATE escalation SET status = 'open', closed_at = NULL WHERE status != 'open'", None),
        ("DELETE FROM stage_event", "no stage start"),
        (
            "INSERT INTO child (name, date_of_birth, identifier, cp_plan, looked_after, "
            "child_in_need, created_at) SELECT name || ' B', date_of_birth, identifier, "
            "cp_plan, looked_after, child_in_need, created_at FROM child",
            "one child's records",
        ),
        (
            "UPDATE stage_event SET escalation_id = (SELECT max(id) FROM escalation) "
            "WHERE id = (SELECT min(id) FROM stage_event)",
            "no stage start",
        ),
    ],
)
def test_a_value_the_forms_would_refuse_is_refused_under_a_matching_seal(
    sender: PlainStore,
    receiving: PlainStore,
    tmp_path: Path,
    change: str,
    named: str | None,
) -> None:
    path = tmp_path / "t.db"
    make_transfer(sender, _child(sender), path)
    forged = PlainStore(path, create=False)
    with forged.session() as session:
        seal = forge_transfer(session, _rewrite(change))  # the sender's seal matches
    before = _sha(receiving.path)
    if named is None:  # a change the checks accept: imported, and everything works
        got = import_from(receiving, forged, seal, actor=RECEIVER)
        assert all(escalation_detail(receiving, ref) for ref in got.refs)
        return
    with pytest.raises(KnownError) as refused:
        import_from(receiving, forged, seal, actor=RECEIVER)
    assert named in str(refused.value) and "Nothing was imported" in str(refused.value)
    assert _sha(receiving.path) == before


def test_the_import_is_one_transaction(
    sender: PlainStore, receiving: PlainStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seal = make_transfer(sender, _child(sender), tmp_path / "t.db")

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise KnownError("The disk is full, so the last change was not saved.")

    monkeypatch.setattr(transfer, "record_import", full_disk)
    before = _sha(receiving.path)
    with pytest.raises(KnownError, match="disk is full"):
        import_from(receiving, PlainStore(tmp_path / "t.db", create=False), seal, actor=RECEIVER)
    assert _sha(receiving.path) == before
    assert [c.name for c in list_children(receiving)] == ["Someone Else"]


def test_a_file_never_takes_its_own_export_back(sender: PlainStore, tmp_path: Path) -> None:
    seal = make_transfer(sender, _child(sender), tmp_path / "t.db")
    with pytest.raises(InputError, match="exported from this very file"):
        import_from(sender, PlainStore(tmp_path / "t.db", create=False), seal, actor=ACTOR)


def test_a_second_export_of_the_same_records_is_refused(
    sender: PlainStore, receiving: PlainStore, tmp_path: Path
) -> None:
    child = _child(sender)
    first = make_transfer(sender, child, tmp_path / "a.db")
    second = make_transfer(sender, child, tmp_path / "b.db")  # a new transfer identifier
    import_from(receiving, PlainStore(tmp_path / "a.db", create=False), first, actor=RECEIVER)
    with pytest.raises(InputError, match=r"was already imported on \d\d/\d\d/\d{4}"):
        import_from(receiving, PlainStore(tmp_path / "b.db", create=False), second, actor=RECEIVER)


def test_the_provenance_kept_is_recorded_in_the_audit_trail(
    sender: PlainStore, receiving: PlainStore, tmp_path: Path
) -> None:
    seal = make_transfer(sender, _child(sender), tmp_path / "t.db")
    import_from(receiving, PlainStore(tmp_path / "t.db", create=False), seal, actor=RECEIVER)
    with receiving.session() as session:
        (kept,) = provenance.imports(session)
        digest = session.execute(
            text("SELECT digest FROM audit_entry WHERE target = :t"),
            {"t": f"transfer:{kept.transfer_id}"},
        ).scalar_one()
    assert digest == audit.sha256(audit.canonical(json.loads(audit.canonical(kept.to_dict()))))
    assert kept.seal == seal.typed and kept.from_setting == SETTING


def test_the_sending_file_records_the_covering_page_under_its_own_seal(
    sender: PlainStore, tmp_path: Path
) -> None:
    out = tmp_path / "t.etdb"
    sent = export_child(
        sender, _child(sender), out, TRANSFER_PASSPHRASE, actor=ACTOR, setting=SETTING
    )
    assert sent.cover is not None
    from app.services.seals import check_against, read_pdf_seal, verify_seal

    page = sent.cover.read_bytes()
    answer = verify_seal(sender, read_pdf_seal(page, "cover").typed)
    assert answer.genuine and "covering page" in answer.lines[1].lower()
    assert check_against(sender, [("cover.pdf", page)]) == []


def test_an_export_refuses_to_overwrite_and_a_forged_insider_change_to_the_sender(
    sender: PlainStore, tmp_path: Path
) -> None:
    out = tmp_path / "t.etdb"
    out.write_bytes(b"")
    with pytest.raises(InputError, match="already exists"):
        export_child(sender, _child(sender), out, TRANSFER_PASSPHRASE, actor=ACTOR)
    out.unlink()
    with sender.session() as session:  # a damaged value in the sender's own file
        as_insider(session, _rewrite("UPDATE stage_event SET due = 'soon'"))
    with pytest.raises(InputError, match="cannot be transferred"):
        export_child(sender, _child(sender), out, TRANSFER_PASSPHRASE, actor=ACTOR)
    assert not out.exists() and not out.with_suffix(".cover.pdf").exists()
