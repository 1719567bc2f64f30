"""``python -m app transfer export|import``: a child's records to a sealed transfer file
for their new setting, and a transfer file in, once its seal is confirmed."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.english_plurals import count
from app.errors import InputError

TRANSFER_PASSPHRASE_ENV = "ESCALATION_TRACKER_TRANSFER_PASSPHRASE"
CHILD_HELP = (
    "the child, as the app identifies a child: the reference of any escalation about "
    "them as 'list' shows it (e.g. ESC-2026-0014; every escalation about the child goes), "
    "their record number in this file, or their name exactly as 'list' shows it (a name "
    "stays in your shell's history: prefer a reference)"
)

if TYPE_CHECKING:
    from app.storage.database import Database

OpenFile = Callable[[Path, str | None], "Database"]


def _transfer_passphrase(confirm: bool) -> str:
    """From ESCALATION_TRACKER_TRANSFER_PASSPHRASE, else a prompt that does not echo."""
    from_env = os.environ.get(TRANSFER_PASSPHRASE_ENV)
    if from_env is not None:
        return from_env
    if not sys.stdin.isatty():
        raise InputError(
            f"No transfer passphrase: set {TRANSFER_PASSPHRASE_ENV} or run this command "
            "in a terminal."
        )
    passphrase = getpass.getpass("Transfer file's passphrase: ")
    if confirm:
        from app.storage.passphrase_strength import check_new

        check_new(passphrase)  # a new file's passphrase (Database.create checks it too)
    if confirm and getpass.getpass("Transfer file's passphrase again: ") != passphrase:
        raise InputError("The two transfer passphrases do not match.")
    return passphrase


def _typed_seal(args: argparse.Namespace) -> str:
    """--seal, or asked for: the sender's seal, from the covering page or the phone."""
    if args.seal is not None:
        return str(args.seal)
    if not sys.stdin.isatty():
        raise InputError(
            "Give the transfer's seal with --seal (from the covering page the sending "
            "setting sent, or read out by them on the phone)."
        )
    print("Type the transfer seal from the covering page (for example 57 3f9c2a71b0de4c15).")
    return input("Transfer seal: ")


def _cmd_export(args: argparse.Namespace, open_file: OpenFile) -> int:
    from app.services.settings import get_settings
    from app.services.transfer import export_child, find_child

    out = Path(args.out).expanduser()
    if out.exists():
        raise InputError(f"{out} already exists; choose a new name for the transfer file.")
    if not out.parent.is_dir():
        raise InputError(f"{out.parent} is not a folder that exists.")
    with open_file(Path(args.data_file).expanduser(), args.member) as db:
        child = find_child(db, args.child)
        secret = _transfer_passphrase(confirm=True)
        details = get_settings(db)
        result = export_child(
            db,
            child,
            out,
            secret,
            actor=details.actor,
            setting=details.setting_name,
        )
    assert result.seal is not None and result.cover is not None
    if args.json:
        out_json: dict[str, Any] = {
            "seal": result.seal.typed,
            "file": str(out),
            "cover": str(result.cover),
            "escalations": result.refs,
            "sha256": result.sha256,
        }
        print(json.dumps(out_json, indent=2, ensure_ascii=False))
        return 0
    print(
        f"Wrote {out} ({count(len(result.refs), 'escalation')}, encrypted with the transfer "
        "passphrase)."
    )
    print(f"Covering page: {result.cover}")
    print(f"Transfer seal: {result.seal.typed}")
    print(
        "Send the covering page (or read the seal out on the phone) and the passphrase by "
        "different routes from the file: the receiving DSL types the seal in to import it."
    )
    return 0


def _cmd_import(args: argparse.Namespace, open_file: OpenFile) -> int:
    from app.domain.seal import parse_seal
    from app.services.settings import get_settings
    from app.services.transfer import import_transfer
    from app.storage.unlock_attempts import UnlockAttempts

    source = Path(args.file).expanduser()
    if not source.is_file():
        raise InputError(f"{source} is not a file that exists.")
    seal = parse_seal(_typed_seal(args), "The transfer seal")
    with open_file(Path(args.data_file).expanduser(), args.member) as db:
        secret = _transfer_passphrase(confirm=False)
        # Slept here, as for the data file: earlier wrong transfer passphrases cost a wait.
        attempts = UnlockAttempts()
        attempts.wait(source, announce=_announce_wait)
        result = import_transfer(
            db, source, secret, seal=seal, actor=get_settings(db).actor, attempts=attempts
        )
    where = result.from_setting or "the sending setting"
    print(
        f"Imported {count(len(result.refs), 'escalation')} recorded at {where}, as "
        f"{', '.join(result.refs) or 'none'}; each keeps where it was recorded."
    )
    return 0


def _announce_wait(seconds: int) -> None:
    print(
        "Wrong passphrases were tried on this transfer file a moment ago: waiting "
        f"{count(seconds, 'second')}.",
        file=sys.stderr,
    )


def add_transfer_command(commands: Any, open_file: OpenFile) -> None:
    transfer = commands.add_parser(
        "transfer", help="a child's records to a sealed transfer file, or one imported"
    )
    actions = transfer.add_subparsers(dest="action", required=True, parser_class=type(transfer))
    export = actions.add_parser(
        "export",
        help="write a child's records to a new encrypted transfer file, with a covering "
        "page (FILE's name with .cover.pdf) and the transfer's seal",
    )
    export.add_argument("child", metavar="CHILD", help=CHILD_HELP)
    export.add_argument("--data-file", required=True, metavar="PATH")
    export.add_argument("--out", required=True, metavar="FILE")
    export.add_argument("--json", action="store_true", help='print {"seal": "N HASH", ...}')
    export.set_defaults(handler=lambda args: _cmd_export(args, open_file))

    receive = actions.add_parser(
        "import",
        help="import a transfer file once its seal is confirmed (the transfer passphrase from "
        f"{TRANSFER_PASSPHRASE_ENV} or a prompt)",
    )
    receive.add_argument("file", metavar="FILE")
    receive.add_argument("--data-file", required=True, metavar="PATH")
    receive.add_argument(
        "--seal",
        metavar='"N HASH"',
        help="the sender's transfer seal, from the covering page (asked for if left out)",
    )
    receive.set_defaults(handler=lambda args: _cmd_import(args, open_file))
