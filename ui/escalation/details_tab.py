"""The escalation window's "The escalation" tab: its facts, then what is disputed.

The tab scrolls as a whole. On a short screen (1366x768 at 125%) the tabs get a few
lines of height, and a form of wrapped facts laid out in that was squeezed until each
fact's lines were drawn over the next (``tests/ui/screen_fit.py``, ``squeezed_text``).
In a resizable scroll area each fact keeps the height its lines need and the tab
scrolls instead.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QTextBrowser, QVBoxLayout, QWidget

from ui.plain_text import rich
from ui.widgets.common import named
from ui.widgets.scroll_area import scrolling

FACTS = ("Child", "Other agency", "Raised", "Category", "Child-safety date", "Policy")
# Lines of what is disputed always in view below the facts (more when there is room).
DISAGREEMENT_LINES = 7


class EscalationDetails(QWidget):
    """The facts, each under its name, and the disagreement below them."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.facts = QFormLayout()
        self.facts.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        # Wrapped facts take the rows' width, and their height follows it.
        self.facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fact_labels: dict[str, QLabel] = {}
        for name in FACTS:
            label = rich(QLabel())  # texts.facts escapes every value
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(name)
            self.facts.addRow(f"{name}:", label)
            self.fact_labels[name] = label
        layout.addLayout(self.facts)
        self.disagreement = named(QTextBrowser(), "The disagreement")
        self.disagreement.setMinimumHeight(self.fontMetrics().lineSpacing() * DISAGREEMENT_LINES)
        layout.addWidget(self.disagreement, 1)

    def in_scroll_area(self) -> QScrollArea:
        return scrolling(self, "The escalation's details")

    def set_texts(self, facts: dict[str, str], disagreement_html: str) -> None:
        """``facts`` by name and the disagreement, as HTML with what was typed escaped
        (``ui.escalation.texts``)."""
        for name, value in facts.items():
            self.fact_labels[name].setText(value)
        self.disagreement.setHtml(disagreement_html)
