"""Who is acting: the member who signed in, or for a file with no members yet (opened
the old way, with the one passphrase) its DSL, named from the setting's details.

The desktop window (``app.session.Session.member``) and the command line
(``app.cli.acting_member``) both ask this, so every audit entry, record, amendment,
approval, stage move and document names the same person the same way."""

from __future__ import annotations

from typing import Final

from app.team.member import Member, Role, may_change

UNNAMED_DSL: Final = "Designated Safeguarding Lead"


def signed_in(member: Member | None, dsl_name: str) -> Member:
    """``member``: the one who signed in (``Database.member``); ``dsl_name``: the
    setting's DSL, for a file opened the old way."""
    if member is not None:
        return member
    return Member(dsl_name or UNNAMED_DSL, Role.DSL)


READ_ONLY_WINDOW: Final = (
    "Your role is read-only: you can read and print the records, not change them."
)


def change_refusal(member: Member) -> str:
    """Why the window greys what would change the file for ``member`` ("" when they
    may change it). The file refuses the same itself (``app.storage.role_guard``)."""
    return "" if may_change(member) else READ_ONLY_WINDOW


_ROLE_WORDS: Final = {
    Role.DSL: "Designated Safeguarding Lead",
    Role.DEPUTY: "Deputy Designated Safeguarding Lead",
    Role.READ_ONLY: "",
}


def own_name(member: Member) -> str:
    """The member's name for a form's field naming our side ("" for the DSL of a file
    with no members and no DSL named: the form then asks)."""
    return "" if member.name == UNNAMED_DSL else member.name


def role_words(member: Member) -> str:
    """The member's role in full, as a form names our side (the parties who agreed)."""
    return _ROLE_WORDS[member.role]
