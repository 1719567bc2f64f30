"""What every form shares: problems shown beside the field they are about, nothing typed
lost when a save is refused, and a question before unsaved work is thrown away.

A form never checks input itself: it asks an ``app.services`` function for the
problems (each a ``FieldError`` naming the field by its label) and shows each beside the
field registered under that label. Its fields are built with ``ui.widgets.fields``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.validation import FieldError, ProblemsError
from app.english_plurals import count
from app.errors import KnownError
from ui.operations import run_op
from ui.plain_text import plain
from ui.widgets.date_field import DateField, stand_ins
from ui.widgets.keyboard import keep_keyboard_order
from ui.widgets.problem_marks import on_edit
from ui.widgets.sizing import fit_to_screen

COUNT_END = "; each is marked beside its field."


def sentence(error: FieldError) -> str:
    """The message shown beside a field: "Conference date cannot be in the future…"."""
    reason = error.reason
    first = reason.split(" ", 1)[0]
    if first in ("is", "cannot", "contains", "must"):
        return f"{error.field} {reason}"
    return reason[:1].upper() + reason[1:]


def error_colour(widget: QWidget) -> str:
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return "#ff8a80" if dark else "#b3261e"


class FieldRow(QWidget):
    """A field with the place for its problem directly under it."""

    def __init__(self, key: str, field: QWidget) -> None:
        super().__init__()
        self.key = key
        self.field = field
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # a problem may quote what was typed
        self.error.setWordWrap(True)
        self.error.setAccessibleName(f"Problem with {key}")
        self.error.setStyleSheet(f"color: {error_colour(self)}; font-weight: bold;")
        self.error.setVisible(False)
        column.addWidget(self.error)
        self.setFocusProxy(field)
        self._description = field.accessibleDescription()
        if isinstance(field, DateField):
            # Its words say at once whether the new text is a date: the old message goes.
            field.changed.connect(self.clear_error)

    def show_error(self, text: str) -> None:
        self.error.setText(f"⚠ {text}")
        self.error.setVisible(True)
        # Screen readers announce the problem with the field when it gets the focus.
        self.field.setAccessibleDescription(text)
        if isinstance(self.field, DateField) and self.field.problem():
            self.field.words.setVisible(False)  # they say the same as the message

    def clear_error(self) -> None:
        self.error.clear()
        self.error.setVisible(False)
        self.field.setAccessibleDescription(self._description)
        if isinstance(self.field, DateField):
            self.field.words.setVisible(True)


def wipe(root: QWidget) -> None:
    """Forget every text a window and its children hold, at once (the screen is being
    locked; deleting the widgets waits for the event loop, and until then they could
    still be read)."""
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root:
            widget.blockSignals(True)  # no "changed" reactions on the way out
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QComboBox):
            widget.clear()
        elif isinstance(widget, QLabel):
            widget.clear()
            widget.setAccessibleName("")
        elif isinstance(widget, QTableWidget):
            widget.clearContents()
            widget.setRowCount(0)
        widget.setToolTip("")
        widget.setAccessibleDescription("")
    root.setWindowTitle("")
    root.setAccessibleName("")


def ask_discard(parent: QWidget) -> bool:
    """True when the DSL chooses to throw away what they typed or chose. "Changes", not
    "what you typed": a policy chosen and nothing typed asked about "what you typed"."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Discard your changes?",
        "This form has not been saved. Close it and lose your changes?",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
    discard.setAccessibleName("Discard your changes")
    keep.setAccessibleName("Keep editing")
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.setAccessibleName("Discard your changes?")
    box.exec()
    return box.clickedButton() is discard


class FormDialog(QDialog):
    """Subclasses build their fields with ``add_field`` and implement ``problems`` (every
    problem with what is typed, from a service) and ``submit`` (the service call)."""

    save_text = "&Save"

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setObjectName("form")
        self.rows: dict[str, FieldRow] = {}
        self._aliases: dict[str, str] = {}
        self._dirty = False
        self._discarding = False

        outer = QVBoxLayout(self)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Fields grow and wrap to the window's width: scrolling sideways hides labels.
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setAccessibleName(title)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields; they scroll
        self.body_widget = QWidget()
        self.body = QVBoxLayout(self.body_widget)
        self.body.setContentsMargins(4, 4, 12, 4)
        self.scroll.setWidget(self.body_widget)
        outer.addWidget(self.scroll, 1)
        # Always in view, whatever is scrolled: what the DSL must not miss (a deadline).
        self.footer = QVBoxLayout()
        outer.addLayout(self.footer)

        self.message = plain(QLabel())
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.setStyleSheet(f"color: {error_colour(self)}; font-weight: bold;")
        self.message.setVisible(False)
        outer.addWidget(self.message)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setAccessibleName("Save or cancel")
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.save_text)
        self.save_button.setAccessibleName(self.save_text.replace("&", ""))
        self.save_button.setToolTip("Save (Ctrl+S)")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel without saving")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        keep_keyboard_order(self, self.body_widget, [self.save_button, cancel])

    def fit(self, width: int, most: int) -> None:
        """As tall as the fields need, up to ``most`` (then the form scrolls)."""
        self.body_widget.adjustSize()
        chrome = self.buttons.sizeHint().height() + self.footer.sizeHint().height() + 60
        fit_to_screen(self, width, min(most, self.body_widget.sizeHint().height() + chrome))

    # Building ---------------------------------------------------------------------------

    def form(self, title: str = "") -> QFormLayout:
        """A new section of the form, optionally under a heading."""
        if title:
            box = QGroupBox(title)
            layout = QFormLayout(box)
            self.body.addWidget(box)
        else:
            holder = QWidget()
            layout = QFormLayout(holder)
            layout.setContentsMargins(0, 0, 0, 0)
            self.body.addWidget(holder)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        return layout

    def add_field(
        self,
        layout: QFormLayout,
        label: str,
        key: str,
        field: QWidget,
        *,
        aliases: Sequence[str] = (),
    ) -> FieldRow:
        """``label`` is shown (with its & shortcut); ``key`` is the field's name as the
        services' messages give it."""
        if isinstance(field, QComboBox):
            # A long choice (an action's text, a policy's outcome) must not widen the
            # form past the window; the drop-down list still shows it in full.
            field.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            field.setMinimumContentsLength(20)
        row = FieldRow(key, field)
        caption = QLabel(label)
        caption.setBuddy(field.focusProxy() or field)
        caption.setWordWrap(True)
        layout.addRow(caption, row)
        self.rows[key] = row
        for alias in aliases:
            self._aliases[alias] = key
        if not field.accessibleName():
            field.setAccessibleName(key)
        on_edit(field, self._recheck)
        return row

    def note(self, layout: QFormLayout, text: str, name: str) -> QLabel:
        label = plain(QLabel(text))  # may quote a record or the policy's words
        label.setWordWrap(True)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addRow(label)
        return label

    def start_tracking(self) -> None:
        """Call once the fields hold their starting values: from now on any change makes
        the form 'unsaved'."""
        for widget in self.body_widget.findChildren(QWidget):
            if isinstance(widget, QLineEdit) and not isinstance(widget.parentWidget(), QComboBox):
                widget.textEdited.connect(self._changed)
            elif isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(self._changed)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._changed)
                if widget.isEditable():
                    widget.editTextChanged.connect(self._changed)
            elif isinstance(widget, QAbstractButton) and widget.isCheckable():
                widget.toggled.connect(self._changed)
            elif isinstance(widget, QTableWidget):
                widget.itemChanged.connect(self._changed)
        self._dirty = False

    def _changed(self, *_args: object) -> None:
        self._dirty = True

    @property
    def dirty(self) -> bool:
        return self._dirty

    # Problems ---------------------------------------------------------------------------

    def row_for(self, field: str) -> FieldRow | None:
        return self.rows.get(self._aliases.get(field, field))

    def clear_problems(self) -> None:
        for row in self.rows.values():
            row.clear_error()
        self.message.clear()
        self.message.setVisible(False)

    def show_problems(self, problems: Sequence[FieldError]) -> None:
        """Each problem beside its field (the first one gets the focus); a problem with
        no field of its own goes above the buttons."""
        self.clear_problems()
        loose: list[str] = []
        for problem in problems:
            row = self.row_for(problem.field)
            if row is None:
                loose.append(str(problem))
                continue
            row.show_error(sentence(problem))
        # The first in the form's own order, not the service's.
        marked_rows = [r for r in self.rows.values() if r.error.isVisibleTo(self)]
        first = marked_rows[0] if marked_rows else None
        marked = len(marked_rows)
        if marked > 1:
            # A long form scrolls: say how many, so none is missed below the fold.
            loose.insert(0, f"{count(marked, 'thing')} need attention{COUNT_END}")
        if loose:
            self.show_message(" ".join(loose))
        if first is not None:
            self.scroll.ensureWidgetVisible(first)
            first.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_message(self, text: str) -> None:
        self.message.setText(f"⚠ {text}")
        self.message.setVisible(True)

    def _recheck(self) -> None:
        """After an edit, each message shown goes once its problem is put right (and the
        others say what is still wrong); nothing new is flagged until Save."""
        marked = [r for r in self.rows.values() if r.error.isVisibleTo(self)]
        if not marked:
            return
        found = {}
        for problem in self.all_problems():
            row = self.row_for(problem.field)
            if row is not None and row.key not in found:
                found[row.key] = sentence(problem)
        for row in marked:
            if row.key in found:
                row.show_error(found[row.key])
            else:
                row.clear_error()
        # The count said above the buttons follows; a problem with no field stays.
        text = self.message.text() if self.message.isVisibleTo(self) else ""
        if COUNT_END in text:
            rest = text.split(COUNT_END, 1)[1].strip()
            left = sum(row.key in found for row in marked)
            said = f"{count(left, 'thing')} need attention{COUNT_END}" if left > 1 else ""
            if said or rest:
                self.show_message(" ".join(t for t in (said, rest) if t))
            else:
                self.message.clear()
                self.message.setVisible(False)

    # Saving and closing -----------------------------------------------------------------

    def problems(self) -> list[FieldError]:
        return []

    def typed_problems(self) -> list[FieldError]:
        """Each date field on show whose text is not a date (docs/architecture.md,
        "Typed dates"): the form cannot even be read until it is one."""
        return [
            FieldError(key, row.field.problem())
            for key, row in self.rows.items()
            if isinstance(row.field, DateField) and row.isVisibleTo(self) and row.field.problem()
        ]

    def all_problems(self) -> list[FieldError]:
        """Every problem at once: the dates that are not dates, and then, found with
        stand-ins for those, the problems with every field that is not a date (what
        the other dates' checks say waits until every date is one)."""
        typed = self.typed_problems()
        if not typed:
            return self.problems()
        with stand_ins():
            found = self.problems()
        dates = {key for key, row in self.rows.items() if isinstance(row.field, DateField)}
        return typed + [p for p in found if self._aliases.get(p.field, p.field) not in dates]

    def submit(self) -> None:
        raise NotImplementedError

    def save(self) -> None:
        problems = self.all_problems()
        if problems:
            self.show_problems(problems)
            return
        # A refusal is said in the form, not in a box over it; nothing typed is lost.
        run_op(self, self.submit, lambda _saved: self._saved(), on_failure=self._refused)

    def _saved(self) -> None:
        self._dirty = False
        self.accept()

    def _refused(self, exc: KnownError) -> None:
        # The service checks the same problems() the form does; if it still refuses
        # (something changed in between), each problem goes beside its field too.
        if isinstance(exc, ProblemsError):
            self.show_problems(exc.problems)
        elif isinstance(exc, FieldError):
            self.show_problems([exc])
        else:
            self.clear_problems()
            self.show_message(str(exc))

    def reject(self) -> None:
        if self._dirty and not self._discarding and not ask_discard(self):
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._dirty and not self._discarding and not ask_discard(self):
            event.ignore()
            return
        self._dirty = False  # asked once is enough: reject() must not ask again
        super().closeEvent(event)

    def discard(self) -> None:
        """Close at once without asking and forget what was typed (the screen is being
        locked: nothing about a child may stay on it)."""
        self._discarding = True
        wipe(self)
        super().reject()
        self.close()
