"""The escalation window's actions: each opens its form (window-modal, so the escalation
stays readable behind it) or generates a document and previews it. When a form is saved,
the window reads the escalation again and tells the main window's list.

A base class of the window (``ui.escalation.view``), which provides the escalation and
its context, and ``saved``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QDialog, QWidget

from app.domain.redaction import Review
from app.domain.views import EscalationDetail, RecordView
from app.policy import PolicyLibrary
from app.services.common import Store
from app.services.policy_adoption import Offer, adoption_offer
from app.services.settings import SettingDetails
from ui.dialogs.action import ActionDialog
from ui.dialogs.agree_outcome import AgreeOutcomeDialog
from ui.dialogs.amend import AmendChooserDialog
from ui.dialogs.approve import ApproveDialog
from ui.dialogs.complete_action import CompleteActionDialog
from ui.dialogs.conference_dissent import ConferenceDissentDialog
from ui.dialogs.discussion import DiscussionDialog
from ui.dialogs.monitoring_form import MonitoringFormDialog
from ui.dialogs.move_stage import MoveStageDialog
from ui.dialogs.stop_and_review import StopAndReviewDialog
from ui.dialogs.text_viewer import TextViewerDialog
from ui.dialogs.withdraw import WithdrawDialog
from ui.escalation.policy_version import AdoptVersionDialog
from ui.escalation.texts import entry_in_full
from ui.operations import run_op
from ui.save_pdf import SaveFolders
from ui.widgets.record_form import EscalationContext, RecordFormDialog

REVIEW_EXPLANATION = (
    "The form leaves out the child's name, date of birth and identifiers. They are also "
    "taken out wherever they appear in what was typed, in any spelling with or without "
    "accents: each is listed below with the words around it. Anything else that could "
    "identify the child, such as a brother's name, a street or a nickname, can be taken "
    "out too. Read the form before you send it."
)


class EscalationActions(QWidget):
    """Opens each action's form or document for the escalation ``ref``."""

    ref: str
    detail: EscalationDetail | None
    dialogs: list[QDialog]  # open action dialogs and previews
    _store: Store
    _library: PolicyLibrary
    _settings: SettingDetails
    save_folders: SaveFolders | None = None  # where Save as PDF starts (the main window's)

    def context(self) -> EscalationContext:
        raise NotImplementedError

    def saved(self) -> None:
        raise NotImplementedError

    # Forms ------------------------------------------------------------------------------

    def _open_dialog(self, dialog: QDialog, done: Callable[[], None] | None = None) -> QDialog:
        """Window-modal, so the view stays readable behind it. When it is saved, the
        view and the main window's list are refreshed."""
        self.dialogs.append(dialog)

        def finished(result: int) -> None:
            if dialog in self.dialogs:
                self.dialogs.remove(dialog)
            if result == QDialog.DialogCode.Accepted:
                if done is not None:
                    done()
                self.saved()
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def _forget(self, dialog: QDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()

    def read_entry(self, index: int) -> QDialog:
        """The whole text of chronology entry ``index`` (of ``app.chronology.entries``),
        read-only; closed with the window and at the lock like the forms."""
        assert self.detail is not None
        title, heading, text = entry_in_full(self.detail, index)
        return self._open_dialog(TextViewerDialog(title, heading, text, self))

    def _selected_record(self, kind: str) -> RecordView | None:
        assert self.detail is not None
        found = [r for r in self.detail.records if r.kind == kind]
        return found[-1] if found else None

    def record_discussion(self) -> QDialog:
        return self._open_dialog(DiscussionDialog(self.context(), parent=self))

    def approve(self) -> QDialog:
        return self._open_dialog(ApproveDialog(self.context(), parent=self))

    def add_action(self) -> QDialog:
        return self._open_dialog(ActionDialog(self.context(), parent=self))

    def complete_action(self) -> QDialog:
        return self._open_dialog(CompleteActionDialog(self.context(), parent=self))

    def amend(self, record: RecordView | None = None) -> QDialog:
        """Choose a record (unless given), then amend it in its own form."""
        if record is not None:
            return self._open_dialog(self._amend_form(record))
        chooser = AmendChooserDialog(self.context(), parent=self)

        def chosen() -> None:
            if chooser.chosen is not None:
                self._open_dialog(self._amend_form(chooser.chosen))

        chooser.accepted.connect(chosen)
        self.dialogs.append(chooser)
        chooser.finished.connect(lambda _r: self._forget(chooser))
        chooser.open()
        return chooser

    def _amend_form(self, record: RecordView) -> RecordFormDialog:
        context = self.context()
        forms: dict[str, Callable[[], RecordFormDialog]] = {
            "discussion": lambda: DiscussionDialog(context, record, self),
            "action": lambda: ActionDialog(context, record, self),
            "conference-dissent": lambda: ConferenceDissentDialog(context, record, self),
            "stop-and-review": lambda: StopAndReviewDialog(context, record, self),
        }
        return forms[record.kind]()

    def move_stage(self) -> QDialog:
        return self._open_dialog(MoveStageDialog(self.context(), parent=self))

    def conference_dissent(self) -> QDialog:
        existing = self._selected_record("conference-dissent")
        return self._open_dialog(ConferenceDissentDialog(self.context(), existing, self))

    def stop_and_review(self) -> QDialog:
        existing = self._selected_record("stop-and-review")
        return self._open_dialog(StopAndReviewDialog(self.context(), existing, self))

    def agree_outcome(self) -> QDialog:
        return self._open_dialog(AgreeOutcomeDialog(self.context(), parent=self))

    def withdraw(self) -> QDialog:
        return self._open_dialog(WithdrawDialog(self.context(), parent=self))

    def adopt_version(self) -> QDialog | None:
        """The question about adopting the newer version of the policy, with what it
        changes; once adopted, the window reads the adopted pathway."""
        opened: list[QDialog] = []

        def ask(offer: Offer | None) -> None:
            if offer is not None:
                dialog = AdoptVersionDialog(self.context(), offer, self)
                opened.append(self._open_dialog(dialog, done=self.forget_pathway))

        run_op(self, lambda: adoption_offer(self._store, self._library, self.ref), ask)
        return opened[0] if opened else None

    def forget_pathway(self) -> None:
        raise NotImplementedError

    # Documents --------------------------------------------------------------------------

    def confirmation(self) -> QDialog | None:
        return self.document("confirmation")

    def monitoring_form(self) -> QDialog:
        dialog = MonitoringFormDialog(self.context(), parent=self)

        def preview() -> None:
            if dialog.identify_child:
                self.document("monitoring-form")
            else:
                self.review_monitoring_form()

        return self._open_dialog(dialog, preview)

    def review_monitoring_form(self) -> QDialog | None:
        """The form without the child's identifying details: the DSL first sees what is
        taken out of the typed text, and may add more; then the form is produced."""
        from app.services.documents import monitoring_form_review
        from ui.widgets.redaction_review import RedactionReviewDialog

        found: list[Review] = []
        if not run_op(self, lambda: monitoring_form_review(self._store, self.ref), found.append):
            return None
        review = RedactionReviewDialog(
            found[0],
            document="monitoring form",
            explanation=REVIEW_EXPLANATION,
            confirm="&Show the form",
            parent=self,
        )
        self.dialogs.append(review)

        def finished(result: int) -> None:
            self._forget(review)
            if result == QDialog.DialogCode.Accepted:
                self.document("monitoring-form", identify_child=False, by_hand=review.by_hand)

        review.finished.connect(finished)
        review.open()
        return review

    def document(
        self, kind: str, *, identify_child: bool = True, by_hand: Sequence[str] = ()
    ) -> QDialog | None:
        """Generate a document in memory and preview it (Print, Save as PDF)."""
        # Imported on first use: ReportLab and the PDF renderer cost start-up time.
        from app.services.documents import DocumentKind, generate_document
        from ui.dialogs.pdf_preview import PdfPreviewDialog

        settings = self._settings

        def make() -> PdfPreviewDialog:
            generated = generate_document(
                self._store,
                self._library,
                DocumentKind(kind),
                self.ref,
                setting=settings.setting_name,
                dsl=settings.dsl_name,
                actor=self.context().actor,
                identify_child=identify_child,
                by_hand=by_hand,
            )
            return PdfPreviewDialog(
                generated.title,
                generated.pdf,
                generated.suggested_name,
                self,
                folders=self.save_folders,
            )

        made: list[PdfPreviewDialog] = []
        if not run_op(self, make, made.append):
            return None
        preview = made[0]
        preview.setObjectName(f"preview-{kind}")
        self.dialogs.append(preview)
        preview.finished.connect(lambda _r: self._forget(preview))
        preview.show()
        self.saved()  # the chronology lists the document produced
        return preview
