"""How the command line opens a data file: as which member, with which passphrase, after
the wait earlier wrong passphrases cost, and the recovery key shown once when a file is
created or upgraded (README.md, The command line). Shared by ``app.cli`` and the
commands beside it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.english_plurals import count
from app.errors import InputError

if TYPE_CHECKING:
    from app.storage.database import Database

PASSPHRASE_ENV = "ESCALATION_TRACKER_PASSPHRASE"
NEW_PASSPHRASE_ENV = "ESCALATION_TRACKER_NEW_PASSPHRASE"
RECOVERY_KEY_ENV = "ESCALATION_TRACKER_RECOVERY_KEY"
# The default for --member, as ESCALATION_TRACKER_PASSPHRASE is for the passphrase (a
# technician's script run as one member).
MEMBER_ENV = "ESCALATION_TRACKER_MEMBER"
MEMBER_HELP = "the member you are, as named in the file (may be left out when it has one member)"


def secret(env: str, prompt: str, *, confirm: bool = False, new: bool = False) -> str:
    """From ``env``, else a prompt that does not echo (twice with ``confirm``)."""
    from_env = os.environ.get(env)
    if from_env is not None:
        return from_env
    if not sys.stdin.isatty():
        raise InputError(f"No {prompt.lower()}: set {env} or run this command in a terminal.")
    typed = getpass.getpass(f"{prompt}: ")
    if new:
        from app.storage.passphrase_strength import check_new

        check_new(typed)  # before asking again (the new file checks it too)
    if confirm and getpass.getpass(f"{prompt} again: ") != typed:
        raise InputError(f"The two {prompt.lower()}s do not match.")
    return typed


def passphrase(confirm: bool = False) -> str:
    """From ESCALATION_TRACKER_PASSPHRASE, else a prompt that does not echo."""
    return secret(PASSPHRASE_ENV, "Passphrase", confirm=confirm, new=confirm)


def new_passphrase() -> str:
    """A new member's (or a recovered member's) passphrase."""
    return secret(NEW_PASSPHRASE_ENV, "New passphrase", confirm=True, new=True)


def data_file(args: argparse.Namespace) -> Path:
    return Path(args.data_file).expanduser()


def open_file(path: Path, member: str | None = None) -> Database:
    """Open a data file as ``member`` with the passphrase, after the wait that earlier
    wrong passphrases for this file and member cost (counted across runs:
    app/storage/unlock_attempts.py), slept here as a person at the window would wait
    for the button. A file from before members is upgraded, and its recovery key shown."""
    from app.services.team import is_team_file, single_member, unlock
    from app.storage.unlock_attempts import UnlockAttempts

    if member is None:
        member = os.environ.get(MEMBER_ENV) or None
    typed = passphrase()
    attempts = UnlockAttempts()
    who = ""
    if is_team_file(path):
        who = member if member is not None else (single_member(path) or "")
        if not who:
            raise InputError(
                f"{path.name} has several members: say which you are with --member NAME "
                "(python -m app members list names them)."
            )
    attempts.wait(path, announce=_announce_wait, who=who)
    opened = unlock(path, member, typed, attempts=attempts)
    if opened.recovery_key is not None:
        print(f"{path.name} now has members: its passphrase is the DSL's.")
        show_recovery_key(opened.recovery_key)
    return opened.db


def show_recovery_key(key: str) -> None:
    """The recovery key on standard output, once, with what to do with it."""
    print(f"Recovery key: {key}")
    print(
        "Write the recovery key down and keep it in the school safe. It is shown only "
        "this once; with it, a new passphrase can be set for any member who forgets theirs."
    )


def _announce_wait(seconds: int) -> None:
    print(
        "Wrong passphrases were tried on this file a moment ago: "
        f"waiting {count(seconds, 'second')}.",
        file=sys.stderr,
    )


def add_member_option(parser: argparse.ArgumentParser) -> None:
    """``--member NAME`` on every command that opens a data file (those with
    ``--data-file``, at any depth: ``transfer export`` too), unless it has one."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                add_member_option(command)
    options = {o for action in parser._actions for o in action.option_strings}
    if "--data-file" in options and "--member" not in options:
        parser.add_argument("--member", metavar="NAME", help=MEMBER_HELP)
