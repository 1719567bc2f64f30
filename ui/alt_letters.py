"""An Alt+letter no shortcut took is dropped, not typed.

Qt hands a key press to the focused field once no shortcut has claimed it, and a line
or text field inserts the event's text whatever the Alt key: in the real window, Alt+Q
(a letter no caption has) typed "q" into the policy builder's field, where the person
meant a shortcut. AltGr is left alone (Windows reports it as Ctrl+Alt, X11 as a group
switch), as are the keypad and macOS, where Option+letter types accented letters.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QKeyEvent


def is_stray(watched: QObject, event: QKeyEvent) -> bool:
    """Whether ``event``, a key press reaching ``watched``, is an Alt+letter that would
    be typed into a text field."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit

    if sys.platform == "darwin" or not isinstance(watched, QLineEdit | QPlainTextEdit | QTextEdit):
        return False
    modifier = Qt.KeyboardModifier
    held = event.modifiers()
    others = modifier.ControlModifier | modifier.MetaModifier | modifier.GroupSwitchModifier
    if not held & modifier.AltModifier or held & (others | modifier.KeypadModifier):
        return False
    return Qt.Key.Key_A.value <= event.key() <= Qt.Key.Key_Z.value
