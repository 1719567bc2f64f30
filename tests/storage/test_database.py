"""The encrypted data file: encryption, passphrases, locking, backup, restore, errors."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlcipher3
from sqlalchemy import event

from app.errors import InputError
from app.storage.backup import restore_backup
from app.storage.database import Database
from app.storage.errors import (
    DamagedFileError,
    DiskFullError,
    FileAlreadyExistsError,
    FileInUseError,
    NotADataFileError,
    WrongPassphraseError,
)
from app.storage.files import before_restore_path
from app.storage.lock import lock_path_for

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"
NAMES = ["Zoë Nguyễn", "Siobhán Ó Briain", "Oluwaseun Adébáyọ̀"]
WRONG_MESSAGE = "That passphrase does not open this file."


# --- Helpers ---------------------------------------------------------------------------


def child_schema(connection: sa.Connection) -> None:
    connection.exec_driver_sql("CREATE TABLE child(name TEXT)")


def add_names(db: Database, names: list[str]) -> None:
    with db.session() as session:
        for name in names:
            session.execute(sa.text("INSERT INTO child(name) VALUES (:name)"), {"name": name})


def _count_derivations(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """From now on, the salt of every raw-key derivation (PBKDF2) is appended here."""
    from app.storage import database

    derived: list[bytes] = []
    real_derive = database.derive_raw_key

    def counted(passphrase: str, salt: bytes) -> bytearray:
        derived.append(salt)
        return real_derive(passphrase, salt)

    monkeypatch.setattr(database, "derive_raw_key", counted)
    return derived


def read_names(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(sa.text("SELECT name FROM child ORDER BY rowid")))


def make_file(path: Path, passphrase: str = PASSPHRASE, names: list[str] = NAMES) -> Path:
    with Database.create(path, passphrase, schema=child_schema) as db:
        add_names(db, names)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_no_plaintext(path: Path) -> None:
    data = path.read_bytes()
    for name in NAMES:
        assert name.encode("utf-8") not in data
        assert name.encode("utf-16-le") not in data
    for fragment in (b"Briain", b"Nguy", b"child", b"CREATE TABLE"):
        assert fragment not in data


def plain_sqlcipher_names(path: Path, passphrase: str) -> list[str]:
    """Read with the driver alone and the passphrase alone, as any SQLCipher 4 tool would."""
    connection = sqlcipher3.connect(str(path))
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")
        return [row[0] for row in connection.execute("SELECT name FROM child ORDER BY rowid")]
    finally:
        connection.close()


def flip_byte_in_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def run_python(script: str, *args: str, prefix: list[str] | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [*(prefix or []), sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.create(tmp_path / "data.etdb", PASSPHRASE, schema=child_schema)
    yield database
    database.close()


# --- Encryption and passphrases ---------------------------------------------------------


def test_file_is_unreadable_without_the_passphrase(tmp_path: Path) -> None:
    path = make_file(tmp_path / "data.etdb")

    connection = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError):
        connection.execute("SELECT * FROM sqlite_master").fetchall()
    connection.close()
    assert_no_plaintext(path)
    assert not (tmp_path / "data.etdb-journal").exists()


def test_file_is_a_standard_sqlcipher_passphrase_file(tmp_path: Path) -> None:
    path = make_file(tmp_path / "data.etdb")

    assert plain_sqlcipher_names(path, PASSPHRASE) == NAMES


@pytest.mark.parametrize(
    "passphrase",
    [
        "ünïcødé pässwörd ß 日本語 كلمة",
        "it's",
        'say "hello"',
        "back\\slash\\\\",
        "user@host:/path ?query#frag",
        "x" * 1000,
        "🔐🧒🏽 emoji 👨‍👩‍👧",
        "  spaces  ",
        "x'00ff'",  # looks like SQLCipher's raw-key syntax; must be taken as a passphrase
    ],
    ids=["unicode", "single-quote", "double-quote", "backslash", "url-chars", "1000", "emoji",
         "spaces", "raw-key-lookalike"],
)  # fmt: skip
def test_odd_passphrases_round_trip(
    tmp_path: Path, passphrase: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files made before new passphrases were rated (some of these would be refused now)
    # must still open: the rule is for new passphrases only.
    monkeypatch.setattr("app.storage.database.check_new", lambda _passphrase: None)
    path = make_file(tmp_path / "data.etdb", passphrase)
    monkeypatch.undo()

    with Database.open(path, passphrase) as db:
        assert read_names(db) == NAMES
    assert plain_sqlcipher_names(path, passphrase) == NAMES
    with pytest.raises(WrongPassphraseError):
        Database.open(path, passphrase + "x")


def test_empty_passphrase_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.etdb"
    with pytest.raises(InputError, match="cannot be empty"):
        Database.create(path, "", schema=child_schema)
    assert not path.exists()

    make_file(path)
    with pytest.raises(InputError, match="cannot be empty"):
        Database.open(path, "")


def test_wrong_passphrase_changes_nothing_and_releases_the_file(tmp_path: Path) -> None:
    path = make_file(tmp_path / "data.etdb")
    before = digest(path)
    files_before = sorted(os.listdir(tmp_path))

    with pytest.raises(WrongPassphraseError) as caught:
        Database.open(path, "not the passphrase")

    assert str(caught.value) == WRONG_MESSAGE
    assert digest(path) == before
    assert sorted(os.listdir(tmp_path)) == files_before
    with Database.open(path, PASSPHRASE) as db:  # the lock was released
        assert read_names(db) == NAMES


WRONG_PASSPHRASE_CHILD = """
import sys
from pathlib import Path
from app.storage.database import Database
from app.storage.errors import WrongPassphraseError
try:
    Database.open(Path(sys.argv[1]), "not the passphrase")
