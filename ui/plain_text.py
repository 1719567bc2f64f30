"""What a person typed, or a policy or transfer file supplied, is shown as text, never
as markup: a child named ``Zoë <img src=…>`` must read exactly so.

Qt guesses: a label, message box or tooltip whose text *looks* like HTML (a tag before
the first line break) is rendered as HTML. So a label that shows such text is set to
plain text, a label built as HTML escapes every piece of it and says it is rich text (an
escaped text with no tag left would otherwise be shown with its ``&lt;`` visible), and
a tooltip that Qt would misread is given to it already escaped. Item views and combo
boxes draw their items as plain text and need nothing. ``tests/ui/test_markup_stays_text.py``
checks every window that shows such text."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QLabel

from ui.widgets.common import set_enum

L = TypeVar("L", bound=QLabel)


def plain(label: L) -> L:
    """The label shows its text exactly as given."""
    set_enum(label, "textFormat", "PlainText")
    return label


def rich(label: L) -> L:
    """The label's text is HTML the app built, with every piece of user text escaped."""
    set_enum(label, "textFormat", "RichText")
    return label


def plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` exactly: unchanged unless Qt would read it as HTML."""
    # Imported here: Qt's namespace is start-up time the locked window does not spend
    # (ui.widgets.common.set_enum).
    from PySide6.QtGui import Qt as GuiQt

    return GuiQt.convertFromPlainText(text) if GuiQt.mightBeRichText(text) else text
