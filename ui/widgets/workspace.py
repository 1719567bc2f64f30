"""What the unlocked window shows: the dashboard and escalation list, contacts, policies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from app.deadlines import fmt_day
from app.services.dashboard import Dashboard, ListFilter
from app.services.headline import headline
from ui.widgets.backup_notice import BackupNotice
from ui.widgets.contacts import ContactsView
from ui.widgets.dashboard import DashboardBar
from ui.widgets.escalation_list import EscalationList

if TYPE_CHECKING:
    from app.policy import PolicyLibrary
    from ui.widgets.policy_viewer import PolicyViewer

POLICIES_TAB = 2


class Workspace(QWidget):
    """Built without the policy library, so the dashboard can be painted before it is
    loaded; ``set_library`` then fills the filters and the Policies tab."""

    # The Policies tab asks for the policy builder (see ``PolicyViewer``).
    builder_requested = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Sections")
        self.tabs.tabBar().setAccessibleName("Escalations, contacts or policies")
        layout.addWidget(self.tabs)

        escalations = QWidget()
        column = QVBoxLayout(escalations)
        self.today_label = QLabel()
        self.today_label.setAccessibleName("Today")
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setAccessibleName("What needs doing first")
        font = self.headline.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.headline.setFont(font)
        self.dashboard = DashboardBar()
        self.escalations = EscalationList()
        self.backup_notice = BackupNotice()
        column.addWidget(self.backup_notice)
        column.addWidget(self.today_label)
        column.addWidget(self.headline)
        column.addWidget(self.dashboard)
        column.addWidget(self.escalations, 1)
        self.tabs.addTab(escalations, "&Escalations")

        self.contacts = ContactsView()
        self.tabs.addTab(self.contacts, "&Contacts")
        self.policies: PolicyViewer | None = None
        self.tabs.addTab(QLabel("Loading the policies…"), "&Policies")

        self.dashboard.bucket_chosen.connect(self.escalations.set_bucket)
        self.escalations.filter_changed.connect(self._filter_changed)

    def set_library(self, library: PolicyLibrary, default_policy: str | None = None) -> None:
        """``default_policy``: the setting's, shown first on the Policies tab (a St
        Helens school reads St Helens', not the first by name); once the DSL has chosen
        another, that one stays shown when the library is loaded again."""
        from ui.widgets.policy_viewer import PolicyViewer

        self.escalations.set_library(library)
        current = self.tabs.currentIndex()
        placeholder = self.tabs.widget(POLICIES_TAB)
        shown = self.policies.current_id() if self.policies is not None else ""
        shown = shown or default_policy or ""
        self.policies = PolicyViewer(library)
        self.policies.builder_requested.connect(self.builder_requested)
        if shown:
            self.policies.show_policy(shown)
        self.tabs.removeTab(POLICIES_TAB)
        self.tabs.insertTab(POLICIES_TAB, self.policies, "&Policies")
        placeholder.deleteLater()
        self.tabs.setCurrentIndex(current)

    def show_dashboard(self, dash: Dashboard, short_names: Mapping[str, str]) -> None:
        self.today_label.setText(f"Today is {fmt_day(dash.today)} · {dash.term.name}")
        self.headline.setText(headline(dash))
        self.dashboard.set_counts(dash.counts)
        self.escalations.set_rows(dash.rows, short_names, dash.total)

    def clear(self) -> None:
        self.backup_notice.show_reminder(None)
        self.today_label.clear()
        self.headline.clear()
        self.dashboard.clear()
        self.escalations.clear()
        self.contacts.clear()
        self.tabs.setCurrentIndex(0)

    def _filter_changed(self, chosen: ListFilter) -> None:
        self.dashboard.set_active(chosen.bucket)
