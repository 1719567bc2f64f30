""" "If a child is at immediate risk": one click away at all times, even when locked."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.policy import Policy
from app.policy.immediate_risk import policy_words_on_immediate_risk
from ui.plain_text import rich
from ui.widgets.common import heading, named

ADVICE_HTML = (
    "<p style='font-size:large'><b>Call the police on 999.</b></p>"
    "<p style='font-size:large'><b>Then contact Children's Social Care now</b> "
    "(out of hours: the emergency duty team).</p>"
    "<p>Follow your setting's child protection procedures and tell your DSL or a deputy "
    "straight away.</p>"
    "<p><b>Escalation Tracker is not for emergencies.</b> Its forms are for challenging "
    "and escalating professional disagreements, which take days. Do not wait for them "
    "when a child is in danger now.</p>"
)


class ImmediateRiskDialog(QDialog):
    """Holds no child data, so it may stay open when the window locks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("If a child is at immediate risk")
        self.setObjectName("immediate-risk")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("If a child is at immediate risk"))
        self.advice = QLabel(ADVICE_HTML)
        self.advice.setWordWrap(True)
        self.advice.setAccessibleName("What to do if a child is at immediate risk")
        self.advice.setAccessibleDescription(
            "Call the police on 999, then contact Children's Social Care now. "
            "These forms are not for emergencies."
        )
        layout.addWidget(self.advice)
        self.policy_note = rich(QLabel())  # the policy's words, escaped
        self.policy_note.setWordWrap(True)
        self.policy_note.setAccessibleName("What your partnership's policy says")
        self.policy_note.setVisible(False)
        layout.addWidget(self.policy_note)
        buttons = named(QDialogButtonBox(QDialogButtonBox.StandardButton.Close), "Close")
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

    def set_policy(self, policy: Policy | None) -> None:
        """Quote the default policy's own words, or say it has none (known only while
        unlocked)."""
        if policy is None:
            self.policy_note.clear()
            self.policy_note.setVisible(False)
            return
        self.policy_note.setText(f"<p><i>{escape(policy_words_on_immediate_risk(policy))}</i></p>")
        self.policy_note.setVisible(True)
