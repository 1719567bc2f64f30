"""The fields every form is built from: en-GB date and time fields with a Monday-first
calendar, text boxes where Tab moves on, a date that may be left out, a Yes/No with
neither chosen, and reading each back as plain Python values."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from ui.widgets.common import named

DATE_FORMAT = "dd/MM/yyyy"
DATETIME_FORMAT = "dd/MM/yyyy HH:mm"
# Wide enough to type any real date; whether it is plausible is the services' call, so
# a mistyped year gets a message rather than a field that silently refuses it.
EARLIEST, LATEST = QDate(1900, 1, 1), QDate(2099, 12, 31)


def _monday_calendar(edit: QDateTimeEdit) -> None:
    edit.setCalendarPopup(True)
    edit.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek.Monday)
    edit.setMinimumDate(EARLIEST)
    edit.setMaximumDate(LATEST)


def date_edit(name: str, value: date | None = None) -> QDateEdit:
    edit = named(QDateEdit(), name, "Date as day/month/year. Alt+Down opens a calendar.")
    edit.setDisplayFormat(DATE_FORMAT)
    _monday_calendar(edit)
    if value is not None:
        edit.setDate(QDate(value.year, value.month, value.day))
    return edit


def datetime_edit(name: str, value: datetime | None = None) -> QDateTimeEdit:
    edit = named(
        QDateTimeEdit(),
        name,
        "Date and time as day/month/year hours:minutes. Alt+Down opens a calendar.",
    )
    edit.setDisplayFormat(DATETIME_FORMAT)
    _monday_calendar(edit)
    if value is not None:
        set_datetime(edit, value)
    return edit


def set_datetime(edit: QDateTimeEdit, value: datetime) -> None:
    edit.setDateTime(
        QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))
    )


def date_of(edit: QDateEdit) -> date:
    value = edit.date().toPython()
    assert isinstance(value, date)
    return value


def datetime_of(edit: QDateTimeEdit) -> datetime:
    value = edit.dateTime().toPython()
    assert isinstance(value, datetime)
    return value.replace(second=0, microsecond=0)


def line_edit(name: str, value: str = "") -> QLineEdit:
    return named(QLineEdit(value), name)


def text_box(name: str, value: str = "", lines: int = 3) -> QPlainTextEdit:
    edit = named(QPlainTextEdit(value), name)
    edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


def text_of(widget: QLineEdit | QPlainTextEdit) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    return str(widget.property("text"))


def lines_of(edit: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


class OptionalDate(QWidget):
    """A date that may be left out: a tick box, then the date."""

    def __init__(self, name: str, tick_text: str, value: date | None, default: date) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.tick = named(QCheckBox(tick_text), f"{name}: {tick_text.rstrip(':')}")
        self.edit = date_edit(name, value or default)
        row.addWidget(self.tick)
        row.addWidget(self.edit)
        row.addStretch(1)
        self.tick.toggled.connect(self.edit.setEnabled)
        self.tick.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.setFocusProxy(self.tick)

    def value(self) -> date | None:
        return date_of(self.edit) if self.tick.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.tick.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(QDate(value.year, value.month, value.day))


class YesNo(QWidget):
    """Yes or No, with neither chosen until the DSL says (a record must not default to
    an answer nobody gave)."""

    def __init__(self, name: str, value: bool | None = None) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.yes = named(QRadioButton("Yes"), f"{name}: yes")
        self.no = named(QRadioButton("No"), f"{name}: no")
        self.group = QButtonGroup(self)
        for button in (self.yes, self.no):
            self.group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        if value is not None:
            (self.yes if value else self.no).setChecked(True)
        self.setFocusProxy(self.yes)

    def value(self) -> bool | None:
        if self.yes.isChecked():
            return True
        if self.no.isChecked():
            return False
        return None


def set_row_visible(row: QWidget, visible: bool) -> None:
    """Show or hide a field together with its caption (the form layout owns both)."""
    holder = row.parentWidget()
    layout = holder.layout() if holder is not None else None
    if isinstance(layout, QFormLayout):
        layout.setRowVisible(row, visible)


def stored_day(value: object) -> date | None:
    """A date as a saved record holds it (ISO text), or None."""
    return date.fromisoformat(str(value)) if value else None
