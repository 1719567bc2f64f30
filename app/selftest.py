"""``--self-test``: prove that an installed copy works, without a display or a network.

IT technicians run it after installing (``escalation-tracker-cli --self-test``) and the
build runs it against the frozen bundle. In a temporary folder it creates an encrypted
data file, opens it (Alembic scripts found), works out a North Yorkshire deadline (bank
holidays loaded), fills the file with the fictional demo records, renders a written
confirmation of an agreed outcome (ReportLab and the embedded font) and a preview of it
(PDFium), checks the audit chain, opens the main window offscreen and shows the reminder
at sign-in (``ui.tray.selfcheck``) when the desktop UI is present, and deletes everything.
One line per step; the first failure prints a plain line and exits 1.

While it runs:

* Qt uses the ``offscreen`` platform, so nothing appears on screen;
* Python's IP sockets are blocked (``socket.socket`` for AF_INET and AF_INET6,
  ``create_connection``, ``getaddrinfo``): any attempt to use the network fails the step
  that made it, and the last step confirms there was none. Local Unix sockets (D-Bus,
  which the reminder's notifications use on Linux) are allowed;
* the per-user data folder is redirected into the temporary folder for the window step,
  so the self-test never reads or writes the real data file or settings.

The report goes to standard output. A windowed Windows executable has none; there the
lines go to ``escalation-tracker-self-test.txt`` in the temporary folder instead (the
console executable ``escalation-tracker-cli`` is the one to use).

Nothing here imports Qt at module level: the window step imports it by name.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import secrets
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from app.english_plurals import count

EXIT_OK = 0
EXIT_FAILED = 1
REPORT_FILE_NAME = "escalation-tracker-self-test.txt"
SHIPPED_POLICIES = ("york", "gloucestershire", "north-yorkshire", "buckinghamshire", "suffolk")
# North Yorkshire stage 3: 10 working days from a disagreement raised on Friday 18/12/2026
# skips Christmas Day, the Boxing Day substitute and New Year's Day: Wednesday 06/01/2027.
# Without the bank-holiday data it would be Friday 01/01/2027.
NY_RAISED = datetime(2026, 12, 18, 9, 0)
NY_STAGE = 3
NY_EXPECTED_DUE = date(2027, 1, 6)
WINDOW_STEP_TIMEOUT_SECONDS = 120.0
SQLITE_PLAINTEXT_HEADER = b"SQLite format 3\x00"


class StepFailed(Exception):
    """A check inside a step did not hold; the message says which."""


class StepSkipped(Exception):
    """An optional step could not run here; the message says why."""


@dataclass
class _Context:
    folder: Path
    passphrase: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    db: Any = None  # app.storage.database.Database once created
    library: Any = None  # app.policy.PolicyLibrary once loaded
    pdf: bytes = b""
    network_attempts: list[str] = field(default_factory=list)

    @property
    def data_file(self) -> Path:
        return self.folder / "self-test.etdb"


# --- Guards ---------------------------------------------------------------------------


@contextmanager
def no_network(attempts: list[str]) -> Iterator[None]:
    """Make every Python-level use of an IP network fail (and remember that it was
    tried): AF_INET and AF_INET6 sockets, connections and name look-ups. Local Unix
    sockets (AF_UNIX: D-Bus, the desktop's notifications on Linux) stay allowed."""

    def refuse(what: str) -> Callable[..., Any]:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            attempts.append(what)
            raise OSError(f"network use is blocked during the self-test ({what})")

        return blocked

    # ssl subclasses socket.socket when it is imported (asyncio, so SQLAlchemy, imports
    # it); load it before that class is replaced, or the import itself fails. The
    # installed app has no ssl at all (the spec excludes it), and nothing asks for it.
    with contextlib.suppress(ImportError):
        importlib.import_module("ssl")
    saved = {name: getattr(socket, name) for name in ("socket", "create_connection", "getaddrinfo")}
    real_socket = saved["socket"]
    ip_families = (-1, socket.AF_INET, socket.AF_INET6)  # -1: the AF_INET default

    class LocalOnlySocket(real_socket):  # type: ignore[misc,valid-type]
        def __init__(
            self, family: int = -1, type: int = -1, proto: int = -1, fileno: object = None
        ) -> None:
            if fileno is None and family in ip_families:
                refuse("socket.socket")()
            super().__init__(family, type, proto, fileno)

    socket.socket = LocalOnlySocket  # type: ignore[misc]
    socket.create_connection = refuse("socket.create_connection")
    socket.getaddrinfo = refuse("socket.getaddrinfo")
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(socket, name, value)


@contextmanager
def isolated_user_data(folder: Path) -> Iterator[None]:
    """Point the per-user (and portable) data folder at ``folder`` for a while.

    ``app.paths.user_data_root`` looks both helpers up at call time, so every caller,
    including modules that imported ``user_data_root`` by name, sees the redirection.
    """
    from app import paths

    namespace = vars(paths)
    saved = {name: namespace[name] for name in ("user_data_dir", "is_portable")}
    namespace["user_data_dir"] = lambda *_a, **_k: str(folder)
    namespace["is_portable"] = lambda: False
    try:
        yield
    finally:
        namespace.update(saved)


# --- Steps ----------------------------------------------------------------------------


def _step_data_folder(ctx: _Context) -> str:
    from app.paths import is_portable, program_dir, user_data_root

    mode = "portable" if is_portable() else "per-user"
    return f"{mode}: {user_data_root()}; program folder {program_dir()}"


def _step_policies(ctx: _Context) -> str:
    from app.policy import default_library

    ctx.library = default_library()
    missing = [p for p in SHIPPED_POLICIES if p not in ctx.library.ids()]
    if missing:
        raise StepFailed(f"shipped policies missing: {', '.join(missing)}")
    skipped = len(ctx.library.problems)
    extra = f"; {count(skipped, 'local file')} skipped" if skipped else ""
    return f"{count(len(ctx.library.ids()), 'policy')}{extra}"


def _step_window(ctx: _Context) -> str:
    """The desktop window, offscreen; optional (skipped when the UI is not there)."""
    if importlib.util.find_spec("ui") is None:
        raise StepSkipped("the desktop UI is not installed")
    user_data = ctx.folder / "user-data"
    user_data.mkdir()
    with isolated_user_data(user_data):
        ui_main = importlib.import_module("ui.main")
        app = ui_main.application([sys.argv[0] or "self-test"])
        platform = app.platformName()
        if platform != "offscreen":
            raise StepFailed(f"Qt platform is '{platform}', expected 'offscreen'")
        local = importlib.import_module("ui.local_settings")
        window_class = ui_main.MainWindow
        settings = local.LocalSettings(user_data / "settings.ini")
        with _dismiss_dialogs(app):
            window = window_class(library=ctx.library, local=settings)
            try:
                window.show()
                deadline = time.monotonic() + 5.0
                while time.monotonic() < deadline:
                    app.processEvents()
                    handle = window.windowHandle()
                    if window.isVisible() and handle is not None and handle.isExposed():
                        break
                    time.sleep(0.01)
                if not window.isVisible():
                    raise StepFailed("the main window did not show")
                picture = window.grab()  # forces a full paint
                if picture.isNull():
                    raise StepFailed("the main window painted nothing")
                size = f"{picture.width()}x{picture.height()}"
            finally:
                window.close()
                window.deleteLater()
                app.processEvents()
    return f"{window_class.__name__} painted at {size}, platform {platform}"


@contextmanager
def _dismiss_dialogs(app: Any) -> Iterator[None]:
    """Close any modal dialog or popup the window opens, so the step cannot hang, and
    give up (exit 1) if the window step still has not finished in time."""
    core: Any = importlib.import_module("PySide6.QtCore")

    def close_modals() -> None:
        for widget in (app.activeModalWidget(), app.activePopupWidget()):
            if widget is not None:
                widget.close()

    timer = core.QTimer()
    timer.setInterval(50)
    timer.timeout.connect(close_modals)
    timer.start()
    finished = threading.Event()

    def watchdog() -> None:
        if not finished.wait(WINDOW_STEP_TIMEOUT_SECONDS):
            if sys.stderr is not None:  # None in a windowed Windows executable
                sys.stderr.write("FAIL open main window offscreen: timed out\n")
                sys.stderr.flush()
            os._exit(EXIT_FAILED)

    threading.Thread(target=watchdog, name="self-test watchdog", daemon=True).start()
    try:
        yield
    finally:
        finished.set()
        timer.stop()


def _step_tray(ctx: _Context) -> str:
    """The reminder at sign-in, offscreen; optional as the window step is."""
    if importlib.util.find_spec("ui") is None:
        raise StepSkipped("the desktop UI is not installed")
    check: Callable[[], str] = importlib.import_module("ui.tray.selfcheck").check
    return check()


def _step_create(ctx: _Context) -> str:
    # As the app makes a file: a team's, its key file holding the first member's slot
    # (Argon2id, AES-GCM, X25519: the frozen bundle must carry all three).
    from app.services import team

    team.create(ctx.data_file, "Self-test DSL", ctx.passphrase).db.close()
    with ctx.data_file.open("rb") as handle:
        header = handle.read(16)
    if header == SQLITE_PLAINTEXT_HEADER:
        raise StepFailed("the new file is a plain SQLite file, not encrypted")
    return f"{ctx.data_file.stat().st_size // 1024} KB, header is ciphertext"


def _step_open(ctx: _Context) -> str:
    from app.services import team
    from app.storage import migrate

    ctx.db = team.unlock(ctx.data_file, None, ctx.passphrase).db
    with ctx.db.connect() as connection:
        revision = migrate.current_revision(connection)
    head = migrate.head_revision()
    if revision != head:
        raise StepFailed(f"schema is at {revision}, expected {head}")
    return f"schema {revision}"


def _step_deadline(ctx: _Context) -> str:
    from app.deadlines import fmt_moment, iso, project_pathway

    pathway = ctx.library.get("north-yorkshire").pathway("resolution")
    stages = project_pathway(pathway, NY_RAISED)
    due = stages[NY_STAGE - 1].due
    if due is None or iso(due) != NY_EXPECTED_DUE.isoformat():
        raise StepFailed(
            f"stage {NY_STAGE} due {iso(due)}, expected {NY_EXPECTED_DUE.isoformat()} "
            "(are the bank-holiday data missing?)"
        )
    return f"stage {NY_STAGE} due {fmt_moment(due)}"


def _step_demo(ctx: _Context) -> str:
    from app.demo import create_demo

    refs = create_demo(ctx.db, ctx.library)
    return f"{len(refs)} fictional escalations"


def _step_pdf(ctx: _Context) -> str:
    from app.services.documents import DocumentKind, generate_document
    from app.services.escalations import list_escalations

    resolved = [row.ref for row in list_escalations(ctx.db) if row.status == "resolved"]
    if not resolved:
        raise StepFailed("the demo data has no resolved escalation")
    document = generate_document(
        ctx.db,
        ctx.library,
        DocumentKind.CONFIRMATION,
        resolved[0],
        setting="Self-test school",
        dsl="Self-test DSL",
        actor="self-test",
    )
    if not document.pdf.startswith(b"%PDF-"):
        raise StepFailed("the confirmation is not a PDF")
    if b"DejaVuSans" not in document.pdf:
        raise StepFailed("the confirmation does not embed the DejaVu Sans font")
    # Kept in memory only: the PDF is plaintext and is never written to disk.
    ctx.pdf = document.pdf
    return f"{resolved[0]}, {len(document.pdf) // 1024} KB in memory"


def _step_scripts(ctx: _Context) -> str:
    from app.documents.script_check import check_scripts

    try:
        return check_scripts()
    except ValueError as error:
        raise StepFailed(str(error)) from error


def _step_preview(ctx: _Context) -> str:
    from app.documents.pages import page_count, render_pages

    pages = page_count(ctx.pdf)
    first = next(render_pages(ctx.pdf, dpi=36, first=0, last=0))
    inked = any(value < 128 for value in first.rgb[:: 3 * 7])
    if not inked:
        raise StepFailed("the first page rendered blank")
    return f"{count(pages, 'page')}, page 1 at {first.width}x{first.height} pixels"


def _step_audit(ctx: _Context) -> str:
    from app.storage.datafile import check_data_file

    problems = check_data_file(ctx.db)
    if problems:
        raise StepFailed("; ".join(problems))
    ctx.db.close()
    ctx.db = None
    return "cipher, integrity and audit chain intact"


def _step_network(ctx: _Context) -> str:
    if ctx.network_attempts:
        raise StepFailed(f"network use was attempted: {', '.join(ctx.network_attempts)}")
    return "no IP socket was opened"


STEPS: tuple[tuple[str, Callable[[_Context], str]], ...] = (
    ("locate data folder", _step_data_folder),
    ("load policies", _step_policies),
    ("open main window offscreen", _step_window),
    ("show the reminder at sign-in offscreen", _step_tray),
    ("create encrypted file", _step_create),
    ("open encrypted file", _step_open),
    ("compute North Yorkshire deadline", _step_deadline),
    ("create demo records", _step_demo),
    ("render confirmation PDF", _step_pdf),
    ("shape names in other scripts", _step_scripts),
    ("render PDF preview", _step_preview),
    ("check audit chain", _step_audit),
    ("no network use", _step_network),
)
CLEANUP_STEP = "delete temporary files"


# --- Running --------------------------------------------------------------------------


def _open_report() -> tuple[TextIO, bool]:
    """Standard output, or a report file when there is none (windowed Windows exe)."""
    if sys.stdout is not None:
        return sys.stdout, False
    path = Path(tempfile.gettempdir()) / REPORT_FILE_NAME
    return path.open("w", encoding="utf-8"), True


def _version() -> str:
    from app.about import app_version

    return app_version()


def _cleanup(ctx: _Context) -> None:
    if ctx.db is not None:
        try:
            ctx.db.close()
        finally:
            ctx.db = None
    shutil.rmtree(ctx.folder, ignore_errors=True)
    if ctx.folder.exists():
        raise StepFailed(f"could not delete {ctx.folder}")


def run(out: TextIO | None = None) -> int:
    """Run every step; 0 if all passed, 1 at the first failure."""
    close_out = False
    if out is None:
        out, close_out = _open_report()
    try:
        return _run(out)
    finally:
        if close_out:
            out.close()


def _run(out: TextIO) -> int:
    def say(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    started = time.perf_counter()
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    say(
        f"Escalation Tracker {_version()} self-test ({frozen}, Python "
        f"{sys.version_info.major}.{sys.version_info.minor}, {sys.platform})"
    )
    ctx = _Context(Path(tempfile.mkdtemp(prefix="escalation-tracker-self-test-")))
    failed = False
    with no_network(ctx.network_attempts):
        for name, step in STEPS:
            step_started = time.perf_counter()
            # Only the first step looks at the real data folder, and writes nothing there;
            # the rest write only into the temporary folder, so an installed copy's
            # self-test leaves no lock or setting behind (in portable mode, on the stick).
            user_data: AbstractContextManager[None] = (
                nullcontext()
                if step is _step_data_folder
                else isolated_user_data(ctx.folder / "per-user")
            )
            try:
                with user_data:
                    detail = step(ctx)
            except StepSkipped as skip:
                say(f"skip {name}: {skip}")
                continue
            except Exception as exc:  # every failure is reported, none escapes
                say(f"FAIL {name}: {_describe(exc)}")
                failed = True
                break
            say(f"ok  {name} ({detail}) [{time.perf_counter() - step_started:.2f} s]")
        try:
            _cleanup(ctx)
        except Exception as exc:
            say(f"FAIL {CLEANUP_STEP}: {_describe(exc)}")
            return EXIT_FAILED
        if not failed:
            say(f"ok  {CLEANUP_STEP}")
    if failed:
        say("self-test FAILED (temporary files deleted)")
        return EXIT_FAILED
    say(f"self-test passed in {time.perf_counter() - started:.2f} s")
    return EXIT_OK


def _describe(exc: BaseException) -> str:
    text = str(exc) or "(no message)"
    if isinstance(exc, StepFailed):
        return text
    return f"{type(exc).__name__}: {text}"