except WrongPassphraseError as exc:
    print(type(exc).__name__)
"""


def test_wrong_passphrase_prints_nothing_to_stderr(tmp_path: Path) -> None:
    # SQLCipher logs "ERROR CORE ... hmac check failed" to stderr unless silenced.
    path = make_file(tmp_path / "data.etdb")

    child = run_python(WRONG_PASSPHRASE_CHILD, str(path))
    stdout, stderr = child.communicate(timeout=60)

    assert stdout.strip() == "WrongPassphraseError"
    assert stderr == ""


# --- Files that are not data files ------------------------------------------------------


def _plain_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE child(name TEXT)")
    connection.commit()
    connection.close()


@pytest.mark.parametrize(
    "make",
    [
        lambda path: None,
        lambda path: path.mkdir(),
        lambda path: path.write_bytes(b""),
        lambda path: path.write_text("Dear parent,\nThis is a letter.\n"),
        _plain_sqlite,
    ],
    ids=["missing", "folder", "empty", "text", "unencrypted-sqlite"],
)
def test_not_a_data_file(tmp_path: Path, make: Callable[[Path], object]) -> None:
    path = tmp_path / "thing.etdb"
    make(path)
    before = sorted(os.listdir(tmp_path))

    with pytest.raises(NotADataFileError):
        Database.open(path, PASSPHRASE)

    assert sorted(os.listdir(tmp_path)) == before  # not even a lock file


def test_random_bytes_look_like_a_wrong_passphrase(tmp_path: Path) -> None:
    # Documented limit: SQLCipher cannot tell noise from a file it has the wrong key for.
    path = tmp_path / "noise.etdb"
    path.write_bytes(os.urandom(8192))

    with pytest.raises(WrongPassphraseError):
        Database.open(path, PASSPHRASE)


def test_create_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "data.etdb"
    path.write_bytes(b"someone else's file")

    with pytest.raises(FileAlreadyExistsError, match="already exists"):
        Database.create(path, PASSPHRASE, schema=child_schema)

    assert path.read_bytes() == b"someone else's file"


def test_failed_schema_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "data.etdb"

    def broken_schema(connection: sa.Connection) -> None:
        child_schema(connection)
        raise RuntimeError("bug in schema")

    with pytest.raises(RuntimeError, match="bug in schema"):
        Database.create(path, PASSPHRASE, schema=broken_schema)

    assert not path.exists()
    assert not (tmp_path / "data.etdb-journal").exists()
    make_file(path)  # the name and the lock are free again


# --- Connections and transactions -------------------------------------------------------


def test_every_connection_has_the_safety_settings(db: Database) -> None:
    with db.connect() as connection:

        def pragma(name: str) -> object:
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()

        assert pragma("foreign_keys") == 1
        assert pragma("journal_mode") == "delete"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("temp_store") == 2  # MEMORY
        assert pragma("secure_delete") == 1
        # SQLCipher 4 defaults, untouched.
        assert pragma("cipher") == "AES-256-CBC"
        assert pragma("cipher_hmac_algorithm") == "HMAC_SHA512"
        assert pragma("cipher_kdf_algorithm") == "PBKDF2_HMAC_SHA512"
        assert pragma("kdf_iter") == "256000"
        assert pragma("cipher_page_size") == "4096"


def test_foreign_keys_are_enforced(db: Database) -> None:
    with db.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE parent(id INTEGER PRIMARY KEY)")
        connection.exec_driver_sql("CREATE TABLE kid(parent_id INTEGER REFERENCES parent(id))")

    with pytest.raises(sa.exc.IntegrityError), db.session() as session:
        session.execute(sa.text("INSERT INTO kid VALUES (42)"))


def test_session_commits_or_rolls_back_as_one(db: Database) -> None:
    add_names(db, ["first"])
    with pytest.raises(RuntimeError), db.session() as session:
        session.execute(sa.text("INSERT INTO child VALUES ('second')"))
        raise RuntimeError("user cancelled")

    assert read_names(db) == ["first"]


def test_connect_is_one_transaction_even_for_ddl(db: Database) -> None:
    # The driver's legacy mode would commit CREATE TABLE on its own; ours rolls it back.
    with pytest.raises(RuntimeError), db.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE later(x)")
        raise RuntimeError("migration failed")

    with db.connect() as connection:
        tables = connection.exec_driver_sql("SELECT name FROM sqlite_master").scalars().all()
    assert tables == ["child"]


def test_error_messages_do_not_contain_child_data(db: Database) -> None:
    with db.connect() as connection:
        connection.exec_driver_sql("CREATE UNIQUE INDEX one_name ON child(name)")
    add_names(db, [NAMES[0]])

    with pytest.raises(sa.exc.IntegrityError) as caught:
        add_names(db, [NAMES[0]])

    assert NAMES[0] not in str(caught.value)


def test_key_is_derived_once_per_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PBKDF2 (256,000 rounds) runs once for the raw key, however many connections
    follow (NullPool: one per session), and not again for the key-checking connection
    SQLCipher opens with the passphrase."""
    path = make_file(tmp_path / "data.etdb")
    derived = _count_derivations(monkeypatch)
    db = Database.open(path, PASSPHRASE)
    try:
        for _ in range(10):
            assert read_names(db) == NAMES  # ten new connections, each with the raw key
        with db.read() as connection:
            assert connection.execute("SELECT count(*) FROM child").fetchone() == (3,)
    finally:
        db.close()
    assert derived == [path.read_bytes()[:16]]


