"""What the app says about a recovery key: the window that shows it once, and the sheet
printed for the school safe (issue 23). Words only, no Qt: the window and the printed
sheet (``ui.dialogs.recovery_key``, ``ui.recovery_sheet``) lay them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

# How to use the key, the same words on the sheet and in the user guide.
HOW_TO_USE: Final = (
    "On the locked screen choose \u201cForgotten your passphrase?\u201d (or Help \u2192 "
    "Recover access), type this key, choose the member, and set their new passphrase. "
    "An IT technician can do the same from the command line:"
)
RECOVER_COMMAND: Final = "python -m app recover --data-file PATH --member NAME"

SHOWN_ONCE: Final = (
    "Write it down, or print the recovery sheet, and keep it in the school safe. Anyone "
    "who has it can set a new passphrase for any member, and so read every record: keep "
    "it locked away. It is not saved anywhere, not in the file and not on this computer, "
    "and it will not be shown again. A DSL can make a new one (File \u2192 Safeguarding "
    "team); the old one then stops working."
)


def key_groups(key: str) -> list[str]:
    """The key's groups of five, as printed and shown."""
    return [group for group in key.split("-") if group]


def key_lines(key: str, per_line: int = 4) -> list[str]:
    """The key in lines of ``per_line`` groups, two spaces between groups: easy to read
    aloud and to copy by hand."""
    groups = key_groups(key)
    return ["  ".join(groups[i : i + per_line]) for i in range(0, len(groups), per_line)]


@dataclass(frozen=True)
class Paragraph:
    text: str
    command: bool = False  # typed as it is: printed monospaced, on a line of its own


@dataclass(frozen=True)
class RecoverySheet:
    """The one-page sheet for the school safe."""

    title: str
    details: tuple[str, ...]
    key_lines: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]


def recovery_sheet(setting_name: str, made_on: date, key: str) -> RecoverySheet:
    setting = setting_name.strip() or "(the setting's name is not set)"
    return RecoverySheet(
        title="Escalation Tracker: recovery key",
        details=(f"Setting: {setting}", f"Made on: {made_on:%d/%m/%Y}"),
        key_lines=tuple(key_lines(key)),
        paragraphs=(
            Paragraph(
                "Keep this sheet in the school safe. Anyone who has this key can set a new "
                "passphrase for any member of the safeguarding team, and so read every "
                "record."
            ),
            Paragraph("When a member has forgotten their passphrase:"),
            Paragraph(HOW_TO_USE),
            Paragraph(RECOVER_COMMAND, command=True),
            Paragraph(
                "Type the key in capital letters or small, with or without the spaces: "
                "it is read either way, and O is read as zero, I and L as one."
            ),
            Paragraph(
                "If a DSL makes a new recovery key, this one stops working: shred this "
                "sheet and keep the new one here instead."
            ),
        ),
    )
