"""The figure for transfer import (docs/reliability.md): over 500 generated malformed or
forged transfer files (fuzzed values, rewritten records with a recomputed chain,
structural changes, a changed audit trail, truncated and corrupted files, wrong
passphrases, second imports) give 0 imported damage, 0 receiving files left
unopenable, 0 tracebacks.

    .venv/bin/python -m pytest tests/reliability/test_transfer_fuzz.py -s -n 0   # the figures
    TRANSFER_FUZZ_SEED=7 ...                                                      # another draw
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.seal import Seal
from app.errors import KnownError
from app.policy import PolicyLibrary
from app.services.damage import damaged_escalations
from app.services.dashboard import dashboard, first_page
from app.services.documents import DocumentKind, generate_document
from app.services.escalations import escalation_detail, list_escalations
from app.services.people import add_child, list_children
from app.services.statistics import statistics
from app.services.transfer import export_child, import_from, import_transfer
from app.storage import audit, unlock_attempts
from app.storage.datafile import create_data_file
from tests.insider import drop_triggers, forge_transfer
from tests.plain_store import PlainStore
from tests.reliability import transfer_fuzz as fuzz
from tests.seal_files import ACTOR, SETTING, make_demo, make_transfer

SEED = int(os.environ.get("TRANSFER_FUZZ_SEED", "20261203"))
CHUNKS = 6
VALUE_CASES = 420  # resealed; and a quarter as many forged
RECEIVER = "Mr New (DSL)"
TRANSFER_PASSPHRASE = "Violet harbour 19, lantern quartz"


@dataclass
class Tally:
    outcomes: Counter[str] = field(default_factory=Counter)
    damage: list[str] = field(default_factory=list)  # imported, then something failed
    unopenable: list[str] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)
    wrongly_taken: list[str] = field(default_factory=list)  # a forgery imported

    def line(self, what: str) -> str:
        return (
            f"{what} (seed {SEED}): {self.files} transfer files, "
            f"{self.outcomes['imported']} imported, {self.outcomes['refused']} refused, "
            f"{self.outcomes['again refused']} second imports refused; "
            f"{len(self.damage)} imported damage, {len(self.unopenable)} unopenable, "
            f"{len(self.tracebacks)} tracebacks, {len(self.wrongly_taken)} forgeries taken"
        )

    @property
    def files(self) -> int:
        """Generated transfer files tried (a change a constraint refused is not one)."""
        return self.outcomes["imported"] + self.outcomes["refused"]

    def assert_clean(self) -> None:
        assert self.tracebacks == []
        assert self.damage == []
        assert self.unopenable == []
        assert self.wrongly_taken == []


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary) -> dict[str, Path]:
    """A sender's demo file, a transfer of the child with the most records, and a
    receiving file with a child of its own."""
    folder = tmp_path_factory.mktemp("fuzz")
    sender = make_demo(folder / "sender.db", library)
    child = next(c.id for c in list_children(sender) if c.name == "Zoë Nguyễn")
    seal = make_transfer(sender, child, folder / "transfer.db")
    (folder / "seal.txt").write_text(f"{seal.entry} {seal.digits}")
    receiving = PlainStore(folder / "receiving.db")
    add_child(receiving, name="Someone Else", date_of_birth=date(2016, 1, 1), actor=RECEIVER)
    receiving.engine.dispose()
    return {"folder": folder, "sender": folder / "sender.db", "transfer": folder / "transfer.db",
            "receiving": folder / "receiving.db", "seal": folder / "seal.txt"}  # fmt: skip


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _opens(store: PlainStore) -> None:
    """What unlocking and the list read: the receiving file must always allow it."""
    first_page(store, 100)
    list_escalations(store)


def _sound_after_import(store: PlainStore, refs: list[str], library: PolicyLibrary) -> None:
    """Everything the app reads of the receiving file still works, and check is clean."""
    with store.session() as session:
        assert audit.verify(session) == []
    assert damaged_escalations(store) == {}
    assert all(not row.damaged for row in list_escalations(store))
    dashboard(store)
    statistics(store)
    for ref in refs:
        escalation_detail(store, ref)
    generate_document(
        store, library, DocumentKind.CHRONOLOGY, refs[0], setting="New", dsl="D", actor=RECEIVER
    )


def _attempt(
    receiving: Path, transfer: Path, seal: Seal, case: str, tally: Tally, *,
    library: PolicyLibrary, forged: bool, again: bool = False,
) -> list[str]:  # fmt: skip
    """Import once; record what happened; the new references if it was taken."""
    store = PlainStore(receiving, create=False, scratch=True)
    before = _sha(receiving)
    refs: list[str] = []
    try:
        got = import_from(
            store, PlainStore(transfer, create=False, scratch=True), seal, actor=RECEIVER
        )
    except KnownError as refused:
        tally.outcomes["again refused" if again else "refused"] += 1
        if _sha(receiving) != before or "\n" in str(refused) or "Traceback" in str(refused):
            tally.damage.append(f"{case}: refused but changed the file, or said it badly")
    except Exception:  # the figure counts these: none may happen
        tally.tracebacks.append(f"{case}: {traceback.format_exc(limit=3)}")
    else:
        tally.outcomes["imported"] += 1
        refs = got.refs
        if forged or again:
            tally.wrongly_taken.append(case)
        try:
            _sound_after_import(store, refs, library)
        except Exception:
            tally.damage.append(f"{case}: {traceback.format_exc(limit=3)}")
    try:
        _opens(store)
    except Exception:
        tally.unopenable.append(f"{case}: {traceback.format_exc(limit=3)}")
    store.engine.dispose()
    return refs


def _prepare(files: dict[str, Path], work: Path, name: str) -> tuple[Path, Path]:
    transfer, receiving = work / f"{name}-t.db", work / f"{name}-r.db"
    shutil.copyfile(files["transfer"], transfer)
    shutil.copyfile(files["receiving"], receiving)
    return transfer, receiving


def _run_case(
    case: fuzz.Case, number: int, files: dict[str, Path], work: Path, tally: Tally,
    library: PolicyLibrary,
) -> None:  # fmt: skip
    transfer, receiving = _prepare(files, work, str(number))
    entry, digits = files["seal"].read_text().split()
    sent = Seal(int(entry), digits)
    changed = True
    store = PlainStore(transfer, create=False, scratch=True)
    try:
        with store.session() as session:
            if case.family == "chain":
                triggers = drop_triggers(session)
                fuzz.run_sql(case)(session)
                for sql in triggers:
                    session.execute(text(sql))
                seal = sent
            else:
                resealed = forge_transfer(session, fuzz.run_sql(case))
                seal = sent if case.family == "forged" else resealed
                changed = resealed != sent  # else the value was already there
    except Exception as exc:  # the change itself could not be made (a constraint): not a case
        tally.outcomes["not made"] += 1
        assert "IntegrityError" in type(exc).__name__ or "Integrity" in str(type(exc)), case.name
        return
    finally:
        store.engine.dispose()
    forged = case.family != "resealed" and changed
    refs = _attempt(receiving, transfer, seal, case.name, tally, library=library, forged=forged)
    if refs:  # the same transfer again: refused by its identifier
        _attempt(receiving, transfer, seal, f"{case.name} (again)", tally, library=library,
                 forged=False, again=True)  # fmt: skip
    for path in (transfer, receiving):
        path.unlink()


def _cases(files: dict[str, Path]) -> list[fuzz.Case]:
    rng = random.Random(SEED)
    store = PlainStore(files["transfer"], create=False)
    with store.session() as session:
        cases = (
            fuzz.value_cases(session, rng, VALUE_CASES, "resealed")
            + fuzz.value_cases(session, rng, VALUE_CASES // 4, "forged")
            + fuzz.structural_cases("resealed")
            + fuzz.structural_cases("forged")
            + fuzz.chain_cases()
        )
    store.engine.dispose()
    return cases


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_generated_transfer_files_never_harm_the_receiving_file(
    chunk: int, files: dict[str, Path], library: PolicyLibrary, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    tally = Tally()
    cases = _cases(files)
    for number, case in enumerate(cases):
        if number % CHUNKS == chunk:
            _run_case(case, number, files, tmp_path, tally, library)
    with capsys.disabled():
        print("\n" + tally.line(f"transfer fuzz, part {chunk + 1} of {CHUNKS}"))
    tally.assert_clean()
    assert tally.outcomes["refused"] > tally.outcomes["imported"]  # most are bad on purpose


def test_corrupted_encrypted_transfer_files_are_refused(
    files: dict[str, Path], library: PolicyLibrary, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The real, encrypted path: truncated, corrupted, wrong passphrase, not a transfer."""
    sender = PlainStore(files["sender"], create=False, scratch=True)
    child = next(c.id for c in list_children(sender) if c.name == "Zoë Nguyễn")
    out = tmp_path / "sent.etdb"
    sent = export_child(sender, child, out, TRANSFER_PASSPHRASE, actor=ACTOR, setting=SETTING)
    assert sent.seal is not None
    data = out.read_bytes()
    rng = random.Random(SEED)
    variants: list[tuple[str, bytes, str]] = []
    for _ in range(12):
        cut = rng.randrange(0, len(data))
        variants.append((f"truncated at {cut}", data[:cut], TRANSFER_PASSPHRASE))
    for _ in range(12):
        at = rng.randrange(0, len(data))
        flipped = bytearray(data)
        flipped[at] ^= 1 << rng.randrange(8)
        variants.append((f"bit flipped at {at}", bytes(flipped), TRANSFER_PASSPHRASE))
    for wrong in ("", "wrong", TRANSFER_PASSPHRASE.upper(), TRANSFER_PASSPHRASE + " ", "x" * 500):
        variants.append((f"passphrase {wrong[:10]!r}", data, wrong))
    variants += [
        ("empty", b"", TRANSFER_PASSPHRASE),
        ("random bytes", rng.randbytes(len(data)), TRANSFER_PASSPHRASE),
        ("a PDF", (sent.cover or out).read_bytes(), TRANSFER_PASSPHRASE),
        ("plain SQLite", files["sender"].read_bytes(), TRANSFER_PASSPHRASE),
        ("trailing bytes", data + b"\x00" * 100, TRANSFER_PASSPHRASE),
    ]
    tally = Tally()
    with create_data_file(tmp_path / "receiving.etdb", "Receiving setting, owl kettle 7") as db:
        db.derive_key()
        for number, (name, content, passphrase) in enumerate(variants):
            path = tmp_path / f"variant-{number}.etdb"
            path.write_bytes(content)
            try:
                import_transfer(db, path, passphrase, seal=sent.seal, actor=RECEIVER)
            except KnownError as refused:
                tally.outcomes["refused"] += 1
                assert "\n" not in str(refused)
            except Exception:
                tally.tracebacks.append(f"{name}: {traceback.format_exc(limit=3)}")
            else:
                tally.outcomes["imported"] += 1  # only a flip the file's padding absorbs
            try:
                list_escalations(db)
            except Exception:
                tally.unopenable.append(name)
        # The wrong passphrases above made the file wait (app.services.transfer_open):
        # a person waits it out, and so does the clock here.
        later = unlock_attempts.wall_clock() + 3600
        monkeypatch.setattr(unlock_attempts, "wall_clock", lambda: later)
        # The real file (unless a harmless flip already brought it), then again.
        if not tally.outcomes["imported"]:
            import_transfer(db, out, TRANSFER_PASSPHRASE, seal=sent.seal, actor=RECEIVER)
        with pytest.raises(KnownError, match="already imported"):
            import_transfer(db, out, TRANSFER_PASSPHRASE, seal=sent.seal, actor=RECEIVER)
        tally.outcomes["again refused"] += 1
        assert len(list_escalations(db)) == len(sent.refs)
    with capsys.disabled():
        print("\n" + tally.line("transfer fuzz, encrypted files"))
    tally.assert_clean()