CRASHING_WRITER_CHILD = """
import os, sys
from pathlib import Path
import sqlalchemy as sa
from app.storage.database import Database
db = Database.open(Path(sys.argv[1]), sys.argv[2])
with db.session() as session:
    # A tiny page cache forces changed pages into the file before the commit.
    session.execute(sa.text("PRAGMA cache_size = 2"))
    session.execute(sa.text("UPDATE child SET name = 'changed ' || name"))
    for _ in range(500):
        session.execute(sa.text("INSERT INTO child VALUES (:n)"), {"n": "y" * 500})
    session.flush()
    print(os.path.exists(sys.argv[1] + "-journal"), flush=True)
    os._exit(1)  # power cut: no commit, no rollback, no cleanup
"""


def test_interrupted_transaction_is_rolled_back_on_next_open(tmp_path: Path) -> None:
    names = [f"child {i} " * 20 for i in range(300)]
    path = make_file(tmp_path / "data.etdb", names=names)

    child = run_python(CRASHING_WRITER_CHILD, str(path), PASSPHRASE)
    stdout, stderr = child.communicate(timeout=60)
    assert stdout.strip() == "True", stderr  # a hot journal was left behind

    # The journal holds encrypted page images, so SQLite completes the rollback on any
    # open, even one with the wrong passphrase; that rollback is correct, not damage.
    with pytest.raises(WrongPassphraseError):
        Database.open(path, "not the passphrase")
    with Database.open(path, PASSPHRASE) as db:
        assert read_names(db) == names
        assert db.integrity_problems() == []
    assert not (tmp_path / "data.etdb-journal").exists()


