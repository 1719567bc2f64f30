"""A transfer file's passphrase is slowed like the data file's (the same growing wait,
counted per file across runs, in the app and on the command line), and a transfer file
made before transfers were sealed is refused in one sentence saying what to do.

The wait runs on the fake clock (``tests.fake_clock``): nothing sleeps for real."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app import cli
from app.domain.seal import parse_seal
from app.errors import InputError
from app.services.people import add_child, list_children
from app.services.transfer import export_child, import_from, import_transfer
from app.services.transfer_content import ChildIn, Problems, read_child
from app.services.transfer_open import TransferPassphraseError
from app.services.transfer_seal import MADE_BY_OLDER_VERSION
from app.services.transfer_write import write_child
from app.storage.datafile import create_data_file
from app.storage.unlock_attempts import UnlockAttempts, unlock_delay
from tests.fake_clock import FakeClock
from tests.plain_store import PlainStore
from tests.seal_files import ACTOR, SETTING, make_demo

TRANSFER_PASSPHRASE = "Violet harbour 19, lantern quartz"
RECEIVING_PASSPHRASE = "Copper meadow 42, quiet lantern"
A_SEAL = "1 0123456789abcdef"


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A real (encrypted) transfer file of one child, and its seal."""
    from app.policy import default_library

    folder = tmp_path_factory.mktemp("sealed")
    sender = make_demo(folder / "sender.db", default_library())
    child = next(c.id for c in list_children(sender) if c.name == "Oliver Bennett")
    sent = export_child(
        sender, child, folder / "t.etdb", TRANSFER_PASSPHRASE, actor=ACTOR, setting=SETTING
    )
    assert sent.seal is not None
    return folder / "t.etdb", sent.seal.typed


def _receiving(path: Path) -> PlainStore:
    store = PlainStore(path)
    add_child(store, name="Someone Else", date_of_birth=date(2016, 1, 1), actor="Mr New")
    return store


def test_wrong_transfer_passphrases_cost_the_same_growing_wait(
    sealed: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock().install(monkeypatch)
    transfer, seal = sealed
    receiving = _receiving(tmp_path / "receiving.db")
    attempts = UnlockAttempts(tmp_path / "settings.ini")
    waits = []
    for attempt in range(3):
        with pytest.raises(TransferPassphraseError) as wrong:
            import_transfer(
                receiving, transfer, f"guess {attempt}", seal=seal, actor=ACTOR, attempts=attempts
            )
        assert "does not open the transfer file" in str(wrong.value)
        waits.append(wrong.value.retry_after)
        if wrong.value.retry_after:
            assert f"Wait {wrong.value.retry_after} second" in str(wrong.value)
        if attempt < 2:
            clock.advance(wrong.value.retry_after)  # the DSL waits as asked
    assert waits == [unlock_delay(1), unlock_delay(2), unlock_delay(3)] == [0, 1, 2]
    assert attempts.failures(transfer)[0] == 3  # counted per file, as the unlock counts
    # Straight away, even the right passphrase is not tried: the wait is not over.
    with pytest.raises(TransferPassphraseError, match="a moment ago: wait 2 seconds") as early:
        import_transfer(
            receiving, transfer, TRANSFER_PASSPHRASE, seal=seal, actor=ACTOR, attempts=attempts
        )
    assert early.value.retry_after == 2 and "Nothing was imported" in str(early.value)
    clock.advance(2)
    got = import_transfer(
        receiving, transfer, TRANSFER_PASSPHRASE, seal=seal, actor=ACTOR, attempts=attempts
    )
    assert got.child_name == "Oliver Bennett"
    assert attempts.failures(transfer)[0] == 0  # the right one starts the count again


def test_the_command_line_sleeps_the_wait_before_the_next_transfer_passphrase(
    sealed: tuple[Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clock = FakeClock().install(monkeypatch)
    transfer, seal = sealed
    data = tmp_path / "receiving.etdb"
    create_data_file(data, RECEIVING_PASSPHRASE).close()
    monkeypatch.setenv("ESCALATION_TRACKER_PASSPHRASE", RECEIVING_PASSPHRASE)
    args = ["transfer", "import", str(transfer), "--data-file", str(data), "--seal", seal]
    for attempt in range(3):
        monkeypatch.setenv("ESCALATION_TRACKER_TRANSFER_PASSPHRASE", f"guess {attempt}")
        assert cli.main(args) == 2
    said = capsys.readouterr().err
    assert said.count("does not open the transfer file") == 3
    assert "waiting 1 second." in said  # before the third try
    assert clock.slept == [1]
    monkeypatch.setenv("ESCALATION_TRACKER_TRANSFER_PASSPHRASE", TRANSFER_PASSPHRASE)
    assert cli.main(args) == 0
    assert clock.slept == [1, 2]  # the right passphrase waited its turn too
    assert "Imported 2 escalations" in capsys.readouterr().out


def _oliver(sender: PlainStore) -> ChildIn:
    child_id = next(c.id for c in list_children(sender) if c.name == "Oliver Bennett")
    problems = Problems()
    with sender.session() as source:
        child = read_child(source, child_id, problems)
    assert child is not None and not problems
    return child


def _copy_unsealed(target: Session, child: ChildIn, revision: str | None) -> None:
    """What exports wrote before transfers were sealed: the child's records copied, no
    transfer details, no manifest; at an older schema if ``revision`` is given."""
    write_child(
        target,
        child,
        actor=ACTOR,
        action="transfer copy",
        new_ref=lambda _session, e: e.ref,
        transferred_from=lambda e: e.columns["transferred_from"],
    )
    if revision is not None:
        target.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


@pytest.mark.parametrize("revision", [None, "0002"])
def test_a_transfer_file_from_before_seals_is_refused_in_one_sentence(
    tmp_path: Path, revision: str | None
) -> None:
    from app.policy import default_library

    sender = make_demo(tmp_path / "sender.db", default_library())
    old = PlainStore(tmp_path / "old.db")
    with old.session() as session:
        _copy_unsealed(session, _oliver(sender), revision)
    receiving = _receiving(tmp_path / "receiving.db")
    with pytest.raises(InputError) as refused:
        import_from(receiving, old, parse_seal(A_SEAL), actor=ACTOR)
    assert str(refused.value) == MADE_BY_OLDER_VERSION
    assert MADE_BY_OLDER_VERSION == (
        "This transfer file was made by an older version of Escalation Tracker. "
        "Ask the sender to export it again."
    )


def test_the_command_line_says_the_same_sentence_for_an_old_transfer_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.policy import default_library

    sender = make_demo(tmp_path / "sender.db", default_library())
    old = tmp_path / "old-transfer.etdb"
    encrypted = create_data_file(old, TRANSFER_PASSPHRASE)  # as the older export made it
    with encrypted.session() as session:
        _copy_unsealed(session, _oliver(sender), "0002")
    encrypted.close()
    data = tmp_path / "receiving.etdb"
    create_data_file(data, RECEIVING_PASSPHRASE).close()
    monkeypatch.setenv("ESCALATION_TRACKER_PASSPHRASE", RECEIVING_PASSPHRASE)
    monkeypatch.setenv("ESCALATION_TRACKER_TRANSFER_PASSPHRASE", TRANSFER_PASSPHRASE)
    args = ["transfer", "import", str(old), "--data-file", str(data), "--seal", A_SEAL]
    assert cli.main(args) == 2
    assert capsys.readouterr().err.strip() == f"error: {MADE_BY_OLDER_VERSION}"
