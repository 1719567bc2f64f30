"""The figure for record seals (docs/reliability.md): generated insider tampers across
the tables the audit pins, each followed by a full recompute of digests, chain and head
(tests/insider.py), so that most check out on their own; every one is found by
``check --against`` a document sealed before the tamper.

    .venv/bin/python -m pytest tests/reliability/test_seal_figures.py -s   # prints the figure
    SEAL_TAMPER_SEED=123 ...                                              # another draw
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from app.policy import PolicyLibrary
from app.services.people import list_children
from app.services.retention import retain
from app.services.seals import check_against
from app.storage import audit
from tests.insider import as_insider
from tests.plain_store import PlainStore
from tests.reliability import tampers
from tests.seal_files import ACTOR, document, make_demo
from tests.team_keys import DEMO_DSL, open_as

SEED = int(os.environ.get("SEAL_TAMPER_SEED", "20261203"))
ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "Seal figures: owl kettle 7 lantern"


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary) -> tuple[Path, bytes]:
    """The demo records with two retention decisions, then a document: its seal comes
    after every row a tamper changes."""
    path = tmp_path_factory.mktemp("seal-figures") / "base.db"
    store = make_demo(path, library)
    for child in list_children(store)[:2]:
        retain(
            store,
            child.id,
            reason="Relevant to a review",
            next_review=date(2030, 1, 1),
            actor=ACTOR,
        )
    return path, document(store, library).pdf


def _generate(base: Path) -> list[tampers.Tamper]:
    rng = random.Random(SEED)
    store = PlainStore(base, create=False)
    with store.session() as session:
        generated = (
            tampers.alterations(session, rng, per_table=16)
            + tampers.deletions(session, rng, 12)
            + tampers.backdatings(session, rng, 8)
            + tampers.tail_cuts(session, rng, 8)
        )
    store.engine.dispose()
    return generated


def _dump(store: PlainStore) -> str:
    with store.session() as session:
        tables = session.scalars(
            text("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'audit_entry'")
        ).all()
        return repr([session.execute(text(f"SELECT * FROM {t} ORDER BY 1")).all() for t in tables])


def test_every_recomputed_tamper_is_found_against_a_sealed_document(
    sealed: tuple[Path, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, pdf = sealed
    generated = _generate(base)
    assert len(generated) >= 100
    found, quiet = Counter[str](), Counter[str]()
    missed: list[str] = []
    for number, tamper in enumerate(generated):
        shutil.copyfile(base, tmp_path / f"t{number}.db")
        store = PlainStore(tmp_path / f"t{number}.db", create=False, scratch=True)
        before = _dump(store)
        with store.session() as session:
            as_insider(session, tamper.change)
        assert _dump(store) != before, f"{tamper.name} changed nothing"
        with store.session() as session:
            if audit.verify(session) == []:
                quiet[tamper.table] += 1  # checks out on its own: only the seal shows it
        if check_against(store, [("sealed.pdf", pdf)]):
            found[tamper.table] += 1
        else:
            missed.append(tamper.name)
        store.engine.dispose()
        (tmp_path / f"t{number}.db").unlink()
    kinds = Counter(t.kind for t in generated)
    with capsys.disabled():
        print(
            f"\nseal figures (seed {SEED}): {len(generated)} tampers "
            f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}) across "
            f"{len({t.table for t in generated})} tables; {sum(quiet.values())} passed check "
            f"on their own; {sum(found.values())} found by check --against "
            f"({dict(sorted(found.items()))})"
        )
    assert missed == []
    assert sum(quiet.values()) >= 100  # the recompute works: these are real forgeries


def test_the_command_line_finds_an_insiders_recomputed_rewrite(tmp_path: Path) -> None:
    """End to end on an encrypted file: check alone says OK, check --against does not."""

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "ESCALATION_TRACKER_PASSPHRASE": PASSPHRASE,
            "ESCALATION_TRACKER_MEMBER": DEMO_DSL,  # the demo file has two members
        }
        return subprocess.run(
            [sys.executable, "-m", "app", *args],
            capture_output=True, text=True, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
            timeout=120,
        )  # fmt: skip

    data, pdf = tmp_path / "data.etdb", tmp_path / "sealed.pdf"
    assert cli("demo", "--data-file", str(data)).returncode == 0
    assert (
        cli(
            "document", "chronology", "ESC-2026-0001", "--data-file", str(data), "--out", str(pdf)
        ).returncode
        == 0
    )
    with open_as(data, PASSPHRASE, DEMO_DSL) as db, db.session() as session:
        as_insider(
            session,
            lambda s: s.execute(
                text("UPDATE record_version SET content = json_set(content, '$.summary', 'FORGED')")
            ),
        )
    shutil.copyfile(data, tmp_path / "kept.etdb")
    plain = cli("check", "--data-file", str(data))
    assert plain.returncode == 0, plain.stderr  # the rewrite checks out on its own
    against = cli("check", "--data-file", str(data), "--against", str(pdf))
    assert against.returncode == 1 and "rewritten" in against.stderr