# --- Open, close and the single-writer lock --------------------------------------------


def test_close_is_idempotent_and_forgets_the_key(tmp_path: Path) -> None:
    db = Database.create(tmp_path / "data.etdb", PASSPHRASE, schema=child_schema)
    key = db._key
    assert db.is_open and key is not None and any(key)

    db.close()
    db.close()

    assert not db.is_open
    assert db._key is None and not any(key)  # the bytearray was overwritten
    with pytest.raises(RuntimeError, match="closed"):
        db.engine  # noqa: B018


def test_second_open_in_the_same_process_is_refused(db: Database) -> None:
    with pytest.raises(FileInUseError) as caught:
        Database.open(db.path, PASSPHRASE)
    assert str(caught.value) == "This file is already open in another window."

    db.close()
    Database.open(db.path, PASSPHRASE).close()


HOLDER_CHILD = """
import sys
from pathlib import Path
from app.storage.database import Database
db = Database.open(Path(sys.argv[1]), sys.argv[2])
print("open", flush=True)
sys.stdin.readline()
db.close()
print("closed", flush=True)
"""


def _start_holder(path: Path) -> subprocess.Popen[str]:
    holder = run_python(HOLDER_CHILD, str(path), PASSPHRASE)
    assert holder.stdout is not None
    line = holder.stdout.readline()
    assert line.strip() == "open", holder.stderr.read() if holder.stderr else line
    return holder


def test_file_open_in_another_process_is_refused_until_it_closes(tmp_path: Path) -> None:
    path = make_file(tmp_path / "data.etdb")
    backup = make_file(tmp_path / "backup.etdb", names=["other"])
    holder = _start_holder(path)
    try:
        with pytest.raises(FileInUseError):
            Database.open(path, PASSPHRASE)
        with pytest.raises(FileInUseError):
            restore_backup(backup, PASSPHRASE, path)
    finally:
        stdout, _ = holder.communicate("\n", timeout=60)
    assert stdout.strip() == "closed"

    with Database.open(path, PASSPHRASE) as db:
        assert read_names(db) == NAMES


def test_lock_is_released_when_the_holder_crashes(tmp_path: Path) -> None:
    path = make_file(tmp_path / "data.etdb")
    holder = _start_holder(path)
    holder.kill()
    holder.communicate(timeout=60)

    with Database.open(path, PASSPHRASE) as db:
        assert read_names(db) == NAMES


def test_failed_prepare_releases_the_file(tmp_path: Path) -> None:
    path = make_file(tmp_path / "data.etdb")
    seen: list[Database] = []

    def failing_migration(db: Database) -> None:
        seen.append(db)
        assert read_names(db) == NAMES  # usable inside prepare
        raise RuntimeError("migration bug")

    with pytest.raises(RuntimeError, match="migration bug"):
        Database.open(path, PASSPHRASE, prepare=failing_migration)

    assert len(seen) == 1 and not seen[0].is_open
    Database.open(path, PASSPHRASE).close()


# --- Passphrase change ------------------------------------------------------------------


