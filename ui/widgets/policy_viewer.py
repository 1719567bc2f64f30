"""The partnership policies as loaded: pathways, stages, owners and timescales in the
document's own words, with the document's date and a note when it may be out of date."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.policy import Policy, PolicyLibrary
from app.policy.model import Condition
from app.policy.stage_names import numbered
from ui.plain_text import plain
from ui.widgets.common import heading, named
from ui.widgets.policy_list import policy_list

WHEN = {
    Condition.ALWAYS: "",
    Condition.CP_PLAN: " (when the child is on a child protection plan)",
    Condition.LOOKED_AFTER: " (when the child is looked after)",
    Condition.CP_PLAN_OR_LOOKED_AFTER: (
        " (when the child is on a child protection plan or looked after)"
    ),
    Condition.CHILD_IN_NEED: " (when the child is a child in need)",
}


def policy_html(policy: Policy) -> str:
    doc = policy.document
    parts = [
        f"<h2>{escape(policy.partnership)}</h2>",
        f"<p><b>{escape(doc.title)}</b><br>Document date: {escape(doc.issued_display)}"
        f" &nbsp;·&nbsp; Version: {escape(doc.version)}"
        + (f" &nbsp;·&nbsp; Based on: {escape(doc.based_on)}" if doc.based_on else "")
        + "</p>",
    ]
    if doc.incomplete_note:
        parts.append(f"<p><b>{escape(doc.incomplete_note)}</b></p>")
    if doc.url:
        read = f" (read {doc.read_on:%d/%m/%Y})" if doc.read_on else ""
        parts.append(f"<p>Source: {escape(doc.url)}{read}</p>")
    if doc.currency_note:
        parts.append(
            "<table border='1' cellpadding='6' cellspacing='0' width='100%'><tr><td>"
            f"<b>Check this policy is current.</b> {escape(doc.currency_note)}</td></tr></table>"
        )
    parts.append(
        "<p><b>If a child is at immediate risk:</b> "
        f"{escape(policy.immediate_risk or 'The document says nothing about this.')}</p>"
    )
    for pathway in policy.pathways:
        parts.append(f"<h3>{escape(pathway.title)}</h3><p>{escape(pathway.summary)}</p>")
        parts.append(
            "<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
            "<tr><th width='18%'>Stage</th><th width='18%'>Who</th>"
            "<th width='22%'>Timescale (the document's words)</th>"
            "<th width='42%'>What to do</th></tr>"
        )
        for stage in pathway.stages:
            timescales = "<br>".join(escape(t.text) for t in stage.timescales)
            extra = "".join(
                f"<br><i>Tell {escape(n.to)}{WHEN[n.when]}:</i> {escape(n.text)}"
                for n in stage.notifications
            )
            if stage.outcomes:
                extra += "<br><i>Possible outcomes:</i> " + "; ".join(
                    escape(o) for o in stage.outcomes
                )
            for group in stage.outcomes_together:
                extra += "<br><i>The document allows together:</i> " + " and ".join(
                    f"“{escape(o)}”" for o in group
                )
            parts.append(
                f"<tr><td>{escape(numbered(stage.number, stage.title))}</td>"
                f"<td>{escape(stage.owner)}</td><td>{timescales}</td>"
                f"<td>{escape(stage.action)}{extra}</td></tr>"
            )
        parts.append("</table>")
        for other in pathway.other_deadlines:
            parts.append(
                f"<p><b>{escape(other.title)}:</b> {escape(other.timescale.text)} "
                f"(from {escape(other.from_event)}).</p>"
            )
    return "".join(parts)


class PolicyViewer(QWidget):
    # The policy builder: from a blank template (""), or a copy of a policy by id;
    # True: the copy keeps the policy's id (a new version of it).
    builder_requested = Signal(str, bool)

    def __init__(self, library: PolicyLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading("Partnership policies", 2), 1)
        for text, name, source, same in (
            ("New policy…", "New policy from a blank template", False, False),
            ("New from this one…", "New policy from a copy of this one", True, False),
            ("Edit a copy…", "Edit a copy of this policy", True, True),
        ):
            button = named(QPushButton(text), name)
            button.clicked.connect(
                lambda _c=False, s=source, k=same: self.builder_requested.emit(
                    self.current_id() if s else "", k
                )
            )
            top.addWidget(button)
        layout.addLayout(top)
        for problem in library.problems:
            warning = plain(QLabel(f"A policy file could not be loaded: {problem}"))
            warning.setWordWrap(True)
            warning.setAccessibleName("Policy file problem")
            layout.addWidget(warning)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QHBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.policies = named(
            policy_list(library.by_name()), "Policies", "Choose a policy to read it."
        )
        left_layout.addWidget(self.policies)
        splitter.addWidget(left)
        self.reader = named(QTextBrowser(), "Policy text")
        self.reader.setOpenLinks(False)
        splitter.addWidget(self.reader)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)
        self.policies.currentItemChanged.connect(self._show)
        if self.policies.count():
            self.policies.setCurrentRow(0)

    def current_id(self) -> str:
        item = self.policies.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def show_policy(self, policy_id: str) -> None:
        for row in range(self.policies.count()):
            if self.policies.item(row).data(Qt.ItemDataRole.UserRole) == policy_id:
                self.policies.setCurrentRow(row)
                return

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is None:
            self.reader.clear()
            return
        policy = self._library.get(str(item.data(Qt.ItemDataRole.UserRole)))
        self.reader.setHtml(policy_html(policy))
