"""A date (or date and time) field a person types into freely, with the date that will
be saved shown beside it in words as they type, or what is wrong with what they typed.

It replaces QDateEdit, whose section editing over a typed-over default saved dates the
person never typed. What the text means is decided in one place,
``app.domain.typed_dates``: this widget only shows the answer (docs/architecture.md,
"Typed dates"). A text that is not a date is not read as any date: ``value()`` raises,
and the form's Save shows the problem beside the field (``FormDialog.typed_problems``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from app import clock
from app.domain.typed_dates import (
    EVENT_DATES,
    EXAMPLE,
    EXAMPLE_TIME,
    NOT_KNOWN,
    DateRange,
    Reading,
    as_typed,
    in_words,
    read_date,
    read_datetime,
)
from app.domain.validation import FieldError
from ui.widgets.common import named


class UnreadableDate(FieldError):
    """A date field was read while its text is not a date (the form checks first)."""


_standing_in = False


@contextmanager
def stand_ins() -> Iterator[None]:
    """While a form gathers every problem at once, a date not yet typed right reads as
    its kind's earliest date instead of raising, so the problems with the other fields
    are found too. Only those are kept (``FormDialog.all_problems``): what a stand-in
    says about any date field is thrown away. Never used to save."""
    global _standing_in
    _standing_in = True
    try:
        yield
    finally:
        _standing_in = False


class DateField(QWidget):
    """A line to type the date into, a calendar button (Alt+Down), and beside them the
    date in words. ``not_known``: the text of a tick box that says nobody knows the
    date (the value is then None, and no problem)."""

    changed = Signal()

    def __init__(
        self,
        name: str,
        *,
        with_time: bool = False,
        kind: DateRange = EVENT_DATES,
        required: bool = True,
        not_known: str = "",
    ) -> None:
        super().__init__()
        self.name, self.with_time, self.kind, self.required = name, with_time, kind, required
        example = f"{EXAMPLE} {EXAMPLE_TIME}" if with_time else EXAMPLE
        self.how = (
            f"Type the {'date and time' if with_time else 'date'} as day/month/year"
            f"{' hours:minutes' if with_time else ''}, for example {example}. "
            "Alt+Down opens a calendar."
        )
        self.edit = named(QLineEdit(), name, self.how)
        # The form of a date, not a date: greyed text could pass for one typed.
        self.edit.setPlaceholderText("dd/mm/yyyy hh:mm" if with_time else "dd/mm/yyyy")
        self.edit.setMaxLength(60)
        width = self.edit.fontMetrics().horizontalAdvance(f"{example}  ") + 16
        self.edit.setFixedWidth(width)
        self.edit.installEventFilter(self)
        self.button = named(QToolButton(), f"{name}: choose from a calendar")
        self.button.setText("▾")
        self.button.setToolTip("Choose from a calendar (Alt+Down)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Alt+Down does it from the keyboard
        self.button.clicked.connect(self.open_calendar)
        self.words = QLabel()
        self.words.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.words.setWordWrap(True)
        self.words.setAccessibleName(f"{name}: the date that will be saved")
        self.not_known: QCheckBox | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.addWidget(self.edit, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.button, 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.words, 0, 2)
        grid.setColumnStretch(2, 1)
        if not_known:
            self.not_known = named(QCheckBox(not_known), not_known)
            self.not_known.toggled.connect(self._not_known_toggled)
            grid.addWidget(self.not_known, 1, 0, 1, 3)
        self._calendar: QCalendarWidget | None = None
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._text_changed)
        self._show()

    # Reading ----------------------------------------------------------------------------

    def reading(self) -> Reading[date] | Reading[datetime]:
        if self.not_known is not None and self.not_known.isChecked():
            return Reading(None)
        text = str(self.edit.property("text"))
        if self.with_time:
            return read_datetime(text, self.kind, required=self.required)
        return read_date(text, self.kind, required=self.required)

    def is_empty(self) -> bool:
        """Nothing typed (and not marked not known): the person has not started."""
        not_known = self.not_known is not None and self.not_known.isChecked()
        return not not_known and not str(self.edit.property("text")).strip()

    def problem(self) -> str:
        """Why the text is not a date ('' when it is one, or may be left empty)."""
        return self.reading().problem

    def value(self) -> date | datetime | None:
        """The date typed; None for an empty optional field or one marked not known."""
        reading = self.reading()
        if reading.problem and _standing_in:
            earliest = self.kind.earliest
            return datetime.combine(earliest, time()) if self.with_time else earliest
        if reading.problem:
            raise UnreadableDate(self.name, reading.problem)
        return reading.value

    def set_value(self, value: date | datetime | None) -> None:
        if self.not_known is not None:
            self.not_known.setChecked(False)
        self.edit.setText("" if value is None else as_typed(value))

    def set_not_known(self) -> None:
        assert self.not_known is not None
        self.not_known.setChecked(True)

    # Showing ----------------------------------------------------------------------------

    def _text_changed(self) -> None:
        self._show()
        self.changed.emit()

    def _not_known_toggled(self, on: bool) -> None:
        if on:
            self.edit.clear()
        self.edit.setEnabled(not on)
        self.button.setEnabled(not on)
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        reading = self.reading()
        if self.not_known is not None and self.not_known.isChecked():
            text = NOT_KNOWN
        elif reading.value is not None:
            text = in_words(reading.value)
        elif reading.problem and self.is_empty():
            # Not typed yet: what to type, not a warning (Save marks it if still empty).
            text = f"{reading.problem[:1].upper()}{reading.problem[1:]}"
        elif reading.problem:
            text = f"⚠ {reading.problem[:1].upper()}{reading.problem[1:]}"
        else:
            text = "No date: leave it empty if there is none."
        self.words.setText(text)
        # A screen reader reads the description with the field: what will be saved first.
        self.edit.setAccessibleDescription(f"{text.rstrip('.')}. {self.how}")

    # The calendar -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # While Python collects a field, its box still sends events (focus out, hide)
        # after the field's attributes are gone.
        edit = getattr(self, "edit", None)
        if edit is not None and watched is edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
            if (alt and event.key() == Qt.Key.Key_Down) or event.key() == Qt.Key.Key_F4:
                self.open_calendar()
                return True
        return super().eventFilter(watched, event)

    def calendar(self) -> QCalendarWidget:
        """The pop-up calendar (made when first opened), weeks starting on Monday."""
        if self._calendar is None:
            popup = named(QCalendarWidget(self), f"{self.name}: calendar")
            popup.setWindowFlags(Qt.WindowType.Popup)
            popup.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
            popup.setGridVisible(True)
            earliest, latest = self.kind.earliest, self.kind.latest
            popup.setDateRange(
                QDate(earliest.year, earliest.month, earliest.day),
                QDate(latest.year, latest.month, latest.day),
            )
            # A pop-up closes on Escape, back to the line typed into.
            QShortcut(
                QKeySequence(Qt.Key.Key_Escape),
                popup,
                self._close_calendar,
                Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
            popup.clicked.connect(self._picked)
            popup.activated.connect(self._picked)
            self._calendar = popup
        return self._calendar

    def open_calendar(self) -> None:
        if not self.edit.isEnabled():
            return
        popup = self.calendar()
        shown = self.reading().value or clock.today()
        popup.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        popup.move(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        popup.show()
        popup.setFocus(Qt.FocusReason.PopupFocusReason)

    def _picked(self, chosen: QDate) -> None:
        """Fill the text as if typed (so the form knows it changed), keeping a time
        already typed; the person types one if there is none."""
        picked = date(chosen.year(), chosen.month(), chosen.day())
        text = as_typed(picked)
        if self.with_time:
            current = self.reading().value
            text += f" {current:%H:%M}" if isinstance(current, datetime) else " "
        self._close_calendar()
        self.edit.selectAll()
        self.edit.insert(text)

    def _close_calendar(self) -> None:
        self.calendar().hide()
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)
