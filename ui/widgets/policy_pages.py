"""The policy builder's three pages: the policy and its document, a pathway, a stage.
Each shows one part of the draft (``app.policy.draft``) and writes what is typed into
it; the words of every choice come from there too."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from app.policy.draft import (
    ANCHOR_WORDS,
    CONDITION_WORDS,
    DOCUMENT_WORDS,
    NATION_WORDS,
    UNIT_WORDS,
    ContactRoleDraft,
    NotificationDraft,
    OtherDeadlineDraft,
    OutcomesTogetherDraft,
    PathwayDraft,
    PolicyDraft,
    StageDraft,
    TimescaleDraft,
)
from app.policy.pathway_kind import PathwayKind
from ui.widgets.common import heading
from ui.widgets.policy_fields import Fields, GroupList

KIND_WORDS = {kind.value: kind.plain_name for kind in PathwayKind}


def timescale_fields(fields: Fields, *, on_ladder: bool = True) -> None:
    """What one timescale holds; ``prefix`` is the timescale's own path. A deadline
    outside the stages (``on_ladder`` False) runs from its own event, so it has no
    "Runs from" choice and is no limit on the whole process."""
    fields.choice("&How it is counted", "unit", "How it is counted", UNIT_WORDS)
    fields.text("Num&ber", "amount", "Number", tip="The number the document sets, e.g. 5")
    fields.text(
        "Ran&ge starts at",
        "from_amount",
        "Range starts at",
        tip="For a range such as \u201c24 to 96 hours\u201d: 24 (the number above is 96)",
    )
    if on_ladder:
        runs_from = fields.choice("R&uns from", "anchor", "Runs from", ANCHOR_WORDS)
        runs_from.setToolTip(
            "For another date the form asks for (e.g. the minutes received), add a "
            "deadline from another date on the pathway's page"
        )
    fields.text("The docume&nt's words", "text", "The document's words for this timescale", lines=2)
    if on_ladder:
        fields.tick("A limit on the whole process (shown as a mar&ker)", "cap")
    fields.tick("The document asks for it urgently but gi&ves no time", "urgent")
    fields.text(
        "Elsewhere the document sa&ys",
        "contradicted_by",
        "Elsewhere the document says",
        tip="Where the same document gives another timescale for this step: its words",
    )


class Page(QWidget):
    """A page of the builder: ``edited`` gives the field path changed, ``reshaped`` says
    that items were added, removed or moved."""

    edited = Signal(str)
    reshaped = Signal()

    def __init__(self, title: str) -> None:
        super().__init__()
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.title = heading(title, 2)
        self.column.addWidget(self.title)
        self.column.addStretch(1)  # room to spare goes below the sections, never into them
        self.parts: list[Fields | GroupList] = []

    def section(self, title: str, part: Fields | GroupList) -> Fields | GroupList:
        box = QGroupBox(title)
        QVBoxLayout(box).addWidget(part)
        self.column.insertWidget(self.column.count() - 1, box)
        part.edited.connect(self.edited)
        if isinstance(part, GroupList):
            part.reshaped.connect(self.reshaped)
        self.parts.append(part)
        return part

    def show_problems(self, problems: Mapping[str, str]) -> None:
        for part in self.parts:
            part.show_problems(problems)


class PageStack(QWidget):
    """The builder's pages, one shown at a time, as tall as that one. (A QStackedWidget
    is as tall as its tallest page: a shorter page was stretched to that height, and
    the room went into its rows, opening gaps under captions such as "When to use it".
    A hidden page here takes no room.)"""

    def __init__(self, pages: list[Page]) -> None:
        super().__init__()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        for page in pages:
            column.addWidget(page)
            page.setVisible(page is pages[0])
        column.addStretch(1)
        self._current = pages[0]

    def currentWidget(self) -> Page:
        return self._current

    def setCurrentWidget(self, page: Page) -> None:
        if page is not self._current:
            self._current.hide()
            self._current = page
            page.show()


class PolicyPage(Page):
    def __init__(self) -> None:
        super().__init__("The policy and its document")
        main = Fields()
        main.text("&Partnership", "partnership", "Partnership")
        main.text("Short &name", "short_name", "Short name", tip="e.g. TSCP")
        main.text(
            "File na&me", "id", "File name", tip="Lower-case letters, digits and -, e.g. testshire"
        )
        main.choice("Bank &holidays of", "default_nation", "Bank holidays of", NATION_WORDS)
        main.text(
            "On a &child at immediate risk",
            "immediate_risk",
            "The document's words on a child at immediate risk",
            lines=2,
            tip="Leave empty where the document says nothing: the app then shows its own advice",
        )
        main.lines("Areas of disa&greement (one a line)", "categories", "Areas of disagreement")
        self.main = self.section("The partnership", main)
        doc = Fields()
        doc.text("&Title", "title", "Document title")
        doc.text(
            "Dat&e",
            "issued",
            "Document date",
            tip="As the document gives it: 01/09/2025, 09/2025 or September 2025, or 2025",
        )
        doc.text("&Version", "version", "Document version")
        doc.text("&Based on", "based_on", "Based on", tip="e.g. Working Together 2023")
        doc.text(
            "So&urce",
            "source",
            "Where the text came from",
            tip="e.g. the partnership's web page, or the file you were sent",
        )
        doc.text("Web &address", "url", "Web address", tip="https://…")
        doc.text("Read &on", "read_on", "Read on", tip="The date you read it, e.g. 04/12/2026")
        doc.text(
            "&Where the text runs out",
            "completeness",
            "Where the text runs out",
            lines=2,
            tip="Said plainly; the policy is then shown as incomplete",
        )
        self.document = self.section("The document", doc)
        self.contacts = self.section(
            "Named roles each organisation fills in",
            GroupList("Role", "Add a role", ContactRoleDraft, _contact_fields),
        )

    def load(self, draft: PolicyDraft) -> None:
        assert isinstance(self.main, Fields) and isinstance(self.document, Fields)
        assert isinstance(self.contacts, GroupList)
        self.main.load(draft, "")
        self.document.load(draft.document, "document.")
        self.contacts.load(draft.contact_roles, "contact_roles")


def _contact_fields(fields: Fields) -> None:
    fields.text("Ro&le", "role", "Role")
    fields.text("What it is &for", "purpose", "What the role is for")


def _other_deadline_fields(fields: Fields) -> None:
    fields.text("Tit&le", "title", "Deadline title")
    fields.text(
        "Runs &from (the date the form asks for)",
        "from_event",
        "What the deadline runs from",
        tip="In the document's words, e.g. receiving the conference minutes: the form "
        "asks for that date and counts from it",
    )
    fields.nested("timescale", lambda inner: timescale_fields(inner, on_ladder=False))


class PathwayPage(Page):
    def __init__(self) -> None:
        super().__init__("Pathway")
        main = Fields()
        main.choice("&Kind", "kind", "Kind of pathway", KIND_WORDS)
        main.text("&Title", "title", "Pathway title", tip="The document's own title")
        main.text("&When to use it", "summary", "When to use this pathway", lines=2)
        self.main = self.section("The pathway", main)
        roles = Fields()
        roles.text("Rais&ed with", "raised_with", "Raised with", tip="e.g. the IRO Manager")
        roles.text("Wh&o they alert", "alerts", "Who they alert")
        roles.text("Re&quest goes to", "request_to", "Request goes to")
        roles.lines("&Consulted (one a line)", "consulted", "Consulted")
        roles.lines("&Attendees (one a line)", "attendees", "Attendees")
        roles.text("If still &unresolved", "unresolved_to", "If still unresolved, it goes to")
        self.roles = self.section("Roles the forms fill in", roles)
        self.others = self.section(
            "Deadlines from another date (outside the stages)",
            GroupList("Deadline", "Add a deadline", OtherDeadlineDraft, _other_deadline_fields),
        )

    def load(self, pathway: PathwayDraft, index: int) -> None:
        assert isinstance(self.main, Fields) and isinstance(self.roles, Fields)
        assert isinstance(self.others, GroupList)
        self.title.setText(f"Pathway {index + 1}")
        self.main.load(pathway, f"pathways[{index}].")
        self.roles.load(pathway.roles, f"pathways[{index}].roles.")
        self.others.load(pathway.other_deadlines, f"pathways[{index}].other_deadlines")


def _notification_fields(fields: Fields) -> None:
    fields.text("&Person to tell", "to", "Who must be told")
    fields.text("&Message", "text", "What they must be told or sent", lines=2)
    fields.choice("&Applies", "when", "When it applies", CONDITION_WORDS)
    fields.choice("&Form to print", "document", "Form to print", DOCUMENT_WORDS)


def _together_fields(fields: Fields) -> None:
    fields.lines(
        "Rea&ched together (one a line)",
        "outcomes",
        "Outcomes reached together",
        tip="Two or more of the outcomes above, each typed exactly as it is there",
    )


class StagePage(Page):
    def __init__(self) -> None:
        super().__init__("Stage")
        main = Fields()
        main.shown("Stage number", "number", lambda s: f"Stage {s.number}")
        main.text("&Title", "title", "Stage title")
        main.text("Who is r&esponsible", "owner", "Who is responsible", tip="The document's words")
        main.text("&What to do", "action", "What to do", lines=3)
        main.lines("What to record (one a &line)", "records", "What to record")
        main.lines(
            "&Outcomes or determinations (one a line)",
            "outcomes",
            "Outcomes or determinations",
        )
        self.main = self.section("The stage", main)
        self.together = self.section(
            "Outcomes the document lets be reached together (\u201cand/or\u201d)",
            GroupList(
                "Outcomes together",
                "Add outcomes reached together",
                OutcomesTogetherDraft,
                _together_fields,
            ),
        )
        self.timescales = self.section(
            "Timescales (when there are several, the earliest date wins)",
            GroupList("Timescale", "Add a timescale", TimescaleDraft, timescale_fields),
        )
        self.notifications = self.section(
            "Who must be told",
            GroupList(
                "Notification", "Add someone to tell", NotificationDraft, _notification_fields
            ),
        )

    def load(self, stage: StageDraft, pathway: int, index: int) -> None:
        assert isinstance(self.main, Fields)
        assert isinstance(self.timescales, GroupList) and isinstance(self.notifications, GroupList)
        assert isinstance(self.together, GroupList)
        at = f"pathways[{pathway}].stages[{index}]"
        self.title.setText(f"Pathway {pathway + 1}, stage {index + 1}")
        self.main.load(stage, f"{at}.")
        self.together.load(stage.outcomes_together, f"{at}.outcomes_together")
        self.timescales.load(stage.timescales, f"{at}.timescales")
        self.notifications.load(stage.notifications, f"{at}.notifications")
