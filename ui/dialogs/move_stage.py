"""Move to the next stage (or, with a reason, skip to a later one). Before the DSL
confirms, the dialog shows what the policy says about the stage they are moving to:
its title, who owns it, what to do, who must be told, and its deadline if it starts at
the time given (worked out by ``app.services.forms.preview_stage``)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from app import clock
from app.deadlines import fmt_moment
from app.domain.validation import FieldError
from app.domain.views import StageMove
from app.english_plurals import count
from app.policy.stage_names import stage_heading
from app.services.escalations import move_problems, move_to_next_stage
from app.services.forms import preview_stage
from ui.operations import run_op
from ui.plain_text import rich
from ui.widgets.common import named
from ui.widgets.fields import datetime_edit, datetime_of, set_row_visible, text_box, text_of
from ui.widgets.form_dialog import FormDialog
from ui.widgets.record_form import EscalationContext


def stage_move_html(move: StageMove) -> str:
    """What to do at a stage, as the policy says, with its deadline."""
    due = fmt_moment(move.due) if move.due is not None else "No fixed timescale"
    tasks = move.prompts[1:]  # the first prompt is the stage's own action
    parts = [
        f"<p><b>{escape(stage_heading(move.number, move.title))}</b><br>"
        f"Owner: {escape(move.owner)}</p>",
        f"<p><b>What to do:</b> {escape(move.action)}</p>",
    ]
    if tasks:
        # Who must be told stands out: it is the step most easily forgotten.
        items = (
            f"<li><b>{escape(t)}</b></li>" if t.startswith("Notify") else f"<li>{escape(t)}</li>"
            for t in tasks
        )
        parts.append("<ul>" + "".join(items) + "</ul>")
    parts.append(f"<p><b>Deadline: {escape(due)}</b><br><small>{escape(move.rule)}</small></p>")
    return "".join(parts)


class MoveStageDialog(FormDialog):
    def __init__(self, context: EscalationContext, parent: QWidget | None = None) -> None:
        super().__init__("Move to the next stage", parent)
        self.setObjectName("move-stage")
        self.context = context
        self.moved: StageMove | None = None
        detail = context.detail
        current = detail.stages[detail.row.stage_number - 1]
        self.current_number = current.number

        layout = self.form("The stage you are leaving")
        due = fmt_moment(current.due) if current.due is not None else "no fixed timescale"
        self.note(
            layout,
            f"{stage_heading(current.number, current.title)} (due {due}).",
            "The current stage",
        )
        self.result_text = text_box("Result of this stage", lines=3)
        self.result_text.setPlaceholderText(
            "For example: not resolved; the other agency maintains…"
        )
        self.add_field(layout, "&Result of this\nstage:", "Result of this stage", self.result_text)

        target = self.form("The stage you are moving to")
        self.to_stage = named(QComboBox(), "Move to stage")
        for stage in context.pathway.stages[current.number :]:
            skipped = stage.number - current.number - 1
            extra = f" (skips {count(skipped, 'stage')})" if skipped else ""
            self.to_stage.addItem(stage_heading(stage.number, stage.title) + extra, stage.number)
        self.add_field(target, "Move &to:", "Move to stage", self.to_stage)
        self.skip_reason = text_box("Reason for skipping a stage", lines=2)
        self.skip_row = self.add_field(
            target, "Reason for &skipping:", "Reason for skipping a stage", self.skip_reason
        )
        self.moved_at = datetime_edit("Date moved", clock.now())
        self.add_field(target, "&Date moved:", "Date moved", self.moved_at)
        self.preview = rich(QLabel())  # built with every policy word escaped
        self.preview.setWordWrap(True)
        self.preview.setAccessibleName("What the policy says about the next stage")
        self.preview.setFrameShape(QLabel.Shape.StyledPanel)
        self.preview.setMargin(8)
        target.addRow(self.preview)
        self.body.addStretch(1)

        self.to_stage.currentIndexChanged.connect(self._update)
        self.moved_at.changed.connect(self._update)
        self._update()
        self.start_tracking()
        self.fit(680, 700)

    @property
    def target(self) -> int:
        return int(self.to_stage.currentData())

    def _update(self) -> None:
        skipping = self.target > self.current_number + 1
        set_row_visible(self.skip_row, skipping)
        self.save_button.setText(f"&Move to stage {self.target}")
        self.save_button.setAccessibleName(f"Move to stage {self.target}")
        run_op(  # a preview, redone as the DSL types (a date not yet typed says so here)
            self,
            lambda: preview_stage(
                self.context.store, self.context.ref, self.target, datetime_of(self.moved_at)
            ),
            lambda move: self.preview.setText(stage_move_html(move)),
            on_failure=lambda exc: self.preview.setText(escape(str(exc))),
            cursor=False,
        )

    def problems(self) -> list[FieldError]:
        current = self.context.detail.stages[self.current_number - 1]
        return move_problems(
            current=current.number,
            started=current.started_at,
            to_stage=self.target,
            at=datetime_of(self.moved_at),
            result=text_of(self.result_text),
            skip_reason=text_of(self.skip_reason),
        )

    def submit(self) -> None:
        skipping = self.target > self.current_number + 1
        self.moved = move_to_next_stage(
            self.context.store,
            self.context.ref,
            result=text_of(self.result_text).strip(),
            actor=self.context.actor,
            at=datetime_of(self.moved_at),
            to_stage=self.target,
            skip_reason=text_of(self.skip_reason).strip() if skipping else "",
        )
