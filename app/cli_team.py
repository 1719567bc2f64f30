"""The command line's team commands (``python -m app members list|add|remove|
rotate-key|new-recovery-key``, ``recover``) and the demo file's two members, beside
``app.cli``, which registers them. They call ``app.services.team``, as the window does.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli_open import (
    MEMBER_HELP,
    RECOVERY_KEY_ENV,
    data_file,
    new_passphrase,
    open_file,
    passphrase,
    secret,
    show_recovery_key,
)
from app.errors import InputError
from app.team.member import Role

_ROLES = {"dsl": Role.DSL, "deputy": Role.DEPUTY, "read-only": Role.READ_ONLY}


def _cmd_members(args: argparse.Namespace) -> int:
    from app.services import team

    path = data_file(args)
    if args.action == "list":
        return _list(path, args.json)
    if args.action == "add":
        if not args.name or not args.role:
            raise InputError("members add needs --name NAME and --role dsl|deputy|read-only.")
        with open_file(path, args.member) as db:
            new = new_passphrase()
            added = team.add_member(db, args.name, _ROLES[args.role], new, new)
        print(f"Added {added.name} ({added.role.label}). They open the file with their own "
              "passphrase.")  # fmt: skip
        return 0
    if args.action == "remove":
        if not args.name:
            raise InputError("members remove needs --name NAME.")
        with open_file(path, args.member) as db:
            removed = team.remove_member(db, args.name)
        print(
            f"Removed {removed.name}. The file is now under a new key: their passphrase "
            "opens neither it nor any backup made from now on (copies and backups made "
            "before today still open with it)."
        )
        return 0
    with open_file(path, args.member) as db:
        if args.action == "rotate-key":
            team.rotate_key(db)
            print("The file is now under a new key; every member keeps their passphrase.")
            return 0
        key = team.new_recovery_key(db)
    show_recovery_key(key)
    print("The old recovery key no longer opens the file.")
    return 0


def _list(path: Any, as_json: bool) -> int:
    """Names and roles, read from the key file without a passphrase: they are kept in
    the clear (staff names, not child data; docs/reliability.md)."""
    from app.services import team

    if not team.is_team_file(path):
        raise InputError(
            f"{path.name} has no members yet: it opens with its one passphrase, which "
            "becomes its DSL's at its next unlock."
        )
    key_file = team.key_file(path)
    if as_json:
        rows = [{"name": m.name, "role": m.role.value} for m in key_file.members]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for member in key_file.members:
            print(f"{member.name}\t{member.role.label}")
    for damaged in key_file.damaged:
        print(f"warning: {damaged.words()}", file=sys.stderr)
    return 0


def _cmd_recover(args: argparse.Namespace) -> int:
    from app.services import team

    path = data_file(args)
    key = secret(RECOVERY_KEY_ENV, "Recovery key")
    new = new_passphrase()
    renewed = team.recover(path, key, args.member, new, new)
    print(
        f"{renewed.name}'s new passphrase is set, and the audit trail records that the "
        "recovery key was used. The recovery key still works: keep it in the safe."
    )
    return 0


def create_demo_file(args: argparse.Namespace) -> int:
    """``demo``: a new file with the demo data's DSL and its deputy DSL as members (the
    deputy's passphrase from ESCALATION_TRACKER_NEW_PASSPHRASE, else the DSL's: demo
    data only)."""
    import os

    from app.cli_open import NEW_PASSPHRASE_ENV
    from app.demo import create_demo
    from app.policy import default_library
    from app.services import team
    from app.services.setting_details import get_settings

    path = data_file(args)
    if path.exists():
        raise InputError(f"{path} already exists; demo data goes into a new file only.")
    typed = passphrase(confirm=True)
    deputy_passphrase = os.environ.get(NEW_PASSPHRASE_ENV) or typed
    library = default_library()
    made = team.create(path, _DEMO_DSL, typed)
    with made.db as db:
        refs = create_demo(db, library)
        details = get_settings(db)
        for deputy in details.deputies:
            team.add_member(db, deputy, Role.DEPUTY, deputy_passphrase, deputy_passphrase)
        members = [m.name for m in team.members(path)]
    print(f"Created {path} with {len(refs)} fictional escalations.")
    print(f"Members: {', '.join(members)}.")
    assert made.recovery_key is not None
    show_recovery_key(made.recovery_key)
    return 0


# The demo data's DSL (app/demo.py's settings), its first member.
_DEMO_DSL = "Ms Hannah Okafor"


def add_team_commands(commands: Any) -> None:
    members = commands.add_parser(
        "members",
        help="the file's members: list them (no passphrase needed), or, as a DSL, add or "
        "remove one, move the file to a new key, or make a new recovery key",
    )
    members.add_argument(
        "action", choices=["list", "add", "remove", "rotate-key", "new-recovery-key"]
    )
    members.add_argument("--data-file", required=True, metavar="PATH")
    members.add_argument("--member", metavar="NAME", help=MEMBER_HELP + "; a DSL")
    members.add_argument("--name", metavar="NAME", help="add, remove: the member to add or remove")
    members.add_argument("--role", choices=sorted(_ROLES), help="add: the new member's role")
    members.add_argument("--json", action="store_true", help="list: as JSON")
    members.set_defaults(handler=_cmd_members)

    recover = commands.add_parser(
        "recover",
        help="set a new passphrase for a member with the recovery key (from "
        f"{RECOVERY_KEY_ENV} or a prompt; the new passphrase from "
        "ESCALATION_TRACKER_NEW_PASSPHRASE or a prompt)",
    )
    recover.add_argument("--data-file", required=True, metavar="PATH")
    recover.add_argument(
        "--member", required=True, metavar="NAME", help="the member whose passphrase to set"
    )
    recover.set_defaults(handler=_cmd_recover)
