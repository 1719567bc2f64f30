"""A new escalation: the Escalation Monitoring Form.

Built from the policy data: the pathway list comes from the chosen policy, its summary
and date are shown, and stage 1's deadline is worked out by ``app.services.forms`` as
the DSL types the dates. Ticking "immediate risk" shows what to do now, in the policy's
own words, before anything else.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QWidget,
)

from app.domain.records import CATEGORIES, USUAL_CATEGORY
from app.domain.stop_and_review_check import unrecorded_situation
from app.domain.typed_dates import BIRTH_DATES, born_text
from app.domain.validation import FieldError
from app.domain.views import ChildView, ContactView, StageMove
from app.errors import KnownError
from app.policy import Policy, PolicyLibrary
from app.policy.immediate_risk import policy_words_on_immediate_risk
from app.policy.pathway_summary import summary_with_stages
from app.services.common import Store
from app.services.escalations import (
    DECISION_FIELD,
    NewEscalation,
    new_escalation_problems,
    open_new_escalation,
)
from app.services.forms import DeadlinePreview, preview_first_deadline
from app.services.people import NewChild, list_children, list_contacts
from app.services.settings import SettingDetails
from app.team.member import Member
from app.team.signed_in import signed_in
from ui.dialogs import situation_question
from ui.operations import run_op
from ui.plain_text import plain, plain_tip, rich
from ui.widgets.common import named
from ui.widgets.fields import (
    OptionalDate,
    date_edit,
    datetime_edit,
    datetime_of,
    line_edit,
    set_row_visible,
    text_box,
    text_of,
)
from ui.widgets.first_run import policy_combo
from ui.widgets.form_dialog import FormDialog

IMMEDIATE_RISK_BANNER = (
    "<b>If the child is at immediate risk, call the police on 999 and contact "
    "Children's Social Care now.</b> Do not wait for this form: escalation takes days."
)


def _completer(words: list[str], parent: QWidget) -> QCompleter:
    completer = QCompleter(sorted(set(w for w in words if w)), parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    return completer


class NewEscalationDialog(FormDialog):
    save_text = "&Open the escalation"

    def __init__(
        self,
        store: Store,
        library: PolicyLibrary,
        settings: SettingDetails,
        parent: QWidget | None = None,
        *,
        member: Member | None = None,
    ) -> None:
        """``member``: who signed in, who opens it (the audit names them); None: the
        DSL of a file with no members (``Session.member``'s rule)."""
        super().__init__("New escalation — Escalation Monitoring Form", parent)
        self.setObjectName("new-escalation")
        self._store = store
        self._library = library
        self._settings = settings
        self._member = member = member or signed_in(None, settings.dsl_name)
        self._category_chosen = False
        self._asking_decision = False  # the pathway counts from the disputed decision
        self.created: StageMove | None = None
        children = list_children(store)
        self._children = {view.id: view for view in children}
        contacts = list_contacts(store)

        self._build_risk()
        self._build_child(children)
        self._build_who(settings, member, contacts)
        self._build_policy(library, settings)
        self._build_disagreement()
        self._build_dates()
        self._fill_pathways()
        self.immediate_risk.toggled.connect(self._show_risk)
        self.policy.currentIndexChanged.connect(self._fill_pathways)
        self.pathway.currentIndexChanged.connect(self._pathway_changed)
        self.category.activated.connect(self._category_picked)
        self.raised_at.changed.connect(self._update_deadline)
        self.protect_by.changed.connect(self._update_deadline)
        self.decided_on.changed.connect(self._update_deadline)
        self.start_tracking()
        self.fit(780, 900)

    # The form's sections, in the order they are shown and tabbed through ------------
    def _build_risk(self) -> None:
        """What a DSL must see first: a form is no place for a child in danger now."""
        risk = self.form()
        self.immediate_risk = named(
            QCheckBox("The child is at &immediate risk of harm"),
            "The child is at immediate risk of harm",
            "Shows what to do now: the police (999) and Children's Social Care.",
        )
        risk.addRow(self.immediate_risk)
        self.risk_banner = rich(QLabel())
        self.risk_banner.setWordWrap(True)
        self.risk_banner.setAccessibleName("What to do now: immediate risk")
        self.risk_banner.setFrameShape(QLabel.Shape.Box)
        self.risk_banner.setMargin(8)
        self.risk_banner.setVisible(False)
        risk.addRow(self.risk_banner)

    def _build_child(self, children: list[ChildView]) -> None:
        child = self.form("The child")
        choose = QWidget()
        choose_row = QHBoxLayout(choose)
        choose_row.setContentsMargins(0, 0, 0, 0)
        self.existing_child = named(
            QRadioButton("A child already &recorded"), "A child already recorded"
        )
        self.new_child = named(QRadioButton("A &new child"), "A new child")
        choose_row.addWidget(self.existing_child)
        choose_row.addWidget(self.new_child)
        choose_row.addStretch(1)
        child.addRow(choose)
        self.child = named(QComboBox(), "Child")
        self.child.addItem("Choose a child…", None)
        for view in children:
            extra = f", {view.identifier}" if view.identifier else ""
            self.child.addItem(f"{view.name} ({born_text(view.date_of_birth)}{extra})", view.id)
        self.add_field(child, "&Child:", "Child", self.child)
        self.child_name = line_edit("Child's name")
        self.add_field(child, "Child's na&me:", "Child's name", self.child_name)
        # Empty until typed, or "not known" ticked: never a guess saved as though typed.
        self.date_of_birth = date_edit(
            "Date of birth", kind=BIRTH_DATES, not_known="Date of birth not known"
        )
        self.add_field(child, "Date of &birth:", "Date of birth", self.date_of_birth)
        self.identifier = line_edit("Identifier")
        self.identifier.setPlaceholderText("For example the UPN or your MIS number")
        self.add_field(child, "Identi&fier:", "Identifier", self.identifier)
        flags = QWidget()
        flag_row = QHBoxLayout(flags)
        flag_row.setContentsMargins(0, 0, 0, 0)
        self.cp_plan = named(QCheckBox("Child protection plan"), "On a child protection plan")
        self.looked_after = named(QCheckBox("Looked after"), "Looked after")
        self.child_in_need = named(QCheckBox("Child in need"), "Child in need")
        for box in (self.cp_plan, self.looked_after, self.child_in_need):
            flag_row.addWidget(box)
        flag_row.addStretch(1)
        self.flags_row = self.add_field(child, "The child is:", "The child's status", flags)
        self.existing_child.toggled.connect(self._child_mode)
        if children:
            self.existing_child.setChecked(True)
        else:
            self.new_child.setChecked(True)
            self.existing_child.setEnabled(False)
        self._child_mode()

    def _build_who(
        self, settings: SettingDetails, member: Member, contacts: list[ContactView]
    ) -> None:
        who = self.form("Who is involved")
        ours = [settings.dsl_name, *settings.deputies] + [c.name for c in contacts if c.internal]
        # Content, kept as typed: who raises it may be another practitioner; the one
        # signed in is the likeliest, and the audit names them whatever is typed here.
        self.raised_by = line_edit("Our practitioner raising it", member.name)
        self.raised_by.setCompleter(_completer(ours, self))
        self.add_field(who, "Our practitioner raisin&g it:", "Raised by", self.raised_by)
        theirs = [c for c in contacts if not c.internal]
        self.other_agency = line_edit("Other agency")
        self.other_agency.setCompleter(_completer([c.agency for c in theirs], self))
        self.other_agency.setPlaceholderText("For example Children's Social Care")
        self.add_field(who, "Other &agency:", "Other agency", self.other_agency)
        self.other_practitioner = line_edit("Other agency's practitioner")
        self.other_practitioner.setCompleter(_completer([c.name for c in theirs], self))
        self.add_field(who, "Their &practitioner:", "Other practitioner", self.other_practitioner)

    def _build_policy(self, library: PolicyLibrary, settings: SettingDetails) -> None:
        """The policy and pathway: they decide the stages and deadlines below."""
        procedure = self.form("Policy")
        self.policy = policy_combo(library)
        default = settings.default_policy
        if default and self.policy.findData(default) >= 0:
            self.policy.setCurrentIndex(self.policy.findData(default))
        self.add_field(procedure, "Polic&y:", "Policy", self.policy)
        self.currency = plain(QLabel())  # the policy file's own words
        self.currency.setWordWrap(True)
        self.currency.setAccessibleName("Is the policy current?")
        procedure.addRow(self.currency)
        self.pathway = named(QComboBox(), "Pathway")
        self.add_field(procedure, "Pat&hway:", "Pathway", self.pathway)
        self.pathway_summary = plain(QLabel())
        self.pathway_summary.setWordWrap(True)
        self.pathway_summary.setTextFormat(Qt.TextFormat.PlainText)  # the policy file's words
        self.pathway_summary.setAccessibleName("When to use this pathway")
        procedure.addRow(self.pathway_summary)

    def _build_disagreement(self) -> None:
        what = self.form("The disagreement")
        self.category = named(QComboBox(), "Category")
        self.category.addItem("Choose a category…", None)
        for key, label in CATEGORIES.items():
            self.category.addItem(label, key)
        self.add_field(what, "Ca&tegory:", "Category", self.category)
        self.disputed = text_box("What is disputed")
        self.add_field(what, "What is &disputed:", "What is disputed", self.disputed)
        self.change_wanted = text_box("What we want to change for the child")
        self.add_field(
            what,
            "What we &want to change\nfor the child:",
            "What we want to change for the child",
            self.change_wanted,
        )
        self.impact = text_box("Impact on the child")
        self.add_field(what, "Impact on the chi&ld:", "Impact on the child", self.impact)

    def _build_dates(self) -> None:
        """The dates, and the deadline they give."""
        dates = self.form("Dates")
        # Empty: every deadline runs from it, and it is often recorded days later.
        self.raised_at = datetime_edit("Date raised")
        self.add_field(dates, "Date rai&sed:", "Date raised", self.raised_at)
        # Asked only when the pathway counts from it (York's conference dissent).
        self.decided_on = OptionalDate(DECISION_FIELD)
        self.add_field(dates, "Date of the disp&uted decision:", DECISION_FIELD, self.decided_on)
        self.decision_note = self.note(
            dates,
            "This pathway counts some deadlines from the decision you disagree with (for "
            "example the conference). Leave it empty if that was the day you raised it.",
            "About the date of the decision",
        )
        self.protect_by = OptionalDate("Child-safety date")
        self.add_field(dates, "Child-safety dat&e:", "Child-safety date", self.protect_by)
        self.note(
            dates,
            "A timescale that protects the child: any policy deadline later than this "
            "date becomes this date (whichever is sooner).",
            "About the child-safety date",
        )
        self.body.addStretch(1)
        self.deadline = plain(QLabel())
        self.deadline.setWordWrap(True)
        self.deadline.setAccessibleName("Stage 1 deadline")
        self.deadline_rule = plain(QLabel())
        self.deadline_rule.setWordWrap(True)
        self.deadline_rule.setAccessibleName("How the stage 1 deadline is worked out")
        self.footer.addWidget(self.deadline)
        self.footer.addWidget(self.deadline_rule)

    # Reacting to what is typed ----------------------------------------------------------

    def chosen_policy(self) -> Policy | None:
        policy_id = self.policy.currentData()
        return self._library.get(policy_id) if policy_id in self._library.ids() else None

    def _child_mode(self) -> None:
        existing = self.existing_child.isChecked()
        for key in ("Child's name", "Date of birth", "Identifier", "The child's status"):
            set_row_visible(self.rows[key], not existing)
        set_row_visible(self.rows["Child"], existing)

    def _show_risk(self, on: bool) -> None:
        policy = self.chosen_policy()
        words = f"<p><i>{escape(policy_words_on_immediate_risk(policy))}</i></p>" if policy else ""
        self.risk_banner.setText(f"<p>{IMMEDIATE_RISK_BANNER}</p>{words}")
        self.risk_banner.setVisible(on)
        if on:
            self.scroll.ensureWidgetVisible(self.risk_banner)

    def _fill_pathways(self) -> None:
        policy = self.chosen_policy()
        previous = self.pathway.currentData()
        self.pathway.blockSignals(True)
        self.pathway.clear()
        if policy is not None:
            for pathway in policy.pathways:
                self.pathway.addItem(pathway.title, pathway.id)
            index = self.pathway.findData(previous)
            self.pathway.setCurrentIndex(max(index, 0))
            self.currency.setText(policy_note(policy))
            self.currency.setToolTip(plain_tip(policy.document.incomplete_note or ""))
            self.category.setToolTip(
                f"{policy.short_name}'s policy lists: " + "; ".join(policy.categories)
                if policy.categories
                else ""
            )
        self.pathway.blockSignals(False)
        if self.immediate_risk.isChecked():
            self._show_risk(True)
        self._pathway_changed()

    def _pathway_changed(self) -> None:
        policy = self.chosen_policy()
        pathway_id = self.pathway.currentData()
        usual: str | None = None
        if policy is None or pathway_id is None:
            self.pathway_summary.clear()
        else:
            pathway = policy.pathway(pathway_id)
            self.pathway_summary.setText(summary_with_stages(pathway))
            usual = USUAL_CATEGORY.get(pathway.kind)
        self._ask_decision(self._pathway_counts_from_decision())
        if not self._category_chosen:
            self.category.blockSignals(True)
            self.category.setCurrentIndex(max(self.category.findData(usual), 0))
            self.category.blockSignals(False)
        self._update_deadline()

    def _ask_decision(self, ask: bool) -> None:
        self._asking_decision = ask
        set_row_visible(self.rows[DECISION_FIELD], ask)
        set_row_visible(self.decision_note, ask)

    def _pathway_counts_from_decision(self) -> bool:
        policy, pathway_id = self.chosen_policy(), self.pathway.currentData()
        return (
            policy is not None
            and pathway_id is not None
            and (policy.pathway(pathway_id).counts_from_decision)
        )

    def _decided_on(self) -> date | None:
        # A date typed and then hidden by choosing another pathway is not saved.
        return self.decided_on.value() if self._asking_decision else None

    def _category_picked(self) -> None:
        self._category_chosen = True

    def _say_deadline(self, text: str, rule: str = "", *, bold: bool = True) -> None:
        font = self.deadline.font()
        font.setBold(bold)
        self.deadline.setFont(font)
        self.deadline.setText(text)
        self.deadline_rule.setText(rule)

    def _update_deadline(self) -> None:
        policy = self.chosen_policy()
        pathway_id = self.pathway.currentData()
        if policy is None or pathway_id is None:
            self._say_deadline("Choose a policy and pathway.")
            return
        stage = policy.pathway(pathway_id).stage(1)
        if self.raised_at.is_empty():
            # Nothing typed yet is not a mistake: say what the line will show, plainly.
            self._say_deadline(
                "Stage 1's deadline shows here once you type the date raised.", bold=False
            )
            return

        def shown(preview: DeadlinePreview) -> None:
            self._say_deadline(
                f"Stage 1 deadline: {preview.text}. Stage 1: {stage.title} ({stage.owner}).",
                preview.rule,
            )

        def refused(exc: KnownError) -> None:
            self._say_deadline(str(exc))  # what was typed is not a date: say why

        run_op(  # a preview, redone as the DSL types: no wait cursor
            self,
            lambda: preview_first_deadline(
                self._library,
                policy.id,
                pathway_id,
                datetime_of(self.raised_at),
                self.protect_by.value(),
                self._settings.nation,
                self._decided_on(),
            ),
            shown,
            on_failure=refused,
            cursor=False,
        )

    # Saving ------------------------------------------------------------------------------

    def _typed(self) -> tuple[NewEscalation, NewChild | None]:
        child: NewChild | None = None
        if self.new_child.isChecked():
            child = NewChild(
                name=text_of(self.child_name).strip(),
                date_of_birth=self.date_of_birth.value(),  # None: not known
                identifier=text_of(self.identifier).strip(),
                cp_plan=self.cp_plan.isChecked(),
                looked_after=self.looked_after.isChecked(),
                child_in_need=self.child_in_need.isChecked(),
            )
            child_id = 0
        else:
            child_id = int(self.child.currentData() or 0)
        form = NewEscalation(
            child_id=child_id,
            policy_id=str(self.policy.currentData() or ""),
            pathway_id=str(self.pathway.currentData() or ""),
            raised_at=datetime_of(self.raised_at),
            raised_by=text_of(self.raised_by).strip(),
            other_agency=text_of(self.other_agency).strip(),
            other_practitioner=text_of(self.other_practitioner).strip(),
            category=str(self.category.currentData() or ""),
            disputed=text_of(self.disputed).strip(),
            change_wanted=text_of(self.change_wanted).strip(),
            impact=text_of(self.impact).strip(),
            immediate_risk=self.immediate_risk.isChecked(),
            protect_by=self.protect_by.value(),
            nation=self._settings.nation,
            decided_on=self._decided_on(),
        )
        return form, child

    def problems(self) -> list[FieldError]:
        return new_escalation_problems(*self._typed())

    def save(self) -> None:
        # Asked only of a form that would save: a form with problems shows them first.
        if not self.all_problems() and not self._situation_confirmed():
            return
        super().save()

    def _situation_confirmed(self) -> bool:
        """A stop and review for a child not recorded as in its situation: ask first."""
        policy, pathway_id = self.chosen_policy(), self.pathway.currentData()
        if policy is None or pathway_id is None:
            return True
        if self.new_child.isChecked():
            name = text_of(self.child_name).strip()
            cp_plan, looked_after = self.cp_plan.isChecked(), self.looked_after.isChecked()
        else:
            child = self._children.get(int(self.child.currentData() or 0))
            if child is None:
                return True
            name, cp_plan, looked_after = child.name, child.cp_plan, child.looked_after
        kind = policy.pathway(pathway_id).kind
        missing = unrecorded_situation(kind, cp_plan=cp_plan, looked_after=looked_after)
        return missing is None or situation_question.ask_situation(self, name, missing)

    def submit(self) -> None:
        form, child = self._typed()
        self.created = open_new_escalation(
            self._store, self._library, form, child, actor=self._member.actor
        )


def policy_note(policy: Policy) -> str:
    """The document, its date and version, and whether to check it is current."""
    document = policy.document
    version = "" if document.version == "Not stated" else f", version {document.version}"
    text = f"{document.title} ({document.issued_display}{version})."
    # The completeness note's first sentence; the whole of it is the label's tooltip.
    notes = [note for note in (document.currency_note, document.incomplete_short) if note]
    return " ".join([text, *notes])