def test_rekey(tmp_path: Path) -> None:
    path = make_file(tmp_path / "data.etdb")
    with Database.open(path, PASSPHRASE) as db:
        db.rekey("a new passphrase with 'quotes'")
        assert read_names(db) == NAMES  # still usable without reopening
        with pytest.raises(InputError):
            db.rekey("")

    with pytest.raises(WrongPassphraseError):
        Database.open(path, PASSPHRASE)
    with Database.open(path, "a new passphrase with 'quotes'") as db:
        assert read_names(db) == NAMES
    assert plain_sqlcipher_names(path, "a new passphrase with 'quotes'") == NAMES
    assert_no_plaintext(path)


# --- Backup and restore -----------------------------------------------------------------


def test_backup_is_a_complete_encrypted_copy(db: Database, tmp_path: Path) -> None:
    add_names(db, NAMES)
    with db.connect() as connection:
        connection.exec_driver_sql("PRAGMA user_version = 7")
    destination = tmp_path / "backups" / "copy.etdb"
    destination.parent.mkdir()
    destination.write_bytes(b"an older backup")

    db.backup_to(destination)

    assert sorted(os.listdir(destination.parent)) == ["copy.etdb"]  # no temp files left
    assert_no_plaintext(destination)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(destination).execute("SELECT * FROM sqlite_master").fetchall()
    assert plain_sqlcipher_names(destination, PASSPHRASE) == NAMES
    db.close()
    with Database.open(destination, PASSPHRASE) as copy:
        assert read_names(copy) == NAMES
        assert copy.integrity_problems() == []
        with copy.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA user_version").scalar_one() == 7


def test_backup_after_rekey_uses_the_new_passphrase(db: Database, tmp_path: Path) -> None:
    add_names(db, NAMES)
    db.rekey("second passphrase")

    db.backup_to(tmp_path / "copy.etdb")

    assert plain_sqlcipher_names(tmp_path / "copy.etdb", "second passphrase") == NAMES


def test_backup_refuses_to_overwrite_the_open_file(db: Database) -> None:
    before = digest(db.path)
    with pytest.raises(InputError):
        db.backup_to(db.path)
    assert digest(db.path) == before


def test_restore_replaces_the_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    path = make_file(tmp_path / "data.etdb", names=["before backup"])
    with Database.open(path, PASSPHRASE) as db:
        db.backup_to(tmp_path / "backup.etdb")
        add_names(db, ["after backup"])
        db.rekey("current passphrase")

    restore_backup(tmp_path / "backup.etdb", PASSPHRASE, path)

    with Database.open(path, PASSPHRASE) as db:
        assert read_names(db) == ["before backup"]
    kept = before_restore_path(path)
    assert kept.name == "data.before-restore.etdb"
    with Database.open(kept, "current passphrase") as old:
        assert read_names(old) == ["before backup", "after backup"]


def test_restore_with_wrong_passphrase_changes_nothing(tmp_path: Path) -> None:
    path = make_file(tmp_path / "data.etdb")
    backup = make_file(tmp_path / "backup.etdb", names=["other"])
    before = digest(path)

    with pytest.raises(WrongPassphraseError):
        restore_backup(backup, "not the passphrase", path)

    assert digest(path) == before
    assert not before_restore_path(path).exists()
    assert not any(name.endswith(".partial") for name in os.listdir(tmp_path))


def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    path = make_file(tmp_path / "data.etdb")
    backup = make_file(tmp_path / "backup.etdb", names=[f"child {i} " * 20 for i in range(300)])
    flip_byte_in_middle(backup)
    before = digest(path)

    with pytest.raises(DamagedFileError, match="damaged"):
        restore_backup(backup, PASSPHRASE, path)

    assert digest(path) == before


# --- Integrity ---------------------------------------------------------------------------


def test_integrity_problems_empty_for_a_good_file(db: Database) -> None:
    add_names(db, NAMES)
    assert db.integrity_problems() == []


