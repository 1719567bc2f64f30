"""A part of a window that scrolls on its own when the screen is short.

Its content is resized with the area (``widgetResizable``), so a wrapped label gets
the height its lines need at the width it is given (the area honours the content's
height-for-width) and the area scrolls, instead of the layout squeezing the label
until its last lines are drawn over the row below (``tests/ui/screen_fit.py``,
``squeezed_text``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def scrolling(widget: QWidget, name: str) -> QScrollArea:
    """``widget`` in a scroll area of its own, as wide as the area (never scrolled
    sideways: that hides the start of each line); Tab goes to what is in it."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setAccessibleName(name)
    area.setWidget(widget)
    return area
