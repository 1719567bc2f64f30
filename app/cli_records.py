"""The command line's record-seal, audit and transfer commands (``python -m app check``,
``verify``, ``audit``, ``transfer export|import``), beside ``app.cli``, which registers them.

Every user error prints one plain line on stderr and exits with status 2 (``app.cli``'s
``main`` catches each ``KnownError``); a check that finds problems exits with 1.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.english_plurals import count
from app.errors import KnownError

if TYPE_CHECKING:
    from app.storage.database import Database

OpenFile = Callable[[Path, str | None], "Database"]


def _cmd_check(args: argparse.Namespace, open_file: OpenFile) -> int:
    from app.services.damage import check_problems
    from app.services.seals import check_against, read_documents
    from app.storage.datafile import check_data_file

    path = Path(args.data_file).expanduser()
    documents = read_documents([Path(p).expanduser() for p in args.against])
    with open_file(path, args.member) as db:
        problems = check_data_file(db)
        with contextlib.suppress(KnownError):  # a file too damaged to read says so above
            problems += check_problems(db)
        if documents:
            problems += check_against(db, documents)
    if problems:
        print(f"{path}: {count(len(problems), 'problem')} found:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    sealed = count(len(documents), "document")
    against = f"; its history still holds the seal of {sealed}" if documents else ""
    print(f"{path}: OK (encryption, database integrity and audit chain all check out{against}).")
    return 0


def _cmd_verify(args: argparse.Namespace, open_file: OpenFile) -> int:
    from app.domain.seal import parse_seal
    from app.services.seals import verify_seal

    parse_seal(args.seal)  # a mistyped seal is a mistake, before the passphrase is asked
    with open_file(Path(args.data_file).expanduser(), args.member) as db:
        answer = verify_seal(db, args.seal)
    for line in answer.lines:
        print(line)
    return 0 if answer.genuine else 1


def _cmd_audit(args: argparse.Namespace, open_file: OpenFile) -> int:
    import json

    from app.services.audit_log import audit_lines

    with open_file(Path(args.data_file).expanduser(), args.member) as db:
        lines = audit_lines(db, file_only=args.file_events)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "number": a.number,
                        "at": a.at.isoformat(),
                        "actor": a.actor,
                        "action": a.action,
                        "target": a.target,
                    }
                    for a in lines
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    # To the minute: most entries are stamped to the minute (the app's clock), some to
    # the second, and a mix made a later entry look earlier. The number is the order.
    for a in lines:
        print(f"{a.number:>6}  {a.at:%d/%m/%Y %H:%M}  {a.actor}: {a.action} ({a.target})")
    return 0


def add_commands(commands: Any, open_file: OpenFile) -> None:
    """``check``, ``verify``, ``audit`` and ``transfer`` on ``commands`` (argparse subparsers);
    ``open_file(path, member)`` opens a data file as a member (``app.cli_open``: after
    the wait earlier wrong passphrases cost)."""
    check = commands.add_parser(
        "check",
        help="check encryption, integrity and the audit chain (and, with --against, that "
        "the file's history still holds the seals of documents it produced)",
    )
    check.add_argument("--data-file", required=True, metavar="PATH")
    check.add_argument(
        "--against",
        action="append",
        default=[],
        metavar="DOCUMENT.pdf",
        help="a PDF this file generated: its record seal must still be in the file's "
        "history (repeat for several)",
    )
    check.set_defaults(handler=lambda args: _cmd_check(args, open_file))

    verify = commands.add_parser(
        "verify", help="is this printed copy genuine? say which document carries a record seal"
    )
    verify.add_argument("--data-file", required=True, metavar="PATH")
    verify.add_argument(
        "--seal",
        required=True,
        metavar='"N HASH"',
        help='as printed in the document\'s footer, e.g. "184 3f9c2a71b0de4c15"',
    )
    verify.set_defaults(handler=lambda args: _cmd_verify(args, open_file))

    audit = commands.add_parser(
        "audit",
        help="read the audit trail: who did what and when, in the order recorded (the "
        "first column), times to the minute (--file-events: the file's own, such as "
        "members added or removed, the recovery key used, backups)",
    )
    audit.add_argument("--data-file", required=True, metavar="PATH")
    audit.add_argument("--file-events", action="store_true")
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(handler=lambda args: _cmd_audit(args, open_file))

    from app.cli_transfer import add_transfer_command

    add_transfer_command(commands, open_file)