def test_integrity_problems_found_after_a_flipped_byte(tmp_path: Path) -> None:
    path = make_file(tmp_path / "data.etdb", names=[f"child {i} " * 20 for i in range(300)])
    flip_byte_in_middle(path)

    with Database.open(path, PASSPHRASE) as db:
        problems = db.integrity_problems()
        with pytest.raises(DamagedFileError, match="damaged"):
            read_names(db)

    assert problems
    assert any("damaged or altered" in problem for problem in problems)


# --- Environment failures ---------------------------------------------------------------


def test_disk_full_gives_a_plain_message(db: Database) -> None:
    add_names(db, NAMES)
    with db.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()

    # A real SQLITE_FULL: the file may not grow past two more pages.
    def limit_file_size(dbapi_connection: sqlcipher3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    event.listen(db.engine, "connect", limit_file_size)
    with pytest.raises(DiskFullError) as caught, db.session() as session:
        for number in range(10_000):
            session.execute(sa.text("INSERT INTO child VALUES (:n)"), {"n": f"{number:0500}"})
    event.remove(db.engine, "connect", limit_file_size)

    assert str(caught.value) == (
        "The disk is full, so the last change was not saved. Free some space and try again."
    )
    assert read_names(db) == NAMES  # the failed transaction left nothing behind
    assert db.integrity_problems() == []


READ_ONLY_CHILD = """
import sys
from pathlib import Path
import sqlalchemy as sa
from app.errors import KnownError
from app.storage.database import Database
try:
    db = Database.open(Path(sys.argv[1]), sys.argv[2])
except KnownError as exc:
    print("open:", type(exc).__name__, exc)
    raise SystemExit
with db:
    with db.session() as session:
        print("read:", session.scalar(sa.text("SELECT count(*) FROM child")))
    try:
        with db.session() as session:
            session.execute(sa.text("INSERT INTO child VALUES ('new')"))
    except KnownError as exc:
        print("write:", type(exc).__name__, exc)
"""


def _run_without_write_override(path: Path) -> list[str]:
    """Run READ_ONLY_CHILD so that file permissions bind: as an ordinary user they do; as
    root (as in this container) drop CAP_DAC_OVERRIDE with setpriv, else skip."""
    prefix: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        caps = "-dac_override,-dac_read_search"
        prefix = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]
    child = run_python(READ_ONLY_CHILD, str(path), PASSPHRASE, prefix=prefix)
    stdout, stderr = child.communicate(timeout=60)
    assert child.returncode == 0, stderr
    return stdout.splitlines()


def test_read_only_file_gives_a_plain_message_on_write(tmp_path: Path) -> None:
    path = make_file(tmp_path / "data.etdb")
    path.chmod(0o444)
    try:
        lines = _run_without_write_override(path)
    finally:
        path.chmod(0o644)

    assert lines == [
        "read: 3",
        "write: ReadOnlyError The file or its folder is read-only, "
        "so the last change was not saved.",
    ]
    with Database.open(path, PASSPHRASE) as db:
        assert read_names(db) == NAMES


@pytest.mark.skipif(sys.platform == "win32", reason="folder permissions are ACLs on Windows")
def test_read_only_folder_gives_a_plain_message_on_open(tmp_path: Path) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    path = make_file(folder / "data.etdb")
    lock_path_for(path).unlink()  # the lock file cannot be made again
    folder.chmod(0o555)
    try:
        lines = _run_without_write_override(path)
    finally:
        folder.chmod(0o755)

    assert len(lines) == 1 and lines[0].startswith("open: ReadOnlyError ")
    assert "so the file could not be opened" in lines[0]


