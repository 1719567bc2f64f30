"""The command line: ``python -m app <command>`` (the contract: README.md, The command line).

With no command, the desktop app starts. Every user error prints one plain line on
stderr and exits with status 2; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from app.cli_open import PASSPHRASE_ENV as PASSPHRASE_ENV
from app.cli_open import add_member_option, data_file, open_file
from app.crash_dumps import prevent_crash_dumps
from app.deadlines import fmt_moment, iso
from app.english_plurals import count
from app.errors import InputError, KnownError
from app.policy import Policy, default_library, load_policy_file
from app.policy.versions import version_key, version_words

if TYPE_CHECKING:
    from app.storage.database import Database

EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for `yes | head`


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def _cmd_policies(args: argparse.Namespace) -> int:
    if args.action == "check":
        if not args.file:
            raise InputError("policies check needs a FILE to check.")
        policy = load_policy_file(Path(args.file))
        stages = sum(len(p.stages) for p in policy.pathways)
        print(
            f"{args.file}: OK — {policy.partnership} ({policy.id}), "
            f"{count(len(policy.pathways), 'pathway')}, {count(stages, 'stage')}."
        )
        return 0
    if args.action is not None:
        raise InputError(f"Unknown policies action '{args.action}'; did you mean 'check'?")
    library = default_library()
    for problem in library.problems:
        print(f"warning: {problem}", file=sys.stderr)
    if args.json:
        print(
            json.dumps(
                [_policy_summary(p, library.versions(p.id)) for p in library.all()], indent=2
            )
        )
        return 0
    for policy in library.all():
        doc = policy.document
        print(f"{policy.id:<16} {policy.partnership} — {doc.title} ({doc.issued_display})")
        print(f"{'':<16} pathways: {', '.join(p.id for p in policy.pathways)}")
        print(f"{'':<16} versions: {_versions_line(library.versions(policy.id))}")
        if doc.currency_note:
            print(f"{'':<16} note: {doc.currency_note}")
        if doc.incomplete_note:
            print(f"{'':<16} {doc.incomplete_note}")
    return 0


def _versions_line(versions: list[Policy]) -> str:
    """Each loaded version, newest first: the newest is what new escalations follow."""
    words = [f"revision {p.document.revision}, {version_words(p)}" for p in versions]
    words[0] += " (newest: new escalations follow it)"
    return "; ".join(words)


def _policy_summary(policy: Policy, versions: list[Policy]) -> dict[str, object]:
    return {
        "id": policy.id,
        "partnership": policy.partnership,
        "document": policy.document.title,
        "issued": policy.document.issued,
        "version": policy.document.version,
        "revision": policy.document.revision,
        # Every loaded version, newest first (the first is the one described here).
        "versions": [
            {
                "revision": p.document.revision,
                "version": p.document.version,
                "version_key": version_key(p),
                "issued": p.document.issued,
                "document": p.document.title,
            }
            for p in versions
        ],
        "currency_note": policy.document.currency_note,
        "url": policy.document.url,
        "read_on": policy.document.read_on.isoformat() if policy.document.read_on else None,
        "completeness": policy.document.completeness,
        "pathways": [
            {"id": p.id, "title": p.title, "stages": len(p.stages)} for p in policy.pathways
        ],
    }


def _data_file(args: argparse.Namespace) -> Path:
    return data_file(args)


def _open(path: Path, member: str | None = None) -> Database:
    """The data file, opened as ``member`` (``app.cli_open.open_file``)."""
    return open_file(path, member)


def _cmd_list(args: argparse.Namespace) -> int:
    from app.services.escalations import list_escalations

    db = _open(_data_file(args), args.member)
    try:
        rows = list_escalations(db)
    finally:
        db.close()
    if args.json:
        out = [
            {
                "ref": r.ref,
                "child": r.child_name,
                "policy": r.policy_id,
                "pathway": r.pathway_id,
                "stage": r.stage_number,
                "stage_title": r.stage_title,
                "next_due": iso(r.next_due),
                "status": r.status,
                "damaged": r.damaged or None,  # why it cannot be read (see check)
            }
            for r in rows
        ]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(
        f"{'REF':<15}{'CHILD':<26}{'POLICY':<17}{'PATHWAY':<21}{'STAGE':<7}{'NEXT DUE':<22}STATUS"
    )
    for r in rows:
        due = fmt_moment(r.next_due) if r.next_due is not None else "—"
        print(
            f"{r.ref:<15}{r.child_name[:25]:<26}{r.policy_id:<17}{r.pathway_id:<21}"
            f"{f'{r.stage_number}/{r.stage_count}':<7}{due:<22}{r.status}"
            + (f" (damaged: {r.damaged})" if r.damaged else "")
        )
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from app.services.seals import sealed_backup
    from app.services.settings import get_settings

    out = Path(args.out).expanduser()
    if out.exists():
        raise InputError(f"{out} already exists; choose a new name for the backup.")
    db = _open(_data_file(args), args.member)
    try:
        seal = sealed_backup(db, out, actor=get_settings(db).actor)
    finally:
        db.close()
    print(f"Backed up to {out} (encrypted with the same passphrase, and verified).")
    print(f"{seal.printed}: the backup's seal, recorded in the file's audit trail.")
    return 0


def _cmd_calendar(args: argparse.Namespace) -> int:
    from app.domain.calendar_events import Reminders
    from app.services.calendar_export import export_calendar
    from app.services.settings import get_settings

    reminders = Reminders(working_days=args.remind_days, hours=args.remind_hours)
    problem = reminders.problem()
    if problem is not None:
        raise InputError(problem)
    db = _open(_data_file(args), args.member)
    try:
        written = export_calendar(
            db, Path(args.out), reminders=reminders, actor=get_settings(db).actor
        )
    finally:
        db.close()
    print(
        f"Wrote {written.path}: {count(written.deadlines, 'open deadline')}"
        + (f", {written.cancelled} cancelled" if written.cancelled else "")
        + ". Each event names only the reference and the stage."
    )
    print("Open it with your calendar (in Outlook: double-click it) to add or update them.")
    return 0


def _cmd_document(args: argparse.Namespace) -> int:
    from app.services.documents import DocumentKind, generate_document
    from app.services.settings import get_settings

    kind = DocumentKind(getattr(args, "kind", None) or DocumentKind.CONFIRMATION)
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".pdf":
        raise InputError(f"{out}: the output file name should end in .pdf.")
    if not out.parent.is_dir():
        raise InputError(f"{out.parent} is not a folder that exists.")
    db = _open(_data_file(args), args.member)
    try:
        settings = get_settings(db)
        document = generate_document(
            db,
            default_library(),
            kind,
            args.ref,
            setting=settings.setting_name,
            dsl=settings.dsl_name,
            actor=settings.actor,
            identify_child=not getattr(args, "no_child_details", False),
            by_hand=getattr(args, "redact", None) or (),
        )
    finally:
        db.close()
    _save(out, document.pdf)
    print(f"Wrote {out} ({document.title}); SHA-256 {document.sha256} is in the audit trail.")
    print(f"{document.seal.printed} (printed in its footer).")
    if getattr(args, "no_child_details", False):
        print(
            f"Took {count(len(document.redactions), 'mention')} of the child's details out of the "
            "typed text: read the PDF before it is sent."
        )
    print("Note: a saved PDF is not encrypted. Keep it somewhere safe, or print it and delete it.")
    return 0


def _save(out: Path, data: bytes) -> None:
    """Write a document or export whole, owner-only, or not at all, with one plain
    line when it cannot be (app/storage/private_files.py)."""
    from app.storage.errors import translate
    from app.storage.private_files import write_private_file

    out = out.expanduser()
    if not out.parent.is_dir():
        raise InputError(
            f"{out.parent} is not a folder that exists, so {out.name} was not written."
        )
    try:
        write_private_file(out, data)
    except OSError as exc:
        known = translate(exc, f"{out.name} was not written")
        raise (known or InputError(f"Could not write {out}: {exc.strerror}.")) from None


def _cmd_stats(args: argparse.Namespace) -> int:
    from app.domain.statistics_figures import to_csv
    from app.services.documents import statistics_document
    from app.services.settings import get_settings
    from app.services.statistics import statistics

    pdf: bytes | None = None
    db = _open(_data_file(args), args.member)
    try:
        figures = statistics(db)
        details = get_settings(db)
        setting = details.setting_name
        if args.pdf:  # sealed and recorded, like every document (app.services.sealing)
            pdf = statistics_document(
                db, figures, setting=setting, actor=details.actor, for_partnership=args.partnership
            )
    finally:
        db.close()
    if args.csv:
        _save(Path(args.csv), to_csv(figures, setting=setting).encode("utf-8"))
        print(f"Wrote {args.csv}.", file=sys.stderr)
    if pdf is not None:
        _save(Path(args.pdf), pdf)
        print(f"Wrote {args.pdf}.", file=sys.stderr)
    if args.json:
        print(figures.to_json())
    elif not (args.csv or args.pdf):
        print(to_csv(figures, setting=setting), end="")
    return 0


def _cmd_gui(_: argparse.Namespace) -> int:
    importlib.import_module("app.preload")  # before Qt: see app/preload.py
    # Imported by name so that the domain package never imports Qt itself.
    gui: Callable[[], int] = importlib.import_module("ui.main").main
    return gui()


def _cmd_tray(args: argparse.Namespace) -> int:
    # The reminder at sign-in (ui/tray): it never opens the data file.
    tray: Callable[..., int] = importlib.import_module("ui.tray.main").main
    return tray(once=args.once)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m app", description="Escalation Tracker")
    parser.add_argument(
        "--tray",
        action="store_true",
        help="the reminder at sign-in: a tray icon that counts what is overdue and due "
        "today, and unlocks nothing",
    )
    parser.add_argument(
        "--once", action="store_true", help="with --tray: show the reminder now, then exit"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation offline and offscreen in a temporary folder, then exit",
    )
    parser.set_defaults(handler=_cmd_gui)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    policies = commands.add_parser("policies", help="list the policies, or check a file")
    policies.add_argument("action", nargs="?", help="'check' to validate a policy file")
    policies.add_argument("file", nargs="?", help="the policy file to check")
    policies.add_argument("--json", action="store_true")
    policies.set_defaults(handler=_cmd_policies)

    from app.cli_deadlines import add_deadlines_command

    add_deadlines_command(commands)

    from app.cli_team import add_team_commands, create_demo_file

    for name, handler, text in (
        (
            "demo",
            create_demo_file,
            "create a new encrypted file with fictional records and two members, the "
            "demo's DSL and deputy DSL (the deputy's passphrase from "
            "ESCALATION_TRACKER_NEW_PASSPHRASE, else the DSL's); prints its recovery key",
        ),
        ("list", _cmd_list, "list the escalations in a data file"),
        ("backup", _cmd_backup, "write a verified encrypted backup"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("--data-file", required=True, metavar="PATH")
        if name == "list":
            command.add_argument("--json", action="store_true")
        if name == "backup":
            command.add_argument("--out", required=True, metavar="FILE")
        command.set_defaults(handler=handler)

    _add_calendar(commands)

    from app.cli_records import add_commands

    add_commands(commands, _open)

    stats = commands.add_parser("stats", help="escalation statistics (no child identifiers)")
    stats.add_argument("--data-file", required=True, metavar="PATH")
    stats.add_argument("--json", action="store_true")
    stats.add_argument("--csv", metavar="FILE", help="also write the figures as CSV")
    stats.add_argument("--pdf", metavar="FILE", help="also write the figures as PDF")
    stats.add_argument(
        "--partnership", action="store_true", help="title the PDF as a monitoring return"
    )
    stats.set_defaults(handler=_cmd_stats)

    confirmation = commands.add_parser(
        "confirmation", help="write the written confirmation of the agreed outcome as PDF"
    )
    document = commands.add_parser("document", help="write any document for an escalation")
    document.add_argument(
        "kind",
        choices=[
            "confirmation",
            "monitoring-form",
            "conference-dissent",
            "stop-and-review",
            "chronology",
        ],
    )
    document.add_argument(
        "--no-child-details",
        action="store_true",
        help="monitoring form only: leave out the child's name, date of birth and "
        "identifiers, also wherever they occur in typed text",
    )
    document.add_argument(
        "--redact",
        action="append",
        metavar="PHRASE",
        help="with --no-child-details: a word or phrase to take out too (repeatable)",
    )
    for command in (confirmation, document):
        command.add_argument("ref")
        command.add_argument("--data-file", required=True, metavar="PATH")
        command.add_argument("--out", required=True, metavar="FILE.pdf")
        command.set_defaults(handler=_cmd_document)
    add_team_commands(commands)
    add_member_option(parser)
    return parser


def _add_calendar(commands: Any) -> None:
    from app.domain.calendar_events import DEFAULT_REMIND_HOURS, DEFAULT_REMIND_WORKING_DAYS

    calendar = commands.add_parser(
        "calendar",
        help="write the open deadlines as a calendar file (.ics): references and stages only",
    )
    calendar.add_argument("--data-file", required=True, metavar="PATH")
    calendar.add_argument("--out", required=True, metavar="FILE.ics")
    calendar.add_argument(
        "--remind-days",
        type=int,
        default=DEFAULT_REMIND_WORKING_DAYS,
        metavar="N",
        help="remind at 09:00 this many working days before a date deadline "
        f"(default {DEFAULT_REMIND_WORKING_DAYS}; 0: no reminder)",
    )
    calendar.add_argument(
        "--remind-hours",
        type=int,
        default=DEFAULT_REMIND_HOURS,
        metavar="N",
        help=f"remind this many hours before a timed deadline (default {DEFAULT_REMIND_HOURS})",
    )
    calendar.set_defaults(handler=_cmd_calendar)


def main(argv: Sequence[str] | None = None) -> int:
    # First, before any record is read: no core dump may hold one (app/crash_dumps.py).
    prevent_crash_dumps()
    args = build_parser().parse_args(argv)
    if args.self_test:
        from app.selftest import run

        return run()
    if args.tray:
        args.handler = _cmd_tray
    try:
        try:
            result: int = args.handler(args)
        except KnownError as exc:
            print(f"error: {exc}", file=sys.stderr)
            result = EXIT_USAGE
        sys.stdout.flush()  # here, so a closed pipe is met here, not at exit
    except BrokenPipeError:
        return _reader_went_away()
    return result


def _reader_went_away() -> int:
    """The output was piped into a program that stopped reading (``| head``): stop
    quietly, as a program killed by SIGPIPE does, with its exit status. Python would
    print a traceback, and again when it flushes standard output at exit."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE
