"""Agree the outcome: the basis of the written confirmation every policy asks for
("written confirmation between the parties about an agreed outcome of the disagreement
and how any outstanding issues will be pursued"). Saving resolves the escalation, which
cannot be undone, so it asks first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain.record_problems import outcome_problems
from app.domain.records import Outcome, Party
from app.domain.validation import FieldError
from app.domain.views import EscalationDetail
from app.services.escalations import agree_outcome
from app.team.signed_in import own_name, role_words
from ui.widgets.common import named
from ui.widgets.fields import date_edit, date_of, text_box, text_of
from ui.widgets.form_dialog import FormDialog
from ui.widgets.record_form import EscalationContext

PARTY_COLUMNS = ("Name", "Role", "Agency")


class PartiesTable(QWidget):
    """The parties to the agreement: one row each, typed straight into the table."""

    def __init__(self, parties: list[Party]) -> None:
        super().__init__()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.table = named(
            QTableWidget(0, len(PARTY_COLUMNS)),
            "Parties",
            "One row per party: name, role and agency. Type into a cell to change it.",
        )
        self.table.setHorizontalHeaderLabels(list(PARTY_COLUMNS))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.setFixedHeight(self.table.fontMetrics().lineSpacing() * 8)
        for party in parties:
            self.add_party(party)
        column.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = named(QPushButton("A&dd a party"), "Add a party")
        self.remove_button = named(
            QPushButton("Remo&ve the chosen party"), "Remove the chosen party"
        )
        self.add_button.clicked.connect(lambda: self.add_party(Party(name="")))
        self.remove_button.clicked.connect(self._remove)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.setFocusProxy(self.table)

    def add_party(self, party: Party) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, value in enumerate((party.name, party.role, party.agency)):
            self.table.setItem(row, col, QTableWidgetItem(value))
        if not party.name:
            self.table.setCurrentCell(row, 0)
            self.table.editItem(self.table.item(row, 0))

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def parties(self) -> list[Party]:
        out = []
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, col) for col in range(len(PARTY_COLUMNS))]
            name, role, agency = (
                str(c.data(Qt.ItemDataRole.DisplayRole) or "").strip() if c is not None else ""
                for c in cells
            )
            if name or role or agency:
                out.append(Party(name=name, role=role, agency=agency))
        return out


def agree_question(detail: EscalationDetail) -> str:
    """What agreeing does, asked before it is done: the reference, that the escalation
    closes for good, and which stages will then not be needed."""
    row = detail.row
    later = [stage.number for stage in detail.stages if stage.number > row.stage_number]
    text = (
        f"Agree the outcome of {row.ref}?\n\nThis resolves the escalation at stage "
        f"{row.stage_number} of {row.stage_count} and closes it; it cannot be reopened."
    )
    if len(later) == 1:
        text += f" Stage {later[0]} was not reached and will not be needed."
    elif later:
        numbers = ", ".join(str(n) for n in later[:-1]) + f" and {later[-1]}"
        text += f" Stages {numbers} were not reached and will not be needed."
    return text


def ask_to_agree(parent: QWidget, question: str) -> bool:
    """True when the DSL confirms; going back keeps everything typed."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Agree the outcome?",
        question,
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    agree = box.addButton("&Agree and close the escalation", QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton("&Go back", QMessageBox.ButtonRole.RejectRole)
    agree.setAccessibleName("Agree and close the escalation")
    back.setAccessibleName("Go back to the form")
    box.setDefaultButton(back)  # it cannot be undone: Enter alone does not close it
    box.setEscapeButton(back)
    box.setAccessibleName("Agree the outcome?")
    box.setObjectName("agree-question")
    box.exec()
    return box.clickedButton() is agree


class AgreeOutcomeDialog(FormDialog):
    save_text = "&Agree the outcome"

    def __init__(self, context: EscalationContext, parent: QWidget | None = None) -> None:
        super().__init__("Agree the outcome", parent)
        self.setObjectName("agree-outcome")
        self.context = context
        self.record_id: int | None = None
        detail, settings = context.detail, context.settings
        # The two sides named on the form, to start from: ours is who signed in.
        ours = own_name(context.member)
        parties = [
            Party(
                name=ours or detail.raised_by,
                role=role_words(context.member) if ours else "",
                agency=settings.setting_name,
            ),
            Party(name=detail.other_practitioner, agency=detail.row.other_agency),
        ]
        layout = self.form("Who agreed")
        self.parties = PartiesTable(parties)
        self.add_field(layout, "&Parties:", "Parties", self.parties, aliases=["Party's name"])
        self.agreed_on = date_edit("Date agreed", clock.today())
        self.add_field(layout, "Date a&greed:", "Date agreed", self.agreed_on)

        what = self.form("What was agreed")
        self.agreed = text_box("What was agreed", lines=4)
        self.add_field(what, "&What was agreed:", "What was agreed", self.agreed)
        self.outstanding = text_box("Outstanding issues", lines=3)
        self.add_field(what, "&Outstanding issues:", "Outstanding issues", self.outstanding)
        self.how_pursued = text_box("How outstanding issues will be pursued", lines=3)
        self.add_field(
            what,
            "&How they will be\npursued:",
            "How outstanding issues will be pursued",
            self.how_pursued,
        )
        after = self.form("Afterwards")
        self.debrief = named(
            QCheckBox("A debrief was offered to the practitioners involved"), "Debrief offered"
        )
        after.addRow(self.debrief)
        self.learning = text_box("Learning", lines=3)
        self.add_field(after, "&Learning:", "Learning", self.learning)
        self.note(
            after,
            "Saving resolves the escalation. Then print the written confirmation "
            "(Confirmation…) for each party to sign.",
            "What happens next",
        )
        self.body.addStretch(1)
        self.start_tracking()
        self.fit(700, 820)

    def outcome(self) -> Outcome:
        return Outcome(
            agreed=text_of(self.agreed).strip(),
            outstanding=text_of(self.outstanding).strip(),
            how_pursued=text_of(self.how_pursued).strip(),
            parties=self.parties.parties(),
            agreed_on=date_of(self.agreed_on),
            debrief_offered=self.debrief.isChecked(),
            learning=text_of(self.learning).strip(),
        )

    def problems(self) -> list[FieldError]:
        return outcome_problems(self.outcome(), raised_at=self.context.detail.row.raised_at)

    def save(self) -> None:
        """Asks first, once what is typed can be saved (a form with problems shows them
        without asking)."""
        if not self.all_problems():
            agreed = ask_to_agree(self, agree_question(self.context.detail))
            if not agreed or self._discarding:  # the screen was locked meanwhile
                return
        super().save()

    def submit(self) -> None:
        self.record_id = agree_outcome(
            self.context.store, self.context.ref, self.outcome(), actor=self.context.actor
        )