def test_a_file_replaced_while_its_key_is_derived_is_opened_with_its_own_salt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The salt is read, and the worker thread opens the file (start-up: docs/performance.md), only
    once the lock is held: a file replaced up to that moment (a restore by another copy
    of the app) opens with its own salt and its own data."""
    from app.storage import database

    target = make_file(tmp_path / "data.etdb")
    other = make_file(tmp_path / "other.etdb", names=["Amara Okafor"])
    assert target.read_bytes()[:16] != other.read_bytes()[:16]  # SQLCipher's random salt
    real_acquire = database.acquire_lock

    def replaced_first(path: Path, outcome: str) -> object:
        os.replace(other, target)
        return real_acquire(path, outcome)

    monkeypatch.setattr(database, "acquire_lock", replaced_first)
    ran: list[bool] = []
    with Database.open(target, PASSPHRASE, meanwhile=lambda: ran.append(True)) as db:
        assert read_names(db) == ["Amara Okafor"]
    assert ran == [True]


def test_reads_use_the_passphrase_connection_until_the_raw_key_is_ready(
    tmp_path: Path,
) -> None:
    """Unlocking does not wait for hashlib's derivation: ``read()`` uses the connection
    SQLCipher opened with the passphrase until the raw key is ready, on the opening
    thread only; then that connection is closed and each read gets its own."""
    import threading

    path = make_file(tmp_path / "data.etdb")
    db = Database.open(path, PASSPHRASE)
    try:
        first = db._first
        assert first is not None
        with db.read() as connection:
            assert connection is first
            assert [n for (n,) in connection.execute("SELECT name FROM child")] == NAMES
        elsewhere: list[object] = []

        def read_on_another_thread() -> None:
            with db.read() as connection:
                elsewhere.append(connection)

        worker = threading.Thread(target=read_on_another_thread)
        worker.start()
        worker.join()
        assert elsewhere and elsewhere[0] is not first
        pending = db._pending_key
        if pending is not None:
            pending._worker.join()
        with db.read() as connection:
            assert connection is not first
            assert connection.execute("SELECT count(*) FROM child").fetchone() == (3,)
        assert db._first is None and db._key is not None
    finally:
        db.close()


def test_closing_while_the_raw_key_is_derived_leaves_no_key_behind(tmp_path: Path) -> None:
    path = make_file(tmp_path / "data.etdb")
    db = Database.open(path, PASSPHRASE)
    pending = db._pending_key
    db.close()
    assert not db.is_open and db._key is None and db._first is None
    assert pending is not None and pending.done() and pending._value == []
    # The file is released: it opens again.
    with Database.open(path, PASSPHRASE) as again:
        assert read_names(again) == NAMES


def test_a_deferred_raw_key_is_derived_when_asked_for_and_not_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``defer_key`` (the window's first paint does not share the cores with a
    second derivation): nothing derives the raw key until ``derive_key()``; reads use
    the connection that opened the file meanwhile; then the key is derived once."""
    path = make_file(tmp_path / "data.etdb")
    derived = _count_derivations(monkeypatch)
    with Database.open(path, PASSPHRASE, defer_key=True) as db:
        first = db._first
        assert db.is_open and db._pending_key is None and db._key is None
        for _ in range(2):
            with db.read() as connection:
                assert connection is first
                assert [n for (n,) in connection.execute("SELECT name FROM child")] == NAMES
        assert derived == [] and db._first is first  # still not started, still open
        db.derive_key()
        db.derive_key()  # already under way: not again
        with db.connect() as connection:  # a write's connection: waits for the key
            assert connection.exec_driver_sql("SELECT count(*) FROM child").scalar() == 3
        assert len(derived) == 1 and db._key is not None and db._first is None


def test_a_deferred_raw_key_is_derived_by_the_first_thing_that_needs_it(
    tmp_path: Path,
) -> None:
    path = make_file(tmp_path / "data.etdb")
    with Database.open(path, PASSPHRASE, defer_key=True) as db:
        with db.connect() as connection:  # never asked for with derive_key()
            assert connection.exec_driver_sql("SELECT count(*) FROM child").scalar() == 3
        assert db._key is not None


