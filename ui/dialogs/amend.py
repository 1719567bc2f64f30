"""Choose the record to amend. The form for that kind of record then opens with its
current version filled in, and asks why it is being amended."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from app.chronology import KIND_NAMES
from app.domain.escalation_actions import amendable
from app.domain.validation import FieldError
from app.domain.views import RecordView
from ui.widgets.common import named
from ui.widgets.form_dialog import FormDialog
from ui.widgets.record_form import EscalationContext


def record_label(record: RecordView) -> str:
    version = record.current
    content = version.content
    gist = str(
        content.get("summary")
        or content.get("description")
        or content.get("decision_disputed")
        or content.get("not_progressing")
        or ""
    )
    amended = f", version {version.version}" if record.amended else ""
    name = KIND_NAMES.get(record.kind, record.kind)
    return f"{name}, {record.created_at:%d/%m/%Y}{amended} — {gist[:60]}"


class AmendChooserDialog(FormDialog):
    save_text = "&Continue…"

    def __init__(
        self,
        context: EscalationContext,
        chosen: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Amend a record", parent)
        self.setObjectName("amend-chooser")
        self._records = {r.id: r for r in amendable(context.detail.records)}
        layout = self.form()
        self.note(
            layout,
            "Records are never changed in place: an amendment is saved as a new version, "
            "with your name, the date and your reason, and both versions stay visible.",
            "How amendments work",
        )
        self.record = named(QComboBox(), "Record to amend")
        for record in self._records.values():
            self.record.addItem(record_label(record), record.id)
        if chosen is not None and self.record.findData(chosen) >= 0:
            self.record.setCurrentIndex(self.record.findData(chosen))
        else:
            self.record.setCurrentIndex(self.record.count() - 1)
        self.add_field(layout, "&Record:", "Record to amend", self.record)
        self.body.addStretch(1)
        self.chosen: RecordView | None = None
        self.fit(620, 240)

    def problems(self) -> list[FieldError]:
        if self.record.currentData() is None:
            return [FieldError("Record to amend", "there is no record that can be amended.")]
        return []

    def submit(self) -> None:
        self.chosen = self._records[int(self.record.currentData())]
