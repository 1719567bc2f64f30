"""The command line: ``python -m app <command>`` (GUIDE section 3, CLI contract).

With no command, the desktop app starts. Every user error prints one plain line on
stderr and exits with status 2; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

from app.deadlines import fmt_moment, iso, project_pathway
from app.errors import InputError, KnownError
from app.policy import Nation, Policy, default_library, load_policy_file

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def parse_when(text: str, what: str = "date") -> date | datetime:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``; impossible dates get a plain message."""
    try:
        if "T" in text:
            return datetime.strptime(text, "%Y-%m-%dT%H:%M")
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise InputError(
            f"{what} '{text}' is not a real date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM "
            "(for example 2026-12-18 or 2026-12-18T14:30)."
        ) from None


def parse_day(text: str, what: str) -> date:
    when = parse_when(text, what)
    if isinstance(when, datetime):
        raise InputError(f"{what} '{text}' must be a date without a time (YYYY-MM-DD).")
    return when


def _cmd_policies(args: argparse.Namespace) -> int:
    if args.action == "check":
        if not args.file:
            raise InputError("policies check needs a FILE to check.")
        policy = load_policy_file(Path(args.file))
        stages = sum(len(p.stages) for p in policy.pathways)
        print(
            f"{args.file}: OK — {policy.partnership} ({policy.id}), "
            f"{len(policy.pathways)} pathway(s), {stages} stage(s)."
        )
        return 0
    if args.action is not None:
        raise InputError(f"Unknown policies action '{args.action}'; did you mean 'check'?")
    library = default_library()
    for problem in library.problems:
        print(f"warning: {problem}", file=sys.stderr)
    if args.json:
        print(json.dumps([_policy_summary(p) for p in library.all()], indent=2))
        return 0
    for policy in library.all():
        doc = policy.document
        print(f"{policy.id:<16} {policy.partnership} — {doc.title} ({doc.issued_display})")
        print(f"{'':<16} pathways: {', '.join(p.id for p in policy.pathways)}")
        if doc.currency_note:
            print(f"{'':<16} note: {doc.currency_note}")
    return 0


def _policy_summary(policy: Policy) -> dict[str, object]:
    return {
        "id": policy.id,
        "partnership": policy.partnership,
        "document": policy.document.title,
        "issued": policy.document.issued,
        "version": policy.document.version,
        "currency_note": policy.document.currency_note,
        "pathways": [
            {"id": p.id, "title": p.title, "stages": len(p.stages)} for p in policy.pathways
        ],
    }


def _parse_stage_start(text: str) -> tuple[int, date | datetime]:
    number, sep, when = text.partition("=")
    if not sep or not number.strip().isdigit():
        raise InputError(f"--stage-start '{text}' must look like N=YYYY-MM-DD (e.g. 2=2026-12-01).")
    return int(number), parse_when(when.strip(), f"--stage-start {number}")


def _cmd_deadlines(args: argparse.Namespace) -> int:
    policy = default_library().get(args.policy)
    pathway = policy.pathway(args.pathway)
    raised = parse_when(args.raised, "--raised")
    starts = dict(_parse_stage_start(s) for s in args.stage_start)
    for number in starts:
        if not 1 <= number <= len(pathway.stages):
            raise InputError(
                f"Stage {number} does not exist: the {policy.id} {pathway.id} pathway has "
                f"stages 1 to {len(pathway.stages)}."
            )
    protect_by = parse_day(args.protect_by, "--protect-by") if args.protect_by else None
    nation = Nation(args.nation) if args.nation else policy.default_nation
    stages = project_pathway(pathway, raised, starts, protect_by=protect_by, nation=nation)
    if args.json:
        out = {
            "policy": policy.id,
            "pathway": pathway.id,
            "nation": nation.value,
            "stages": [
                {
                    "number": s.number,
                    "title": s.stage.title,
                    "owner": s.stage.owner,
                    "start": iso(s.start),
                    "due": iso(s.due),
                    "rule": s.rule,
                }
                for s in stages
            ],
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(f"{policy.partnership}: {pathway.title} ({nation.value} bank holidays)")
    for s in stages:
        start = fmt_moment(s.start) + ("" if s.start_known else " (projected)")
        due = fmt_moment(s.due) if s.due is not None else "no fixed timescale"
        print(f"  {s.number}. {s.stage.title}")
        print(f"     owner: {s.stage.owner}")
        print(f"     start: {start}   due: {due}")
        print(f"     rule:  {s.rule}")
    return 0


def _cmd_gui(_: argparse.Namespace) -> int:
    # Imported by name so that the domain package never imports Qt itself.
    gui: Callable[[], int] = importlib.import_module("ui.main").main
    return gui()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m app", description="Escalation Tracker")
    parser.set_defaults(handler=_cmd_gui)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    policies = commands.add_parser("policies", help="list the policies, or check a file")
    policies.add_argument("action", nargs="?", help="'check' to validate a policy file")
    policies.add_argument("file", nargs="?", help="the policy file to check")
    policies.add_argument("--json", action="store_true")
    policies.set_defaults(handler=_cmd_policies)

    deadlines = commands.add_parser("deadlines", help="project a pathway's stage deadlines")
    deadlines.add_argument("policy")
    deadlines.add_argument("pathway")
    deadlines.add_argument("--raised", required=True, metavar="WHEN")
    deadlines.add_argument("--stage-start", action="append", default=[], metavar="N=WHEN")
    deadlines.add_argument("--protect-by", metavar="DATE")
    deadlines.add_argument("--nation", choices=[n.value for n in Nation])
    deadlines.add_argument("--json", action="store_true")
    deadlines.set_defaults(handler=_cmd_deadlines)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.handler(args)
    except KnownError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return result