def test_closing_before_a_deferred_raw_key_is_derived_keeps_no_passphrase(
    tmp_path: Path,
) -> None:
    path = make_file(tmp_path / "data.etdb")
    db = Database.open(path, PASSPHRASE, defer_key=True)
    assert db._key_source is not None  # a closure over the passphrase
    db.close()
    assert not db.is_open and db._key_source is None and db._first is None
    db.derive_key()  # closed: nothing to derive, nothing started
    assert db._pending_key is None and db._key is None
    with Database.open(path, PASSPHRASE) as again:  # released
        assert read_names(again) == NAMES


def test_a_file_in_use_is_refused_before_it_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock comes first: another copy of the app holding the file (perhaps in the
    middle of a write, when SQLite would make a reader wait 5 s) is reported at once,
    and the file is never opened here."""
    from app.storage import connections
    from app.storage.lock import DataFileLock

    path = make_file(tmp_path / "data.etdb")
    opened: list[Path] = []
    real_connect = connections.keyed

    def recorded(path: Path, key_sql: str, *, any_thread: bool = False) -> object:
        opened.append(path)
        return real_connect(path, key_sql, any_thread=any_thread)

    monkeypatch.setattr(connections, "keyed", recorded)
    other_copy = DataFileLock(path)
    assert other_copy.try_acquire()
    try:
        with pytest.raises(FileInUseError):
            Database.open(path, PASSPHRASE, meanwhile=lambda: None)
    finally:
        other_copy.release()
    assert opened == []
    with Database.open(path, PASSPHRASE) as db:  # released: it opens now
        assert read_names(db) == NAMES


def test_closing_from_another_thread_releases_everything(tmp_path: Path) -> None:
    """A backup job's thread may be the one that closes the file; the connection the
    opening thread used is closed too, and the file can be opened again."""
    import threading

    path = make_file(tmp_path / "data.etdb")
    db = Database.open(path, PASSPHRASE)
    assert db._first is not None
    closer = threading.Thread(target=db.close)
    closer.start()
    closer.join()
    assert not db.is_open and db._first is None and db._key is None
    with Database.open(path, PASSPHRASE) as again:
        assert read_names(again) == NAMES


def test_a_wrong_passphrase_error_keeps_no_driver_frames(tmp_path: Path) -> None:
    """The driver's error is raised on the worker thread, in
    ``first_read_with_passphrase``, reading through a connection that was given the
    quoted passphrase. The plain error keeps neither that error (as its context) nor
    those frames, so a log of it, or a later dump, has no passphrase from there.
    (Frames on the way up, such as ``Database.open``'s, hold it while the error
    propagates; that is Python, and they go when the error is handled.)"""
    import traceback

    path = make_file(tmp_path / "data.etdb")
    with pytest.raises(WrongPassphraseError) as caught:
        Database.open(path, "a wrong passphrase")
    error = caught.value
    assert error.__context__ is None and error.__cause__ is None
    names = {frame.f_code.co_name for frame, _ in traceback.walk_tb(error.__traceback__)}
    assert names.isdisjoint({"raw_connect", "keyed", "first_read_with_passphrase", "run"}), names


def test_an_error_giving_the_passphrase_keeps_no_driver_frames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection is given the passphrase on the opening thread (``keyed``); an
    I/O error there is reported plainly, without the driver's error or the frames that
    hold the quoted passphrase, and the file is released."""
    import traceback

    import sqlcipher3

    from app.storage import connections, errors

    def failing(connection: object) -> None:
        raise sqlcipher3.OperationalError("disk I/O error")

    path = make_file(tmp_path / "data.etdb")
    monkeypatch.setattr(connections, "_silence_sqlcipher", failing)
    with pytest.raises(errors.StorageError) as caught:
        Database.open(path, "the passphrase")
    error = caught.value
    assert error.__context__ is None and error.__cause__ is None
    names = {frame.f_code.co_name for frame, _ in traceback.walk_tb(error.__traceback__)}
    assert names.isdisjoint({"keyed", "execute_secret", "failing"}), names
    monkeypatch.undo()
    with Database.open(path, PASSPHRASE) as db:  # released
        assert read_names(db) == NAMES
