"""Passphrase: the wrong-passphrase delay grows and is capped (never a lock-out); the
passphrase is never logged, never stored, and the key is dropped from the ``Database``
when it is closed (as far as Python allows: see docs/reliability.md)."""

from __future__ import annotations

import gc
import hashlib
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy
from hypothesis import given
from hypothesis import strategies as st

from app.services.people import add_child, list_children
from app.services.security import change_passphrase
from app.storage.database import Database
from app.storage.datafile import check_data_file, create_data_file, open_data_file
from app.storage.errors import WrongPassphraseError
from app.storage.files import read_salt as _read_salt
from app.storage.keys import derive_raw_key as _derive_key
from app.storage.unlock_attempts import MAX_UNLOCK_DELAY_SECONDS, unlock_delay
from tests.fake_clock import FakeClock
from tests.reliability.conftest import (
    NEW_PASSPHRASE,
    PASSPHRASE,
    TRANSFER_PASSPHRASE,
    ScenarioRun,
)
from tests.reliability.sandbox import scan

SECRET = "Lantern Quince 58 harbour"
OTHER = "Another passphrase 93 tulip"


# --- The delay ----------------------------------------------------------------------------


@given(st.integers(min_value=-3, max_value=10**15))
def test_delay_never_decreases_and_never_exceeds_the_cap(failures: int) -> None:
    delay = unlock_delay(failures)
    assert 0 <= delay <= MAX_UNLOCK_DELAY_SECONDS
    assert unlock_delay(failures + 1) >= delay


def test_delay_grows_then_stops_at_the_cap() -> None:
    delays = [unlock_delay(n) for n in range(12)]
    assert delays[:2] == [0, 0]  # one slip costs nothing
    assert delays[2:7] == sorted(set(delays[2:7]))  # strictly growing: 1, 2, 4, 8, 16
    assert delays[-1] == MAX_UNLOCK_DELAY_SECONDS == max(delays)
    assert unlock_delay(10**9) == MAX_UNLOCK_DELAY_SECONDS  # capped, not a lock-out


def test_many_wrong_passphrases_do_not_lock_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock().install(monkeypatch)
    path = tmp_path / "data.etdb"
    db = create_data_file(path, SECRET)
    add_child(db, name="Kept Child", date_of_birth=date(2015, 1, 1), actor="test")
    db.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    for attempt in range(4):
        with pytest.raises(WrongPassphraseError) as caught:
            open_data_file(path, f"{SECRET} {attempt}")
        clock.advance(caught.value.retry_after)  # the wait each failure costs
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # nothing changed
    with open_data_file(path, SECRET) as db:
        assert [c.name for c in list_children(db)] == ["Kept Child"]


# --- Never logged, never stored ---------------------------------------------------------


@pytest.fixture
def everything_logged(tmp_path: Path) -> Iterator[Path]:
    """Every logger at DEBUG into a file: more than the app ever logs."""
    log = tmp_path / "debug.log"
    handler = logging.FileHandler(log, encoding="utf-8")
    root = logging.getLogger()
    saved = root.level, logging.getLogger("sqlalchemy").level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    logging.getLogger("sqlalchemy").setLevel(logging.DEBUG)
    try:
        yield log
    finally:
        root.removeHandler(handler)
        handler.close()
        root.setLevel(saved[0])
        logging.getLogger("sqlalchemy").setLevel(saved[1])


def _secrets_of(path: Path, *passphrases: str) -> list[str]:
    salt = _read_salt(path)
    keys = [_derive_key(p, salt) for p in passphrases]
    return [*passphrases, *(bytes(k).hex() for k in keys), *(bytes(k).hex().upper() for k in keys)]


