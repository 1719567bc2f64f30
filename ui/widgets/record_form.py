"""A form for one kind of record on an escalation, new or amended, and the context every
escalation's action dialog is given."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.domain.record_problems import amendment_problems
from app.domain.records import Content
from app.domain.validation import FieldError
from app.domain.views import EscalationDetail, RecordView
from app.policy import Pathway, PolicyLibrary
from app.services.common import Store
from app.services.records import amend_record
from app.services.settings import SettingDetails
from app.team.member import Member
from ui.widgets.fields import text_box, text_of
from ui.widgets.form_dialog import FormDialog


@dataclass(frozen=True)
class EscalationContext:
    """What an action dialog needs: where to save, the policy data its fields are built
    from, and who is acting: the member who signed in (``Session.member``), the one
    name every record and audit entry it saves gives, never a name typed in the form."""

    store: Store
    library: PolicyLibrary
    settings: SettingDetails
    detail: EscalationDetail
    pathway: Pathway  # as the policy stood when the escalation opened
    member: Member

    @property
    def ref(self) -> str:
        return self.detail.row.ref

    @property
    def actor(self) -> str:
        return self.member.actor


class RecordFormDialog(FormDialog):
    """A form for one kind of record, new or amended. Amending shows the reason field
    first, starts from the current version and saves a new version beside it (the old
    one stays on the record)."""

    def __init__(
        self,
        title: str,
        context: EscalationContext,
        amending: RecordView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        if amending is not None:
            title = f"Amend: {title.lower()}"
            self.save_text = "&Save the amendment"
        super().__init__(title, parent)
        self.context = context
        self.amending = amending
        self.saved_id: int | None = None
        self.reason: QPlainTextEdit | None = None
        if amending is not None:
            layout = self.form("Amendment")
            self.note(
                layout,
                f"Version {amending.current.version} was recorded on "
                f"{amending.current.recorded_at:%d/%m/%Y at %H:%M} by "
                f"{amending.current.recorded_by}. Your amendment is saved as a new version; "
                "the earlier one stays on the record.",
                "About amendments",
            )
            self.reason = text_box("Reason for the amendment", lines=2)
            self.add_field(
                # Alt+E: no form that can be amended uses it (Alt+R is "risk" in one).
                layout,
                "R&eason for the\namendment:",
                "Reason for the amendment",
                self.reason,
            )

    def initial(self) -> dict[str, object]:
        """The content being amended (empty for a new record)."""
        return dict(self.amending.current.content) if self.amending is not None else {}

    def content(self) -> Content:
        raise NotImplementedError

    def content_problems(self, content: Content) -> list[FieldError]:
        return []

    def record(self, content: Content) -> int:
        raise NotImplementedError

    def problems(self) -> list[FieldError]:
        found = []
        if self.reason is not None:
            found += amendment_problems(text_of(self.reason))
        return found + self.content_problems(self.content())

    def submit(self) -> None:
        content = self.content()
        if self.amending is None:
            self.saved_id = self.record(content)
            return
        assert self.reason is not None
        amend_record(
            self.context.store,
            self.amending.id,
            content,
            reason=text_of(self.reason).strip(),
            actor=self.context.actor,
        )
        self.saved_id = self.amending.id
