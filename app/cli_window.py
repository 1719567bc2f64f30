"""``python -m app`` with no command: the desktop window, or the reminder at sign-in
(``--tray``), and their options. The commands' own options are in ``app.cli``."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path

from app.errors import InputError


def add_window_options(parser: argparse.ArgumentParser) -> None:
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
    # The window's own: the commands each take their own --data-file after their name.
    parser.add_argument(
        "--data-file",
        dest="window_file",
        metavar="PATH",
        help="with no command: start the window with this data file chosen on the unlock "
        "page (remembered, as choosing it there is); a file not there yet is created on "
        "the first-run page",
    )
    parser.set_defaults(handler=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    chosen = window_file(args.window_file)
    # One window at a time: if a copy is running already, it is asked to come forward
    # and this one exits before it loads Qt (app/single_instance); a --data-file given
    # to this copy is not handed over (the first copy has its file open already).
    from app.single_instance import start_or_hand_over

    start = start_or_hand_over()
    if start.handed_over:
        if chosen is not None:  # the running copy keeps its own file: say so, not nothing
            print(
                f"Escalation Tracker is already open, and its window has been brought "
                f"forward. To work in {chosen}, lock it (Ctrl+L) and choose that file on "
                "the unlock page.",
                file=sys.stderr,
            )
        return 0
    importlib.import_module("app.preload")  # before Qt: see app/preload.py
    # Imported by name so that the domain package never imports Qt itself.
    gui: Callable[..., int] = importlib.import_module("ui.main").main
    return gui(listener=start.listener, data_file=chosen)


def window_file(typed: str | None) -> Path | None:
    """The window's --data-file as a whole path, or a plain refusal (a folder is not a
    data file; a file not there yet is one to create on the first-run page)."""
    if typed is None:
        return None
    path = Path(typed).expanduser().absolute()
    if path.is_dir():
        raise InputError(f"--data-file: {path} is a folder; give the data file in it.")
    return path


def cmd_tray(args: argparse.Namespace) -> int:
    # The reminder at sign-in (ui/tray): it never opens the data file.
    tray: Callable[..., int] = importlib.import_module("ui.tray.main").main
    return tray(once=args.once)