def test_passphrase_and_key_are_never_logged(
    tmp_path: Path, everything_logged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock().install(monkeypatch)
    path = tmp_path / "data.etdb"
    db = create_data_file(path, SECRET)
    add_child(db, name="Logged Child", date_of_birth=date(2015, 1, 1), actor="test")
    db.backup_to(tmp_path / "backup.etdb")
    change_passphrase(db, SECRET, OTHER, OTHER, actor="test")
    db.close()
    for wrong in (SECRET, "not it at all"):  # a wrong-and-right unlock
        with pytest.raises(WrongPassphraseError) as caught:
            open_data_file(path, wrong)
        logging.getLogger("app").exception("unlock failed", exc_info=caught.value)
        clock.advance(caught.value.retry_after)
    with open_data_file(path, OTHER) as db:
        assert check_data_file(db) == []

    text = everything_logged.read_text(encoding="utf-8")
    assert "BEGIN" in text and "audit_entry" in text  # SQL really was being logged
    secrets = _secrets_of(path, SECRET, OTHER)
    assert scan([tmp_path], secrets[:2]) == []  # the passphrases: not in any file here
    assert [s for s in secrets if s in text] == []  # nor the keys, in the log
    # Positive control: a passphrase that does reach the log is found.
    logging.getLogger("app").warning("oops %s", OTHER)
    assert scan([everything_logged.parent], [OTHER]) == [(everything_logged, OTHER)]


def test_no_passphrase_or_key_in_any_file_after_the_scenario(scenario_run: ScenarioRun) -> None:
    """Data file, backup, transfer file, settings, temp, logs, crash log: scanned whole."""
    sandbox = scenario_run.sandbox
    data_file = sandbox.user_data / "escalations.etdb"
    secrets = [
        *_secrets_of(data_file, PASSPHRASE, NEW_PASSPHRASE),
        *_secrets_of(sandbox.root / "transfers" / "oliver.etdb", TRANSFER_PASSPHRASE),
    ]
    assert scan([sandbox.root], secrets) == []
    raw_keys = [bytes(_derive_key(p, _read_salt(data_file))) for p in (PASSPHRASE, NEW_PASSPHRASE)]
    for path in (p for p in sandbox.root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        assert not [k for k in raw_keys if k in data], path
    # Positive control: the scan reads the settings file, where a careless app might
    # remember a passphrase.
    settings = sandbox.user_data / "settings.ini"
    original = settings.read_bytes()
    try:
        settings.write_bytes(original + f"last_passphrase={PASSPHRASE}\n".encode())
        assert scan([sandbox.root], secrets) == [(settings, PASSPHRASE)]
    finally:
        settings.write_bytes(original)


# --- Dropped from memory ------------------------------------------------------------------


def _live_engines_holding(key_hex: str) -> list[sqlalchemy.Engine]:
    gc.collect()
    return [
        o
        for o in gc.get_objects()
        if isinstance(o, sqlalchemy.Engine) and key_hex in str(o.url.password or "")
    ]


def test_close_drops_the_key_from_the_database_object(tmp_path: Path) -> None:
    db = create_data_file(tmp_path / "data.etdb", SECRET)
    add_child(db, name="Memory Child", date_of_birth=date(2015, 1, 1), actor="test")
    key = db._key
    assert key is not None and any(key)
    key_hex = bytes(key).hex()
    assert _live_engines_holding(key_hex)  # positive control: while open, the engine has it

    db.close()

    assert db._key is None and db._engine is None
    assert not any(key)  # the bytearray was overwritten with zeros, not just dropped
    assert _live_engines_holding(key_hex) == []  # no engine (or URL) survives the close
    for name, value in vars(db).items():
        text = repr(value)
        assert SECRET not in text and key_hex not in text, name
    assert not db.is_open


def test_changing_the_passphrase_drops_the_old_key(tmp_path: Path) -> None:
    db = create_data_file(tmp_path / "data.etdb", SECRET)
    old_key = db._key
    assert old_key is not None
    old_hex = bytes(old_key).hex()
    change_passphrase(db, SECRET, OTHER, OTHER, actor="test")
    try:
        assert not any(old_key)
        assert _live_engines_holding(old_hex) == []
        assert db._key is not None and bytes(db._key).hex() != old_hex
    finally:
        db.close()


def test_the_database_never_keeps_the_passphrase(tmp_path: Path) -> None:
    db = Database.create(tmp_path / "data.etdb", SECRET)
    try:
        held = [repr(v) for v in vars(db).values()]
        assert not [h for h in held if SECRET in h]
    finally:
        db.close()
